"""Business actions of verification: start, move through the workflow, score indicators, revise, assign
reviewers, declare conflicts, set the final predicate and publish a cycle's results.

Each service checks permission, runs in one transaction and writes one audit event with before and after. Events
about an assessment target the assessment itself, so its timeline is one indexed query.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from layak.accounts.choices import Role
from layak.accounts.models import User
from layak.accounts.selectors import user_has_role, user_is_national_admin
from layak.audit.models import AuditEvent
from layak.audit.services import audit_record
from layak.common.generations import bump_on_commit
from layak.common.numbers import format_datetime, format_score
from layak.evaluations import permissions as evaluation_permissions
from layak.evaluations.choices import AssessmentStatus
from layak.evaluations.models import (
    Answer,
    AnswerEvidence,
    Assessment,
    Cycle,
    IndicatorAssignment,
    QuestionEvidence,
)
from layak.evaluations.publication import RESULTS_GENERATION
from layak.evaluations.scoring_input import rules_load
from layak.evaluations.services import (
    Submitted,
    answer_evidence_upload,
    answer_provenance,
    answer_write,
    computed_for,
)
from layak.evaluations.stamps import assessments_changed, cycles_changed
from layak.evaluations.validation import values_clean
from layak.evidence.models import EvidenceVersion
from layak.frameworks.models import Indicator, Question
from layak.regions.models import Region
from layak.scoring.engine import predicate_for

from . import grading, notices, permissions, workflow
from .choices import REVIEW_STAGES, ObjectionDecision, ReviewAction, ReviewState, ScoreStage
from .models import (
    CompletionWindow,
    ConflictDeclaration,
    EvidencePin,
    FieldVisit,
    FinalResult,
    HandoverLetter,
    IndicatorReview,
    Objection,
    ObjectionPeriod,
    QuestionGrade,
    ReviewerAssignment,
    ReviewProcess,
    RevisionItem,
    RevisionRequest,
    ScoreSnapshot,
)
from .scores import assessment_stage_score, previous_stage, snapshot_fields_of, snapshot_write
from .windows import window_refusal

NARRATIVE_MAX_LENGTH = 10_000
STAGE_ROLES = {
    ScoreStage.PROVINCE: workflow.PROVINCE_ROLES,
    ScoreStage.CENTRAL: workflow.CENTRAL_ROLES,
    ScoreStage.FIELD: workflow.CENTRAL_ROLES,
}


def _stage_snapshot(assessment: Assessment, stage: str, rules: Any = None) -> ScoreSnapshot:
    """Computes the stage's score from the current answers and its indicator reviews (a question-level
    instrument: the sum of the question points, graded ones carried forward), and stores it."""
    if grading.is_question_level(assessment):
        fields = grading.question_snapshot_fields(grading.question_stage(assessment, stage))
        return snapshot_write(assessment, stage, fields)
    return snapshot_write(assessment, stage, assessment_stage_score(assessment, stage, rules).snapshot_fields())


class StaleAction(ValidationError):
    """The review moved on since the person loaded the page (a second click, another tab, someone else)."""


def _stale(assessment: Assessment, seen_state: str, state: str) -> StaleAction:
    """“Already done by X at T”: the last transition that moved the review away from the state the user saw."""
    event = (
        AuditEvent.objects.filter(
            target_type="evaluations.assessment", target_id=str(assessment.pk), verb__startswith="review."
        )
        .exclude(verb="review.started")
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )
    where = {
        "seen": ReviewState(seen_state).label if seen_state in ReviewState.values else seen_state,
        "state": ReviewState(state).label,
    }
    if event is None:
        return StaleAction(
            _("The assessment is no longer at “%(seen)s”: it is now at “%(state)s”. Nothing was changed.") % where,
            code="stale",
        )
    action = event.verb.removeprefix("review.")
    return StaleAction(
        _(
            "Already done: %(who)s chose “%(action)s” on %(when)s, and the assessment is now at “%(state)s”. "
            "Nothing was changed; the page shows where it stands now."
        )
        % {
            **where,
            "who": event.actor or _("someone"),
            "action": _action_label(action),
            "when": format_datetime(event.created_at),
        },
        code="stale",
    )


def _locked_process(assessment: Assessment) -> ReviewProcess:
    process = ReviewProcess.objects.select_for_update().filter(assessment=assessment).first()
    if process is None:
        raise ValidationError(_("This assessment has not been submitted for verification yet."))
    return process


# --- Start ---------------------------------------------------------------------------------------------------


@transaction.atomic
def review_start(*, assessment: Assessment, user: User | None = None) -> ReviewProcess:
    """Starts verification of a submitted assessment at the province stage and stores its self-score snapshot.

    Idempotent: an assessment already in review is returned as it is.
    """
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted assessment can be verified; the region must submit it first."))
    process, created = ReviewProcess.objects.get_or_create(
        assessment=assessment, defaults={"state": workflow.INITIAL_STATE}
    )
    if created:
        snapshot = _stage_snapshot(assessment, ScoreStage.SELF)
        pins = evidence_pin(assessment, round_number=0)
        audit_record(
            actor=user or assessment.submitted_by,
            verb="review.started",
            target=assessment,
            region_code=assessment.region_id,
            summary=f"self-score {snapshot.total}",
            after={
                "state": process.state,
                "self_total": str(snapshot.total),
                "band": snapshot.band_code,
                "pinned": len(pins),
            },
        )
    return process


def evidence_pin(
    assessment: Assessment, *, round_number: int, indicator_ids: set[int] | None = None
) -> list[EvidencePin]:
    """Pins the file each evidence link of the assessment holds now (submission: round 0, every link; after a
    revision round: the links of the revised indicators whose file changed or that are new). A question-level
    instrument's link is pinned under its question's indicator with the question's code as `element_code` (such
    an instrument has no data elements). Four queries and one insert, whatever the number of links."""
    query = AnswerEvidence.objects.filter(assessment=assessment).select_related("evidence")
    questions = QuestionEvidence.objects.filter(assessment=assessment).select_related("evidence", "question")
    if indicator_ids is not None:
        query = query.filter(indicator_id__in=indicator_ids)
        questions = questions.filter(question__indicator_id__in=indicator_ids)
    links = [(link.indicator_id, link.element_code, link.evidence) for link in query]
    links += [(link.question.indicator_id, link.question.code, link.evidence) for link in questions]
    pinned: dict[tuple[int, int, str], int | None] = {}
    for key_indicator, key_evidence, key_element, file_id in (
        EvidencePin.objects.filter(assessment=assessment)
        .order_by("round")
        .values_list("indicator_id", "evidence_id", "element_code", "file_id")
    ):
        pinned[(key_indicator, key_evidence, key_element)] = file_id
    versions: dict[tuple[int, int | None], int] = {
        (evidence_id, file_id): pk
        for pk, evidence_id, file_id in EvidenceVersion.objects.filter(
            evidence_id__in={evidence.pk for _i, _e, evidence in links}
        )
        .order_by("id")
        .values_list("pk", "evidence_id", "file_id")
    }
    missing = object()
    pins = [
        EvidencePin(
            assessment=assessment,
            indicator_id=indicator_id,
            evidence_id=evidence.pk,
            element_code=element_code,
            file_id=evidence.current_file_id,
            version_id=versions.get((evidence.pk, evidence.current_file_id)),
            round=round_number,
        )
        for indicator_id, element_code, evidence in links
        if pinned.get((indicator_id, evidence.pk, element_code), missing) != evidence.current_file_id
    ]
    assessments_changed([assessment.pk])  # a bulk insert sends no model signal
    return EvidencePin.objects.bulk_create(pins)


def review_start_on_submission(assessment: Assessment, user: User) -> None:
    """Submission hands the assessment to the province (registered in `evaluations.hooks` by the app config)."""
    review_start(assessment=assessment, user=user)


# --- Transitions ---------------------------------------------------------------------------------------------


@transaction.atomic
def review_transition(
    *,
    user: User,
    assessment: Assessment,
    action: str,
    comment: str = "",
    items: Mapping[str, str] | None = None,
    deadline: datetime | None = None,
    expected_state: str | None = None,
) -> ReviewProcess:
    """Moves the review by one cell of `workflow.TRANSITIONS`, after checking role, assignment and conflicts.

    request_revision needs `items` (indicator code -> what to fix) and a `deadline`; return, request_revision
    and reopen need a comment. Approving a stage stores its score snapshot; finalising stores the final score
    and predicate.

    Guarded: `expected_state` is the state the person saw (the pages always send it); when the review has moved
    on since, StaleAction says who moved it and when, and nothing changes. The state itself is changed by a
    conditional UPDATE (compare-and-set on the state read under the row lock), so two concurrent requests leave
    one transition and one audit event on every database.
    """
    process = _locked_process(assessment)
    if expected_state and expected_state != process.state:
        raise _stale(assessment, expected_state, process.state)
    cell = workflow.transition_for(process.state, action)
    if cell is None:
        raise ValidationError(
            _("“%(action)s” is not possible while the assessment is at “%(state)s”. Use one of the buttons shown.")
            % {"action": _action_label(action), "state": ReviewState(process.state).label}
        )
    refusal = permissions.refusal(user, assessment, cell)
    if refusal:
        raise PermissionDenied(refusal)
    if action in workflow.WINDOWED_ACTIONS:
        window_check(assessment, process.state)
    comment = comment.strip()
    if cell.needs_comment and not comment:
        raise ValidationError(_("Write a comment saying why; it is kept in the assessment's history."))
    effect: Callable[..., dict[str, Any]] = _EFFECTS.get(ReviewAction(action), _no_effect)
    extra = effect(user=user, assessment=assessment, process=process, comment=comment, items=items, deadline=deadline)
    before = process.state
    target = workflow.next_state(cell, field_visit=FieldVisit.objects.filter(assessment=assessment).exists())
    moved = ReviewProcess.objects.filter(pk=process.pk, state=before).update(
        state=target, revision_round=process.revision_round, updated_at=timezone.now()
    )
    assessments_changed([assessment.pk])  # a queryset update sends no model signal
    if not moved:
        # Another request changed the state after this one read it (SQLite has no row lock): undo everything.
        current = ReviewProcess.objects.filter(pk=process.pk).values_list("state", flat=True).first() or before
        raise _stale(assessment, before, current)
    process.state = target
    audit_record(
        actor=user,
        verb=f"review.{action}",
        target=assessment,
        region_code=assessment.region_id,
        summary=f"{before} → {process.state}" + (f": {comment}" if comment else ""),
        before={"state": before},
        after={"state": process.state, "comment": comment, **extra},
    )
    notices.after_transition(assessment=assessment, action=action, before=before, after=process.state, extra=extra)
    return process


def window_check(assessment: Assessment, state: str) -> None:
    refusal = window_refusal(assessment, state)
    if refusal:
        raise ValidationError(refusal, code="window")


def _action_label(action: str) -> str:
    return str(ReviewAction(action).label) if action in ReviewAction.values else action


def _no_effect(**_kwargs: Any) -> dict[str, Any]:
    return {}


def _approve(*, user: User, assessment: Assessment, process: ReviewProcess, **_kwargs: Any) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if process.state == ReviewState.PROVINCE_VERIFICATION:
        extra = _hand_over(user, assessment)
    if process.state == ReviewState.FIELD_VERIFICATION:
        _completion_closed(assessment)
    snapshot = _stage_snapshot(assessment, workflow.STATE_STAGE[process.state])
    return {"stage": snapshot.stage, "total": str(snapshot.total), "band": snapshot.band_code, **extra}


def _hand_over(user: User, assessment: Assessment) -> dict[str, Any]:
    """The province's approval is its hand-over to the ministry: it needs the governor's letter, which is then
    frozen (the version the ministry received stays pinned)."""
    letter = HandoverLetter.objects.select_for_update().filter(assessment=assessment).first()
    if letter is None:
        raise ValidationError(
            _(
                "Attach the governor's letter (surat gubernur) handing the verified results to the ministry "
                "before approving; the approval is the hand-over."
            ),
            code="letter",
        )
    if letter.handed_over_at is None:
        letter.handed_over_at, letter.handed_over_by = timezone.now(), user
        letter.save(update_fields=["handed_over_at", "handed_over_by"])
    return {"letter": letter.number, "letter_evidence": letter.evidence_id, "letter_version": letter.version_id}


def _completion_closed(assessment: Assessment) -> None:
    """The field stage waits for its completion window: approving before it closes would ignore the region's
    documents."""
    window = CompletionWindow.objects.filter(assessment=assessment, closes_at__gt=timezone.now()).last()
    if window is not None:
        raise ValidationError(
            _(
                "The completion window stays open until %(when)s; the region may still add documents. Approve the "
                "field verification after it closes."
            )
            % {"when": format_datetime(window.closes_at)},
            code="window",
        )


def final_fields(assessment: Assessment) -> dict[str, Any]:
    """The final score's snapshot fields: the field stage's verified score (carried forward from the central
    review for regions without field verification) with the points of the objections the ministry accepted."""
    if grading.is_question_level(assessment):
        field = grading.question_stage(assessment, ScoreStage.FIELD)
        accepted = {
            pk: points
            for pk, points in Objection.objects.filter(
                assessment=assessment, decision=ObjectionDecision.ACCEPTED
            ).values_list("question_id", "points")
            if points is not None
        }
        return grading.question_snapshot_fields(replace(field, points=field.points | accepted))
    verified = ScoreSnapshot.objects.filter(assessment=assessment, stage=ScoreStage.FIELD).first()
    if verified is None:
        verified = _stage_snapshot(assessment, ScoreStage.FIELD)
    return snapshot_fields_of(verified)


def objection_hours() -> int:
    return int(getattr(settings, "LAYAK_OBJECTION_HOURS", 72))


def _announce(*, assessment: Assessment, **_kwargs: Any) -> dict[str, Any]:
    """The provisional results: the final snapshot as it stands, and the region's objection period."""
    provisional = snapshot_write(assessment, ScoreStage.FINAL, final_fields(assessment))
    closes = timezone.now() + timedelta(hours=objection_hours())
    ObjectionPeriod.objects.update_or_create(assessment=assessment, defaults={"closes_at": closes, "done_at": None})
    return {"total": str(provisional.total), "band": provisional.band_code, "deadline": closes.isoformat()}


