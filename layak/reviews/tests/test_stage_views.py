# ruff: noqa: F811 (a24 is the kla-2024 assessment fixture of test_question_grading, used by name)
"""The real stages through the pages: the ministry selects a region on the progress page, the province attaches
its letter, the field team sets the agenda, records the children heard and opens the completion window, the
region completes a question, objects, the ministry decides; each page says what to do next."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from layak.evaluations.tests.factories import PDF
from layak.reviews import services
from layak.reviews.choices import ReviewAction, ReviewState
from layak.reviews.models import (
    ChildrenHearing,
    CompletionWindow,
    FieldVisit,
    HandoverLetter,
    Objection,
    ReviewProcess,
)

from .test_question_grading import a24, q  # noqa: F401


def _stages(client, a24) -> str:
    response = client.get(f"/reviews/assessments/{a24.pk}/stages/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_stages_through_the_pages(
    client, a24, province_verifier, national_admin, independent_evaluator, region_coordinator
):
    base = f"/reviews/assessments/{a24.pk}/stages"
    HandoverLetter.objects.filter(assessment=a24).delete()
    FieldVisit.objects.filter(assessment=a24).delete()
    # The province is told to attach the letter, attaches it, approves (the hand-over).
    client.force_login(province_verifier)
    assert "Attach the governor" in client.get(f"/reviews/assessments/{a24.pk}/").content.decode()
    letter = SimpleUploadedFile("surat.pdf", PDF + b"gub", content_type="application/pdf")
    client.post(f"{base}/letter/", {"number": "400/1/2025", "letter": letter})
    assert HandoverLetter.objects.get(assessment=a24).number == "400/1/2025"
    services.review_transition(user=province_verifier, assessment=a24, action=ReviewAction.APPROVE)
    assert "Handed over to the ministry" in _stages(client, a24)
    # The ministry selects the region on the progress page (asked first).
    client.force_login(national_admin)
    progress = f"/reviews/cycles/{a24.cycle_id}/progress/"
    assert "field verification" in client.get(progress).content.decode().lower()
    asked = client.post(f"{progress}field/", {"regions": a24.region_id, "select": "1"})
    assert asked.status_code == 200 and not FieldVisit.objects.exists()
    client.post(f"{progress}field/", {"regions": a24.region_id, "select": "1", "confirmed": "yes"})
    assert FieldVisit.objects.filter(assessment=a24).exists()
    services.review_transition(user=independent_evaluator, assessment=a24, action=ReviewAction.APPROVE)
    # The field team: agenda, children heard, completion window.
    client.force_login(independent_evaluator)
    assert "Set the field visit" in _stages(client, a24)
    today = timezone.localdate().isoformat()
    client.post(
        f"{base}/agenda/",
        {"visit_date": today, "mode": "online", "sites": "Puskesmas", "team": "Tim A", "expected_version": "1"},
    )
    assert FieldVisit.objects.get(assessment=a24).has_agenda
    client.post(
        f"{base}/children/",
        {
            "held_on": today,
            "girls_under_13": "3",
            "boys_under_13": "2",
            "girls_13_to_17": "0",
            "boys_13_to_17": "1",
            "topics": "taman",
            "summary": "Ingin taman",
        },
    )
    assert ChildrenHearing.objects.get().children == 6
    question = q("2.1")
    data = {"questions": [str(question.pk)], "note": "SK bertanda tangan"}
    assert client.post(f"{base}/completion/", data).status_code == 200  # the confirmation
    client.post(f"{base}/completion/", {**data, "confirmed": "yes"})
    window = CompletionWindow.objects.get(assessment=a24)
    # The region sees what to do and adds the document.
    client.force_login(region_coordinator)
    page = _stages(client, a24)
    assert "asks for documents" in page and "Add to 2.1" in page
    home = client.get("/").content.decode()
    assert "The field team asks for documents on question 2.1" in home and f"{base}/" in home
    document = SimpleUploadedFile("sk.pdf", PDF + b"ttd", content_type="application/pdf")
    client.post(f"{base}/completion/{question.pk}/", {"title": "SK ttd", "document": document})
    assert "SK ttd" in client.get(f"/reviews/assessments/{a24.pk}/timeline/").content.decode()
    CompletionWindow.objects.filter(pk=window.pk).update(closes_at=timezone.now())
    services.review_transition(user=independent_evaluator, assessment=a24, action=ReviewAction.APPROVE)
    services.review_transition(user=national_admin, assessment=a24, action=ReviewAction.ANNOUNCE)
    # Objection by the region, decision by the ministry (asked first), then finished.
    page = _stages(client, a24)
    assert "object to a question" in page
    assert "you may object to a question" in client.get("/").content.decode()
    client.post(f"{base}/objections/", {"question": str(question.pk), "reason": "SK lengkap"})
    objection = Objection.objects.get(assessment=a24)
    client.force_login(national_admin)
    decide = {f"o{objection.pk}-{k}": v for k, v in {"decision": "rejected", "reason": "Tidak cukup"}.items()}
    decide[f"o{objection.pk}-expected_version"] = "1"
    url = f"{base}/objections/{objection.pk}/decide/"
    assert client.post(url, decide).status_code == 200  # the confirmation
    client.post(url, {**decide, "confirmed": "yes"})
    assert Objection.objects.get(pk=objection.pk).decision == "rejected"
    client.force_login(region_coordinator)
    client.post(f"{base}/objections/done/", {"confirmed": "yes"})
    services.review_transition(user=national_admin, assessment=a24, action=ReviewAction.FINALISE)
    assert ReviewProcess.objects.get(assessment=a24).state == ReviewState.FINALISED
    timeline = client.get(f"/reviews/assessments/{a24.pk}/timeline/").content.decode()
    for words in ("hand-over letter", "field verification", "Forum Anak", "completion window", "objected"):
        assert words in timeline, words
