"""Verification's new reads do not grow with the data: the indicator page with many evidence versions and pins,
and the publication preview with many finalised results."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from layak.evaluations.models import AnswerEvidence
from layak.evaluations.tests.factories import attach_evidence
from layak.evidence.services import evidence_replace_file
from layak.evidence.tests.factories import pdf_of_size
from layak.reviews import services
from layak.reviews.choices import ReviewAction
from layak.reviews.tests.factories import submitted_assessment

from .test_views import scored_and_finalised


def _count(client, url: str) -> int:
    """The queries of a repeat view (the first fills the per-user cache and what a frozen version keeps)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_indicator_page_does_not_grow_with_evidence_versions_and_pins(
    client, reviewers, indicators, province_verifier, region_coordinator
):
    client.force_login(province_verifier)
    url = f"/reviews/assessments/{reviewers.pk}/indicators/I1/"
    before = _count(client, url)
    for round_number in range(2):
        services.review_transition(
            user=province_verifier,
            assessment=reviewers,
            action=ReviewAction.REQUEST_REVISION,
            comment="Bukti",
            items={"I1": "Perbarui"},
            deadline=timezone.now() + timedelta(days=2),
        )
        for n in range(3):
            attach_evidence(reviewers, indicators["I1"], name=f"tambahan-{round_number}-{n}.pdf")
        link = AnswerEvidence.objects.filter(assessment=reviewers, indicator=indicators["I1"]).first()
        evidence_replace_file(
            user=region_coordinator,
            evidence=link.evidence,
            upload=SimpleUploadedFile("baru.pdf", pdf_of_size(3000 + round_number), content_type="application/pdf"),
        )
        services.review_transition(user=region_coordinator, assessment=reviewers, action=ReviewAction.RESUBMIT)
    assert _count(client, url) <= before + 2  # messages/session noise only; the pins are three queries


def test_the_publication_preview_does_not_grow_with_results(
    client, reviewers, indicators, national_admin, independent_evaluator, framework
):
    scored_and_finalised(reviewers, indicators, national_admin, independent_evaluator)
    client.force_login(national_admin)
    url = f"/reviews/cycles/{reviewers.cycle_id}/publish/preview/"
    before = _count(client, url)
    for code in ("31.72", "31.73", "31.74"):
        other = submitted_assessment(framework, region_code=code, cycle=reviewers.cycle)
        scored_and_finalised(other, indicators, national_admin, national_admin)
    assert _count(client, url) == before