def _request_revision(
    *,
    user: User,
    assessment: Assessment,
    process: ReviewProcess,
    comment: Any,
    items: Any,
    deadline: Any,
    **_kwargs: Any,
) -> dict[str, Any]:
    cleaned = _revision_items(assessment, items or {})
    if deadline is None or deadline <= timezone.now():
        raise ValidationError(_("Give a deadline in the future for the region's revision."))
    process.revision_round += 1
    request = RevisionRequest.objects.create(
        assessment=assessment,
        stage=workflow.STATE_STAGE[process.state],
        round=process.revision_round,
        reason=comment,
        deadline=deadline,
        requested_by=user,
    )
    RevisionItem.objects.bulk_create(
        RevisionItem(request=request, indicator=indicator, reason=reason) for indicator, reason in cleaned
    )
    assessments_changed([assessment.pk])  # a bulk insert sends no model signal
    return {
        "round": request.round,
        "deadline": deadline.isoformat(),
        "indicators": {indicator.code: reason for indicator, reason in cleaned},
    }


def _revision_items(assessment: Assessment, items: Mapping[str, str]) -> list[tuple[Indicator, str]]:
    if not items:
        raise ValidationError(_("Choose at least one indicator to send back for revision."))
    indicators = Indicator.objects.filter(version_id=assessment.cycle.framework_id, code__in=list(items)).order_by(
        "group__order", "order"
    )
    found = {indicator.code: indicator for indicator in indicators}
    unknown = sorted(set(items) - set(found))
    if unknown:
        raise ValidationError(
            ngettext("Unknown indicator: %(codes)s.", "Unknown indicators: %(codes)s.", len(unknown))
            % {"codes": ", ".join(unknown)}
        )
    blank = [code for code, reason in items.items() if not str(reason).strip()]
    if blank:
        raise ValidationError(
            _("Say what the region must fix for each indicator (missing for %(codes)s).") % {"codes": ", ".join(blank)}
        )
    return [(indicator, str(items[code]).strip()) for code, indicator in found.items()]


