"""Evidence pinned at submission (issue #10: after submission, even after publication, any OPD of the region
could replace an evidence file with POST /evidence/<id>/replace; reviewers then downloaded the new file, nothing
said which version was verified and the replacement was not on the review timeline)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from layak.audit.models import AuditEvent
from layak.evaluations.models import AnswerEvidence
from layak.evidence import hooks as evidence_hooks
from layak.evidence.services import evidence_replace_file
from layak.evidence.tests.factories import pdf_of_size
from layak.reviews import services
from layak.reviews.choices import ReviewAction
from layak.reviews.models import EvidencePin
from layak.reviews.selectors import evidence_replace_refusal, pinned_evidence, timeline_events


def _link(assessment, code="I1"):
    return AnswerEvidence.objects.select_related("evidence").get(assessment=assessment, indicator__code=code)


def _upload(size=900):
    return SimpleUploadedFile("akta-baru.pdf", pdf_of_size(size), content_type="application/pdf")


def test_the_replace_policy_is_registered():
    assert evidence_replace_refusal in evidence_hooks.registered()


def test_submission_pins_every_linked_file(reviewers):
    pins = EvidencePin.objects.filter(assessment=reviewers)
    assert pins.count() == AnswerEvidence.objects.filter(assessment=reviewers).count() == 2
    link = _link(reviewers)
    pin = pins.get(evidence=link.evidence)
    assert (pin.round, pin.file_id) == (0, link.evidence.current_file_id)
    assert AuditEvent.objects.get(verb="review.started").after["pinned"] == 2


def test_after_submission_nobody_replaces_a_pinned_file(client, reviewers, region_coordinator):
    evidence = _link(reviewers).evidence
    before = evidence.current_file_id
    with pytest.raises(ValidationError, match="pinned for verification"):
        evidence_replace_file(user=region_coordinator, evidence=evidence, upload=_upload())
    client.force_login(region_coordinator)
    response = client.post(f"/evidence/{evidence.pk}/replace", {"file": _upload(), "note": "versi baru"})
    assert response.status_code == 400
    assert "pinned for verification" in response.content.decode()
    evidence.refresh_from_db()
    assert evidence.current_file_id == before
    assert not AuditEvent.objects.filter(verb="evidence.replaced").exists()


def test_a_revision_round_allows_a_new_version_and_keeps_the_pinned_one(
    reviewers, province_verifier, region_coordinator
):
    link = _link(reviewers)
    first_file = link.evidence.current_file_id
    services.review_transition(
        user=province_verifier,
        assessment=reviewers,
        action=ReviewAction.REQUEST_REVISION,
        comment="Akta",
        items={"I1": "Lampirkan data akta terbaru"},
        deadline=timezone.now() + timedelta(days=3),
    )
    # K1 was not sent back: still pinned.
    with pytest.raises(ValidationError, match="indicator K1"):
        evidence_replace_file(user=region_coordinator, evidence=_link(reviewers, "K1").evidence, upload=_upload())
    evidence_replace_file(user=region_coordinator, evidence=link.evidence, upload=_upload(), note="revisi")
    lines = pinned_evidence(reviewers, link.indicator)
    assert lines[0].pin.file_id == first_file and lines[0].newer  # reviewers still see the pinned file
    services.review_transition(user=region_coordinator, assessment=reviewers, action=ReviewAction.RESUBMIT)
    lines = pinned_evidence(reviewers, link.indicator)
    link.evidence.refresh_from_db()
    assert lines[0].pin.round == 1 and lines[0].pin.file_id == link.evidence.current_file_id
    assert lines[0].number == 1 and not lines[0].newer  # the factory's file had no version row; this is the first
    assert [pin.file_id for pin, _number in lines[0].earlier] == [first_file]
    # The replacement is on the assessment's timeline, and the file is pinned again after resubmission.
    assert "evidence.replaced" in set(timeline_events(reviewers).values_list("verb", flat=True))
    with pytest.raises(ValidationError, match="pinned for verification"):
        evidence_replace_file(user=region_coordinator, evidence=link.evidence, upload=_upload(1200))


def test_an_opd_replaces_only_evidence_of_its_own_indicators(reviewers, province_verifier, opd_contributor):
    services.review_transition(
        user=province_verifier,
        assessment=reviewers,
        action=ReviewAction.REQUEST_REVISION,
        comment="Akta",
        items={"I1": "Lampirkan data akta terbaru"},
        deadline=timezone.now() + timedelta(days=3),
    )
    # I1 is not assigned to the OPD's agency.
    with pytest.raises(ValidationError, match="pinned for verification"):
        evidence_replace_file(user=opd_contributor, evidence=_link(reviewers).evidence, upload=_upload())


def test_the_review_page_shows_the_pinned_version_and_hash(client, reviewers, province_verifier):
    client.force_login(province_verifier)
    link = _link(reviewers)
    page = client.get(f"/reviews/assessments/{reviewers.pk}/indicators/I1/")
    text = page.content.decode()
    assert page.status_code == 200
    assert link.evidence.current_file.sha256[:12] in text
