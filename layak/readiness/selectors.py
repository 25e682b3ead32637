"""Readiness as people read it: per item ready / at risk / missing with the points at risk, per indicator, group
and assessment a likely verified score beside the self-score and its predicate, and the fixes that recover the
most points first.

Likely verified score: the self-score less, per item, the largest points at risk among its counting flags (a flag
counts unless a verifier marked it wrong or its check is off), never below zero per indicator. Predicates come
from the framework's bands through the scoring engine. A fixed number of queries, whatever the size of the
assessment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from layak.accounts.selectors import Viewer
from layak.evaluations.models import AnswerEvidence, Assessment
from layak.evaluations.permissions import contributor_agency_ids, is_assigned_contributor
from layak.evaluations.scoring_input import assessment_inputs, rules_load, score_answers
from layak.evaluations.selectors import assessment_assignments, assessment_missing
from layak.frameworks.models import Indicator
from layak.scoring.engine import Band, predicate_for

from . import permissions
from .checks import CHECKS, Finding, describe
from .models import CheckSetting, Flag, WrongMark

READY = "ready"
AT_RISK = "at_risk"
MISSING = "missing"
ZERO = Decimal(0)


@dataclass(frozen=True)
class FlagRow:
    flag: Flag
    title: str
    explanation: str
    fix: str
    counts: bool


@dataclass
class ItemRow:
    code: str
    label: str
    status: str
    at_risk: Decimal = ZERO
    flags: list[FlagRow] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass
class IndicatorReadiness:
    indicator: Indicator
    self_score: Decimal
    likely: Decimal
    items: list[ItemRow]

    @property
    def at_risk(self) -> Decimal:
        return self.self_score - self.likely

    @property
    def status(self) -> str:
        statuses = {item.status for item in self.items}
        return AT_RISK if AT_RISK in statuses else MISSING if MISSING in statuses else READY


@dataclass(frozen=True)
class GroupReadiness:
    code: str
    name: str
    self_score: Decimal
    likely: Decimal
    max_points: Decimal


@dataclass(frozen=True)
class Fix:
    indicator: Indicator
    item: ItemRow
    recovered: Decimal


@dataclass
class Readiness:
    assessment: Assessment
    self_total: Decimal
    likely_total: Decimal
    self_band: Band | None
    likely_band: Band | None
    groups: list[GroupReadiness]
    indicators: list[IndicatorReadiness]
    fixes: list[Fix]
    sees_all: bool

    @property
    def at_risk(self) -> Decimal:
        return self.self_total - self.likely_total

    @property
    def flagged(self) -> list[IndicatorReadiness]:
        """Indicators with an item at risk or ready (checked), in framework order."""
        return [row for row in self.indicators if row.status != MISSING and row.items]

    @property
    def only_missing(self) -> list[IndicatorReadiness]:
        """Indicators whose items are only missing data or evidence."""
        return [row for row in self.indicators if row.status == MISSING]

    @property
    def counts(self) -> dict[str, int]:
        found = {READY: 0, AT_RISK: 0, MISSING: 0}
        for row in self.indicators:
            for item in row.items:
                found[item.status] += 1
        return found


def _flag_row(flag: Flag, enabled: set[str]) -> FlagRow:
    finding = Finding(flag.check_code, "", flag.evidence_id, flag.params)
    explanation, fix = describe(finding)
    counts = flag.check_code in enabled and not flag.is_marked_wrong
    return FlagRow(flag, str(CHECKS[flag.check_code].title), explanation, fix, counts)


def enabled_checks() -> set[str]:
    off = set(CheckSetting.objects.filter(enabled=False).values_list("check_code", flat=True))
    return set(CHECKS) - off


def visible_indicator_ids(user: Viewer, assessment: Assessment) -> set[int] | None:
    """None when the user sees every indicator; else the ids assigned to the user's agency (an OPD)."""
    if permissions.sees_every_flag(user, assessment):
        return None
    if not contributor_agency_ids(user, assessment.region_id):
        return set()
    return {
        indicator_id
        for indicator_id, assignment in assessment_assignments(assessment).items()
        if is_assigned_contributor(user, assessment, assignment)
    }


