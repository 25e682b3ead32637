# ruff: noqa: F811 (a24 is the kla-2024 assessment fixture of test_question_grading, used by name)
"""The real stages (issue #10, decision 0022): field verification only for selected regions, its agenda and the
children heard, the completion window, the province's hand-over letter, objections to the provisional results;
each guarded, windowed and audited."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from layak.audit.models import AuditEvent
from layak.evaluations.tests.factories import PDF
from layak.evidence.services import evidence_replace_file
from layak.reviews import services, stages
from layak.reviews.choices import ObjectionDecision, ReviewAction, ReviewState, ScoreStage
from layak.reviews.models import (
    EvidencePin,
    FieldVisit,
    FinalResult,
    HandoverLetter,
    Objection,
    ObjectionPeriod,
    ReviewProcess,
)

from .test_question_grading import a24, q  # noqa: F401 (the kla-2024 assessment fixture)

D = Decimal


def _events(assessment, verb: str) -> int:
    return AuditEvent.objects.filter(target_id=str(assessment.pk), verb=verb).count()


def _pdf(name: str = "x.pdf", extra: bytes = b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + extra, content_type="application/pdf")


def _state(assessment) -> str:
    return ReviewProcess.objects.get(assessment=assessment).state


def _to_central(a24, province_verifier):
    services.review_transition(user=province_verifier, assessment=a24, action=ReviewAction.APPROVE)


def _to_field(a24, province_verifier, national_admin, independent_evaluator):
    _to_central(a24, province_verifier)
    stages.field_selection_bulk(user=national_admin, cycle=a24.cycle, region_codes=[a24.region_id], select=True)
    services.review_transition(user=independent_evaluator, assessment=a24, action=ReviewAction.APPROVE)


def _agenda(a24, evaluator):
    return stages.field_agenda_save(
        user=evaluator,
        assessment=a24,
        visit_date=timezone.localdate(),
        mode="hybrid",
        sites="Puskesmas Gambir; SD Negeri 01",
        team="Asdep PHA; Kemendagri; tim independen",
        expected_version=1,
    )


def test_an_unselected_region_goes_from_the_central_review_straight_to_finalisation(
    a24, province_verifier, independent_evaluator, national_admin
):
    FieldVisit.objects.filter(assessment=a24).delete()
    _to_central(a24, province_verifier)
    services.review_transition(user=independent_evaluator, assessment=a24, action=ReviewAction.APPROVE)
    assert _state(a24) == ReviewState.FINALISATION
    # Returned from finalisation, it goes back to the central review (there was no field stage).
    services.review_transition(user=national_admin, assessment=a24, action=ReviewAction.RETURN, comment="cek lagi")
    assert _state(a24) == ReviewState.CENTRAL_REVIEW


def test_selection_is_bulk_by_a_national_admin_audited_and_skips_with_reasons(
    a24, province_verifier, national_admin, independent_evaluator
):
    FieldVisit.objects.filter(assessment=a24).delete()
    with pytest.raises(PermissionDenied):
        stages.field_selection_bulk(user=province_verifier, cycle=a24.cycle, region_codes=[a24.region_id], select=True)
    done = stages.field_selection_bulk(
        user=national_admin, cycle=a24.cycle, region_codes=[a24.region_id, "63.71"], select=True
    )
    assert done.assigned == [a24.region_id] and done.skipped[0][0] == "63.71"
    assert FieldVisit.objects.filter(assessment=a24).exists() and _events(a24, "field.selected") == 1
    again = stages.field_selection_bulk(user=national_admin, cycle=a24.cycle, region_codes=[a24.region_id], select=True)
    assert again.assigned == [] and "already selected" in again.skipped[0][1]
    _to_central(a24, province_verifier)
    services.review_transition(user=independent_evaluator, assessment=a24, action=ReviewAction.APPROVE)
    late = stages.field_selection_bulk(user=national_admin, cycle=a24.cycle, region_codes=[a24.region_id], select=False)
    assert late.assigned == [] and "past the central review" in late.skipped[0][1]


def test_the_province_approval_is_the_hand_over_and_freezes_the_letter(a24, province_verifier, national_admin):
    HandoverLetter.objects.filter(assessment=a24).delete()
    with pytest.raises(ValidationError, match="governor's letter"):
        services.review_transition(user=province_verifier, assessment=a24, action=ReviewAction.APPROVE)
    letter = stages.handover_letter_attach(
        user=province_verifier, assessment=a24, upload=_pdf("surat.pdf", b"1"), number="400/77/2025"
    )
    assert letter.evidence.region_id == "31" and letter.version is not None
    # Replaceable before the hand-over...
    letter = stages.handover_letter_attach(
        user=province_verifier, assessment=a24, upload=_pdf("surat2.pdf", b"2"), number="400/78/2025"
    )
    assert _events(a24, "handover.letter_attached") == 2
    services.review_transition(user=province_verifier, assessment=a24, action=ReviewAction.APPROVE)
    letter.refresh_from_db()
    assert letter.handed_over_at is not None and letter.handed_over_by == province_verifier
    event = AuditEvent.objects.get(target_id=str(a24.pk), verb="review.approve")
    assert event.after["letter"] == "400/78/2025"
    # ...frozen after it: neither a new letter nor a new file of the letter.
    with pytest.raises(ValidationError):
        stages.handover_letter_attach(
            user=province_verifier, assessment=a24, upload=_pdf("surat3.pdf", b"3"), number="400/79/2025"
        )
    with pytest.raises(ValidationError, match="hand-over"):
        evidence_replace_file(user=national_admin, evidence=letter.evidence, upload=_pdf("lain.pdf", b"4"))


def test_a_region_coordinator_cannot_attach_the_letter(a24, region_coordinator):
    with pytest.raises(PermissionDenied):
        stages.handover_letter_attach(user=region_coordinator, assessment=a24, upload=_pdf(), number="1")


def test_agenda_children_heard_and_the_completion_window(
    a24, province_verifier, national_admin, independent_evaluator, region_coordinator
):
    _to_field(a24, province_verifier, national_admin, independent_evaluator)
    with pytest.raises(ValidationError, match="agenda"):
        stages.completion_window_open(
            user=independent_evaluator, assessment=a24, items={q("2.1").pk: "SK bertanda tangan"}, note="x"
        )
    visit = _agenda(a24, independent_evaluator)
    assert visit.version == 2 and visit.has_agenda
    with pytest.raises(ValidationError, match="changed this agenda"):
        _agenda(a24, independent_evaluator)  # the version seen (1) is no longer current
    with pytest.raises(ValidationError, match="number of children"):
        stages.children_hearing_add(
            user=independent_evaluator,
            assessment=a24,
            held_on=timezone.localdate(),
            counts={},
            topics="ruang bermain",
            summary="kurang taman",
        )
    hearing = stages.children_hearing_add(
        user=independent_evaluator,
        assessment=a24,
        held_on=timezone.localdate(),
        counts={"girls_under_13": 4, "boys_13_to_17": 3},
        topics="ruang bermain; keamanan sekolah",
        summary="Anak-anak meminta taman yang buka sore hari.",
    )
    assert hearing.children == 7 and _events(a24, "field.children_heard") == 1
    question = q("2.1")
    window = stages.completion_window_open(
        user=independent_evaluator, assessment=a24, items={question.pk: "SK bertanda tangan bupati"}, note="Lengkapi"
    )
    assert window.closes_at - window.opened_at > timedelta(hours=47)
    # The field stage waits for the window.
    with pytest.raises(ValidationError, match="completion window"):
        services.review_transition(user=independent_evaluator, assessment=a24, action=ReviewAction.APPROVE)
    # Only the named questions, only the region's editors.
    with pytest.raises(ValidationError, match="was not named"):
        stages.completion_document_add(
            user=region_coordinator, assessment=a24, question=q("1.1"), upload=_pdf(), title="x"
        )
    pin = stages.completion_document_add(
        user=region_coordinator, assessment=a24, question=question, upload=_pdf("sk2.pdf", b"ttd"), title="SK ttd"
    )
    assert pin.round == window.round and EvidencePin.objects.filter(round=window.round).count() == 1
    assert _events(a24, "completion.document_added") == 1
    # Outside the window: refused with the closing time, then a national admin extends it for this region.
    type(window).objects.filter(pk=window.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="closed on"):
        stages.completion_document_add(
            user=region_coordinator, assessment=a24, question=question, upload=_pdf("sk3.pdf", b"3"), title="x"
        )
    stages.assessment_window_extend(
        user=national_admin,
        assessment=a24,
        kind="completion",
        until=timezone.now() + timedelta(hours=5),
        reason="Listrik padam",
    )
    assert _events(a24, "window.extended") == 1
    stages.completion_document_add(
        user=region_coordinator, assessment=a24, question=question, upload=_pdf("sk4.pdf", b"4"), title="y"
    )


def _provisional(a24, province_verifier, national_admin, independent_evaluator):
    _to_field(a24, province_verifier, national_admin, independent_evaluator)
    services.question_grade_save(
        user=independent_evaluator, assessment=a24, question=q("2.1"), level="1/2", reason="SK belum ditandatangani"
    )
    services.review_transition(user=independent_evaluator, assessment=a24, action=ReviewAction.APPROVE)
    services.review_transition(user=national_admin, assessment=a24, action=ReviewAction.ANNOUNCE)


def test_objections_are_filed_in_the_period_decided_with_a_reason_then_final(
    a24, province_verifier, national_admin, independent_evaluator, region_coordinator
):
    _provisional(a24, province_verifier, national_admin, independent_evaluator)
    assert _state(a24) == ReviewState.OBJECTION
    question = q("2.1")
    objection = stages.objection_file(
        user=region_coordinator,
        assessment=a24,
        question=question,
        reason="SK sudah ditandatangani, terlampir",
        upload=_pdf("sk-ttd.pdf", b"ttd"),
    )
    assert objection.provisional_points == D("1.50") and objection.evidence is not None
    with pytest.raises(ValidationError, match="already has an objection"):
        stages.objection_file(user=region_coordinator, assessment=a24, question=question, reason="lagi")
    with pytest.raises(ValidationError, match="Decide the region's objection"):
        services.review_transition(user=national_admin, assessment=a24, action=ReviewAction.FINALISE)
    with pytest.raises(PermissionDenied):
        stages.objection_decide(
            user=independent_evaluator,
            objection=objection,
            decision="accepted",
            level="1",
            reason="x",
            expected_version=1,
        )
    stages.objection_decide(
        user=national_admin,
        objection=objection,
        decision=ObjectionDecision.ACCEPTED,
        level="1",
        reason="SK bertanda tangan diterima",
        expected_version=1,
    )
    with pytest.raises(ValidationError, match="Already decided"):
        stages.objection_decide(
            user=national_admin, objection=objection, decision="rejected", reason="x", expected_version=1
        )
    event = AuditEvent.objects.get(target_id=str(a24.pk), verb="objection.decided")
    assert event.before["points"] == "1.50" and event.after["points"] == "3.00"
    # The period is still open: finalising waits for it (or for the region to say it has finished).
    with pytest.raises(ValidationError, match="may object until"):
        services.review_transition(user=national_admin, assessment=a24, action=ReviewAction.FINALISE)
    stages.objections_done(user=region_coordinator, assessment=a24)
    with pytest.raises(ValidationError, match="finished objecting"):
        stages.objection_file(user=region_coordinator, assessment=a24, question=q("1.1"), reason="x")
    services.review_transition(user=national_admin, assessment=a24, action=ReviewAction.FINALISE)
    final = services.ScoreSnapshot.objects.get(assessment=a24, stage=ScoreStage.FINAL)
    field = services.ScoreSnapshot.objects.get(assessment=a24, stage=ScoreStage.FIELD)
    assert final.total - field.total == D("1.50")
    assert FinalResult.objects.get(assessment=a24).score == final.total


def test_a_closed_objection_period_refuses_with_its_date(
    a24, province_verifier, national_admin, independent_evaluator, region_coordinator
):
    _provisional(a24, province_verifier, national_admin, independent_evaluator)
    ObjectionPeriod.objects.filter(assessment=a24).update(closes_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="closed on"):
        stages.objection_file(user=region_coordinator, assessment=a24, question=q("2.1"), reason="x")
    services.review_transition(user=national_admin, assessment=a24, action=ReviewAction.FINALISE)
    assert _state(a24) == ReviewState.FINALISED


def _race(target) -> list[str]:
    barrier, outcomes = threading.Barrier(2), []

    def run():
        try:
            barrier.wait(timeout=10)
            target()
            outcomes.append("done")
        except ValidationError as exc:
            outcomes.append(f"refused: {exc.messages[0]}")
        except Exception as exc:  # a database refusing the second writer outright also leaves one change
            outcomes.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_announcements_leave_one_transition_and_one_event(
    a24, province_verifier, national_admin, independent_evaluator
):
    _to_field(a24, province_verifier, national_admin, independent_evaluator)
    services.review_transition(user=independent_evaluator, assessment=a24, action=ReviewAction.APPROVE)
    outcomes = _race(
        lambda: services.review_transition(
            user=national_admin,
            assessment=a24,
            action=ReviewAction.ANNOUNCE,
            expected_state=ReviewState.FINALISATION,
        )
    )
    assert outcomes.count("done") == 1, outcomes
    assert _state(a24) == ReviewState.OBJECTION and _events(a24, "review.announce") == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_objection_decisions_leave_one_decision_and_one_event(
    a24, province_verifier, national_admin, independent_evaluator, region_coordinator
):
    _provisional(a24, province_verifier, national_admin, independent_evaluator)
    objection = stages.objection_file(user=region_coordinator, assessment=a24, question=q("2.1"), reason="SK ada")
    outcomes = _race(
        lambda: stages.objection_decide(
            user=national_admin, objection=objection, decision="rejected", reason="Tidak cukup", expected_version=1
        )
    )
    assert outcomes.count("done") == 1, outcomes
    assert Objection.objects.get(pk=objection.pk).version == 2 and _events(a24, "objection.decided") == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_completion_windows_leave_one(a24, province_verifier, national_admin, independent_evaluator):
    _to_field(a24, province_verifier, national_admin, independent_evaluator)
    _agenda(a24, independent_evaluator)
    outcomes = _race(
        lambda: stages.completion_window_open(
            user=independent_evaluator, assessment=a24, items={q("2.1").pk: "SK"}, note="Lengkapi"
        )
    )
    assert outcomes.count("done") == 1, outcomes
    assert _events(a24, "completion.opened") == 1
