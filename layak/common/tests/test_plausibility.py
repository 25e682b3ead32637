"""Implausible values are refused in words: future dates of past events, impossible sizes, spending above budget."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from layak.common import plausibility
from layak.regions.tests.factories import make_region

pytestmark = pytest.mark.django_db


def test_rules_return_a_message_per_field():
    today = timezone.localdate()
    assert plausibility.happened(today, "d") == {}
    assert "in the future" in plausibility.happened(today + datetime.timedelta(days=1), "d")["d"]
    assert "too long ago" in plausibility.happened(datetime.date(1026, 5, 1), "d")["d"]
    assert plausibility.planned(today + datetime.timedelta(days=300), "d") == {}
    assert "years ahead" in plausibility.planned(datetime.date(today.year + 5, 1, 1), "d")["d"]
    assert "more than any real case" in plausibility.at_most(100_000, "forum_members", "n")["n"]
    assert "more than the budget" in plausibility.within_budget(Decimal(2), Decimal(1), "f")["f"]


def test_a_forum_founded_in_the_future_with_100000_members_is_refused(region_coordinator):
    from layak.participation.services import forum_create

    region = make_region("31.71")
    with pytest.raises(ValidationError) as exc:
        forum_create(
            user=region_coordinator,
            kabkota=region,
            region=region,
            name="Forum Anak Jakarta Pusat",
            established_on=datetime.date(2031, 1, 1),
            member_count=100_000,
        )
    assert set(exc.value.message_dict) == {"established_on", "member_count"}


def test_a_decree_dated_2030_is_refused(region_coordinator):
    from layak.taskforces.services import decree_create

    with pytest.raises(ValidationError) as exc:
        decree_create(
            user=region_coordinator,
            region=make_region("31.71"),
            number="188.45/1/2030",
            decree_date=datetime.date(2030, 1, 2),
            period_start=2026,
            period_end=2027,
        )
    assert "in the future" in exc.value.message_dict["decree_date"][0]


def test_a_quarterly_realisation_above_the_years_budget_is_refused(region_coordinator):
    from layak.plans import services
    from layak.plans.tests.factories import make_action, make_plan

    action = make_action(region_coordinator, make_plan(region_coordinator), budget="1000000", year=2025)
    services.realisation_save(
        user=region_coordinator,
        action=action,
        year=2025,
        quarter=1,
        physical_pct=Decimal(30),
        financial=Decimal(600000),
    )
    with pytest.raises(ValidationError) as exc:
        services.realisation_save(
            user=region_coordinator,
            action=action,
            year=2025,
            quarter=2,
            physical_pct=Decimal(60),
            financial=Decimal(500000),
        )
    assert "more than the budget" in exc.value.message_dict["financial"][0]


def test_an_apsai_since_date_is_never_dropped_silently(region_coordinator):
    from layak.partners.services import partner_create

    with pytest.raises(ValidationError) as exc:
        partner_create(
            user=region_coordinator,
            region=make_region("31.71"),
            name="PT Contoh",
            kind="business",
            apsai_member=False,
            apsai_since=datetime.date(2024, 3, 1),
        )
    assert "APSAI" in exc.value.message_dict["apsai_member"][0]
