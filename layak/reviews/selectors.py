"""Reads of reviews, scoped to the user and bounded in queries: the review page, one indicator, scores side by
side, explanation and what-if, the timeline, the reviewer's queue and a cycle's review table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from layak.accounts.selectors import Viewer, user_grants, user_is_national_admin, user_region_filter
from layak.audit.models import AuditEvent
from layak.evaluations.forms import display_value
from layak.evaluations.models import (
    Answer,
    AnswerEvidence,
    Assessment,
    Cycle,
    IndicatorAssignment,
    QuestionAnswer,
    QuestionAssignment,
    QuestionEvidence,
)
from layak.evaluations.permissions import can_edit_indicator
from layak.evaluations.question_services import can_edit_question
from layak.evaluations.scoring_input import FrameworkRules, document_elements, rules_load
from layak.evaluations.selectors import assessment_get_for_user
from layak.evidence.models import Evidence, EvidenceVersion
from layak.frameworks.models import Indicator, Question
from layak.frameworks.selectors import framework_question_by_id
from layak.scoring import explain as explaining
from layak.scoring import whatif

from . import grading, permissions, workflow
from .choices import REVIEW_STAGES, ReviewAction, ReviewState, ScoreStage
from .models import (
    ConflictDeclaration,
    EvidencePin,
    FinalResult,
    IndicatorReview,
    QuestionGrade,
    ReviewerAssignment,
    ReviewProcess,
    RevisionRequest,
    ScoreSnapshot,
)
from .scores import StageScore, assessment_stage_score
from .windows import window_refusal

STAGE_ORDER = [s.value for s in ScoreStage]
BIG_DROP = Decimal("-0.10")  # a stage lowering a score by more than 10% of its maximum is highlighted


def review_assessment_with_duties(user: Viewer, pk: int) -> tuple[Assessment, ReviewProcess | None]:
    """As `review_assessment_get_for_user`, in one query: the assessment with its cycle, framework, region, review
    and final result, and the user's review duties on it (stages assigned, a declared conflict) kept for the
    permission checks of this request. For the question page's POST (the pages that read use
    `stamps.assessment_facts`)."""
    rows = Assessment.objects.filter(user_region_filter(user, "region__code")).select_related(
        "cycle__framework", "region__parent", "review", "final_result"
    )
    if user.is_authenticated:
        rows = rows.annotate(**permissions.duty_annotations(user))
    assessment = get_object_or_404(rows, pk=pk)
    if user.is_authenticated:
        permissions.remember_duties(user, assessment)
    try:
        process: ReviewProcess | None = assessment.review
    except ReviewProcess.DoesNotExist:
        process = None
    return assessment, process


def final_result_of(assessment: Assessment) -> FinalResult | None:
    """The assessment's final result, read with it when it was selected (`review_assessment_with_duties`)."""
    try:
        return assessment.final_result
    except FinalResult.DoesNotExist:
        return None


def review_assessment_get_for_user(user: Viewer, pk: int) -> tuple[Assessment, ReviewProcess | None]:
    """The assessment (404 outside the user's regions) and its review; None until it is submitted (submission
    starts the review). A read: it never starts a review or writes anything."""
    assessment = assessment_get_for_user(user, pk)
    return assessment, ReviewProcess.objects.filter(assessment=assessment).first()


# --- Review page ---------------------------------------------------------------------------------------------


@dataclass
class IndicatorLine:
    """One indicator on the review page: rubric points, the previous stage's verified points (what this stage
    started from), this stage's score and whether it was sent back."""

    indicator: Indicator
    computed: Decimal
    previous: Decimal
    points: Decimal
    review: IndicatorReview | None
    returned: bool


@dataclass
class ReviewPage:
    """Everything the review page shows to this user, with the buttons the workflow table allows them."""

    assessment: Assessment
    process: ReviewProcess | None
    actions: list[workflow.Transition]
    refusal: str | None
    stage: str | None
    can_score: bool
    sees_verified: bool
    lines: list[IndicatorLine]
    stage_total: Decimal | None
    revisions: list[RevisionRequest]
    open_revision: RevisionRequest | None
    assignments: list[ReviewerAssignment]
    is_admin: bool
    is_region: bool
    final: FinalResult | None
    bands: dict[str, str]
    window: str | None = None  # why the stage's actions are closed now (its window), or None
    questions: list[QuestionLine] = field(default_factory=list)  # a question-level instrument's questions


