"""Business actions on the RAD KLA: plans, actions, yearly targets and budgets, realisation, monev reports.

Each service checks the permission, validates, runs in one transaction and writes one audit event.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from layak.accounts.models import Agency, User
from layak.audit.services import audit_record
from layak.common import plausibility
from layak.evidence.models import Evidence
from layak.evidence.services import evidence_create_from_upload
from layak.frameworks.models import FrameworkVersion, Indicator
from layak.protection.selectors import figure_label
from layak.regions.models import Region
from layak.registers.access import check_edit_register

from .choices import ActionStatus, FigureGoal, PlanStatus
from .models import Action, ActionPlan, ActionYear, MonitoringReport, Realisation, RegionBudget
from .permissions import check_edit_action

PLAN_FIELDS = ("title", "start_year", "end_year", "legal_basis", "status", "integrated_in_rpjmd", "framework")
ACTION_FIELDS = ("title", "programme", "rights_group", "agency", "status", "figure", "figure_goal")


def _document(*, user: User, region: Region, upload: Any, title: str) -> Evidence | None:
    """Stores an attached file in the region's evidence library (the same bytes are stored once)."""
    if not upload:
        return None
    return evidence_create_from_upload(user=user, region=region, upload=upload, title=title)


def _check_period(start_year: int, end_year: int) -> None:
    if end_year < start_year:
        raise ValidationError(_("The last year must not be before the first year."), code="period")
    if end_year - start_year > 10:
        raise ValidationError(_("A RAD KLA covers at most ten years; check the years."), code="period")


def _check_year(plan: ActionPlan, year: int) -> None:
    if not plan.covers(year):
        raise ValidationError(
            _("%(year)s is outside the plan's period %(start)s-%(end)s.")
            % {"year": year, "start": plan.start_year, "end": plan.end_year},
            code="year",
        )


def _check_quarter(quarter: int) -> None:
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(_("The quarter is 1, 2, 3 or 4."), code="quarter")


def _audit(user: User, verb: str, target: Model, region_code: str, summary: str, **after: Any) -> None:
    audit_record(actor=user, verb=verb, target=target, region_code=region_code, summary=summary, after=after or None)


@transaction.atomic
def plan_create(
    *,
    user: User,
    region: Region,
    title: str,
    start_year: int,
    end_year: int,
    framework: FrameworkVersion,
    legal_basis: str = "",
    status: str = PlanStatus.DRAFT,
    integrated_in_rpjmd: bool = False,
    upload: Any = None,
    is_demo: bool = False,
) -> ActionPlan:
    """Records a RAD KLA of the kab/kota for a period, with its legal basis and optional document."""
    check_edit_register(user, region)
    _check_period(start_year, end_year)
    document = _document(user=user, region=region, upload=upload, title=title)
    plan = ActionPlan.objects.create(
        region=region,
        title=title.strip(),
        start_year=start_year,
        end_year=end_year,
        legal_basis=legal_basis.strip(),
        status=status,
        integrated_in_rpjmd=integrated_in_rpjmd,
        framework=framework,
        document=document,
        is_demo=is_demo,
    )
    _audit(user, "plan.created", plan, region.code, str(plan), status=status)
    return plan


@transaction.atomic
def plan_update(*, user: User, plan: ActionPlan, upload: Any = None, **fields: Any) -> ActionPlan:
    """Changes a RAD's title, period, legal basis, status, RPJMD integration or framework; a file replaces the
    document."""
    check_edit_register(user, plan.region)
    before = {name: str(getattr(plan, name)) for name in fields if name in PLAN_FIELDS}
    for name in PLAN_FIELDS:
        if name in fields:
            setattr(plan, name, fields[name])
    _check_period(plan.start_year, plan.end_year)
    if Indicator.objects.filter(plan_actions__plan=plan).exclude(version_id=plan.framework_id).exists():
        raise ValidationError(_("Actions link to indicators of another framework; unlink them first."))
    plan.document = _document(user=user, region=plan.region, upload=upload, title=plan.title) or plan.document
    plan.save()
    audit_record(
        actor=user,
        verb="plan.updated",
        target=plan,
        region_code=plan.region_id,
        summary=str(plan),
        before=before,
        after={name: str(getattr(plan, name)) for name in before},
    )
    return plan


def _check_figure(figure: str, goal: str) -> None:
    if figure and not figure_label(figure):
        raise ValidationError({"figure": _("Choose one of the child-protection figures.")})
    if figure and goal not in FigureGoal.values:
        raise ValidationError({"figure_goal": _("Say whether the figure should be at most or at least the target.")})


def _check_action_links(plan: ActionPlan, agency: Agency | None, indicators: Iterable[Indicator]) -> None:
    if agency is not None and agency.region_id != plan.region_id:
        raise ValidationError(_("The owner OPD must be an agency of %(region)s.") % {"region": plan.region})
    if any(i.version_id != plan.framework_id for i in indicators):
        raise ValidationError(
            _("Link indicators of the plan's framework (%(framework)s) only.") % {"framework": plan.framework.name}
        )


@transaction.atomic
def action_create(
    *,
    user: User,
    plan: ActionPlan,
    title: str,
    programme: str = "",
    rights_group: str = "",
    agency: Agency | None = None,
    status: str = ActionStatus.PLANNED,
    indicators: Iterable[Indicator] = (),
    is_draft: bool = False,
    figure: str = "",
    figure_goal: str = "",
) -> Action:
    """Adds a programme/activity to the RAD, linked to indicators, a KHA rights group and an owner OPD, and
    optionally to a child-protection figure its yearly targets are about."""
    check_edit_register(user, plan.region)
    indicators = list(indicators)
    _check_action_links(plan, agency, indicators)
    _check_figure(figure, figure_goal if figure else "")
    action = Action.objects.create(
        plan=plan,
        title=title.strip(),
        programme=programme.strip(),
        rights_group=rights_group,
        agency=agency,
        status=status,
        is_draft=is_draft,
        figure=figure,
        figure_goal=figure_goal if figure else "",
    )
    action.indicators.set(indicators)
    _audit(user, "plan.action_created", action, plan.region_id, action.title, draft=is_draft)
    return action


