"""The real stages of verification (REFERENCE.md §0 and §4, decision 0022): field verification (VLH) only for
the regions the ministry selects, with its agenda and the record of the children heard; the completion window
after the visit; the province's hand-over letter; the region's objections (sanggah) to its provisional results.

Like every review service: permission first, then the stage's window, one transaction, the review row locked,
a version or a compare-and-set against a second click, and one audit event per change (on the assessment, so it
shows on its timeline).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layak.accounts.models import User
from layak.accounts.selectors import user_is_national_admin
from layak.audit.models import AuditEvent
from layak.audit.services import audit_record
from layak.common.numbers import format_datetime
from layak.evaluations.models import Assessment, Cycle, QuestionEvidence
from layak.evaluations.question_services import can_edit_question, question_assignment
from layak.evaluations.stamps import assessments_changed
from layak.evidence.models import Evidence, EvidenceVersion
from layak.evidence.services import evidence_create_from_upload, evidence_create_unchecked
from layak.frameworks.models import Question

from . import grading, permissions, workflow
from .choices import ObjectionDecision, ReviewState, VisitMode
from .models import (
    ChildrenHearing,
    CompletionItem,
    CompletionWindow,
    EvidencePin,
    FieldVisit,
    HandoverLetter,
    Objection,
    ObjectionPeriod,
    ReviewProcess,
)
from .services import BulkAssignment, _locked_process, window_check

# The states before the field stage: the ministry selects (or deselects) regions for a visit while they are here.
SELECTABLE_STATES = frozenset(
    {
        ReviewState.PROVINCE_VERIFICATION,
        ReviewState.PROVINCE_REVISION,
        ReviewState.CENTRAL_REVIEW,
        ReviewState.CENTRAL_REVISION,
    }
)


def completion_hours() -> int:
    """How long the completion window after a field visit stays open (2x24 hours unless set)."""
    return int(getattr(settings, "LAYAK_COMPLETION_HOURS", 48))


def _require_admin(user: User, message: str) -> None:
    if not user_is_national_admin(user):
        raise PermissionDenied(message)


def _state_is(process: ReviewProcess, state: str, message: str) -> None:
    if process.state != state:
        raise ValidationError(
            message + " " + _("The assessment is at “%(state)s”.") % {"state": ReviewState(process.state).label},
            code="state",
        )


def _version_of(evidence: Evidence) -> EvidenceVersion | None:
    """The version row of the evidence's current file (what a pin or a hand-over records)."""
    return EvidenceVersion.objects.filter(evidence=evidence, file_id=evidence.current_file_id).order_by("-id").first()


# --- Selection for field verification ---------------------------------------------------------------------------


@transaction.atomic
def field_selection_bulk(*, user: User, cycle: Cycle, region_codes: list[str], select: bool) -> BulkAssignment:
    """A national admin selects (or deselects) regions of the cycle for field verification (VLH). Regions left
    out, with the reason: no assessment in verification, already past the central review, already (not)
    selected. A fixed number of queries; one audit event per region changed."""
    _require_admin(user, _("Only a national admin selects the regions for field verification."))
    if not region_codes:
        raise ValidationError(_("Choose at least one regency/city."))
    processes = {
        p.assessment.region_id: p
        for p in ReviewProcess.objects.select_for_update(of=("self",))
        .select_related("assessment")
        .filter(assessment__cycle=cycle, assessment__region_id__in=region_codes)
    }
    chosen = set(
        FieldVisit.objects.filter(assessment__cycle=cycle, assessment__region_id__in=region_codes).values_list(
            "assessment__region_id", flat=True
        )
    )
    done, skipped = [], []
    for code in sorted(set(region_codes)):
        process = processes.get(code)
        reason = (
            _("no assessment in verification in this cycle")
            if process is None
            else _("already past the central review")
            if process.state not in SELECTABLE_STATES
            else _("already selected")
            if select and code in chosen
            else _("not selected")
            if not select and code not in chosen
            else None
        )
        if reason:
            skipped.append((code, str(reason)))
        else:
            done.append(code)
    assessments = [processes[code].assessment for code in done]
    if select:
        FieldVisit.objects.bulk_create(FieldVisit(assessment=a, selected_by=user) for a in assessments)
        assessments_changed(a.pk for a in assessments)  # bulk writes send no model signal
    else:
        FieldVisit.objects.filter(assessment__in=assessments).delete()
    verb = "field.selected" if select else "field.unselected"
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=user,
            verb=verb,
            target_type="evaluations.assessment",
            target_id=str(a.pk),
            region_code=a.region_id,
            summary=f"{a.region_id} VLH {'+' if select else '-'} (bulk {len(assessments)})",
            before={"selected": not select},
            after={"selected": select, "bulk": len(assessments)},
        )
        for a in assessments
    )
    return BulkAssignment(done, skipped)