def _allowed_actions(user: Viewer, assessment: Assessment, process: ReviewProcess | None) -> list[workflow.Transition]:
    if process is None:
        return []
    return [t for t in workflow.transitions_from(process.state) if permissions.refusal(user, assessment, t) is None]


def review_page(assessment: Assessment, process: ReviewProcess | None, user: Viewer) -> ReviewPage:
    """The review page of an assessment in a fixed number of queries (does not grow with indicators)."""
    sees = permissions.sees_verified_scores(user, assessment, process)
    stage = workflow.STATE_STAGE.get(process.state) if process else None
    revisions = list(
        RevisionRequest.objects.filter(assessment=assessment)
        .select_related("requested_by", "resubmitted_by")
        .prefetch_related("items__indicator")
        .order_by("-round")
    )
    open_round = next((r for r in revisions if r.is_open), None)
    questions = question_lines(assessment, process, user)
    lines: list[IndicatorLine]
    if questions:
        lines, total = [], sum((line.points for line in questions), Decimal(0))
    else:
        lines, total = _lines(assessment, stage if sees else None, open_round)
    blocked = None
    if (
        process
        and process.state in workflow.SCORING_STATES
        and not permissions.is_own_region(user, assessment.region_id)
    ):
        blocked = permissions.reviewer_refusal(user, assessment, process.state)
    return ReviewPage(
        assessment=assessment,
        process=process,
        actions=_allowed_actions(user, assessment, process),
        refusal=blocked,
        stage=stage,
        can_score=permissions.can_score(user, assessment, process),
        sees_verified=sees,
        lines=lines,
        stage_total=total,
        revisions=revisions,
        open_revision=open_round,
        assignments=list(assessment.reviewers.select_related("reviewer").order_by("stage", "reviewer__username")),
        is_admin=user_is_national_admin(user),
        is_region=permissions.is_own_region(user, assessment.region_id),
        final=FinalResult.objects.filter(assessment=assessment).first() if sees else None,
        bands={b.code: b.display_name for b in assessment.cycle.framework.bands.all()},
        window=_window(assessment, process),
        questions=questions,
    )


def _window(assessment: Assessment, process: ReviewProcess | None) -> str | None:
    return window_refusal(assessment, process.state) if process else None


def _blocked(user: Viewer, assessment: Assessment, process: ReviewProcess | None) -> str | None:
    """Why a reviewer holding this stage's role may not act here (not assigned, conflict, own region)."""
    approve = workflow.transition_for(process.state, ReviewAction.APPROVE) if process else None
    if approve is None or not permissions.holds_role(user, approve.roles, assessment.region_id):
        return None
    return permissions.refusal(user, assessment, approve)


def _lines(
    assessment: Assessment, stage: str | None, open_round: RevisionRequest | None
) -> tuple[list[IndicatorLine], Decimal]:
    """Per indicator: rubric points and the stage's score (self when the stage is hidden or not a scored one)."""
    scored = ScoreStage.FIELD if stage == ScoreStage.FINAL else stage if stage in REVIEW_STAGES else None
    score = assessment_stage_score(assessment, scored or ScoreStage.SELF)
    previous = score.previous
    reviews = {}
    if scored:
        reviews = {r.indicator_id: r for r in IndicatorReview.objects.filter(assessment=assessment, stage=scored)}
    returned = {item.indicator_id for item in open_round.items.all()} if open_round else set()
    rules = rules_load(assessment.cycle.framework)
    computed = {i.code: i.points for i in score.computed.indicators}
    points = {i.code: i.points for i in score.score.indicators}
    lines = [
        IndicatorLine(i, computed[i.code], previous[i.code], points[i.code], reviews.get(i.pk), i.pk in returned)
        for i in rules.indicators
    ]
    return lines, score.score.total