def _resubmit(*, user: User, assessment: Assessment, **_kwargs: Any) -> dict[str, Any]:
    request = RevisionRequest.objects.filter(assessment=assessment, resubmitted_at__isnull=True).last()
    if request is not None:
        request.resubmitted_at, request.resubmitted_by = timezone.now(), user
        request.save(update_fields=["resubmitted_at", "resubmitted_by"])
    before = ScoreSnapshot.objects.filter(assessment=assessment, stage=ScoreStage.SELF).first()
    after = _stage_snapshot(assessment, ScoreStage.SELF)
    pins: list[EvidencePin] = []
    if request is not None:
        revised = set(request.items.values_list("indicator_id", flat=True))
        pins = evidence_pin(assessment, round_number=request.round, indicator_ids=revised)
    return {
        "pinned": sorted({pin.evidence_id for pin in pins}),
        "round": request.round if request else None,
        "self_total_before": str(before.total) if before else None,
        "self_total_after": str(after.total),
    }


def _objections_settled(assessment: Assessment) -> None:
    pending = Objection.objects.filter(assessment=assessment, decision=ObjectionDecision.PENDING).count()
    if pending:
        raise ValidationError(
            ngettext(
                "Decide the region's objection first (%(count)s waiting).",
                "Decide the region's objections first (%(count)s waiting).",
                pending,
            )
            % {"count": pending},
            code="objections",
        )
    period = ObjectionPeriod.objects.filter(assessment=assessment).first()
    if period is not None and period.done_at is None and timezone.now() <= period.closes_at:
        raise ValidationError(
            _("The region may object until %(when)s, unless it says it has finished objecting; finalise after that.")
            % {"when": format_datetime(period.closes_at)},
            code="window",
        )