# --- The field team ------------------------------------------------------------------------------------------


def field_team_refusal(user: Any, assessment: Assessment) -> str | None:
    """Why the user may not act as the field verification team of this assessment (role, own region, conflict,
    not assigned to the field stage), or None."""
    if not permissions.holds_role(user, workflow.CENTRAL_ROLES, assessment.region_id):
        return _("Only these roles can do this at this stage: %(roles)s.") % {
            "roles": permissions.roles_text(workflow.CENTRAL_ROLES)
        }
    return permissions.reviewer_refusal(user, assessment, ReviewState.FIELD_VERIFICATION)


def _field_visit(user: User, assessment: Assessment) -> tuple[ReviewProcess, FieldVisit]:
    refusal = field_team_refusal(user, assessment)
    if refusal:
        raise PermissionDenied(refusal)
    process = _locked_process(assessment)
    visit = FieldVisit.objects.select_for_update().filter(assessment=assessment).first()
    if visit is None:
        raise ValidationError(_("This region was not selected for field verification."), code="state")
    _state_is(process, ReviewState.FIELD_VERIFICATION, _("The field verification is not open."))
    window_check(assessment, process.state)
    return process, visit


def _visit_view(visit: FieldVisit) -> dict[str, Any]:
    return {
        "date": visit.visit_date.isoformat() if visit.visit_date else "",
        "mode": visit.mode,
        "sites": visit.sites,
        "team": visit.team,
        "version": visit.version,
    }


@transaction.atomic
def field_agenda_save(
    *,
    user: User,
    assessment: Assessment,
    visit_date: date,
    mode: str,
    sites: str,
    team: str,
    expected_version: int,
) -> FieldVisit:
    """The field team sets the visit's agenda: date, online or on site, the sites to visit and the team.
    `expected_version` is the agenda the person saw; a newer one is never overwritten silently."""
    _process, visit = _field_visit(user, assessment)
    if visit.version != expected_version:
        raise ValidationError(
            _("Someone changed this agenda since you opened it; the page now shows the current one."), code="stale"
        )
    if mode not in VisitMode.values:
        raise ValidationError({"mode": _("Choose online, on site or hybrid.")})
    sites, team = sites.strip(), team.strip()
    if not sites or not team:
        raise ValidationError(_("Name the sites to visit and the members of the team."))
    before = _visit_view(visit)
    visit.visit_date, visit.mode, visit.sites, visit.team = visit_date, mode, sites, team
    visit.version += 1
    visit.save()
    audit_record(
        actor=user,
        verb="field.agenda_saved",
        target=assessment,
        region_code=assessment.region_id,
        summary=f"VLH {visit_date.isoformat()} {mode}",
        before=before,
        after=_visit_view(visit),
    )
    return visit


HEARING_COUNTS = ("girls_under_13", "boys_under_13", "girls_13_to_17", "boys_13_to_17")


