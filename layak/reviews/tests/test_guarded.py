"""Guarded transitions and scores (issue #10: two "Approve" clicks or a stale tab skipped a stage, central review →
field → finalisation, with two audit events; two reviewers scoring the same indicator: the last writer won)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from layak.audit.models import AuditEvent
from layak.reviews import services
from layak.reviews.choices import ReviewAction, ReviewState, ScoreStage
from layak.reviews.models import IndicatorReview, ReviewProcess
from layak.reviews.tests.factories import assign

PROVINCE = ReviewState.PROVINCE_VERIFICATION


def _approvals(assessment) -> int:
    return AuditEvent.objects.filter(target_id=str(assessment.pk), verb="review.approve").count()


def test_a_second_approve_from_the_same_page_is_refused_with_who_and_when(reviewers, national_admin):
    # The double click of the finding: a national admin may approve the central stage, so a second "Approve"
    # sent from the province page would have skipped it.
    ReviewProcess.objects.filter(assessment=reviewers).update(state=ReviewState.CENTRAL_REVIEW)
    central = ReviewState.CENTRAL_REVIEW
    services.review_transition(
        user=national_admin, assessment=reviewers, action=ReviewAction.APPROVE, expected_state=central
    )
    with pytest.raises(services.StaleAction, match=r"Already done: .* chose “Approve”") as error:
        services.review_transition(
            user=national_admin, assessment=reviewers, action=ReviewAction.APPROVE, expected_state=central
        )
    assert "Field verification" in error.value.messages[0]
    assert ReviewProcess.objects.get(assessment=reviewers).state == ReviewState.FIELD_VERIFICATION
    assert _approvals(reviewers) == 1


def test_compare_and_set_refuses_a_state_read_before_another_write(reviewers, province_verifier, monkeypatch):
    """Without a row lock (SQLite), both requests may read the same state: the conditional UPDATE lets one win."""
    stale = ReviewProcess.objects.get(assessment=reviewers)
    services.review_transition(user=province_verifier, assessment=reviewers, action=ReviewAction.APPROVE)
    monkeypatch.setattr(services, "_locked_process", lambda assessment: stale)
    with pytest.raises(services.StaleAction):
        services.review_transition(user=province_verifier, assessment=reviewers, action=ReviewAction.APPROVE)
    assert ReviewProcess.objects.get(assessment=reviewers).state == ReviewState.CENTRAL_REVIEW
    assert _approvals(reviewers) == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_leave_one_transition_and_one_audit_event(reviewers, province_verifier):
    barrier, outcomes = threading.Barrier(2), []

    def approve():
        try:
            barrier.wait(timeout=10)
            services.review_transition(
                user=province_verifier, assessment=reviewers, action=ReviewAction.APPROVE, expected_state=PROVINCE
            )
            outcomes.append("moved")
        except services.StaleAction:
            outcomes.append("stale")
        except Exception as exc:  # a database refusing the second writer outright also leaves one transition
            outcomes.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes.count("moved") == 1, outcomes
    assert ReviewProcess.objects.get(assessment=reviewers).state == ReviewState.CENTRAL_REVIEW
    assert _approvals(reviewers) == 1


def test_two_reviewers_scoring_the_same_indicator_see_a_conflict(reviewers, indicators, province_verifier, db):
    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_user_with_role

    second = make_user_with_role("verifikator_dki_2", Role.PROVINCE_VERIFIER, "31")
    assign(reviewers, ScoreStage.PROVINCE, second)
    # Both opened the page when K1 had no score (version 0).
    services.indicator_review_save(
        user=province_verifier,
        assessment=reviewers,
        indicator=indicators["K1"],
        points="300",
        reason="SK kedaluwarsa",
        expected_version=0,
    )
    with pytest.raises(services.ScoreConflict) as error:
        services.indicator_review_save(
            user=second,
            assessment=reviewers,
            indicator=indicators["K1"],
            points="200",
            reason="Tidak ada Perda",
            expected_version=0,
        )
    assert error.value.current.points == Decimal(300) and error.value.submitted["points"] == "200.00"
    assert "300" in error.value.message and "200.00" in error.value.message
    review = IndicatorReview.objects.get(assessment=reviewers, stage=ScoreStage.PROVINCE)
    assert (review.points, review.version, review.reviewer) == (Decimal(300), 1, province_verifier)
    # Having seen both, the second reviewer saves knowingly (the version they now saw).
    services.indicator_review_save(
        user=second,
        assessment=reviewers,
        indicator=indicators["K1"],
        points="200",
        reason="Tidak ada Perda",
        expected_version=1,
    )
    assert IndicatorReview.objects.get(assessment=reviewers, stage=ScoreStage.PROVINCE).version == 2


def test_the_stale_tab_and_the_conflict_through_the_pages(client, reviewers, province_verifier):
    client.force_login(province_verifier)
    transition = f"/reviews/assessments/{reviewers.pk}/transition/"
    data = {"action": "approve", "state": "province_verification", "confirmed": "yes"}
    assert client.post(transition, data).status_code == 302
    response = client.post(transition, data, follow=True)
    text = response.content.decode()
    assert "Already done" in text and "province_verification" not in text.split("<main")[-1].split("name=")[0]
    assert _approvals(reviewers) == 1
    # A stale tab never reaches the confirmation page of the next stage's approval.
    response = client.post(transition, {"action": "approve", "state": "province_verification"}, follow=True)
    assert "Already done" in response.content.decode()


def test_the_conflict_page_shows_both_values(client, reviewers, indicators, province_verifier):
    services.indicator_review_save(
        user=province_verifier, assessment=reviewers, indicator=indicators["K1"], points="300", reason="x"
    )
    client.force_login(province_verifier)
    page = f"/reviews/assessments/{reviewers.pk}/indicators/K1/"
    response = client.post(page, {"points": "250", "reason": "y", "expected_version": "0"})
    text = response.content.decode()
    assert response.status_code == 409 and "Yours (not saved)" in text and "250" in text
    assert IndicatorReview.objects.get(assessment=reviewers).points == Decimal(300)
