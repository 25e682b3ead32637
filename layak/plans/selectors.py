"""Reads of the RAD KLA, scoped to the user: outside their regions a plan simply does not exist (404).

Every selector runs a fixed number of queries whatever the number of actions, years or realisations.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from layak.accounts.selectors import Viewer
from layak.protection.selectors import figure_counts
from layak.regions.models import Region
from layak.registers.access import can_read_register

from .choices import FigureGoal
from .models import Action, ActionPlan, ActionYear, MonitoringReport, Realisation, RegionBudget

CENTS = Decimal("0.01")


def plan_list_for_region(*, region: Region) -> QuerySet[ActionPlan]:
    """The region's RAD KLA plans, newest period first, with their action counts and framework."""
    return (
        ActionPlan.objects.filter(region=region)
        .select_related("framework", "document")
        .annotate(action_count=Count("actions"))
        .order_by("-start_year", "pk")
    )


def plan_get_for_user(*, user: Viewer, pk: int) -> ActionPlan:
    """One RAD with its region, framework and document; 404 outside the user's regions."""
    plan = ActionPlan.objects.select_related("region", "framework", "document").filter(pk=pk).first()
    if plan is None or not can_read_register(user, plan.region_id):
        raise Http404
    return plan


def plan_actions(*, plan: ActionPlan) -> QuerySet[Action]:
    """The plan's actions with owner OPD, indicators and yearly rows prefetched (three queries)."""
    return plan_actions_for_plans(plans=[plan])


def plan_actions_for_plans(*, plans: list[ActionPlan]) -> QuerySet[Action]:
    """The actions of several plans, prefetched as in `plan_actions`."""
    return (
        Action.objects.filter(plan__in=plans)
        .select_related("agency")
        .prefetch_related("indicators", Prefetch("years", queryset=ActionYear.objects.order_by("year")))
        .order_by("is_draft", "programme", "title", "pk")
    )


def action_get_for_user(*, user: Viewer, pk: int) -> Action:
    """One action with its plan, region and owner OPD; 404 outside the user's regions."""
    action = Action.objects.select_related("plan__region", "plan__framework", "agency").filter(pk=pk).first()
    if action is None or not can_read_register(user, action.plan.region_id):
        raise Http404
    return action


def action_realisations(*, action: Action) -> QuerySet[Realisation]:
    return Realisation.objects.filter(action=action).order_by("-year", "-quarter")


def report_list(*, plan: ActionPlan) -> QuerySet[MonitoringReport]:
    return MonitoringReport.objects.filter(plan=plan).select_related("document", "created_by")


def report_get_for_user(*, user: Viewer, pk: int) -> MonitoringReport:
    """One monitoring report with its plan; 404 outside the user's regions."""
    report = MonitoringReport.objects.select_related("plan__region", "document", "created_by").filter(pk=pk).first()
    if report is None or not can_read_register(user, report.plan.region_id):
        raise Http404
    return report


def report_realisations(*, report: MonitoringReport) -> QuerySet[Realisation]:
    """The realisation of every action of the plan in the report's quarter."""
    return (
        Realisation.objects.filter(action__plan_id=report.plan_id, year=report.year, quarter=report.quarter)
        .select_related("action__agency")
        .order_by("action__programme", "action__title")
    )


@dataclass(frozen=True)
class BudgetShare:
    """The share of a year's APBD for children's rights: child-rights budget of the RAD actions ÷ APBD total.

    `share_pct` is None when the APBD total of the year is not entered.
    """

    year: int
    child_budget: Decimal
    apbd_total: Decimal | None
    share_pct: Decimal | None


def _share(child_budget: Decimal, apbd_total: Decimal | None) -> Decimal | None:
    if not apbd_total:
        return None
    return (child_budget * 100 / apbd_total).quantize(CENTS, rounding=ROUND_HALF_UP)


def budget_shares(*, region: Region) -> list[BudgetShare]:
    """Per year (with a budget or an APBD total): the RAD's child-rights budget, the APBD and the share (2 queries).

    Draft actions are left out; they are suggestions until the coordinator confirms them.
    """
    sums = dict(
        ActionYear.objects.filter(action__plan__region=region, action__is_draft=False)
        .values_list("year")
        .annotate(total=Sum("budget"))
        .values_list("year", "total")
    )
    totals = dict(RegionBudget.objects.filter(region=region).values_list("year", "apbd_total"))
    years = sorted(set(sums) | set(totals), reverse=True)
    return [
        BudgetShare(y, sums.get(y) or Decimal(0), totals.get(y), _share(sums.get(y) or Decimal(0), totals.get(y)))
        for y in years
    ]


def budget_share(*, region: Region, year: int) -> BudgetShare:
    """The share of one year (2 queries)."""
    child = ActionYear.objects.filter(action__plan__region=region, action__is_draft=False, year=year).aggregate(
        total=Sum("budget")
    )["total"] or Decimal(0)
    apbd = RegionBudget.objects.filter(region=region, year=year).values_list("apbd_total", flat=True).first()
    return BudgetShare(year, child, apbd, _share(child, apbd))


@dataclass(frozen=True)
class FigureProgress:
    """One year's target on the figure an action targets, and what the recorded figures say."""

    year: int
    target: Decimal
    count: int | None  # None: no figures recorded for the year yet
    months: int
    status: str  # in words


def figure_progress(*, action: Action) -> list[FigureProgress]:
    """For an action that targets a child-protection figure, each year with a numeric target against the
    region's recorded count of that figure (exact: the action's page is for people of the region). One query
    for the years, one for the figures."""
    if not action.figure:
        return []
    rows = action.years.filter(target_value__isnull=False).order_by("year").values_list("year", "target_value")
    years = [(year, target) for year, target in rows if target is not None]
    counts = figure_counts(region=action.plan.region, figure=action.figure, years=[y for y, _t in years])
    out = []
    for year, target in years:
        found = counts.get(year)
        if found is None:
            out.append(FigureProgress(year, target, None, 0, _("No figures recorded for this year yet.")))
            continue
        if action.figure_goal == FigureGoal.AT_LEAST:
            status = _("Reached") if found.count >= target else _("Not reached yet")
        elif found.count > target:
            status = _("Above the target")
        else:
            status = _("Reached") if found.months >= 12 else _("Within the target so far")
        out.append(FigureProgress(year, target, found.count, found.months, status))
    return out