def revision_allows_edit(assessment: Assessment, indicator: Indicator) -> bool:
    """True while the region may change this indicator of a submitted assessment: it was sent back in the open
    revision round and the deadline has not passed (for the evaluations app's evidence links; two queries)."""
    process = ReviewProcess.objects.filter(assessment=assessment).first()
    request = RevisionRequest.objects.filter(assessment=assessment, resubmitted_at__isnull=True).last()
    return bool(
        process
        and process.state in workflow.REVISION_STATES
        and request
        and request.deadline >= timezone.now()
        and request.items.filter(indicator=indicator).exists()
    )


def evidence_replace_refusal(evidence: Evidence, user: Viewer) -> str | None:
    """Why the user may not replace this evidence's file now (registered in `evidence.hooks`), or None.

    A file linked to a submitted assessment is pinned: it changes only while a reviewer has sent that indicator
    back for revision (before the deadline), and only by someone who may edit that indicator. An OPD contributor
    replaces only evidence of the indicators assigned to them, in a draft too. Two queries plus one per link of
    a submitted assessment (an evidence item has a handful of links).
    """
    links: list[Any] = list(
        AnswerEvidence.objects.filter(evidence=evidence).select_related(
            "assessment__cycle", "assessment__region", "indicator"
        )
    )
    # A question-level instrument (kla-2024) links evidence per question; its indicator is what a revision names.
    question_links = list(
        QuestionEvidence.objects.filter(evidence=evidence).select_related(
            "assessment__cycle", "assessment__region", "question__indicator"
        )
    )
    question_assignments = {
        (a.assessment_id, a.question_id): a
        for a in QuestionAssignment.objects.filter(
            assessment_id__in={link.assessment_id for link in question_links},
            question_id__in={link.question_id for link in question_links},
        )
    }
    for link in question_links:
        editor = user_is_national_admin(user) or can_edit_question(
            user, link.assessment, question_assignments.get((link.assessment_id, link.question_id))
        )
        setattr(link, "indicator", link.question.indicator)  # noqa: B010 (read below like an answer's link)
        setattr(link, "editor", editor)  # noqa: B010
        links.append(link)
    if not links:
        return None
    assignments = {
        (a.assessment_id, a.indicator_id): a
        for a in IndicatorAssignment.objects.filter(
            assessment_id__in={link.assessment_id for link in links},
            indicator_id__in={link.indicator.pk for link in links},
        ).prefetch_related("contributors")
    }
    for link in links:
        assessment, indicator = link.assessment, link.indicator
        known: bool | None = getattr(link, "editor", None)
        editor = (
            known
            if known is not None
            else user_is_national_admin(user)
            or can_edit_indicator(user, assessment, assignments.get((assessment.pk, indicator.pk)))
        )
        if assessment.is_editable:
            if not editor:
                return _("“%(title)s” supports indicator %(code)s, which is not assigned to your agency (OPD).") % {
                    "title": evidence.title,
                    "code": indicator.code,
                }
            continue
        if not (editor and revision_allows_edit(assessment, indicator)):
            return _(
                "“%(title)s” was submitted with the self-assessment of %(region)s (%(cycle)s) and is pinned for "
                "verification: it can change only when a reviewer sends indicator %(code)s back for revision. "
                "Upload the new file as new evidence instead."
            ) % {
                "title": evidence.title,
                "region": assessment.region.name,
                "cycle": assessment.cycle.name,
                "code": indicator.code,
            }
    return None


# --- One indicator -------------------------------------------------------------------------------------------


@dataclass
class PinnedEvidence:
    """One evidence link of an indicator as the reviewers see it: the pinned file (the latest pin) with its
    version number and hash, earlier pins, and whether the region added a newer file not yet handed over."""

    link: AnswerEvidence
    pin: EvidencePin | None
    number: int | None
    earlier: list[tuple[EvidencePin, int | None]]
    newer: bool

    @property
    def short_hash(self) -> str:
        return self.pin.file.sha256[:12] if self.pin and self.pin.file else ""