def readiness_for_assessment(*, user: Viewer, assessment: Assessment) -> Readiness:
    """The assessment's readiness as the user may see it (the caller has scoped the assessment already)."""
    framework = assessment.cycle.framework
    rules = rules_load(framework)
    score = score_answers(rules, assessment_inputs(assessment, rules.indicators))
    self_points = {result.code: result.points for result in score.indicators}
    visible = visible_indicator_ids(user, assessment)
    enabled = enabled_checks()
    flags = list(
        Flag.objects.filter(assessment=assessment)
        .select_related("evidence")
        .order_by("indicator_id", "item_code", "pk")
    )
    by_item: dict[tuple[int, str], list[FlagRow]] = {}
    for flag in flags:
        by_item.setdefault((flag.indicator_id, flag.item_code), []).append(_flag_row(flag, enabled))
    linked = set(AnswerEvidence.objects.filter(assessment=assessment).values_list("indicator_id", "element_code"))
    missing: dict[tuple[str, str], list[str]] = {}
    for gap in assessment_missing(assessment):
        missing.setdefault((gap.indicator_code, gap.element_code), []).append(gap.message)
    rows: list[IndicatorReadiness] = []
    fixes: list[Fix] = []
    likely_by_code: dict[str, Decimal] = {}
    for indicator in rules.indicators:
        own = self_points.get(indicator.code, ZERO)
        items: list[ItemRow] = []
        risk = ZERO
        for element in indicator.elements.all():
            flag_rows = by_item.get((indicator.pk, element.code), [])
            gaps = missing.get((indicator.code, element.code), [])
            if not flag_rows and not gaps and (indicator.pk, element.code) not in linked:
                continue
            counting = [row for row in flag_rows if row.counts]
            at_risk = max((row.flag.points_at_risk for row in counting), default=ZERO)
            status = MISSING if gaps else AT_RISK if counting else READY
            item = ItemRow(element.code, element.display_label, status, at_risk, flag_rows, gaps)
            items.append(item)
            risk += at_risk
        whole_flags = by_item.get((indicator.pk, ""), [])
        if whole_flags:
            status = AT_RISK if any(row.counts for row in whole_flags) else READY
            items.append(ItemRow("", str(_("The indicator as a whole")), status, ZERO, whole_flags))
        likely = max(ZERO, own - risk)
        likely_by_code[indicator.code] = likely
        if visible is not None and indicator.pk not in visible:
            continue
        row = IndicatorReadiness(indicator, own, likely, items)
        rows.append(row)
        fixes += [Fix(indicator, item, item.at_risk) for item in items if item.at_risk > ZERO]
    groups = []
    for group_code, (points, max_points) in score.groups.items():
        likely = sum((likely_by_code.get(r.code, ZERO) for r in rules.rules if r.group_code == group_code), ZERO)
        name = next((i.group.display_name for i in rules.indicators if i.group.code == group_code), group_code)
        groups.append(GroupReadiness(group_code, name, points, likely, max_points))
    likely_total = sum(likely_by_code.values(), ZERO)
    fixes.sort(key=lambda fix: (-fix.recovered, fix.indicator.order, fix.item.code))
    return Readiness(
        assessment=assessment,
        self_total=score.total,
        likely_total=likely_total,
        self_band=score.band,
        likely_band=predicate_for(likely_total, rules.bands),
        groups=groups,
        indicators=rows,
        fixes=fixes,
        sees_all=visible is None,
    )


def points_at_risk(assessment: Assessment) -> Decimal:
    """The points at risk of the whole assessment from its stored flags (one query): per item the largest of its
    counting flags, summed."""
    rows = (
        Flag.objects.filter(assessment=assessment, marked_wrong_at__isnull=True)
        .exclude(check_code__in=CheckSetting.objects.filter(enabled=False).values("check_code"))
        .values_list("indicator_id", "item_code", "points_at_risk")
    )
    per_item: dict[tuple[int, str], Decimal] = {}
    for indicator_id, item_code, points in rows:
        per_item[(indicator_id, item_code)] = max(per_item.get((indicator_id, item_code), ZERO), points)
    return sum(per_item.values(), ZERO)


def flags_for_indicator(*, user: Viewer, assessment: Assessment, indicator: Indicator) -> list[FlagRow]:
    """The flags of one indicator, for the answer page and the verifier's indicator page."""
    visible = visible_indicator_ids(user, assessment)
    if visible is not None and indicator.pk not in visible:
        return []
    enabled = enabled_checks()
    flags = Flag.objects.filter(assessment=assessment, indicator=indicator).select_related("evidence")
    return [_flag_row(flag, enabled) for flag in flags]


@dataclass(frozen=True)
class CheckStats:
    code: str
    title: str
    enabled: bool
    flags: int
    marked_wrong: int

    @property
    def wrong_share(self) -> Decimal | None:
        total = self.flags + self.marked_wrong
        if not self.marked_wrong or not total:
            return None
        return (Decimal(self.marked_wrong) / Decimal(total) * 100).quantize(Decimal(1))


def check_stats() -> list[CheckStats]:
    """Per check: on or off, flags standing (not marked wrong) and marks "wrong" counted (three queries)."""
    enabled = enabled_checks()
    standing = dict(
        Flag.objects.filter(marked_wrong_at__isnull=True)
        .values_list("check_code")
        .annotate(n=Count("pk"))
        .values_list("check_code", "n")
    )
    wrong = dict(WrongMark.objects.values_list("check_code").annotate(n=Count("pk")).values_list("check_code", "n"))
    return [
        CheckStats(
            code,
            str(check.title),
            code in enabled,
            standing.get(code, 0),
            wrong.get(code, 0),
        )
        for code, check in CHECKS.items()
    ]
