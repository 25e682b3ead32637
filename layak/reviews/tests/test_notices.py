"""Verification tells the people it concerns, through the notifications' one hook."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from layak.evaluations.models import IndicatorAssignment
from layak.notifications.models import Notification
from layak.notifications.words import notification_text
from layak.reviews import services
from layak.reviews.choices import ReviewAction

from .factories import request_revision
from .test_views import scored_and_finalised

pytestmark = pytest.mark.django_db


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_a_revision_request_notifies_the_coordinator_and_the_owning_opd(
    reviewers, indicators, province_verifier, region_coordinator, opd_contributor, outsider
):
    agency = opd_contributor.roles.get().agency
    IndicatorAssignment.objects.create(assessment=reviewers, indicator=indicators["I1"], agency=agency)
    request_revision(reviewers, province_verifier, {"I1": "Rekap akta per kecamatan"}, comment="Data kurang")
    assert kinds(region_coordinator) == ["revision_requested"] and kinds(opd_contributor) == ["revision_requested"]
    assert kinds(outsider) == [] and kinds(province_verifier) == []
    note = Notification.objects.get(user=region_coordinator)
    with translation.override("id"):
        assert notification_text(note).startswith("Kota Administrasi Jakarta Pusat harus memperbaiki indikator I1")
    assert note.url == reverse("reviews:assessment_review", args=[reviewers.pk])


def test_a_resubmission_notifies_the_assigned_reviewers_and_an_approval_the_region(
    reviewers, province_verifier, region_coordinator, independent_evaluator
):
    request_revision(reviewers, province_verifier, {"I1": "y"}, comment="x")
    services.review_transition(user=region_coordinator, assessment=reviewers, action=ReviewAction.RESUBMIT)
    assert kinds(province_verifier) == ["revision_answered"] and kinds(independent_evaluator) == []
    services.review_transition(user=province_verifier, assessment=reviewers, action=ReviewAction.APPROVE)
    assert "stage_passed" in kinds(region_coordinator)
    with translation.override("en"):
        text = notification_text(Notification.objects.get(user=region_coordinator, kind="stage_passed"))
    assert text == (
        "Kota Administrasi Jakarta Pusat passed the province verification; it is now at the central desk review."
    )


def test_publication_notifies_the_coordinators_of_finalised_regions(
    reviewers, indicators, national_admin, independent_evaluator, region_coordinator
):
    scored_and_finalised(reviewers, indicators, national_admin, independent_evaluator)
    services.cycle_results_publish(user=national_admin, cycle=reviewers.cycle)
    assert "results_published" in kinds(region_coordinator)


def test_the_bell_counts_and_opening_marks_read(login, reviewers, province_verifier, region_coordinator, outsider):
    services.review_transition(user=province_verifier, assessment=reviewers, action=ReviewAction.APPROVE)
    client = login(region_coordinator)
    page = client.get(reverse("home")).content.decode()
    assert 'class="bell-count"' in page and "passed the" in page  # the home lists what is new
    note = Notification.objects.get(user=region_coordinator)
    assert login(outsider).post(reverse("notifications:notification_open", args=[note.pk])).status_code == 404
    response = login(region_coordinator).post(reverse("notifications:notification_open", args=[note.pk]))
    assert response.status_code == 302 and response.url == note.url
    note.refresh_from_db()
    assert note.is_read
    assert 'class="bell-count"' not in login(region_coordinator).get(reverse("home")).content.decode()
