"""The gap check lists what evaluators flag about a Gugus Tugas decree."""

from __future__ import annotations

from layak.taskforces.gaps import MemberFacts, decree_gaps
from layak.taskforces.tests.factories import FULL_STRUCTURE

FULL = [MemberFacts(role, area, sector) for _n, _p, _w, role, area, sector in FULL_STRUCTURE]


def _codes(gaps) -> list[str]:
    return [g.code for g in gaps]


def test_a_complete_decree_in_its_period_has_no_gaps():
    assert decree_gaps(period_start=2025, period_end=2027, year=2025, members=FULL) == []


def test_an_expired_decree_is_flagged_with_its_period_and_year():
    gaps = decree_gaps(period_start=2018, period_end=2020, year=2025, members=FULL)
    assert _codes(gaps) == ["expired"]
    assert "2018\N{EN DASH}2020" in gaps[0].message and "2025" in gaps[0].message


def test_a_decree_not_yet_in_force_is_flagged():
    assert _codes(decree_gaps(period_start=2026, period_end=2028, year=2025, members=FULL)) == ["not_started"]


def test_the_last_year_of_the_period_is_still_valid():
    assert decree_gaps(period_start=2023, period_end=2025, year=2025, members=FULL) == []


def test_missing_coordinators_are_named():
    members = [m for m in FULL if not (m.role == "koordinator" and m.area in ("kelembagaan", "klaster_3"))]
    gaps = decree_gaps(period_start=2025, period_end=2027, year=2025, members=members)
    assert _codes(gaps) == ["no_coordinator"]
    assert gaps[0].message == "No coordinator for: Kelembagaan, Klaster III."


def test_a_plain_member_of_a_cluster_does_not_count_as_its_coordinator():
    members = [m for m in FULL if m.area != "klaster_4"] + [MemberFacts("anggota", "klaster_4", "pemerintah")]
    gaps = decree_gaps(period_start=2025, period_end=2027, year=2025, members=members)
    assert gaps[0].message == "No coordinator for: Klaster IV."


def test_missing_sectors_are_named():
    members = [m for m in FULL if m.sector not in ("dunia_usaha", "media")]
    gaps = decree_gaps(period_start=2025, period_end=2027, year=2025, members=members)
    assert _codes(gaps) == ["no_sector"]
    assert gaps[0].message == "No member from: Dunia usaha (business), Media."


def test_no_ketua_and_no_sekretaris_are_flagged():
    members = [m for m in FULL if m.role not in ("ketua", "sekretaris")]
    assert _codes(decree_gaps(period_start=2025, period_end=2027, year=2025, members=members)) == [
        "no_ketua",
        "no_sekretaris",
    ]


def test_an_empty_expired_decree_lists_every_finding():
    gaps = decree_gaps(period_start=2018, period_end=2020, year=2025, members=[])
    assert _codes(gaps) == ["expired", "no_ketua", "no_sekretaris", "no_coordinator", "no_sector"]
    assert "Kelembagaan, Klaster I, Klaster II, Klaster III, Klaster IV, Klaster V" in gaps[3].message
