"""Reads of cycles, assessments and answers, scoped to the user and bounded in queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Max, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from layak.accounts.selectors import Viewer, user_region_filter
from layak.evidence.models import Evidence
from layak.frameworks.choices import ElementType
from layak.frameworks.models import DataElement, Indicator, IndicatorGroup
from layak.frameworks.selectors import framework_indicators
from layak.scoring.engine import FrameworkScore, IndicatorScore

from . import permissions
from .choices import AssessmentStatus, Stage
from .models import Answer, AnswerDraft, AnswerEvidence, Assessment, Cycle, CycleExtension, IndicatorAssignment
from .prefill import ComputedValue, computed_values
from .scoring_input import Inputs, evidence_attached, rules_load, score_answers, supported_element
from .validation import values_missing

# --- Windows -------------------------------------------------------------------------------------------------


def stage_closes_at(cycle: Cycle, stage: str, region_code: str) -> datetime:
    """When the stage closes for this region: the cycle's closing time or the latest extension, whichever is later."""
    extended: datetime | None = CycleExtension.objects.filter(
        cycle=cycle, region_id=region_code, stage=stage
    ).aggregate(until=Max("extended_until"))["until"]
    end: datetime = cycle.window(stage)[1]
    return max(end, extended) if extended else end


def stage_is_open(cycle: Cycle, stage: str, region_code: str, now: datetime | None = None) -> bool:
    """True while the stage's window (with this region's extensions) is open at `now`."""
    now = now or timezone.now()
    start, end = cycle.window(stage)
    if now < start:
        return False
    return now <= end or now <= stage_closes_at(cycle, stage, region_code)


# --- Cycles --------------------------------------------------------------------------------------------------


def cycle_list_for_user(user: Viewer) -> QuerySet[Cycle]:
    """Every cycle (cycles are national); what a user sees inside one is scoped by region."""
    return Cycle.objects.select_related("framework").order_by("-year", "name")


def cycle_get_for_user(user: Viewer, pk: int) -> Cycle:
    return get_object_or_404(Cycle.objects.select_related("framework"), pk=pk)


@dataclass
class CycleTable:
    """A cycle's assessments the user may see, grouped by province, with counts per status."""

    provinces: list[tuple[str, list[Assessment]]]
    status_counts: list[tuple[str, str, int]]  # (status, label, count)
    total: int


def cycle_assessment_table(cycle: Cycle, user: Viewer) -> CycleTable:
    """The assessments of a cycle in the user's regions, grouped by province (two queries)."""
    rows = list(
        Assessment.objects.filter(user_region_filter(user, "region__code"), cycle=cycle)
        .select_related("region__parent")
        .order_by("region_id")
    )
    provinces: dict[str, list[Assessment]] = {}
    for row in rows:
        provinces.setdefault(row.region.parent.name if row.region.parent else "", []).append(row)
    counts = Counter(row.status for row in rows)
    statuses = [
        (status.value, str(status.label), counts[status.value]) for status in AssessmentStatus if counts[status.value]
    ]
    return CycleTable(list(provinces.items()), statuses, len(rows))


# --- Assessments ---------------------------------------------------------------------------------------------


def assessment_list_for_user(user: Viewer) -> QuerySet[Assessment]:
    """Assessments in the user's regions, newest cycle first."""
    return (
        Assessment.objects.filter(user_region_filter(user, "region__code"))
        .select_related("cycle", "region")
        .order_by("-cycle__year", "cycle__name", "region_id")
    )


def assessment_get_for_user(user: Viewer, pk: int) -> Assessment:
    """One assessment in the user's regions; 404 outside them (never reveal that it exists)."""
    return get_object_or_404(
        Assessment.objects.filter(user_region_filter(user, "region__code")).select_related(
            "cycle__framework", "region__parent"
        ),
        pk=pk,
    )


def assessment_assignments(assessment: Assessment) -> dict[int, IndicatorAssignment]:
    """The assessment's assignments by indicator id, with agency and named contributors (two queries)."""
    rows = (
        IndicatorAssignment.objects.filter(assessment=assessment)
        .select_related("agency")
        .prefetch_related("contributors")
    )
    return {row.indicator_id: row for row in rows}


@dataclass
class AnswerContext:
    """Everything the indicator form needs: the indicator, its elements, the saved answer and the user's draft."""

    assessment: Assessment
    indicator: Indicator
    elements: list[DataElement]
    answer: Answer | None
    draft: AnswerDraft | None
    assignment: IndicatorAssignment | None
    can_edit: bool

    @property
    def revision(self) -> int:
        return self.answer.revision if self.answer else 0

    @property
    def draft_is_newer(self) -> bool:
        return self.draft is not None and (self.answer is None or self.draft.saved_at > self.answer.updated_at)