def _finalise(*, user: User, assessment: Assessment, **_kwargs: Any) -> dict[str, Any]:
    _objections_settled(assessment)
    final = snapshot_write(assessment, ScoreStage.FINAL, final_fields(assessment))
    bands = rules_load(assessment.cycle.framework).bands
    band = predicate_for(final.total, bands)
    code = band.code if band else ""
    FinalResult.objects.update_or_create(
        assessment=assessment,
        defaults={
            "score": final.total,
            "computed_band_code": code,
            "band_code": code,
            "override_reason": "",
            "decided_by": user,
        },
    )
    return {"score": str(final.total), "band": code}


_EFFECTS = {
    ReviewAction.APPROVE: _approve,
    ReviewAction.REQUEST_REVISION: _request_revision,
    ReviewAction.RESUBMIT: _resubmit,
    ReviewAction.ANNOUNCE: _announce,
    ReviewAction.FINALISE: _finalise,
}


# --- Scoring -------------------------------------------------------------------------------------------------


def _points(value: Any, maximum: Decimal) -> Decimal:
    try:
        points = Decimal(str(value).replace(",", ".")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"points": _("Enter a number of points, for example 42.5.")}) from None
    if not Decimal(0) <= points <= maximum:
        raise ValidationError({"points": _("Enter points between 0 and %(max)s.") % {"max": maximum}})
    return points


def _review_view(review: IndicatorReview | None) -> dict[str, Any] | None:
    if review is None:
        return None
    return {
        "points": str(review.points),
        "computed": str(review.computed_points),
        "previous": str(review.previous_points),
        "version": review.version,
        "reason": review.reason,
        "comment": review.comment,
    }


class ScoreConflict(Exception):
    """Someone saved this indicator's score at this stage after the person opened it: both values, nothing saved."""

    def __init__(self, *, current: IndicatorReview | QuestionGrade, submitted: dict[str, str]) -> None:
        self.current = current
        self.submitted = submitted
        self.message = _(
            "%(who)s saved a score of %(points)s points for this indicator on %(when)s, after you opened it. Your "
            "score (%(mine)s points) was not saved: compare both, then save the one to keep."
        ) % {
            "who": current.reviewer or _("Someone"),
            "points": format_score(current.points),
            "when": format_datetime(current.updated_at),
            "mine": submitted.get("points", ""),
        }
        super().__init__(self.message)


def _started_from_message(stage: str, points: Decimal, *, question: bool = False) -> str:
    if stage == ScoreStage.PROVINCE and question:
        return _("The region's self-score is %(points)s points; say why your grade differs.") % {"points": points}
    if stage == ScoreStage.PROVINCE:
        return _("The rubric gives %(computed)s points; say why your score differs.") % {"computed": points}
    return _("The previous stage (%(stage)s) verified %(points)s points; say why your score differs.") % {
        "stage": ScoreStage(previous_stage(stage)).label,
        "points": points,
    }


