from decimal import Decimal

import pytest

from layak.dashboards import selectors as s
from layak.dashboards.cache import dashboards_invalidate, dashboards_version
from layak.regions.tests.factories import make_region

from .factories import cycle, make_result

DIY = ["34.01", "34.02", "34.03", "34.04", "34.71"]


@pytest.fixture
def two_cycles(db):
    old, new = cycle(2023), cycle(2025)
    for code in DIY:
        make_result(new, code, 650)
    make_result(new, "31.71", 820, {"K1": 0.9, "I1": 0.95, "I2": 0.6})
    make_result(new, "31.72", 450)
    make_result(old, "31.71", 700)
    make_result(old, "31.72", 300)
    return old, new


def test_provila_condition_needs_every_kabkota_with_a_predicate(two_cycles):
    _old, new = two_cycles
    version = dashboards_version()
    summary = next(c for c in s.cycle_summaries(version) if c.id == new.pk)
    stats = s.national_stats(version, summary)
    assert [p.code for p in stats.provila] == ["34"]
    dki = next(p for p in stats.provinces if p.code == "31")
    assert (dki.kabkota, dki.with_predicate, dki.complete) == (2, 1, False)


def test_province_average_counts_only_kabkota_with_a_result_beside_its_coverage(two_cycles):
    make_region("31.73")  # a kab/kota without any result: counted in the coverage, never as a score of 0
    version = dashboards_version()
    cycles = s.cycle_summaries(version)
    view = s.province_view(version, make_region("31"), cycles, cycles[-1])
    assert (view.with_results, len(view.rows)) == (2, 3)
    assert view.average == Decimal("635.00") and view.previous_average == Decimal("500.00")
    assert view.average_change == Decimal("135.00")


def test_weakest_indicators_are_lowest_average_share(two_cycles):
    version = dashboards_version()
    cycles = s.cycle_summaries(version)
    view = s.province_view(version, make_region("31"), cycles, cycles[-1])
    # 31.71: K1 0.9, I1 0.95, I2 0.6; 31.72: all 0.45 -> means K1 0.675, I1 0.7, I2 0.525
    assert [code for code, _group, _share in view.weakest] == ["I2", "K1", "I1"]
    assert view.weakest[0][2] == pytest.approx(0.525)


def test_province_rows_carry_the_change_from_the_previous_cycle(two_cycles):
    version = dashboards_version()
    cycles = s.cycle_summaries(version)
    view = s.province_view(version, make_region("31"), cycles, cycles[-1])
    rows = {r.code: r for r in view.rows}
    assert rows["31.71"].change == Decimal("120")
    assert rows["31.71"].current.band_code == "utama"


def test_cluster_trend_averages_each_group_per_cycle(two_cycles):
    old, new = two_cycles
    trend = s.cluster_trend(dashboards_version())
    assert trend[old.pk]["K"] == pytest.approx((0.7 + 0.3) / 2)
    assert set(trend[new.pk]) == {"K", "I"}


def test_target_progress_counts_kabkota_at_or_above_the_band(two_cycles):
    version = dashboards_version()
    cycles = s.cycle_summaries(version)
    view = s.province_view(version, make_region("31"), cycles, cycles[-1])
    assert s.target_progress(view.rows, "nindya") == (1, 2)
    assert s.target_progress(view.rows, "kla") == (0, 2)


def test_kabkota_without_point_falls_back_to_the_province_point(two_cycles):
    province = make_region("31")
    province.latitude, province.longitude = Decimal("-6.2"), Decimal("106.8")
    province.save()
    dashboards_invalidate()
    version = dashboards_version()
    row = next(r for r in s.cycle_results(version, two_cycles[1].pk) if r.region_code == "31.71")
    assert (row.latitude, row.longitude, row.approximate) == (-6.2, 106.8, True)


def test_new_final_result_changes_the_version_and_the_cached_counts(two_cycles):
    _old, new = two_cycles
    before = dashboards_version()
    summary = next(c for c in s.cycle_summaries(before) if c.id == new.pk)
    assert s.national_stats(before, summary).band_counts["madya"] == 5
    make_result(new, "33.72", 640)
    after = dashboards_version()
    assert after != before
    summary = next(c for c in s.cycle_summaries(after) if c.id == new.pk)
    assert s.national_stats(after, summary).band_counts["madya"] == 6


def test_invalidate_changes_the_version(db):
    before = dashboards_version()
    dashboards_invalidate()
    assert dashboards_version() != before


def test_unpublished_cycles_are_only_for_national_staff(two_cycles, national_admin, region_coordinator):
    hidden = cycle(2026, published=False)
    make_result(hidden, "31.71", 900)
    version = dashboards_version()
    assert hidden.pk in [c.id for c in s.cycles_for_user(version, national_admin)]
    assert hidden.pk not in [c.id for c in s.cycles_for_user(version, region_coordinator)]
    assert hidden.pk not in [c.id for c in s.cycles_published(version)]