def answer_context_for_user(user: Viewer, assessment: Assessment, indicator_code: str) -> AnswerContext:
    """The indicator of this assessment's framework with its answer; 404 if the user may not see it."""
    indicator = get_object_or_404(
        Indicator.objects.select_related("group"), version_id=assessment.cycle.framework_id, code=indicator_code
    )
    assignment = assessment_assignments(assessment).get(indicator.pk)
    if not permissions.can_see_indicator(user, assessment, assignment):
        raise Http404(_("This indicator is not assigned to you."))
    answer = Answer.objects.filter(assessment=assessment, indicator=indicator).select_related("updated_by").first()
    draft = AnswerDraft.objects.filter(assessment=assessment, indicator=indicator, user_id=user.pk or 0).first()
    return AnswerContext(
        assessment=assessment,
        indicator=indicator,
        elements=list(indicator.elements.order_by("order", "pk")),
        answer=answer,
        draft=draft,
        assignment=assignment,
        can_edit=permissions.can_edit_indicator(user, assessment, assignment),
    )


@dataclass(frozen=True)
class MissingItem:
    """Something the coordinator must still provide before submitting: data or evidence of one element."""

    indicator_code: str
    element_code: str
    message: str


def assessment_missing(assessment: Assessment) -> list[MissingItem]:
    """Required data still empty and document elements without evidence, in framework order."""
    indicators = framework_indicators(assessment.cycle.framework)
    answers = dict(Answer.objects.filter(assessment=assessment).values_list("indicator_id", "values"))
    evidence = evidence_attached(assessment, indicators)
    return [
        MissingItem(
            indicator.code,
            element.code,
            _("Indicator %(indicator)s, “%(element)s”: %(action)s.")
            % {"indicator": indicator.code, "element": element.display_label, "action": action},
        )
        for indicator in indicators
        for element, action in values_missing(
            indicator.elements.all(), answers.get(indicator.pk, {}), evidence.get(indicator.pk, set())
        )
    ]


# --- Overview ------------------------------------------------------------------------------------------------


@dataclass
class IndicatorRow:
    indicator: Indicator
    answer: Answer | None
    assignment: IndicatorAssignment | None
    missing: int
    score: IndicatorScore
    can_edit: bool

    @property
    def state(self) -> str:
        if self.answer is None:
            return "empty"
        return "incomplete" if self.missing else "complete"


@dataclass
class Progress:
    """Answered indicators out of a total, for a cluster or an OPD."""

    label: str
    answered: int = 0
    total: int = 0
    points: Decimal = Decimal(0)
    max_points: Decimal = Decimal(0)
    rows: list[IndicatorRow] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    def add(self, row: IndicatorRow) -> None:
        self.rows.append(row)
        self.total += 1
        self.answered += row.answer is not None
        self.points += row.score.points
        self.max_points += row.score.max_points


@dataclass
class AssessmentOverview:
    """The coordinator's (or contributor's) view of one assessment: progress, assignments and self-score.

    `score` is the live self-score from the scoring engine over the whole framework; it is None for someone
    who only sees their own OPD's indicators.
    """

    assessment: Assessment
    clusters: list[Progress]
    agencies: list[Progress]
    score: FrameworkScore | None
    is_coordinator: bool
    window_open: bool
    closes_at: datetime
    weights_provisional: bool

    @property
    def answered(self) -> int:
        return sum(c.answered for c in self.clusters)

    @property
    def total(self) -> int:
        return sum(c.total for c in self.clusters)


