"""How the reviews app plugs into the self-assessment (evaluations/hooks.py), and that reading never writes."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from layak.audit.models import AuditEvent
from layak.evaluations import hooks
from layak.evaluations.choices import AssessmentStatus
from layak.evaluations.services import assessment_submit
from layak.evaluations.tests.factories import make_assessment, make_cycle
from layak.reviews.choices import ReviewState
from layak.reviews.models import ReviewProcess, ScoreSnapshot
from layak.reviews.selectors import review_assessment_get_for_user, revision_allows_edit
from layak.reviews.services import review_start_on_submission

from .factories import answer_all


def test_the_reviews_app_registers_its_two_hooks():
    submitted, revision = hooks.registered()
    assert review_start_on_submission in submitted
    assert revision_allows_edit in revision


def test_submitting_starts_the_review_through_the_hook(framework, region_coordinator):
    cycle = make_cycle(framework, year=2026)
    assessment = make_assessment(cycle, "31.71")
    answer_all(assessment)
    assessment_submit(user=region_coordinator, assessment=assessment)
    assert ReviewProcess.objects.get(assessment=assessment).state == ReviewState.PROVINCE_VERIFICATION
    assert ScoreSnapshot.objects.filter(assessment=assessment, stage="self").exists()


def test_reading_a_submitted_assessment_without_a_review_starts_nothing(
    login, framework, region_coordinator, national_admin
):
    """A GET is a read: an assessment marked submitted by other means stays without a review and no event."""
    assessment = make_assessment(make_cycle(framework, year=2026), "31.71")
    Assessment = type(assessment)
    Assessment.objects.filter(pk=assessment.pk).update(
        status=AssessmentStatus.SUBMITTED, submitted_at=timezone.now() - timedelta(days=1)
    )
    events = AuditEvent.objects.count()
    found, process = review_assessment_get_for_user(national_admin, assessment.pk)
    assert found.pk == assessment.pk and process is None
    response = login(national_admin).get(reverse("reviews:assessment_review", args=[assessment.pk]))
    assert response.status_code == 200
    assert not ReviewProcess.objects.filter(assessment=assessment).exists()
    assert AuditEvent.objects.count() == events