@transaction.atomic
def indicator_review_save(
    *,
    user: User,
    assessment: Assessment,
    indicator: Indicator,
    points: Any,
    reason: str = "",
    comment: str = "",
    expected_version: int | None = None,
) -> IndicatorReview:
    """The reviewer of the current stage scores one indicator (0 to its maximum; a reason when the score differs
    from the score the stage started from, the previous stage's verified one) and comments; the stage's score
    snapshot is updated.

    `expected_version` is the score's version the person saw (0: none yet; the page always sends it); when
    someone saved in between, ScoreConflict carries both values and nothing is written (never a silent
    overwrite)."""
    process = _locked_process(assessment)
    if process.state not in workflow.SCORING_STATES:
        raise ValidationError(_("Indicators can be scored only while a verification stage is open."))
    approve = workflow.transition_for(process.state, ReviewAction.APPROVE)
    refusal = permissions.refusal(user, assessment, approve) if approve else _("This stage cannot be scored now.")
    if refusal:
        raise PermissionDenied(refusal)
    if indicator.version_id != assessment.cycle.framework_id:
        raise ValidationError(_("This indicator does not belong to the cycle's framework."))
    if grading.is_question_level(assessment):
        raise ValidationError(_("This instrument is graded question by question; grade its questions instead."))
    window_check(assessment, process.state)
    stage = workflow.STATE_STAGE[process.state]
    rules = rules_load(assessment.cycle.framework)
    current = assessment_stage_score(assessment, stage, rules)
    computed = {i.code: i.points for i in current.computed.indicators}[indicator.code]
    started_from = current.previous[indicator.code]
    value = _points(points, indicator.max_points)
    reason, comment = reason.strip(), comment.strip()
    if value != started_from and not reason:
        raise ValidationError({"reason": _started_from_message(stage, started_from)})
    previous = (
        IndicatorReview.objects.select_for_update(of=("self",))
        .select_related("reviewer")
        .filter(assessment=assessment, stage=stage, indicator=indicator)
        .first()
    )
    if expected_version is not None and (previous.version if previous else 0) != expected_version:
        if previous is None:  # the score the person saw was removed; nothing to compare, refuse plainly
            raise ValidationError(_("This score changed since you opened the page; open it again."), code="stale")
        raise ScoreConflict(current=previous, submitted={"points": str(value), "reason": reason, "comment": comment})
    review, _created = IndicatorReview.objects.update_or_create(
        assessment=assessment,
        stage=stage,
        indicator=indicator,
        defaults={
            "version": (previous.version if previous else 0) + 1,
            "points": value,
            "computed_points": computed,
            "previous_points": started_from,
            "reason": reason,
            "comment": comment,
            "reviewer": user,
        },
    )
    snapshot = _stage_snapshot(assessment, stage, rules)
    audit_record(
        actor=user,
        verb="indicator.reviewed",
        target=assessment,
        region_code=assessment.region_id,
        summary=f"{indicator.code} {stage}: {value} / {indicator.max_points}" + (f" — {reason}" if reason else ""),
        before=_review_view(previous),
        after={
            **(_review_view(review) or {}),
            "indicator": indicator.code,
            "stage": stage,
            "stage_total": str(snapshot.total),
        },
    )
    return review


@transaction.atomic
def question_grade_save(
    *,
    user: User,
    assessment: Assessment,
    question: Question,
    level: str,
    reason: str = "",
    comment: str = "",
    expected_version: int | None = None,
) -> QuestionGrade:
    """The reviewer of the current stage grades one question of a question-level instrument with a level of the
    framework's scale; a grade other than the points the stage started from (the previous stage's verified
    points) needs a reason. Guarded like an indicator score (state, role, assignment, window, version); the
    stage's snapshot is updated, so the stage total is the sum of the question points."""
    process = _locked_process(assessment)
    if process.state not in workflow.SCORING_STATES:
        raise ValidationError(_("Questions can be graded only while a verification stage is open."))
    approve = workflow.transition_for(process.state, ReviewAction.APPROVE)
    refusal = permissions.refusal(user, assessment, approve) if approve else _("This stage cannot be graded now.")
    if refusal:
        raise PermissionDenied(refusal)
    if question.indicator.version_id != assessment.cycle.framework_id:
        raise ValidationError(_("This question does not belong to the cycle's framework."))
    window_check(assessment, process.state)
    levels = grading.levels_for(assessment.cycle.framework)
    if level not in levels:
        raise ValidationError(
            {
                "level": _("Choose one of the levels: %(levels)s.")
                % {"levels": ", ".join(map(grading.level_symbol, levels))}
            }
        )
    stage = workflow.STATE_STAGE[process.state]
    current = grading.question_stage(assessment, stage)
    started_from = current.previous.get(question.pk, Decimal(0))
    points = grading.level_points(level, question.max_points)
    reason, comment = reason.strip(), comment.strip()
    if points != started_from and not reason:
        raise ValidationError({"reason": _started_from_message(stage, started_from, question=True)})
    previous = (
        QuestionGrade.objects.select_for_update(of=("self",))
        .select_related("reviewer")
        .filter(assessment=assessment, stage=stage, question=question)
        .first()
    )
    if expected_version is not None and (previous.version if previous else 0) != expected_version:
        if previous is None:
            raise ValidationError(_("This grade changed since you opened the page; open it again."), code="stale")
        raise GradeConflict(current=previous, submitted={"points": str(points), "reason": reason, "comment": comment})
    grade, _created = QuestionGrade.objects.update_or_create(
        assessment=assessment,
        stage=stage,
        question=question,
        defaults={
            "level": level,
            "points": points,
            "previous_points": started_from,
            "reason": reason,
            "comment": comment,
            "reviewer": user,
            "version": (previous.version if previous else 0) + 1,
        },
    )
    snapshot = _stage_snapshot(assessment, stage)
    code = f"{question.indicator.code}.{question.code}"
    audit_record(
        actor=user,
        verb="question.graded",
        target=assessment,
        region_code=assessment.region_id,
        summary=f"{code} {stage}: {level} = {points} / {question.max_points}" + (f" — {reason}" if reason else ""),
        before=_grade_view(previous),
        after={**(_grade_view(grade) or {}), "question": code, "stage": stage, "stage_total": str(snapshot.total)},
    )
    return grade


class GradeConflict(ScoreConflict):
    """Someone graded this question at this stage after the person opened it: both values, nothing saved."""