@transaction.atomic
def children_hearing_add(
    *, user: User, assessment: Assessment, held_on: date, counts: Mapping[str, int], topics: str, summary: str
) -> ChildrenHearing:
    """The field team records a dialogue with children (Forum Anak): counts by age band and sex, the topics and
    what the children said, in summary; no names. At least one child."""
    _process, visit = _field_visit(user, assessment)
    numbers = {key: int(counts.get(key) or 0) for key in HEARING_COUNTS}
    if any(value < 0 for value in numbers.values()):
        raise ValidationError(_("Counts cannot be negative."))
    if not sum(numbers.values()):
        raise ValidationError(_("Give the number of children heard."))
    topics, summary = topics.strip(), summary.strip()
    if not topics or not summary:
        raise ValidationError(_("Write the topics and a summary of what the children said."))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The dialogue cannot be in the future.")})
    hearing = ChildrenHearing.objects.create(
        visit=visit, held_on=held_on, topics=topics, summary=summary, recorded_by=user, **numbers
    )
    audit_record(
        actor=user,
        verb="field.children_heard",
        target=assessment,
        region_code=assessment.region_id,
        summary=f"Forum Anak {held_on.isoformat()}: {hearing.children}",
        after={"date": held_on.isoformat(), "children": hearing.children, "topics": topics},
    )
    return hearing


# --- Completion window after the visit ---------------------------------------------------------------------


def open_completion(assessment: Assessment, now: datetime | None = None) -> CompletionWindow | None:
    """The completion window open now for this assessment, if any."""
    now = now or timezone.now()
    return CompletionWindow.objects.filter(assessment=assessment, closes_at__gte=now).order_by("-round").first()


@transaction.atomic
def completion_window_open(
    *,
    user: User,
    assessment: Assessment,
    items: Mapping[int, str],
    note: str,
    expected_state: str | None = None,
) -> CompletionWindow:
    """After the visit, the field team names the questions the region may complete with documents; the window
    stays open `completion_hours()` (2x24 hours by default). One window at a time; its round continues the
    revision rounds, so the documents are pinned as that round."""
    process, visit = _field_visit(user, assessment)
    if expected_state and expected_state != process.state:
        raise ValidationError(_("The review moved on since you opened the page; nothing was changed."), code="stale")
    if not grading.is_question_level(assessment):
        raise ValidationError(_("This instrument has no questions; send the indicators back for revision instead."))
    if not visit.has_agenda:
        raise ValidationError(_("Set the visit's agenda first: the completion window follows the visit."))
    if open_completion(assessment):
        raise ValidationError(_("A completion window is already open for this region."), code="stale")
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say what the region must complete.")})
    if not items:
        raise ValidationError(_("Choose at least one question the region may complete."))
    questions = {
        q.pk: q
        for q in Question.objects.filter(pk__in=list(items), indicator__version_id=assessment.cycle.framework_id)
    }
    blank = [pk for pk, reason in items.items() if not str(reason).strip()]
    if set(items) - set(questions) or blank:
        raise ValidationError(_("Say which document is asked for each question chosen."))
    process.revision_round += 1
    ReviewProcess.objects.filter(pk=process.pk).update(revision_round=process.revision_round)
    assessments_changed([assessment.pk])  # a queryset update and the bulk insert below send no model signal
    window = CompletionWindow.objects.create(
        assessment=assessment,
        round=process.revision_round,
        note=note,
        closes_at=timezone.now() + timedelta(hours=completion_hours()),
        opened_by=user,
    )
    CompletionItem.objects.bulk_create(
        CompletionItem(window=window, question=questions[pk], reason=str(reason).strip())
        for pk, reason in items.items()
    )
    audit_record(
        actor=user,
        verb="completion.opened",
        target=assessment,
        region_code=assessment.region_id,
        summary=f"r{window.round} until {window.closes_at.isoformat()}",
        after={
            "round": window.round,
            "deadline": window.closes_at.isoformat(),
            "note": note,
            "questions": {questions[pk].full_code: str(reason).strip() for pk, reason in items.items()},
        },
    )
    return window


def completion_refusal(user: Any, assessment: Assessment, question: Question) -> str | None:
    """Why the user may not add a document to this question now (no open window, question not named, not the
    region's editor of the question), or None."""
    window = open_completion(assessment)
    if window is None:
        last = CompletionWindow.objects.filter(assessment=assessment).order_by("-round").first()
        if last is None:
            return _("The field team has not opened a completion window for this region.")
        return _("The completion window closed on %(when)s; documents can no longer be added.") % {
            "when": format_datetime(last.closes_at)
        }
    if not window.items.filter(question=question).exists():
        return _("Question %(code)s was not named by the field team; only the named questions can be completed.") % {
            "code": question.full_code
        }
    if not can_edit_question(user, assessment, question_assignment(assessment, question)):
        return _("You cannot edit this question: it is not assigned to your agency (OPD).")
    return None