def pinned_evidence(assessment: Assessment, indicator: Indicator) -> list[PinnedEvidence]:
    """The indicator's evidence with the pinned versions (three queries)."""
    links = list(
        AnswerEvidence.objects.filter(assessment=assessment, indicator=indicator).select_related(
            "evidence__current_file"
        )
    )
    pins: dict[tuple[int, str], list[EvidencePin]] = {}
    for pin in (
        EvidencePin.objects.filter(assessment=assessment, indicator=indicator)
        .select_related("file")
        .order_by("-round", "-pk")
    ):
        pins.setdefault((pin.evidence_id, pin.element_code), []).append(pin)
    numbers: dict[int, int] = {}
    counted: Counter[int] = Counter()
    for pk, evidence_id in (
        EvidenceVersion.objects.filter(evidence_id__in={link.evidence_id for link in links})
        .order_by("id")
        .values_list("pk", "evidence_id")
    ):
        counted[evidence_id] += 1
        numbers[pk] = counted[evidence_id]
    lines = []
    for link in links:
        history = pins.get((link.evidence_id, link.element_code), [])
        latest = history[0] if history else None
        lines.append(
            PinnedEvidence(
                link=link,
                pin=latest,
                number=numbers.get(latest.version_id) if latest and latest.version_id else None,
                earlier=[(pin, numbers.get(pin.version_id) if pin.version_id else None) for pin in history[1:]],
                newer=latest is not None and latest.file_id != link.evidence.current_file_id,
            )
        )
    return lines


@dataclass
class IndicatorPage:
    """One indicator for a reviewer: the region's data, narratives and evidence, the rubric's result explained,
    every stage's score of it, and the revision rounds that named it."""

    assessment: Assessment
    process: ReviewProcess | None
    indicator: Indicator
    answer: Answer | None
    data: list[tuple[str, str]]
    evidence: list[PinnedEvidence]
    explanation: explaining.IndicatorExplanation
    previous: Decimal
    reviews: list[IndicatorReview]
    current: IndicatorReview | None
    stage: str | None
    can_score: bool
    revision_items: list[Any]
    can_revise: bool


def indicator_page(assessment: Assessment, process: ReviewProcess | None, user: Viewer, code: str) -> IndicatorPage:
    """The indicator's review page; reviews of other stages only for those who see verified scores."""
    indicator = get_object_or_404(
        Indicator.objects.select_related("group").prefetch_related("elements"),
        version_id=assessment.cycle.framework_id,
        code=code,
    )
    answer = Answer.objects.filter(assessment=assessment, indicator=indicator).select_related("updated_by").first()
    values = answer.values if answer else {}
    elements = sorted(indicator.elements.all(), key=lambda e: (e.order, e.pk))
    sees = permissions.sees_verified_scores(user, assessment, process)
    stage = workflow.STATE_STAGE.get(process.state) if process else None
    score = assessment_stage_score(assessment, stage if sees and stage in REVIEW_STAGES else ScoreStage.SELF)
    item = next(i for i in score.computed.indicators if i.code == code)
    evidence_codes = set(document_elements([indicator])[indicator.pk])
    reviews = (
        list(IndicatorReview.objects.filter(assessment=assessment, indicator=indicator).select_related("reviewer"))
        if sees
        else []
    )
    current = next((r for r in reviews if r.stage == stage), None)
    items = list(
        indicator.revisionitem_set.filter(request__assessment=assessment)
        .select_related("request")
        .order_by("-request__round")
    )
    open_item = next((i for i in items if i.request.is_open), None)
    assignment = IndicatorAssignment.objects.filter(assessment=assessment, indicator=indicator).first()
    return IndicatorPage(
        assessment=assessment,
        process=process,
        indicator=indicator,
        answer=answer,
        data=[(e.display_label, display_value(e, values.get(e.code))) for e in elements if e.type != "document"],
        evidence=pinned_evidence(assessment, indicator),
        explanation=explaining.explain_indicator(
            item,
            points=current.points if current else None,
            comment=current.reason if current else "",
            evidence_elements=evidence_codes,
        ),
        previous=score.previous[code],
        reviews=sorted(reviews, key=lambda r: STAGE_ORDER.index(r.stage)),
        current=current,
        stage=stage,
        can_score=permissions.can_score(user, assessment, process),
        revision_items=items,
        can_revise=bool(
            open_item
            and process
            and process.state in workflow.REVISION_STATES
            and can_edit_indicator(user, assessment, assignment)
        ),
    )