def _grade_view(grade: QuestionGrade | None) -> dict[str, Any] | None:
    if grade is None:
        return None
    return {
        "level": grade.level,
        "points": str(grade.points),
        "previous": str(grade.previous_points),
        "version": grade.version,
        "reason": grade.reason,
        "comment": grade.comment,
    }


# --- Revision by the region ----------------------------------------------------------------------------------


def open_revision(assessment: Assessment) -> RevisionRequest | None:
    """The revision round the region is working on, if any."""
    return RevisionRequest.objects.filter(assessment=assessment, resubmitted_at__isnull=True).last()


def _check_revisable(user: User, assessment: Assessment, indicator: Indicator) -> RevisionRequest:
    process = _locked_process(assessment)
    request = open_revision(assessment)
    if process.state not in workflow.REVISION_STATES or request is None:
        raise ValidationError(_("This assessment is not open for revision."))
    if not request.items.filter(indicator=indicator).exists():
        raise ValidationError(
            _("Indicator %(code)s was not sent back for revision; only the listed indicators can change.")
            % {"code": indicator.code}
        )
    assignment = IndicatorAssignment.objects.filter(assessment=assessment, indicator=indicator).first()
    if not evaluation_permissions.can_edit_indicator(user, assessment, assignment):
        raise PermissionDenied(_("You cannot edit this indicator: it is not assigned to your agency (OPD)."))
    if timezone.now() > request.deadline:
        raise ValidationError(
            _("The revision deadline (%(deadline)s) has passed. Resubmit, or ask the reviewer for more time.")
            % {"deadline": timezone.localtime(request.deadline).strftime("%Y-%m-%d %H:%M")}
        )
    return request


def _answer_view(answer: Answer | None) -> dict[str, Any] | None:
    if answer is None:
        return None
    keys = ("values", "narrative_done", "narrative_todo", "revision")
    return {key: getattr(answer, key) for key in keys}