@transaction.atomic
def action_update(
    *,
    user: User,
    action: Action,
    indicators: Iterable[Indicator] | None = None,
    is_draft: bool | None = None,
    **fields: Any,
) -> Action:
    """Changes an action; the owner OPD's contributors may edit it but only the coordinator may hand it to
    another OPD or confirm a draft."""
    check_edit_action(user, action)
    plan = action.plan
    if ("agency" in fields and fields["agency"] != action.agency) or (
        is_draft is not None and is_draft != action.is_draft
    ):
        check_edit_register(user, plan.region)
    indicators = list(action.indicators.all()) if indicators is None else list(indicators)
    _check_action_links(plan, fields.get("agency", action.agency), indicators)
    if not fields.get("figure", action.figure):
        fields["figure_goal"] = ""
    _check_figure(fields.get("figure", action.figure), fields.get("figure_goal", action.figure_goal))
    for name in ACTION_FIELDS:
        if name in fields:
            setattr(action, name, fields[name])
    if is_draft is not None:
        action.is_draft = is_draft
    action.save()
    action.indicators.set(indicators)
    _audit(user, "plan.action_updated", action, plan.region_id, action.title, draft=action.is_draft)
    return action


@transaction.atomic
def action_year_save(
    *, user: User, action: Action, year: int, target: str = "", target_value: Decimal | None = None, budget: Decimal
) -> ActionYear:
    """Sets an action's target and child-rights budget (anggaran responsif anak) for a year of the plan."""
    check_edit_action(user, action)
    _check_year(action.plan, year)
    if budget < 0:
        raise ValidationError(_("The budget cannot be negative."), code="budget")
    row, _created = ActionYear.objects.update_or_create(
        action=action, year=year, defaults={"target": target.strip(), "target_value": target_value, "budget": budget}
    )
    _audit(user, "plan.year_saved", action, action.plan.region_id, action.title, year=year, budget=str(budget))
    return row


@transaction.atomic
def realisation_save(
    *, user: User, action: Action, year: int, quarter: int, physical_pct: Decimal, financial: Decimal, note: str = ""
) -> Realisation:
    """Records (or corrects) what an action achieved in a quarter: physical % and Rupiah spent."""
    check_edit_action(user, action)
    _check_year(action.plan, year)
    _check_quarter(quarter)
    if not Decimal(0) <= physical_pct <= Decimal(100):
        raise ValidationError(_("Physical realisation is a percentage between 0 and 100."), code="physical")
    if financial < 0:
        raise ValidationError(_("Financial realisation cannot be negative."), code="financial")
    _check_within_budget(action, year, quarter, financial)
    row, _created = Realisation.objects.update_or_create(
        action=action,
        year=year,
        quarter=quarter,
        defaults={"physical_pct": physical_pct, "financial": financial, "note": note.strip()},
    )
    summary = f"{action.title} {year} Q{quarter}"
    _audit(user, "plan.realisation_saved", action, action.plan.region_id, summary, physical_pct=str(physical_pct))
    return row


def _check_within_budget(action: Action, year: int, quarter: int, financial: Decimal) -> None:
    """The year's realisation (the other quarters plus this one) may not exceed the year's budget."""
    budget = ActionYear.objects.filter(action=action, year=year).values_list("budget", flat=True).first()
    if budget is None:
        return
    others = Realisation.objects.filter(action=action, year=year).exclude(quarter=quarter)
    spent = sum(others.values_list("financial", flat=True), Decimal(0)) + financial
    plausibility.check(plausibility.within_budget(spent, budget, "financial"))


@transaction.atomic
def report_create(
    *, user: User, plan: ActionPlan, year: int, quarter: int, summary: str, issues: str = "", upload: Any = None
) -> MonitoringReport:
    """Writes the quarterly monitoring (monev) report of a RAD, with an optional signed file."""
    check_edit_register(user, plan.region)
    _check_year(plan, year)
    _check_quarter(quarter)
    if MonitoringReport.objects.filter(plan=plan, year=year, quarter=quarter).exists():
        raise ValidationError(_("There is already a report for %(year)s Q%(q)s.") % {"year": year, "q": quarter})
    if not summary.strip():
        raise ValidationError(_("Write a summary of the quarter."), code="summary")
    title = _("Monitoring report %(year)s Q%(q)s") % {"year": year, "q": quarter}
    report = MonitoringReport.objects.create(
        plan=plan,
        year=year,
        quarter=quarter,
        summary=summary.strip(),
        issues=issues.strip(),
        document=_document(user=user, region=plan.region, upload=upload, title=title),
        created_by=user,
    )
    _audit(user, "plan.report_created", report, plan.region_id, title)
    return report


@transaction.atomic
def region_budget_save(*, user: User, region: Region, year: int, apbd_total: Decimal) -> RegionBudget:
    """Sets the kab/kota's total APBD for a year, the denominator of the child-rights budget share."""
    check_edit_register(user, region)
    if apbd_total <= 0:
        raise ValidationError(_("Enter the APBD total in Rupiah, more than 0."), code="apbd")
    budget, _created = RegionBudget.objects.update_or_create(
        region=region, year=year, defaults={"apbd_total": apbd_total}
    )
    _audit(user, "plan.apbd_saved", budget, region.code, f"APBD {year}", apbd_total=str(apbd_total))
    return budget