@transaction.atomic
def completion_document_add(
    *, user: User, assessment: Assessment, question: Question, upload: Any, title: str
) -> EvidencePin:
    """The region adds a document to a question the field team named, during the completion window: the file
    goes to the region's library, is linked to the question and pinned at once as the window's round (the
    field stage grades that version)."""
    _locked_process(assessment)
    refusal = completion_refusal(user, assessment, question)
    if refusal:
        raise ValidationError(refusal, code="window")
    window = open_completion(assessment)
    assert window is not None  # checked by completion_refusal
    evidence = evidence_create_from_upload(user=user, region=assessment.region, upload=upload, title=title)
    QuestionEvidence.objects.get_or_create(
        assessment=assessment, question=question, evidence=evidence, defaults={"linked_by": user}
    )
    pin = EvidencePin.objects.create(
        assessment=assessment,
        indicator=question.indicator,
        evidence=evidence,
        element_code=f"q{question.code}"[:60],
        file_id=evidence.current_file_id,
        version=_version_of(evidence),
        round=window.round,
    )
    audit_record(
        actor=user,
        verb="completion.document_added",
        target=assessment,
        region_code=assessment.region_id,
        summary=f"{question.full_code} ← {evidence.title} (r{window.round})",
        after={
            "question": question.full_code,
            "evidence": evidence.title,
            "evidence_id": evidence.pk,
            "version": pin.version_id,
            "round": window.round,
        },
    )
    return pin


# --- Per-region extensions of the assessment's own windows -------------------------------------------------