@transaction.atomic
def revision_answer_save(
    *,
    user: User,
    assessment: Assessment,
    indicator: Indicator,
    values: Mapping[str, Any],
    narrative_done: str = "",
    narrative_todo: str = "",
    expected_revision: int,
    upload: Any = None,
    evidence_title: str = "",
) -> Answer:
    """The region changes an indicator sent back for revision (only those, only until the deadline): its values,
    its narrative and, with `upload`, a new evidence file added to the library and linked to the indicator (the
    evidence upload of the self-assessment; it is pinned for the reviewers at resubmission).

    The assessment stays submitted; the change is checked and written like any answer (`answer_write`), so a
    save from a stale revision raises ConflictError with both versions. All or nothing: a refused file leaves
    the answer unchanged.
    """
    request = _check_revisable(user, assessment, indicator)
    elements = list(indicator.elements.all())
    cleaned, errors = values_clean(elements, values)
    for key, text in (("narrative_done", narrative_done), ("narrative_todo", narrative_todo)):
        if len(text) > NARRATIVE_MAX_LENGTH:
            errors[key] = _("Keep this under %(limit)s characters.") % {"limit": NARRATIVE_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    before = Answer.objects.filter(assessment=assessment, indicator=indicator).first()
    provenance = answer_provenance(elements, cleaned, computed_for(assessment, elements))
    new = Submitted(cleaned, narrative_done.strip(), narrative_todo.strip(), provenance)
    answer = answer_write(user, assessment, indicator, new, expected_revision)
    added = None
    if upload is not None:
        added = answer_evidence_upload(
            user=user, assessment=assessment, indicator=indicator, upload=upload, title=evidence_title
        ).evidence
    audit_record(
        actor=user,
        verb="answer.revised",
        target=assessment,
        region_code=assessment.region_id,
        summary=f"{indicator.code} r{answer.revision} (revision round {request.round})",
        before=_answer_view(before),
        after={
            **(_answer_view(answer) or {}),
            "indicator": indicator.code,
            "round": request.round,
            **({"evidence": added.title, "evidence_id": added.pk} if added else {}),
        },
    )
    return answer


# --- Reviewers and conflicts ---------------------------------------------------------------------------------


def _require_national_admin(user: User, message: str) -> None:
    if not user_is_national_admin(user):
        raise PermissionDenied(message)


@transaction.atomic
def reviewer_assign(*, user: User, assessment: Assessment, stage: str, reviewer: User) -> ReviewerAssignment:
    """A national admin names a reviewer for one stage of an assessment: someone holding that stage's role over
    the region, not working for the region and without a declared conflict of interest with it."""
    _require_national_admin(user, _("Only a national admin can assign reviewers."))
    if stage not in REVIEW_STAGES:
        raise ValidationError(_("Choose the province, central or field stage."))
    roles = STAGE_ROLES[ScoreStage(stage)]
    if not permissions.holds_role(reviewer, roles, assessment.region_id):
        raise ValidationError(
            _("%(person)s does not hold a role for this stage (%(roles)s).")
            % {"person": reviewer, "roles": permissions.roles_text(roles)}
        )
    if permissions.is_own_region(reviewer, assessment.region_id):
        raise ValidationError(_("%(person)s works for this region and cannot review it.") % {"person": reviewer})
    if permissions.declared_conflict(reviewer, assessment.region_id):
        raise ValidationError(
            _("%(person)s declared a conflict of interest with this region; choose someone else.")
            % {"person": reviewer}
        )
    assignment, created = ReviewerAssignment.objects.get_or_create(
        assessment=assessment, stage=stage, reviewer=reviewer, defaults={"assigned_by": user}
    )
    if not created:
        raise ValidationError(_("%(person)s is already assigned to this stage.") % {"person": reviewer})
    permissions.forget_duties(assessment)
    audit_record(
        actor=user,
        verb="reviewer.assigned",
        target=assessment,
        region_code=assessment.region_id,
        summary=f"{reviewer} → {stage}",
        after={"reviewer": reviewer.pk, "stage": stage},
    )
    return assignment


@dataclass
class BulkAssignment:
    """What a bulk assignment did: how many were assigned, and each region left out with the reason."""

    assigned: list[str]
    skipped: list[tuple[str, str]]


def can_assign(user: User, stage: str, region_code: str) -> bool:
    """National admins assign every stage; a province coordinator assigns the province stage in their province."""
    if user_is_national_admin(user):
        return True
    return stage == ScoreStage.PROVINCE and user_has_role(user, [Role.PROVINCE_COORDINATOR], region_code)


@transaction.atomic
def reviewer_assign_bulk(
    *, user: User, cycle: Cycle, stage: str, reviewer: User, region_codes: list[str]
) -> BulkAssignment:
    """Names one reviewer for one stage of many regions' assessments at once (a province coordinator for the
    province stage of their province, a national admin for any stage). Regions the reviewer may not review are
    left out with the reason: no submitted assessment, outside the assigner's province, the reviewer lacks the
    stage's role there, works for the region, declared a conflict of interest, or is already assigned. A fixed
    number of queries whatever the number of regions; one audit event per assessment assigned."""
    if stage not in REVIEW_STAGES:
        raise ValidationError({"stage": _("Choose the province, central or field stage.")})
    if not region_codes:
        raise ValidationError(_("Choose at least one regency/city."))
    if not any(can_assign(user, stage, code) for code in region_codes):
        raise PermissionDenied(_("You may not assign reviewers to these regions at this stage."))
    roles = STAGE_ROLES[ScoreStage(stage)]
    assessments = {
        a.region_id: a for a in Assessment.objects.filter(cycle=cycle, region_id__in=region_codes, review__isnull=False)
    }
    conflicts = set(ConflictDeclaration.objects.filter(reviewer=reviewer).values_list("region_id", flat=True))
    already = set(
        ReviewerAssignment.objects.filter(
            assessment__in=list(assessments.values()), stage=stage, reviewer=reviewer
        ).values_list("assessment__region_id", flat=True)
    )
    assigned, skipped, rows = [], [], []
    for code in sorted(set(region_codes)):
        ancestors = {".".join(code.split(".")[:n]) for n in range(1, code.count(".") + 2)}
        reason = (
            _("no submitted assessment in this cycle")
            if code not in assessments
            else _("outside the regions you coordinate")
            if not can_assign(user, stage, code)
            else _("%(person)s does not hold a role for this stage there") % {"person": reviewer}
            if not permissions.holds_role(reviewer, roles, code)
            else _("%(person)s works for this region") % {"person": reviewer}
            if permissions.is_own_region(reviewer, code)
            else _("%(person)s declared a conflict of interest") % {"person": reviewer}
            if conflicts & ancestors
            else _("already assigned")
            if code in already
            else None
        )
        if reason:
            skipped.append((code, str(reason)))
            continue
        assigned.append(code)
        rows.append(ReviewerAssignment(assessment=assessments[code], stage=stage, reviewer=reviewer, assigned_by=user))
    ReviewerAssignment.objects.bulk_create(rows)
    assessments_changed(row.assessment.pk for row in rows)  # a bulk insert sends no model signal
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=user,
            verb="reviewer.assigned",
            target_type="evaluations.assessment",
            target_id=str(row.assessment.pk),
            region_code=row.assessment.region_id,
            summary=f"{reviewer} → {stage} (bulk)",
            after={"reviewer": reviewer.pk, "stage": stage, "bulk": len(rows)},
        )
        for row in rows
    )
    return BulkAssignment(assigned, skipped)


@transaction.atomic
def reviewer_unassign(*, user: User, assignment: ReviewerAssignment) -> None:
    """A national admin removes a reviewer from a stage of an assessment."""
    _require_national_admin(user, _("Only a national admin can change reviewers."))
    assessment = assignment.assessment
    audit_record(
        actor=user,
        verb="reviewer.unassigned",
        target=assessment,
        region_code=assessment.region_id,
        summary=f"{assignment.reviewer} ✕ {assignment.stage}",
        before={"reviewer": assignment.reviewer_id, "stage": assignment.stage},
    )
    assignment.delete()


@transaction.atomic
def conflict_declare(*, user: User, region: Region, statement: str) -> ConflictDeclaration:
    """A reviewer declares a conflict of interest with a region (and everything in it); they then cannot be
    assigned to it or act on it."""
    if not user_has_role(user, permissions.REVIEWER_ROLES) and not user_is_national_admin(user):
        raise PermissionDenied(_("Only reviewers declare conflicts of interest."))
    statement = statement.strip()
    if not statement:
        raise ValidationError({"statement": _("Describe the conflict of interest (for example a family tie).")})
    if ConflictDeclaration.objects.filter(reviewer=user, region=region).exists():
        raise ValidationError(_("You already declared a conflict with %(region)s.") % {"region": region.name})
    declaration = ConflictDeclaration.objects.create(reviewer=user, region=region, statement=statement)
    audit_record(
        actor=user,
        verb="conflict.declared",
        target=declaration,
        region_code=region.code,
        summary=f"{user} ↔ {region.name}",
        after={"region": region.code, "statement": statement},
    )
    return declaration


