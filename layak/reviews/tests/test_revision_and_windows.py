"""Revision requests answered with new evidence, and stage windows enforced (issue #10: the revise form had
values and narrative only; all three stages were finished before the province window opened)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from layak.audit.models import AuditEvent
from layak.evaluations.models import Answer, AnswerEvidence
from layak.evaluations.services import cycle_extension_grant
from layak.evidence.tests.factories import pdf_of_size
from layak.reviews import services
from layak.reviews.choices import ReviewAction, ReviewState
from layak.reviews.models import EvidencePin, ReviewProcess
from layak.reviews.tests.factories import request_revision

NOW = timezone.now


def _close_province_window(cycle, *, opens_in_days=None):
    if opens_in_days is not None:
        start = NOW() + timedelta(days=opens_in_days)
        cycle.province_verification_start, cycle.province_verification_end = start, start + timedelta(days=30)
    else:
        cycle.province_verification_start = NOW() - timedelta(days=30)
        cycle.province_verification_end = NOW() - timedelta(days=1)
    cycle.save()


def test_a_stage_cannot_be_finished_before_its_window_opens(reviewers, indicators, province_verifier):
    _close_province_window(reviewers.cycle, opens_in_days=10)
    with pytest.raises(ValidationError, match="window opens on"):
        services.review_transition(user=province_verifier, assessment=reviewers, action=ReviewAction.APPROVE)
    with pytest.raises(ValidationError, match="window opens on"):
        services.indicator_review_save(
            user=province_verifier, assessment=reviewers, indicator=indicators["K1"], points="400"
        )
    assert ReviewProcess.objects.get(assessment=reviewers).state == ReviewState.PROVINCE_VERIFICATION


def test_after_the_window_closes_only_an_extension_reopens_it_for_the_region(
    reviewers, province_verifier, national_admin
):
    _close_province_window(reviewers.cycle)
    with pytest.raises(ValidationError, match="closed on"):
        services.review_transition(user=province_verifier, assessment=reviewers, action=ReviewAction.APPROVE)
    cycle_extension_grant(
        user=national_admin,
        cycle=reviewers.cycle,
        region=reviewers.region,
        stage="province_verification",
        until=NOW() + timedelta(days=2),
        reason="Banjir di kantor Dinas",
    )
    services.review_transition(user=province_verifier, assessment=reviewers, action=ReviewAction.APPROVE)
    assert ReviewProcess.objects.get(assessment=reviewers).state == ReviewState.CENTRAL_REVIEW


def test_the_review_page_says_why_the_stage_is_closed(client, reviewers, province_verifier):
    _close_province_window(reviewers.cycle, opens_in_days=10)
    client.force_login(province_verifier)
    page = client.get(f"/reviews/assessments/{reviewers.pk}/").content.decode()
    assert "window opens on" in page


def test_a_national_admin_changes_the_schedule_with_a_reason(reviewers, national_admin, province_verifier):
    _close_province_window(reviewers.cycle, opens_in_days=10)
    start, end = NOW() - timedelta(hours=1), NOW() + timedelta(days=20)
    with pytest.raises(PermissionDenied):
        services.cycle_window_change(
            user=province_verifier,
            cycle=reviewers.cycle,
            stage="province_verification",
            start=start,
            end=end,
            reason="x",
        )
    with pytest.raises(ValidationError):
        services.cycle_window_change(
            user=national_admin, cycle=reviewers.cycle, stage="province_verification", start=start, end=end, reason=" "
        )
    services.cycle_window_change(
        user=national_admin,
        cycle=reviewers.cycle,
        stage="province_verification",
        start=start,
        end=end,
        reason="Jadwal dimajukan sesuai surat Deputi",
    )
    event = AuditEvent.objects.get(verb="cycle.window_changed")
    assert event.after["reason"] == "Jadwal dimajukan sesuai surat Deputi" and event.before["start"]
    services.review_transition(user=province_verifier, assessment=reviewers, action=ReviewAction.APPROVE)


def test_the_schedule_form_on_the_cycle_page(client, reviewers, national_admin, outsider):
    url = f"/reviews/cycles/{reviewers.cycle_id}/schedule/"
    client.force_login(national_admin)
    assert "Change the schedule" in client.get(f"/reviews/cycles/{reviewers.cycle_id}/").content.decode()
    data = {"stage": "province_verification", "start": "2030-01-01T08:00", "end": "2029-01-01T08:00", "reason": "x"}
    response = client.post(url, data)
    assert response.status_code == 400 and "close after it opens" in response.content.decode()
    assert client.post(url, {**data, "end": "2030-02-01T08:00"}).status_code == 302
    client.force_login(outsider)
    assert client.post(url, {**data, "end": "2030-02-01T08:00"}).status_code == 403


def test_a_revision_is_answered_with_values_narrative_and_a_new_evidence_file(
    client, reviewers, indicators, province_verifier, region_coordinator
):
    request_revision(reviewers, province_verifier, {"I1": "Lampirkan rekap akta per kecamatan"})
    client.force_login(region_coordinator)
    url = f"/reviews/assessments/{reviewers.pk}/indicators/I1/revise/"
    page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page and "New evidence file" in page
    answer = Answer.objects.get(assessment=reviewers, indicator=indicators["I1"])
    upload = SimpleUploadedFile("rekap-akta.pdf", pdf_of_size(2048), content_type="application/pdf")
    response = client.post(
        url,
        {
            "v_children_total": "1000",
            "v_children_with_akta": "990",
            "narrative_done": "Rekap per kecamatan dilampirkan",
            "expected_revision": str(answer.revision),
            "evidence_file": upload,
            "evidence_title": "Rekap akta 2024",
        },
    )
    assert response.status_code == 302
    link = AnswerEvidence.objects.get(
        assessment=reviewers, indicator=indicators["I1"], evidence__title="Rekap akta 2024"
    )
    event = AuditEvent.objects.get(verb="answer.revised")
    assert event.after["evidence"] == "Rekap akta 2024"
    answer.refresh_from_db()
    assert answer.narrative_done == "Rekap per kecamatan dilampirkan"
    services.review_transition(user=region_coordinator, assessment=reviewers, action=ReviewAction.RESUBMIT)
    assert EvidencePin.objects.filter(assessment=reviewers, evidence=link.evidence, round=1).exists()


def test_a_refused_file_leaves_the_answer_unchanged(
    client, reviewers, indicators, province_verifier, region_coordinator
):
    request_revision(reviewers, province_verifier, {"I1": "Lampirkan rekap"})
    client.force_login(region_coordinator)
    answer = Answer.objects.get(assessment=reviewers, indicator=indicators["I1"])
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    response = client.post(
        f"/reviews/assessments/{reviewers.pk}/indicators/I1/revise/",
        {
            "v_children_total": "1000",
            "v_children_with_akta": "10",
            "expected_revision": str(answer.revision),
            "evidence_file": bad,
        },
    )
    assert response.status_code == 400
    answer.refresh_from_db()
    assert answer.values["children_with_akta"] != "10"