# --- Scores side by side -------------------------------------------------------------------------------------


@dataclass
class Cell:
    """One stage's points of a row, with the change from the previous shown stage and the reviewer's note."""

    points: Decimal | None
    delta: Decimal | None = None
    note: str = ""
    big_drop: bool = False


@dataclass
class ScoreRow:
    """A row of the comparison: an indicator, a cluster (klaster) or the total, one cell per stage."""

    code: str
    label: str
    max_points: Decimal
    cells: list[Cell]
    kind: str = "indicator"
    gap: Decimal | None = None  # last verified stage minus self
    big_gap: bool = False


@dataclass
class ScoreTable:
    """Scores per stage side by side; `stages` are the stages the user may see that have a snapshot."""

    stages: list[tuple[str, str]]
    rows: list[ScoreRow]
    final: FinalResult | None
    bands: dict[str, str] = field(default_factory=dict)


def _row(code: str, label: str, maximum: Decimal, values: list[tuple[Decimal | None, str]], kind: str) -> ScoreRow:
    cells, previous = [], None
    limit = BIG_DROP * maximum
    for points, note in values:
        delta: Decimal | None = None if points is None or previous is None else points - previous
        cells.append(Cell(points, delta, note, delta is not None and delta < limit))
        previous = points if points is not None else previous
    known = [c.points for c in cells if c.points is not None]
    gap = known[-1] - known[0] if len(known) > 1 and cells[0].points is not None else None
    return ScoreRow(code, label, maximum, cells, kind, gap, gap is not None and gap < limit)


def score_table(assessment: Assessment, process: ReviewProcess | None, user: Viewer) -> ScoreTable:
    """Self, province, central, field and final scores per indicator, cluster and total (three queries)."""
    snapshots = {s.stage: s for s in ScoreSnapshot.objects.filter(assessment=assessment)}
    visible = STAGE_ORDER if permissions.sees_verified_scores(user, assessment, process) else [ScoreStage.SELF]
    shown = [stage for stage in visible if stage in snapshots]
    rules = rules_load(assessment.cycle.framework)
    rows = []
    groups = {i.group.code: i.group for i in rules.indicators}
    for group_code, group in groups.items():
        values = [(_decimal(snapshots[s].groups.get(group_code, {}).get("points")), "") for s in shown]
        maximum = sum((i.max_points for i in rules.indicators if i.group.code == group_code), Decimal(0))
        rows.append(_row(group_code, f"{group.code}. {group.display_name}", maximum, values, "group"))
        for i in (i for i in rules.indicators if i.group.code == group_code):
            entries = [snapshots[s].indicators.get(i.code, {}) for s in shown]
            values = [(_decimal(e.get("points")), e.get("reason", "") or e.get("comment", "")) for e in entries]
            rows.append(_row(i.code, i.display_name, i.max_points, values, "indicator"))
    totals: list[tuple[Decimal | None, str]] = [(snapshots[s].total, "") for s in shown]
    rows.append(_row("total", "", sum((i.max_points for i in rules.indicators), Decimal(0)), totals, "total"))
    final = final_result_of(assessment) if ScoreStage.FINAL in shown else None
    labels = dict(ScoreStage.choices)
    return ScoreTable([(s, str(labels[s])) for s in shown], rows, final, {b.code: b.name for b in rules.bands})