# --- Final predicate and publication -------------------------------------------------------------------------


@transaction.atomic
def final_predicate_set(*, user: User, assessment: Assessment, band_code: str, reason: str) -> FinalResult:
    """The ministry awards a predicate other than the bands give (with the reason), or goes back to the bands."""
    _require_national_admin(user, _("Only a national admin can set the final predicate."))
    result = FinalResult.objects.select_for_update().filter(assessment=assessment).first()
    process = ReviewProcess.objects.filter(assessment=assessment).first()
    if result is None or process is None or process.state != ReviewState.FINALISED:
        raise ValidationError(_("Finalise the assessment before setting its predicate."))
    codes = {band.code for band in rules_load(assessment.cycle.framework).bands}
    if band_code and band_code not in codes:
        raise ValidationError({"band_code": _("Choose one of the framework's predicates.")})
    reason = reason.strip()
    if band_code != result.computed_band_code and not reason:
        raise ValidationError({"reason": _("Give the reason for a predicate other than the bands give.")})
    before = {"band": result.band_code, "reason": result.override_reason}
    result.band_code = band_code
    result.override_reason = reason if band_code != result.computed_band_code else ""
    result.decided_by = user
    result.save(update_fields=["band_code", "override_reason", "decided_by", "decided_at"])
    audit_record(
        actor=user,
        verb="final.predicate_set",
        target=assessment,
        region_code=assessment.region_id,
        summary=f"{before['band'] or '—'} → {band_code or '—'}" + (f": {reason}" if reason else ""),
        before=before,
        after={"band": result.band_code, "reason": result.override_reason, "computed": result.computed_band_code},
    )
    return result


@transaction.atomic
def cycle_results_publish(*, user: User, cycle: Cycle) -> Cycle:
    """A national admin makes the cycle's final results public (finalised assessments only)."""
    _require_national_admin(user, _("Only a national admin can publish results."))
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if locked.results_published_at is not None:
        raise ValidationError(_("The results of this cycle are already published."))
    finalised = ReviewProcess.objects.filter(assessment__cycle=locked, state=ReviewState.FINALISED).count()
    if not finalised:
        raise ValidationError(_("No assessment of this cycle is finalised yet; finalise at least one first."))
    locked.results_published_at = timezone.now()
    Cycle.objects.filter(pk=locked.pk).update(results_published_at=locked.results_published_at)
    bump_on_commit(RESULTS_GENERATION)  # a queryset update sends no model signal: the dashboards are told here
    cycles_changed([locked.pk])  # a queryset update sends no model signal
    audit_record(
        actor=user,
        verb="cycle.results_published",
        target=locked,
        summary=f"{locked.name}: {finalised} finalised",
        before={"published_at": None},
        after={"published_at": locked.results_published_at.isoformat(), "finalised": finalised},
    )
    notices.after_publication(cycle=locked)
    cycle.results_published_at = locked.results_published_at
    return locked


@transaction.atomic
def cycle_window_change(*, user: User, cycle: Cycle, stage: str, start: datetime, end: datetime, reason: str) -> Cycle:
    """A national admin moves one verification stage's window of a cycle (every region), with the reason.

    Per-region extra time stays with the cycle's extensions (`evaluations.services.cycle_extension_grant`).
    """
    _require_national_admin(user, _("Only a national admin can change the cycle's schedule."))
    if stage not in set(workflow.STATE_WINDOW.values()):
        raise ValidationError({"stage": _("Choose one of the verification stages.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the schedule changes; it is kept in the cycle's history.")})
    if end <= start:
        raise ValidationError({"end": _("The window must close after it opens.")})
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    before_start, before_end = locked.window(stage)
    Cycle.objects.filter(pk=locked.pk).update(**{f"{stage}_start": start, f"{stage}_end": end})
    cycles_changed([locked.pk])  # a queryset update sends no model signal
    audit_record(
        actor=user,
        verb="cycle.window_changed",
        target=locked,
        summary=f"{locked.name} {stage}: {start.isoformat()} to {end.isoformat()}: {reason}",
        before={"stage": stage, "start": before_start.isoformat(), "end": before_end.isoformat()},
        after={"stage": stage, "start": start.isoformat(), "end": end.isoformat(), "reason": reason},
    )
    locked.refresh_from_db()
    setattr(cycle, f"{stage}_start", start)
    setattr(cycle, f"{stage}_end", end)
    return locked


@transaction.atomic
def cycle_results_unpublish(*, user: User, cycle: Cycle, reason: str) -> Cycle:
    """A national admin withdraws a cycle's published results, with the reason. Nothing is lost: the final
    scores and predicates stay as they are and can be published again; the public pages stop showing them."""
    _require_national_admin(user, _("Only a national admin can withdraw published results."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the results are withdrawn; it is kept in the cycle's history.")})
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if locked.results_published_at is None:
        raise ValidationError(_("The results of this cycle are not published."))
    published_at = locked.results_published_at
    Cycle.objects.filter(pk=locked.pk).update(results_published_at=None)
    bump_on_commit(RESULTS_GENERATION)
    cycles_changed([locked.pk])  # a queryset update sends no model signal
    audit_record(
        actor=user,
        verb="cycle.results_unpublished",
        target=locked,
        summary=f"{locked.name}: {reason}",
        before={"published_at": published_at.isoformat()},
        after={"published_at": None, "reason": reason},
    )
    locked.results_published_at = None
    cycle.results_published_at = None
    return locked
