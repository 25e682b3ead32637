"""From the what-if gap analysis to the RAD: the points a region lost per indicator, turned into draft actions.

The latest score snapshot of the region (reviews.ScoreSnapshot) says, per indicator, the points earned, the
maximum and the engine's reason per criterion. Each indicator with lost points (max - points) can become a
draft action of a RAD: planned, linked to the indicator, with the usual owner OPD suggested from the
indicator's `responsible_agencies` matched against the region's agencies, and a title naming what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from layak.accounts.models import Agency
from layak.audit.services import audit_record
from layak.frameworks.models import Indicator
from layak.regions.models import Region
from layak.registers.access import check_edit_register
from layak.reviews.models import ScoreSnapshot

from .choices import GROUP_RIGHTS, ActionStatus
from .models import Action, ActionPlan

REASONS = {
    "met": gettext_lazy("met"),
    "partial": gettext_lazy("partly met"),
    "below_threshold": gettext_lazy("below the threshold"),
    "missing": gettext_lazy("no answer"),
    "not_applicable": gettext_lazy("not applicable"),
}


@dataclass(frozen=True)
class LostCriterion:
    """One criterion of an indicator that did not earn its full share, with the engine's reason."""

    element: str
    label: str
    reason: str
    points: str
    max_points: str


@dataclass(frozen=True)
class Gap:
    """An indicator with lost points, the criteria behind them and the suggested owner OPD."""

    indicator: Indicator
    points: Decimal
    max_points: Decimal
    criteria: list[LostCriterion] = field(default_factory=list)
    agency: Agency | None = None

    @property
    def lost(self) -> Decimal:
        return self.max_points - self.points


def snapshot_latest(*, region: Region) -> ScoreSnapshot | None:
    """The region's newest score snapshot: the latest cycle first, then the most recently computed stage."""
    return (
        ScoreSnapshot.objects.filter(assessment__region=region)
        .select_related("assessment__cycle__framework")
        .order_by("-assessment__cycle__year", "-computed_at", "-pk")
        .first()
    )


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def _suggest_agency(indicator: Indicator, agencies: list[Agency]) -> Agency | None:
    """The first of the indicator's usual OPDs (e.g. "DP3A") that names one of the region's agencies."""
    for wanted in indicator.responsible_agencies or []:
        key = str(wanted).strip().lower()
        for agency in agencies:
            if key in (agency.short_name.lower(), agency.name.lower()):
                return agency
    return None


def _lost_criteria(raw: list, labels: dict[str, str]) -> list[LostCriterion]:
    lost = []
    for item in raw or []:
        if not isinstance(item, dict) or item.get("reason") == "met":
            continue
        element = str(item.get("element", ""))
        reason = str(item.get("reason", ""))
        lost.append(
            LostCriterion(
                element=element,
                label=labels.get(element, element),
                reason=str(REASONS.get(reason, reason)),
                points=str(item.get("points", "")),
                max_points=str(item.get("max_points", item.get("max", ""))),
            )
        )
    return lost


def gap_list(*, region: Region, snapshot: ScoreSnapshot | None) -> list[Gap]:
    """Indicators of the snapshot that lost points, most points lost first (3 queries whatever their number)."""
    if snapshot is None:
        return []
    scores = {code: row for code, row in (snapshot.indicators or {}).items() if isinstance(row, dict)}
    indicators = (
        Indicator.objects.filter(version_id=snapshot.assessment.cycle.framework_id, code__in=list(scores))
        .select_related("group")
        .prefetch_related("elements")
    )
    agencies = list(Agency.objects.filter(region=region))
    gaps = []
    for indicator in indicators:
        row = scores[indicator.code]
        points, max_points = _decimal(row.get("points")), _decimal(row.get("max"))
        if max_points - points <= 0:
            continue
        labels = {e.code: e.display_label for e in indicator.elements.all()}
        criteria = _lost_criteria(row.get("criteria"), labels)
        gaps.append(Gap(indicator, points, max_points, criteria, _suggest_agency(indicator, agencies)))
    return sorted(gaps, key=lambda g: (-g.lost, g.indicator.order))


def _draft_title(gap: Gap) -> str:
    missing = "; ".join(c.label for c in gap.criteria) or gap.indicator.display_name
    return (_("%(code)s: %(missing)s") % {"code": gap.indicator.code, "missing": missing})[:300]


@transaction.atomic
def actions_create_from_gaps(*, user, plan: ActionPlan, snapshot: ScoreSnapshot, codes: list[str]) -> list[Action]:
    """Turns the chosen indicators' lost points into draft actions of the plan, one per indicator.

    The drafts are planned, link the indicator, carry the suggested owner OPD and a title naming what is
    missing; the coordinator then edits and confirms them. One audit event names all of them.
    """
    check_edit_register(user, plan.region)
    if snapshot.assessment.region_id != plan.region_id:
        raise ValidationError(_("The score belongs to another region."))
    if snapshot.assessment.cycle.framework_id != plan.framework_id:
        raise ValidationError(
            _("The plan links indicators of %(framework)s; choose a plan of the same framework as the score.")
            % {"framework": plan.framework.name}
        )
    gaps = [g for g in gap_list(region=plan.region, snapshot=snapshot) if g.indicator.code in set(codes)]
    if not gaps:
        raise ValidationError(_("Choose at least one indicator with lost points."), code="empty")
    actions = [_draft_from_gap(plan, gap) for gap in gaps]
    audit_record(
        actor=user,
        verb="plan.drafts_created",
        target=plan,
        region_code=plan.region_id,
        summary=_("%(n)s draft actions from lost points") % {"n": len(actions)},
        after={"indicators": [g.indicator.code for g in gaps], "snapshot": snapshot.pk},
    )
    return actions


def _draft_from_gap(plan: ActionPlan, gap: Gap) -> Action:
    action = Action.objects.create(
        plan=plan,
        title=_draft_title(gap),
        rights_group=GROUP_RIGHTS.get(gap.indicator.group.code, ""),
        agency=gap.agency,
        status=ActionStatus.PLANNED,
        is_draft=True,
    )
    action.indicators.add(gap.indicator)
    return action
