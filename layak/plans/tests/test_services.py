from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from layak.audit.models import AuditEvent
from layak.evaluations.prefill import computed_values
from layak.plans import services
from layak.plans.choices import PlanStatus
from layak.plans.providers import plan_values
from layak.plans.selectors import budget_share, budget_shares
from layak.regions.tests.factories import make_region

from .factories import make_action, make_plan


def _values(region_code="31.71", year=2025):
    return {v.key: v for v in plan_values(make_region(region_code), year)}


def test_coordinator_creates_a_plan_with_one_audit_event(plan):
    assert plan.region_id == "31.71"
    assert AuditEvent.objects.filter(verb="plan.created", target_id=str(plan.pk)).count() == 1


def test_opd_contributor_cannot_create_a_plan(opd_contributor, region_coordinator):
    with pytest.raises(PermissionDenied):
        make_plan(opd_contributor)


def test_province_verifier_cannot_change_a_plan(plan, province_verifier):
    with pytest.raises(PermissionDenied):
        services.plan_update(user=province_verifier, plan=plan, title="x")


def test_budget_share_is_child_budget_over_apbd_without_drafts(region_coordinator, plan):
    make_action(region_coordinator, plan, budget="100000000")
    make_action(region_coordinator, plan, title="Taman bermain", budget="50000000")
    make_action(region_coordinator, plan, title="Usulan", budget="999000000", draft=True)
    services.region_budget_save(
        user=region_coordinator, region=plan.region, year=2025, apbd_total=Decimal("1500000000")
    )
    share = budget_share(region=plan.region, year=2025)
    assert share.child_budget == Decimal("150000000")
    assert share.share_pct == Decimal("10.00")
    assert [s.year for s in budget_shares(region=plan.region)] == [2025]


def test_budget_share_is_none_without_an_apbd_total(region_coordinator, plan):
    make_action(region_coordinator, plan, budget="1000")
    assert budget_share(region=plan.region, year=2025).share_pct is None
    assert "plans.child_budget_pct" not in _values()


def test_apbd_total_must_be_positive(region_coordinator, plan):
    with pytest.raises(ValidationError):
        services.region_budget_save(user=region_coordinator, region=plan.region, year=2025, apbd_total=Decimal(0))


@pytest.mark.parametrize(
    ("status", "integrated", "expected"),
    [(PlanStatus.ADOPTED, True, "integrated"), (PlanStatus.ADOPTED, False, "exists"), (PlanStatus.DRAFT, True, "none")],
)
def test_rad_status_follows_adoption_and_rpjmd(region_coordinator, status, integrated, expected):
    make_plan(region_coordinator, status=status, integrated=integrated)
    value = _values()["plans.rad_status"]
    assert value.value == expected
    assert value.url == "/plans/region/31.71/"


def test_rad_status_is_none_outside_the_plan_period(region_coordinator):
    make_plan(region_coordinator, start=2019, end=2023)
    value = _values()["plans.rad_status"]
    assert value.value == "none" and "2025" in value.source


def test_child_budget_pct_is_offered_with_source_and_date(region_coordinator, plan):
    make_action(region_coordinator, plan, budget="250000000")
    services.region_budget_save(user=region_coordinator, region=plan.region, year=2025, apbd_total=Decimal("10e9"))
    value = computed_values(plan.region, 2025)["plans.child_budget_pct"]
    assert value.value == Decimal("2.50")
    assert "250,000,000" in value.source and value.as_of is not None


def test_providers_run_a_fixed_number_of_queries(region_coordinator, plan, django_assert_num_queries):
    services.region_budget_save(user=region_coordinator, region=plan.region, year=2025, apbd_total=Decimal("10e9"))
    make_action(region_coordinator, plan, budget="1")
    region = make_region("31.71")
    with django_assert_num_queries(4):
        list(plan_values(region, 2025))
    for n in range(8):
        make_action(region_coordinator, plan, title=f"Kegiatan {n}", budget="1")
        make_plan(region_coordinator)
    with django_assert_num_queries(4):
        list(plan_values(region, 2025))


def test_realisation_refuses_a_fifth_quarter_and_more_than_100_percent(region_coordinator, plan):
    action = make_action(region_coordinator, plan)
    with pytest.raises(ValidationError, match="quarter"):
        services.realisation_save(
            user=region_coordinator, action=action, year=2025, quarter=5, physical_pct=Decimal(1), financial=Decimal(1)
        )
    with pytest.raises(ValidationError, match="between 0 and 100"):
        services.realisation_save(
            user=region_coordinator,
            action=action,
            year=2025,
            quarter=1,
            physical_pct=Decimal(101),
            financial=Decimal(1),
        )


def test_year_outside_the_plan_period_is_refused(region_coordinator, plan):
    action = make_action(region_coordinator, plan)
    with pytest.raises(ValidationError, match="outside the plan's period"):
        services.action_year_save(user=region_coordinator, action=action, year=2030, budget=Decimal(1))


def test_realisation_is_corrected_not_duplicated(region_coordinator, plan):
    action = make_action(region_coordinator, plan)
    for pct in (Decimal(20), Decimal(25)):
        services.realisation_save(
            user=region_coordinator, action=action, year=2025, quarter=1, physical_pct=pct, financial=Decimal(5)
        )
    assert list(action.realisations.values_list("physical_pct", flat=True)) == [Decimal(25)]


def test_owner_opd_contributor_edits_their_action(region_coordinator, opd_contributor, plan, dinkes):
    action = make_action(region_coordinator, plan, agency=dinkes)
    services.action_update(user=opd_contributor, action=action, title="Posyandu ramah anak (revisi)")
    services.realisation_save(
        user=opd_contributor, action=action, year=2025, quarter=2, physical_pct=Decimal(50), financial=Decimal(10)
    )
    action.refresh_from_db()
    assert action.title == "Posyandu ramah anak (revisi)"


def test_opd_contributor_cannot_edit_another_agencys_action(region_coordinator, opd_contributor, plan, dp3a):
    action = make_action(region_coordinator, plan, agency=dp3a)
    with pytest.raises(PermissionDenied):
        services.action_update(user=opd_contributor, action=action, title="x")


def test_opd_contributor_cannot_hand_the_action_to_another_opd(region_coordinator, opd_contributor, plan, dinkes, dp3a):
    action = make_action(region_coordinator, plan, agency=dinkes)
    with pytest.raises(PermissionDenied):
        services.action_update(user=opd_contributor, action=action, agency=dp3a)


def test_action_refuses_an_agency_of_another_region(region_coordinator, plan):
    from layak.accounts.tests.factories import make_agency

    other = make_agency("63.71", "Dinas Kesehatan", "Dinkes")
    with pytest.raises(ValidationError, match="agency of"):
        make_action(region_coordinator, plan, agency=other)


def test_monitoring_report_once_per_quarter(region_coordinator, plan):
    services.report_create(user=region_coordinator, plan=plan, year=2025, quarter=1, summary="Berjalan baik")
    with pytest.raises(ValidationError, match="already a report"):
        services.report_create(user=region_coordinator, plan=plan, year=2025, quarter=1, summary="Lagi")