def assessment_overview(assessment: Assessment, user: Viewer) -> AssessmentOverview:
    """Progress per cluster and per OPD and the live self-score, in a fixed number of queries."""
    framework = assessment.cycle.framework
    rules = rules_load(framework)
    indicators = rules.indicators
    answers = {a.indicator_id: a for a in Answer.objects.filter(assessment=assessment)}
    assignments = assessment_assignments(assessment)
    evidence = evidence_attached(assessment, indicators)
    score = score_answers(rules, Inputs({pk: a.values for pk, a in answers.items()}, evidence))
    scores = {s.code: s for s in score.indicators}
    groups = {g.pk: Progress(f"{g.code}. {g.display_name}") for g in IndicatorGroup.objects.filter(version=framework)}
    agencies: dict[str, Progress] = {}
    for indicator in indicators:
        assignment = assignments.get(indicator.pk)
        if not permissions.can_see_indicator(user, assessment, assignment):
            continue
        answer = answers.get(indicator.pk)
        missing = values_missing(
            indicator.elements.all(), answer.values if answer else {}, evidence.get(indicator.pk, set())
        )
        row = IndicatorRow(
            indicator,
            answer,
            assignment,
            len(missing),
            scores[indicator.code],
            permissions.can_edit_indicator(user, assessment, assignment),
        )
        groups[indicator.group_id].add(row)
        agency = str(assignment.agency) if assignment else _("Not assigned yet")
        agencies.setdefault(agency, Progress(agency)).add(row)
    closes_at = stage_closes_at(assessment.cycle, Stage.SELF_ASSESSMENT, assessment.region_id)
    start = assessment.cycle.self_assessment_start
    return AssessmentOverview(
        assessment=assessment,
        clusters=[g for g in groups.values() if g.total],
        agencies=sorted(agencies.values(), key=lambda p: p.label),
        score=score if permissions.sees_all_indicators(user, assessment) else None,
        is_coordinator=permissions.is_region_coordinator(user, assessment),
        window_open=start <= timezone.now() <= closes_at,
        closes_at=closes_at,
        weights_provisional=framework.weights_provisional,
    )


# --- Evidence of an indicator --------------------------------------------------------------------------------

LIBRARY_CHOICES = 300


@dataclass
class EvidencePanel:
    """The evidence part of an indicator form: what is linked, and what could be linked from where.

    `library` is the region's evidence not yet linked to the indicator (newest first, at most LIBRARY_CHOICES);
    `carry_forward` is what supported the same indicator code in the region's previous cycle and has not been
    carried into this one yet.
    """

    links: list[AnswerEvidence]
    library: list[Evidence]
    carry_forward: list[AnswerEvidence]
    supported: Counter[str]  # element code -> evidence items supporting it


def answer_evidence_links(assessment: Assessment, indicator: Indicator) -> list[AnswerEvidence]:
    """The evidence linked to one indicator, with file facts (one query)."""
    return list(
        AnswerEvidence.objects.filter(assessment=assessment, indicator=indicator).select_related(
            "evidence__current_file"
        )
    )


def _previous_links(assessment: Assessment, indicator: Indicator) -> list[AnswerEvidence]:
    previous = (
        Assessment.objects.filter(
            region_id=assessment.region_id, cycle__self_assessment_start__lt=assessment.cycle.self_assessment_start
        )
        .order_by("-cycle__self_assessment_start", "-pk")
        .values("pk")[:1]
    )
    return list(
        AnswerEvidence.objects.filter(assessment=Subquery(previous), indicator__code=indicator.code)
        .select_related("evidence__current_file")
        .order_by("pk")
    )


def answer_evidence_panel(ctx: AnswerContext) -> EvidencePanel:
    """Linked evidence, the library to pick from and carry-forward candidates for one indicator (three queries)."""
    links = answer_evidence_links(ctx.assessment, ctx.indicator)
    linked = {link.evidence_id for link in links}
    carried = {link.evidence.carried_from_id for link in links if link.evidence.carried_from_id}
    library = list(
        Evidence.objects.filter(region_id=ctx.assessment.region_id)
        .exclude(pk__in=linked)
        .select_related("current_file")
        .order_by("-created_at", "-pk")[:LIBRARY_CHOICES]
    )
    candidates = [
        link for link in _previous_links(ctx.assessment, ctx.indicator) if link.evidence_id not in linked | carried
    ]
    documents = [e.code for e in ctx.elements if e.type == ElementType.DOCUMENT]
    labels = {e.code: e.display_label for e in ctx.elements}
    supported = Counter(supported_element(documents, link.element_code) for link in links)
    for link in [*links, *candidates]:
        setattr(link, "element_label", labels.get(link.element_code, ""))  # noqa: B010 (shown by the form)
    return EvidencePanel(links=links, library=library, carry_forward=candidates, supported=supported)


def answer_prefill(ctx: AnswerContext) -> dict[str, ComputedValue]:
    """Register values offered for the indicator's elements, by element code (no query when none has a key)."""
    keys = {e.code: getattr(e, "computed_key", "") for e in ctx.elements}
    if not any(keys.values()):
        return {}
    computed = computed_values(ctx.assessment.region, ctx.assessment.cycle.year)
    return {code: computed[key] for code, key in keys.items() if key and key in computed}
