"""The hand-over between the self-assessment and verification: submission starts the review, and evidence of
an indicator sent back for revision can change until the deadline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from layak.evaluations.services import answer_evidence_link, assessment_submit
from layak.evaluations.tests.factories import COMPLETE, make_assessment, make_cycle
from layak.evidence.tests.factories import PDF_BYTES
from layak.reviews.choices import ScoreStage
from layak.reviews.models import ReviewProcess, ScoreSnapshot
from layak.reviews.services import review_transition
from layak.reviews.workflow import ReviewAction

from .factories import answer_all, indicators_of

pytestmark = pytest.mark.django_db


def _evidence(user, region, title="Data akta 2025"):
    from django.core.files.base import ContentFile

    from layak.evidence.services import evidence_create_from_upload

    upload = ContentFile(PDF_BYTES + title.encode(), name=f"{title}.pdf")
    return evidence_create_from_upload(user=user, region=region, upload=upload, title=title)


def test_submitting_the_self_assessment_starts_province_verification(framework, region_coordinator):
    assessment = make_assessment(make_cycle(framework))
    answer_all(assessment, COMPLETE)
    assessment_submit(user=region_coordinator, assessment=assessment)
    assert ReviewProcess.objects.filter(assessment=assessment).exists()
    assert ScoreSnapshot.objects.filter(assessment=assessment, stage=ScoreStage.SELF).exists()


def test_evidence_of_a_returned_indicator_can_be_linked_until_the_deadline(
    reviewers, province_verifier, region_coordinator
):
    indicators = indicators_of(reviewers)
    review_transition(
        user=province_verifier,
        assessment=reviewers,
        action=ReviewAction.REQUEST_REVISION,
        comment="Lampirkan data Disdukcapil",
        items={"I1": "Lampirkan data akta dari Disdukcapil"},
        deadline=timezone.now() + timedelta(days=2),
    )
    evidence = _evidence(region_coordinator, reviewers.region)
    link = answer_evidence_link(
        user=region_coordinator, assessment=reviewers, indicator=indicators["I1"], evidence=evidence
    )
    assert link.pk
    with pytest.raises(ValidationError, match="submitted"):
        answer_evidence_link(
            user=region_coordinator, assessment=reviewers, indicator=indicators["K1"], evidence=evidence
        )