@transaction.atomic
def assessment_window_extend(*, user: User, assessment: Assessment, kind: str, until: datetime, reason: str) -> None:
    """A national admin gives one region more time in its completion window or its objection period, with the
    reason (the cycle's stage windows are extended with the cycle's extensions)."""
    _require_admin(user, _("Only a national admin can extend a region's window."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this region gets more time.")})
    if until <= timezone.now():
        raise ValidationError({"until": _("Choose a time in the future.")})
    _locked_process(assessment)
    row: CompletionWindow | ObjectionPeriod | None
    if kind == "completion":
        row = CompletionWindow.objects.filter(assessment=assessment).order_by("-round").first()
    elif kind == "objection":
        row = ObjectionPeriod.objects.filter(assessment=assessment).first()
    else:
        raise ValidationError(_("Choose the completion window or the objection period."))
    if row is None:
        raise ValidationError(_("This region has no such window to extend."))
    if until <= row.closes_at:
        raise ValidationError({"until": _("An extension ends after the current closing time.")})
    before = row.closes_at
    row.closes_at = until
    row.save(update_fields=["closes_at"])
    audit_record(
        actor=user,
        verb="window.extended",
        target=assessment,
        region_code=assessment.region_id,
        summary=f"{kind} {before.isoformat()} → {until.isoformat()}: {reason}",
        before={"kind": kind, "closes": before.isoformat()},
        after={"kind": kind, "closes": until.isoformat(), "reason": reason},
    )


# --- The province's hand-over letter -------------------------------------------------------------------------


def handover_refusal(user: Any, assessment: Assessment) -> str | None:
    """Why the user may not attach the hand-over letter: the province's roles who approve its stage."""
    cell = workflow.transition_for(ReviewState.PROVINCE_VERIFICATION, "approve")
    assert cell is not None
    return permissions.refusal(user, assessment, cell)


@transaction.atomic
def handover_letter_attach(
    *, user: User, assessment: Assessment, upload: Any, number: str, title: str = ""
) -> HandoverLetter:
    """The province attaches the governor's letter (surat gubernur) handing the verified assessment to the
    ministry. The file goes to the province's evidence library; until the province approves (the hand-over) it
    may be replaced by another letter, afterwards it is frozen."""
    refusal = handover_refusal(user, assessment)
    if refusal:
        raise PermissionDenied(refusal)
    process = _locked_process(assessment)
    _state_is(process, ReviewState.PROVINCE_VERIFICATION, _("The letter is attached during province verification."))
    window_check(assessment, process.state)
    number = number.strip()
    if not number:
        raise ValidationError({"number": _("Give the letter's number.")})
    current = HandoverLetter.objects.select_for_update().filter(assessment=assessment).first()
    if current is not None and current.handed_over_at is not None:
        raise ValidationError(_("This assessment was already handed over; its letter can no longer change."))
    province = assessment.region.parent if assessment.region.parent_id else assessment.region
    evidence = evidence_create_unchecked(
        user=user,
        region=province,
        upload=upload,
        title=title.strip() or _("Governor's letter %(number)s") % {"number": number},
    )
    version = (
        EvidenceVersion.objects.filter(evidence=evidence, file_id=evidence.current_file_id).order_by("-id").first()
    )
    before = {"number": current.number, "evidence": current.evidence_id} if current else None
    letter, _created = HandoverLetter.objects.update_or_create(
        assessment=assessment,
        defaults={"evidence": evidence, "version": version, "number": number, "uploaded_by": user},
    )
    audit_record(
        actor=user,
        verb="handover.letter_attached",
        target=assessment,
        region_code=assessment.region_id,
        summary=f"{number}: {evidence.title}",
        before=before,
        after={"number": number, "evidence": evidence.pk, "title": evidence.title},
    )
    return letter


def handover_replace_refusal(evidence: Evidence, user: Any) -> str | None:
    """Evidence policy: a governor's letter that was handed over is frozen."""
    if HandoverLetter.objects.filter(evidence=evidence, handed_over_at__isnull=False).exists():
        return _("“%(title)s” is the governor's letter of a completed hand-over and can no longer change.") % {
            "title": evidence.title
        }
    return None


# --- Objections to the provisional results -------------------------------------------------------------------


def objection_refusal(user: Any, assessment: Assessment, process: ReviewProcess | None) -> str | None:
    """Why the user may not file an objection now (not the region's coordinator, no provisional results, the
    period closed or finished), or None."""
    if not permissions.holds_role(user, workflow.REGION, assessment.region_id):
        return _("Only the region's coordinator files objections.")
    if process is None or process.state != ReviewState.OBJECTION:
        return _("Objections are filed after the provisional results are announced.")
    period = ObjectionPeriod.objects.filter(assessment=assessment).first()
    if period is None:
        return _("Objections are filed after the provisional results are announced.")
    if period.done_at is not None:
        return _("The region said on %(when)s that it had finished objecting.") % {
            "when": format_datetime(period.done_at)
        }
    if timezone.now() > period.closes_at:
        return _("The objection period closed on %(when)s; objections can no longer be filed.") % {
            "when": format_datetime(period.closes_at)
        }
    return None


@transaction.atomic
def objection_file(
    *, user: User, assessment: Assessment, question: Question, reason: str, upload: Any = None, title: str = ""
) -> Objection:
    """The region objects to the provisional grade of one question, with its reason and (optionally) a
    document, during the objection period. One objection per question."""
    process = _locked_process(assessment)
    refusal = objection_refusal(user, assessment, process)
    if refusal:
        raise ValidationError(refusal, code="window")
    if question.indicator.version_id != assessment.cycle.framework_id:
        raise ValidationError(_("This question does not belong to the cycle's framework."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the region objects.")})
    if Objection.objects.filter(assessment=assessment, question=question).exists():
        raise ValidationError(_("Question %(code)s already has an objection.") % {"code": question.full_code})
    evidence = None
    if upload is not None:
        evidence = evidence_create_from_upload(
            user=user, region=assessment.region, upload=upload, title=title.strip() or reason[:80]
        )
    provisional = grading.question_stage(assessment, "field").points.get(question.pk, Decimal(0))
    try:
        with transaction.atomic():
            objection = Objection.objects.create(
                assessment=assessment,
                question=question,
                reason=reason,
                evidence=evidence,
                provisional_points=provisional,
                filed_by=user,
            )
    except IntegrityError:
        raise ValidationError(_("Question %(code)s already has an objection.") % {"code": question.full_code}) from None
    audit_record(
        actor=user,
        verb="objection.filed",
        target=assessment,
        region_code=assessment.region_id,
        summary=f"{question.full_code}: {reason}",
        after={
            "question": question.full_code,
            "reason": reason,
            "points": str(provisional),
            **({"evidence": evidence.title} if evidence else {}),
        },
    )
    return objection


@transaction.atomic
def objections_done(*, user: User, assessment: Assessment) -> ObjectionPeriod:
    """The region says it has finished objecting: the ministry may finalise without waiting for the deadline."""
    process = _locked_process(assessment)
    refusal = objection_refusal(user, assessment, process)
    if refusal:
        raise ValidationError(refusal, code="window")
    period = ObjectionPeriod.objects.get(assessment=assessment)
    period.done_at = timezone.now()
    period.save(update_fields=["done_at"])
    filed = Objection.objects.filter(assessment=assessment).count()
    audit_record(
        actor=user,
        verb="objection.done",
        target=assessment,
        region_code=assessment.region_id,
        summary=f"{filed} objection(s)",
        after={"objections": filed},
    )
    return period


@transaction.atomic
def objection_decide(
    *, user: User, objection: Objection, decision: str, level: str = "", reason: str, expected_version: int
) -> Objection:
    """The ministry decides an objection with its reason: accepted, the question's final points become the level
    chosen (the provisional total is recomputed); rejected, the grade stays. Guarded by the objection's version
    (a second decision is refused with who decided and when)."""
    from .scores import snapshot_write
    from .services import final_fields

    _require_admin(user, _("Only a national admin decides objections."))
    assessment = objection.assessment
    process = _locked_process(assessment)
    _state_is(process, ReviewState.OBJECTION, _("Objections are decided during the objection period."))
    window_check(assessment, process.state)
    current = (
        Objection.objects.select_for_update(of=("self",)).select_related("decided_by", "question").get(pk=objection.pk)
    )
    if current.version != expected_version or current.decision != ObjectionDecision.PENDING:
        raise ValidationError(
            _("Already decided: %(who)s decided this objection on %(when)s. Nothing was changed.")
            % {
                "who": current.decided_by or _("someone"),
                "when": format_datetime(current.decided_at) if current.decided_at else "—",
            },
            code="stale",
        )
    if decision not in (ObjectionDecision.ACCEPTED, ObjectionDecision.REJECTED):
        raise ValidationError({"decision": _("Accept or reject the objection.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"decision_reason": _("Give the reason for the decision; the region reads it.")})
    points = None
    if decision == ObjectionDecision.ACCEPTED:
        levels = grading.levels_for(assessment.cycle.framework)
        if level not in levels:
            raise ValidationError({"level": _("Choose the level the question gets.")})
        points = grading.level_points(level, current.question.max_points)
        if points == current.provisional_points:
            raise ValidationError({"level": _("An accepted objection changes the grade: choose another level.")})
    moved = Objection.objects.filter(
        pk=current.pk, version=expected_version, decision=ObjectionDecision.PENDING
    ).update(
        decision=decision,
        level=level if points is not None else "",
        points=points,
        decision_reason=reason,
        decided_by=user,
        decided_at=timezone.now(),
        version=expected_version + 1,
    )
    if not moved:  # another request decided after this one read the row (SQLite has no row lock)
        raise ValidationError(_("Already decided by someone else; nothing was changed."), code="stale")
    current.refresh_from_db()
    provisional = snapshot_write(assessment, "final", final_fields(assessment))
    audit_record(
        actor=user,
        verb="objection.decided",
        target=assessment,
        region_code=assessment.region_id,
        summary=f"{current.question.full_code}: {decision} — {reason}",
        before={"points": str(current.provisional_points), "decision": ObjectionDecision.PENDING},
        after={
            "question": current.question.full_code,
            "decision": decision,
            "points": str(points) if points is not None else str(current.provisional_points),
            "reason": reason,
            "total": str(provisional.total),
        },
    )
    return current