def _decimal(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


# --- Explanation and what-if ---------------------------------------------------------------------------------


@dataclass
class Analysis:
    """The explanation and the what-if of the latest stage the user may see."""

    stage: str
    score: StageScore
    explanations: list[tuple[Indicator, explaining.IndicatorExplanation]]
    candidates: tuple[whatif.Improvement, ...]
    plan: whatif.Plan
    headroom: dict[str, Decimal]
    rules: FrameworkRules


def _latest_stage(assessment: Assessment, process: ReviewProcess | None, user: Viewer) -> str:
    if not permissions.sees_verified_scores(user, assessment, process):
        return ScoreStage.SELF
    stored = set(ScoreSnapshot.objects.filter(assessment=assessment).values_list("stage", flat=True))
    latest = max(stored - {ScoreStage.FINAL}, key=STAGE_ORDER.index, default=ScoreStage.SELF)
    return ScoreStage.FINAL if ScoreStage.FINAL in stored else latest


def _owners(assessment: Assessment, indicators: Iterable[Indicator]) -> dict[str, str]:
    assigned = {
        a.indicator_id: str(a.agency)
        for a in IndicatorAssignment.objects.filter(assessment=assessment).select_related("agency")
    }
    return {i.code: assigned.get(i.pk) or ", ".join(i.responsible_agencies or []) for i in indicators}


def analysis(assessment: Assessment, process: ReviewProcess | None, user: Viewer) -> Analysis:
    """Points earned and lost per indicator and why, the improvements possible and the plan to the next band.

    Uses the current answers with the reviewer scores of the latest visible stage (the final one uses the field
    stage's scores, which it copies). About ten queries whatever the data.
    """
    stage = _latest_stage(assessment, process, user)
    rules = rules_load(assessment.cycle.framework)
    scored = ScoreStage.FIELD if stage == ScoreStage.FINAL else stage
    result = assessment_stage_score(assessment, scored, rules)
    points = {i.code: i.points for i in result.score.indicators}
    comments = {code: note.get("reason") or note.get("comment", "") for code, note in result.notes.items()}
    explained = explaining.explain(
        result.computed.indicators, points=result.points, comments=comments, evidence_elements=rules.evidence_elements
    )
    headroom = {i.code: i.max_points - points[i.code] for i in result.score.indicators}
    candidates = whatif.improvements(
        rules.rules, result.computed.indicators, points, _owners(assessment, rules.indicators)
    )
    return Analysis(
        stage=stage,
        score=result,
        explanations=list(zip(rules.indicators, explained, strict=True)),
        candidates=candidates,
        plan=whatif.plan(candidates, result.score.total, rules.bands, headroom),
        headroom=headroom,
        rules=rules,
    )


@dataclass
class WhatIf:
    """The improvements the user ticked and what they would do to the score and the band."""

    selected: set[str]
    chosen: list[whatif.Improvement]
    total: Decimal
    band: object
    gain: Decimal


def whatif_chosen(result: Analysis, keys: Iterable[str], *, plan: bool = False) -> WhatIf:
    """Applies the ticked improvements (unknown keys ignored); `plan` ticks the plan's improvements instead."""
    wanted = {item.key for item in result.plan.chosen} if plan else set(keys)
    chosen = [item for item in result.candidates if item.key in wanted]
    base = result.score.score.total
    total, band = whatif.band_after(base, chosen, result.headroom, result.rules.bands)
    return WhatIf({item.key for item in chosen}, chosen, total, band, total - base)


# --- Timeline ------------------------------------------------------------------------------------------------


def timeline_events(assessment: Assessment) -> QuerySet[AuditEvent]:
    """Every audit event of the assessment, newest first: its own events (submission, review, scores, comments,
    revisions), those of its answers and assignments, and the replacements of its evidence files (three id
    lookups, then one paginated query)."""
    answers = [str(pk) for pk in Answer.objects.filter(assessment=assessment).values_list("pk", flat=True)]
    evidence = [
        str(pk)
        for pk in AnswerEvidence.objects.filter(assessment=assessment).values_list("evidence_id", flat=True).distinct()
    ]
    assigned = [
        str(pk) for pk in IndicatorAssignment.objects.filter(assessment=assessment).values_list("pk", flat=True)
    ]
    return (
        AuditEvent.objects.filter(
            Q(target_type="evaluations.assessment", target_id=str(assessment.pk))
            | Q(target_type="evaluations.answer", target_id__in=answers)
            | Q(target_type="evaluations.indicatorassignment", target_id__in=assigned)
            | Q(target_type="evidence.evidence", target_id__in=evidence, verb="evidence.replaced")
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


# --- Lists ---------------------------------------------------------------------------------------------------


def review_queue_for_user(user: Viewer) -> QuerySet[ReviewProcess]:
    """Reviews waiting for this user: national admins see every open review in scope; reviewers those they are
    assigned to; the region its own reviews."""
    rows = ReviewProcess.objects.filter(user_region_filter(user, "assessment__region__code")).select_related(
        "assessment__region", "assessment__cycle"
    )
    if not user_is_national_admin(user):
        rows = rows.filter(Q(assessment__reviewers__reviewer_id=user.pk) | Q(_region_q(user))).distinct()
    return rows.order_by("-assessment__cycle__year", "assessment__region_id")


def _region_q(user: Viewer) -> Q:
    """Rows of the regions the user works for (coordinator or OPD), to show the region its own reviews."""
    codes = {g.region_code for g in user_grants(user) if g.role in permissions.REGION_ROLES and g.region_code}
    q = Q(pk__in=[])
    for code in codes:
        q |= Q(assessment__region__code=code) | Q(assessment__region__code__startswith=f"{code}.")
    return q


@dataclass
class CycleReviews:
    """A cycle's reviews in the user's regions with counts per state, and whether results are published."""

    cycle: Cycle
    rows: QuerySet[ReviewProcess]
    counts: list[tuple[str, str, int]]
    can_publish: bool


def cycle_reviews(cycle: Cycle, user: Viewer) -> CycleReviews:
    """The review progress of a cycle (two queries plus the page)."""
    rows = (
        ReviewProcess.objects.filter(user_region_filter(user, "assessment__region__code"), assessment__cycle=cycle)
        .select_related("assessment__region")
        .order_by("assessment__region_id")
    )
    counted = Counter(rows.values_list("state", flat=True))
    counts = [(s.value, str(s.label), counted[s.value]) for s in ReviewState if counted[s.value]]
    can_publish = (
        user_is_national_admin(user) and cycle.results_published_at is None and counted[ReviewState.FINALISED] > 0
    )
    return CycleReviews(cycle, rows, counts, can_publish)


def conflict_list_for_user(user: Viewer) -> list[ConflictDeclaration]:
    """The user's own conflict-of-interest declarations."""
    return list(ConflictDeclaration.objects.filter(reviewer_id=user.pk).select_related("region"))


def assignment_get_for_user(user: Viewer, assessment: Assessment, pk: int) -> ReviewerAssignment:
    """A reviewer assignment of this assessment (the assessment is already scoped); 404 otherwise."""
    try:
        return assessment.reviewers.select_related("reviewer").get(pk=pk)
    except ReviewerAssignment.DoesNotExist:
        raise Http404 from None


@dataclass
class PublicationPreview:
    """Exactly what publishing a cycle makes public: each finalised result (region, score, predicate), the
    count per predicate, and the assessments that stay private because they are not finalised."""

    cycle: Cycle
    results: QuerySet[FinalResult]
    finalised: int
    per_band: list[tuple[str, str, int]]
    not_finalised: int
    bands: dict[str, str]


def publication_preview(cycle: Cycle, user: Viewer) -> PublicationPreview:
    """The preview of a cycle's publication (three queries plus the page of results)."""
    results = (
        FinalResult.objects.filter(assessment__cycle=cycle, assessment__review__state=ReviewState.FINALISED)
        .select_related("assessment__region")
        .order_by("assessment__region_id")
    )
    counted = Counter(results.values_list("band_code", flat=True))
    bands = {b.code: b.display_name for b in cycle.framework.bands.all()}
    per_band = [(code, name, counted[code]) for code, name in bands.items() if counted[code]]
    if counted[""]:
        per_band.append(("", str(_("no predicate")), counted[""]))
    in_review = ReviewProcess.objects.filter(assessment__cycle=cycle).exclude(state=ReviewState.FINALISED).count()
    return PublicationPreview(cycle, results, sum(counted.values()), per_band, in_review, bands)


# --- Per-question grading (question-level instruments) -------------------------------------------------------


@dataclass
class QuestionLine:
    """One question on the review page: self-score, the previous stage's points, this stage's points, grade."""

    question: Question
    self_points: Decimal
    previous: Decimal
    points: Decimal
    grade: QuestionGrade | None


def question_lines(assessment: Assessment, process: ReviewProcess | None, user: Viewer) -> list[QuestionLine]:
    """Every question with its points at the current stage (self only for those who may not see verified
    scores); a fixed number of queries for the 274 questions of kla-2024."""
    if not grading.is_question_level(assessment):
        return []
    stage = workflow.STATE_STAGE.get(process.state) if process else None
    sees = permissions.sees_verified_scores(user, assessment, process)
    result = grading.question_stage(assessment, stage if sees and stage else ScoreStage.SELF)
    return [
        QuestionLine(
            q,
            result.self_points.get(q.pk, Decimal(0)),
            result.previous.get(q.pk, Decimal(0)),
            result.points.get(q.pk, Decimal(0)),
            result.grades.get(q.pk),
        )
        for q in result.rules.questions
    ]


@dataclass
class QuestionPage:
    """One question for a verifier: the region's answer and evidence, the self-score, what this stage starts
    from, every stage's grade (for those who see verified scores), and the scale to grade with."""

    assessment: Assessment
    process: ReviewProcess | None
    question: Question
    answer: QuestionAnswer | None
    evidence: list[QuestionEvidence]
    self_points: Decimal
    previous: Decimal
    stage: str | None
    current: QuestionGrade | None
    grades: list[QuestionGrade]
    can_score: bool
    levels: list[tuple[str, str, Decimal]]


def question_of(assessment: Assessment, question_id: int) -> Question:
    """A question of the assessment's framework, with indicator and group (no query for a frozen framework,
    whose questions are kept in memory); 404 for another framework's question."""
    framework = assessment.cycle.framework
    if framework.frozen_at is not None:
        found = framework_question_by_id(framework).get(question_id)
        if found is None:
            raise Http404(_("No such question in this instrument."))
        return found
    return get_object_or_404(
        Question.objects.select_related("indicator__group"), pk=question_id, indicator__version_id=framework.pk
    )


def question_page(
    assessment: Assessment, process: ReviewProcess | None, user: Viewer, question_id: int
) -> QuestionPage:
    """The grading page of one question (404 for a question of another framework): three queries (its grades,
    the answer, the evidence) once the assessment is read, the question coming from the frozen framework."""
    question = question_of(assessment, question_id)
    sees = permissions.sees_verified_scores(user, assessment, process)
    stage = workflow.STATE_STAGE.get(process.state) if process else None
    grades = (
        list(QuestionGrade.objects.filter(assessment=assessment, question=question).select_related("reviewer"))
        if sees
        else []
    )
    answer = QuestionAnswer.objects.filter(assessment=assessment, question=question).first()
    evidence = list(
        QuestionEvidence.objects.filter(assessment=assessment, question=question).select_related(
            "evidence__current_file"
        )
    )
    # This question's points only: the other 273 questions of the instrument are not read or scored.
    self_points, previous = grading.question_points(
        question, stage if sees and stage else ScoreStage.SELF, answer, bool(evidence), grades
    )
    return QuestionPage(
        assessment=assessment,
        process=process,
        question=question,
        answer=answer,
        evidence=evidence,
        self_points=self_points,
        previous=previous,
        stage=stage,
        current=next((g for g in grades if g.stage == stage), None),
        grades=sorted(grades, key=lambda g: STAGE_ORDER.index(g.stage)),
        can_score=permissions.can_score(user, assessment, process),
        levels=[
            (level, grading.level_symbol(level), grading.level_points(level, question.max_points))
            for level in grading.levels_for(assessment.cycle.framework)
        ],
    )
