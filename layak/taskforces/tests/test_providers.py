"""What the Gugus Tugas register offers the self-assessment, in a fixed number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from layak.evaluations.prefill import computed_values
from layak.regions.tests.factories import make_region
from layak.taskforces import services
from layak.taskforces.models import Decision, Meeting
from layak.taskforces.providers import taskforce_values
from layak.taskforces.tests.factories import FULL_STRUCTURE, make_decree

YEAR = timezone.localdate().year


def _values(region_code: str, year: int = YEAR) -> dict:
    return {v.key: v for v in taskforce_values(make_region(region_code), year)}


def _meetings(user, agencies, n: int, *, decisions_done: int = 0, decisions_open: int = 0) -> None:
    """n meetings this year (dates stepping back from today); decisions due today on the first meeting."""
    region = make_region("31.71")
    start = datetime.date(YEAR, 1, 1)
    today = timezone.localdate()
    for i in range(n):
        held = max(start, today - datetime.timedelta(days=i))
        meeting = services.meeting_create(user=user, region=region, held_on=held, agenda=f"Rakor {i + 1}")
        if i == 0:
            for k in range(decisions_done + decisions_open):
                d = services.decision_create(
                    user=user, meeting=meeting, text=f"Keputusan {k}", owner_agency=agencies["DP3A"], due_on=today
                )
                if k < decisions_done:
                    services.decision_follow_up(user=user, decision=d, status="done", note="Selesai")


def test_the_providers_are_registered_with_the_self_assessment(region_coordinator, decree):
    assert {"taskforces.decree_complete", "taskforces.meetings_per_year"} <= set(
        computed_values(make_region("31.71"), YEAR)
    )


def test_a_gap_free_decree_in_force_is_complete(region_coordinator):
    decree = make_decree(region_coordinator, "31.71", start=YEAR - 1, end=YEAR + 1)
    value = _values("31.71")["taskforces.decree_complete"]
    assert value.value is True
    assert value.url == decree.get_absolute_url() and value.as_of == decree.decree_date
    assert "names every role, sub-group and sector" in value.source


def test_a_decree_without_media_is_not_complete_and_says_why(region_coordinator):
    make_decree(region_coordinator, "31.71", start=YEAR, end=YEAR + 2, members=FULL_STRUCTURE[:-1])
    value = _values("31.71")["taskforces.decree_complete"]
    assert value.value is False and "No member from: Media." in value.source


def test_an_expired_decree_is_not_complete(region_coordinator):
    make_decree(region_coordinator, "31.71", start=YEAR - 5, end=YEAR - 3)
    value = _values("31.71")["taskforces.decree_complete"]
    assert value.value is False and "ended before" in value.source


def test_no_decree_offers_no_decree_value(db):
    assert "taskforces.decree_complete" not in _values("31.71")


def test_meetings_are_counted_for_the_year_with_source_and_date(region_coordinator, agencies):
    _meetings(region_coordinator, agencies, 3)
    Meeting.objects.create(region=make_region("31.71"), held_on=datetime.date(YEAR - 1, 6, 1), agenda="Last year")
    value = _values("31.71")["taskforces.meetings_per_year"]
    assert value.value == 3
    assert value.source == f"From 3 meetings recorded in {YEAR}."
    assert value.as_of == Meeting.objects.filter(held_on__year=YEAR).latest("held_on").held_on
    assert value.url == f"/taskforces/region/31.71/meetings/?year={YEAR}"


def test_decisions_done_is_the_share_of_decisions_due_in_the_year(region_coordinator, agencies):
    _meetings(region_coordinator, agencies, 1, decisions_done=2, decisions_open=1)
    value = _values("31.71")["taskforces.decisions_done_pct"]
    assert value.value == Decimal("66.7")
    assert value.source == f"2 of 3 decisions due in {YEAR} done."


def test_no_decisions_due_offers_no_percentage(region_coordinator, agencies):
    _meetings(region_coordinator, agencies, 2)
    assert "taskforces.decisions_done_pct" not in _values("31.71")


@pytest.mark.parametrize("size", [1, 6])
def test_the_provider_runs_four_queries_whatever_the_size(
    region_coordinator, agencies, size, django_assert_num_queries
):
    make_decree(region_coordinator, "31.71", start=YEAR, end=YEAR + 2)
    _meetings(region_coordinator, agencies, size, decisions_done=size, decisions_open=size)
    assert Decision.objects.count() == 2 * size
    region = make_region("31.71")
    with django_assert_num_queries(4):
        values = list(taskforce_values(region, YEAR))
    assert len(values) == 3
