"""Scores carry forward: each stage starts from the previous stage's verified score, never from the rubric again
(issue #10: K1 set to 35.00 centrally showed 41.40 at the field stage, and the final kept the +6.40)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from layak.reviews import services
from layak.reviews.choices import ReviewAction, ScoreStage
from layak.reviews.models import FinalResult, IndicatorReview, ScoreSnapshot
from layak.reviews.recompute import scores_recompute
from layak.reviews.scores import assessment_stage_score
from layak.reviews.tests.factories import finalise

D = Decimal


def approve(assessment, user):
    return services.review_transition(user=user, assessment=assessment, action=ReviewAction.APPROVE)


def test_a_central_correction_survives_the_field_stage_and_the_final(
    reviewers, indicators, province_verifier, independent_evaluator, national_admin
):
    approve(reviewers, province_verifier)
    services.indicator_review_save(
        user=independent_evaluator, assessment=reviewers, indicator=indicators["K1"], points="300", reason="SK lama"
    )
    approve(reviewers, independent_evaluator)
    # The field stage has not touched K1: it shows the central stage's 300, not the rubric's 400.
    field = assessment_stage_score(reviewers, ScoreStage.FIELD)
    assert field.previous["K1"] == D("300.00")
    assert {i.code: i.points for i in field.score.indicators}["K1"] == D("300.00")
    approve(reviewers, independent_evaluator)
    finalise(reviewers, national_admin)
    snapshots = {s.stage: s.total for s in ScoreSnapshot.objects.filter(assessment=reviewers)}
    assert snapshots == {
        ScoreStage.SELF: D(1000),
        ScoreStage.PROVINCE: D(1000),
        ScoreStage.CENTRAL: D(900),
        ScoreStage.FIELD: D(900),
        ScoreStage.FINAL: D(900),
    }
    assert FinalResult.objects.get(assessment=reviewers).score == D(900)
    # Recomputing keeps the carried correction too.
    scores_recompute(cycle=reviewers.cycle)
    assert ScoreSnapshot.objects.get(assessment=reviewers, stage=ScoreStage.FIELD).total == D(900)
    assert FinalResult.objects.get(assessment=reviewers).score == D(900)


def test_a_stage_differing_from_the_previous_stage_needs_a_reason(
    reviewers, indicators, province_verifier, independent_evaluator
):
    approve(reviewers, province_verifier)
    services.indicator_review_save(
        user=independent_evaluator, assessment=reviewers, indicator=indicators["K1"], points="300", reason="SK lama"
    )
    approve(reviewers, independent_evaluator)
    # Back to the rubric's 400 at the field stage is a change from the central 300: it needs a reason.
    with pytest.raises(ValidationError) as error:
        services.indicator_review_save(
            user=independent_evaluator, assessment=reviewers, indicator=indicators["K1"], points="400"
        )
    assert "verified 300.00 points" in error.value.message_dict["reason"][0]
    # Confirming the central score needs none, and records what the stage started from.
    review = services.indicator_review_save(
        user=independent_evaluator, assessment=reviewers, indicator=indicators["K1"], points="300"
    )
    assert (review.previous_points, review.computed_points, review.reason) == (D(300), D(400), "")
    assert IndicatorReview.objects.filter(assessment=reviewers, stage=ScoreStage.FIELD).count() == 1


def test_review_page_shows_the_previous_stage_beside_this_one(
    client, reviewers, indicators, province_verifier, independent_evaluator
):
    services.indicator_review_save(
        user=province_verifier, assessment=reviewers, indicator=indicators["K1"], points="350", reason="x"
    )
    approve(reviewers, province_verifier)
    client.force_login(independent_evaluator)
    page = client.get(f"/reviews/assessments/{reviewers.pk}/indicators/K1/")
    assert page.status_code == 200
    assert page.context["form"].initial["points"] == D("350.00")
    review = client.get(f"/reviews/assessments/{reviewers.pk}/")
    line = next(line for line in review.context["p"].lines if line.indicator.code == "K1")
    assert (line.computed, line.previous, line.points) == (D(400), D(350), D(350))
