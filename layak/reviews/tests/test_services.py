"""Review services: scoring per stage, revision rounds, reviewers and conflicts, final predicate, publication."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from layak.accounts.choices import Role
from layak.accounts.tests.factories import make_agency, make_user_with_role
from layak.audit.models import AuditEvent
from layak.evaluations.choices import AssessmentStatus
from layak.evaluations.models import Answer
from layak.evaluations.tests.factories import make_assessment, make_cycle
from layak.regions.tests.factories import make_region
from layak.reviews import services
from layak.reviews.choices import ReviewAction, ReviewState, ScoreStage
from layak.reviews.models import FinalResult, ReviewProcess, RevisionRequest, ScoreSnapshot
from layak.reviews.selectors import revision_allows_edit
from layak.reviews.tests.factories import finalise as finalise_route

D = Decimal


def move(assessment, state):
    ReviewProcess.objects.filter(assessment=assessment).update(state=state)


def test_starting_a_review_stores_the_self_score_and_is_audited(assessment):
    snapshot = ScoreSnapshot.objects.get(assessment=assessment, stage=ScoreStage.SELF)
    assert snapshot.total == D(1000) and snapshot.band_code == "kla"
    assert snapshot.indicators["I1"]["criteria"][0]["reason"] == "met"
    assert AuditEvent.objects.filter(verb="review.started", target_id=str(assessment.pk)).count() == 1
    assert assessment.review.state == ReviewState.PROVINCE_VERIFICATION


def test_a_draft_cannot_enter_review(framework):
    draft = make_assessment(make_cycle(framework, year=2026))
    with pytest.raises(ValidationError, match="Only a submitted assessment"):
        services.review_start(assessment=draft)
    assert draft.status == AssessmentStatus.DRAFT


# --- Scoring -------------------------------------------------------------------------------------------------


def test_a_lower_score_needs_a_reason_and_updates_the_stage_snapshot(reviewers, indicators, province_verifier):
    with pytest.raises(ValidationError) as error:
        services.indicator_review_save(
            user=province_verifier, assessment=reviewers, indicator=indicators["K1"], points="300"
        )
    assert "The rubric gives 400.00 points" in error.value.message_dict["reason"][0]
    services.indicator_review_save(
        user=province_verifier,
        assessment=reviewers,
        indicator=indicators["K1"],
        points="300",
        reason="Perda belum diundangkan",
        comment="Lampirkan lembaran daerah",
    )
    snapshot = ScoreSnapshot.objects.get(assessment=reviewers, stage=ScoreStage.PROVINCE)
    assert snapshot.total == D(900) and snapshot.band_code == "utama"
    assert snapshot.indicators["K1"] | {"criteria": []} == {
        "group": "K",
        "points": "300.00",
        "max": "400.00",
        "computed": "400.00",
        "criteria": [],
        "reason": "Perda belum diundangkan",
        "comment": "Lampirkan lembaran daerah",
    }
    event = AuditEvent.objects.get(verb="indicator.reviewed")
    assert event.before is None and event.after["points"] == "300.00" and event.after["stage_total"] == "900.00"


def test_rescoring_keeps_before_and_after_in_the_audit(reviewers, indicators, province_verifier):
    for points in ("300", "400"):
        services.indicator_review_save(
            user=province_verifier, assessment=reviewers, indicator=indicators["K1"], points=points, reason="x"
        )
    last = AuditEvent.objects.filter(verb="indicator.reviewed").order_by("-id").first()
    assert last.before["points"] == "300.00" and last.after["points"] == "400.00"


@pytest.mark.parametrize("points", ["-1", "400.01", "banyak"])
def test_points_outside_zero_to_maximum_are_refused(reviewers, indicators, province_verifier, points):
    with pytest.raises(ValidationError) as error:
        services.indicator_review_save(
            user=province_verifier, assessment=reviewers, indicator=indicators["K1"], points=points, reason="x"
        )
    assert "points" in error.value.message_dict


def test_only_the_assigned_reviewer_of_the_current_stage_scores(
    reviewers, indicators, independent_evaluator, region_coordinator, outsider, province_coordinator
):
    for user in (independent_evaluator, region_coordinator, outsider, province_coordinator):
        with pytest.raises(PermissionDenied):
            services.indicator_review_save(user=user, assessment=reviewers, indicator=indicators["K1"], points="400")
    move(reviewers, ReviewState.PROVINCE_REVISION)
    with pytest.raises(ValidationError, match="only while a verification stage is open"):
        services.indicator_review_save(
            user=independent_evaluator, assessment=reviewers, indicator=indicators["K1"], points="400"
        )


def test_approving_a_stage_stores_its_snapshot_even_without_changes(reviewers, province_verifier):
    services.review_transition(user=province_verifier, assessment=reviewers, action=ReviewAction.APPROVE)
    assert ScoreSnapshot.objects.get(assessment=reviewers, stage=ScoreStage.PROVINCE).total == D(1000)


# --- Reviewers and conflicts ---------------------------------------------------------------------------------


def test_a_national_admin_assigns_a_reviewer_with_the_stage_role(assessment, national_admin, province_verifier):
    services.reviewer_assign(user=national_admin, assessment=assessment, stage="province", reviewer=province_verifier)
    assert AuditEvent.objects.filter(verb="reviewer.assigned").get().after == {
        "reviewer": province_verifier.pk,
        "stage": "province",
    }
    with pytest.raises(ValidationError, match="already assigned"):
        services.reviewer_assign(
            user=national_admin, assessment=assessment, stage="province", reviewer=province_verifier
        )


def test_assigning_needs_a_national_admin_and_the_right_role(
    assessment, national_admin, province_verifier, independent_evaluator
):
    with pytest.raises(PermissionDenied):
        services.reviewer_assign(
            user=province_verifier, assessment=assessment, stage="province", reviewer=province_verifier
        )
    with pytest.raises(ValidationError, match="does not hold a role for this stage"):
        services.reviewer_assign(
            user=national_admin, assessment=assessment, stage="province", reviewer=independent_evaluator
        )
    with pytest.raises(ValidationError, match="does not hold a role for this stage"):
        services.reviewer_assign(
            user=national_admin, assessment=assessment, stage="central", reviewer=province_verifier
        )


def test_a_province_verifier_of_another_province_cannot_be_assigned(assessment, national_admin):
    elsewhere = make_user_with_role("verifikator_kalsel", Role.PROVINCE_VERIFIER, "63")
    with pytest.raises(ValidationError, match="does not hold a role"):
        services.reviewer_assign(user=national_admin, assessment=assessment, stage="province", reviewer=elsewhere)


def test_a_declared_conflict_blocks_assignment_and_action(reviewers, national_admin, independent_evaluator):
    services.conflict_declare(user=independent_evaluator, region=make_region("31"), statement="Adik saya Kadis DP3A")
    assert AuditEvent.objects.filter(verb="conflict.declared").get().region_code == "31"
    with pytest.raises(ValidationError, match="declared a conflict of interest"):
        services.reviewer_assign(
            user=national_admin, assessment=reviewers, stage="central", reviewer=independent_evaluator
        )
    move(reviewers, ReviewState.CENTRAL_REVIEW)
    with pytest.raises(PermissionDenied, match="You declared a conflict of interest"):
        services.review_transition(user=independent_evaluator, assessment=reviewers, action=ReviewAction.APPROVE)


def test_a_reviewer_cannot_review_their_own_region(reviewers, national_admin):
    agency = make_agency("31.71", "Bappeda", "Bappeda")
    insider = make_user_with_role("evaluator_jakpus", Role.INDEPENDENT_EVALUATOR)
    make_user_with_role("evaluator_jakpus", Role.OPD_CONTRIBUTOR, "31.71", agency=agency)
    with pytest.raises(ValidationError, match="works for this region"):
        services.reviewer_assign(user=national_admin, assessment=reviewers, stage="central", reviewer=insider)
    move(reviewers, ReviewState.CENTRAL_REVIEW)
    with pytest.raises(PermissionDenied, match="You cannot review your own region"):
        services.review_transition(user=insider, assessment=reviewers, action=ReviewAction.APPROVE)


def test_only_reviewers_declare_conflicts_and_need_a_statement(region_coordinator, independent_evaluator):
    with pytest.raises(PermissionDenied):
        services.conflict_declare(user=region_coordinator, region=make_region("31.71"), statement="x")
    with pytest.raises(ValidationError):
        services.conflict_declare(user=independent_evaluator, region=make_region("31.71"), statement="  ")


def test_an_unassigned_evaluator_cannot_act(assessment, independent_evaluator):
    move(assessment, ReviewState.CENTRAL_REVIEW)
    with pytest.raises(PermissionDenied, match="not assigned"):
        services.review_transition(user=independent_evaluator, assessment=assessment, action=ReviewAction.APPROVE)


# --- Revision round ------------------------------------------------------------------------------------------


def _request(assessment, user, *, days=3, items=None):
    return services.review_transition(
        user=user,
        assessment=assessment,
        action=ReviewAction.REQUEST_REVISION,
        comment="Data akta tidak cocok dengan Disdukcapil",
        items=items or {"I1": "Perbaiki jumlah anak ber-akta sesuai data Disdukcapil"},
        deadline=timezone.now() + timedelta(days=days),
    )


def test_the_region_edits_only_the_returned_indicators_and_resubmits(
    reviewers, indicators, province_verifier, region_coordinator
):
    _request(reviewers, province_verifier)
    assert reviewers.review.__class__.objects.get(pk=reviewers.review.pk).state == ReviewState.PROVINCE_REVISION
    answer = Answer.objects.get(assessment=reviewers, indicator=indicators["I1"])
    services.revision_answer_save(
        user=region_coordinator,
        assessment=reviewers,
        indicator=indicators["I1"],
        values={"children_total": "1000", "children_with_akta": "600"},
        expected_revision=answer.revision,
    )
    with pytest.raises(ValidationError, match="Indicator K1 was not sent back"):
        services.revision_answer_save(
            user=region_coordinator,
            assessment=reviewers,
            indicator=indicators["K1"],
            values={"perda_kla": False},
            expected_revision=1,
        )
    process = services.review_transition(user=region_coordinator, assessment=reviewers, action=ReviewAction.RESUBMIT)
    assert process.state == ReviewState.PROVINCE_VERIFICATION
    request = RevisionRequest.objects.get(assessment=reviewers)
    assert request.resubmitted_by == region_coordinator and not request.is_open
    self_score = ScoreSnapshot.objects.get(assessment=reviewers, stage=ScoreStage.SELF)
    assert self_score.total == D("880.00")  # 60% with akta: half of the 240 akta points
    event = AuditEvent.objects.get(verb="review.resubmit")
    assert event.after["self_total_before"] == "1000.00" and event.after["self_total_after"] == "880.00"
    assert AuditEvent.objects.get(verb="answer.revised").before["values"]["children_with_akta"] == "950"


def test_revision_allows_edit_only_for_returned_indicators_before_the_deadline(
    reviewers, indicators, province_verifier
):

    assert not revision_allows_edit(reviewers, indicators["I1"])
    _request(reviewers, province_verifier)
    assert revision_allows_edit(reviewers, indicators["I1"]) and not revision_allows_edit(reviewers, indicators["K1"])
    RevisionRequest.objects.update(deadline=timezone.now() - timedelta(minutes=1))
    assert not revision_allows_edit(reviewers, indicators["I1"])


def test_every_round_stays_in_the_history(reviewers, province_verifier, region_coordinator):
    _request(reviewers, province_verifier)
    services.review_transition(user=region_coordinator, assessment=reviewers, action=ReviewAction.RESUBMIT)
    _request(reviewers, province_verifier, items={"K1": "Lampirkan Perda", "I2": "Data imunisasi 2024"})
    rounds = list(RevisionRequest.objects.filter(assessment=reviewers).order_by("round"))
    assert [(r.round, r.is_open, r.items.count()) for r in rounds] == [(1, False, 1), (2, True, 2)]
    assert ReviewProcess.objects.get(assessment=reviewers).revision_round == 2


def test_the_region_cannot_edit_after_the_deadline(reviewers, indicators, province_verifier, region_coordinator):
    _request(reviewers, province_verifier)
    RevisionRequest.objects.update(deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="revision deadline"):
        services.revision_answer_save(
            user=region_coordinator,
            assessment=reviewers,
            indicator=indicators["I1"],
            values={"children_total": "1000"},
            expected_revision=1,
        )


def test_an_opd_without_the_indicator_cannot_revise_it(reviewers, indicators, province_verifier, opd_contributor):
    _request(reviewers, province_verifier)
    with pytest.raises(PermissionDenied):
        services.revision_answer_save(
            user=opd_contributor, assessment=reviewers, indicator=indicators["I1"], values={}, expected_revision=1
        )


def test_a_revision_request_needs_indicators_reasons_and_a_future_deadline(reviewers, province_verifier):
    for items, days, message in (
        ({}, 3, "Choose at least one indicator"),
        ({"I1": " "}, 3, "Say what the region must fix"),
        ({"Z9": "x"}, 3, "Unknown indicator"),
        ({"I1": "x"}, -1, "deadline in the future"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.review_transition(
                user=province_verifier,
                assessment=reviewers,
                action=ReviewAction.REQUEST_REVISION,
                comment="x",
                items=items,
                deadline=timezone.now() + timedelta(days=days),
            )
    assert not RevisionRequest.objects.exists()


# --- Final predicate and publication -------------------------------------------------------------------------


def finalise(assessment, admin, field_points=None, indicators=None, evaluator=None):
    move(assessment, ReviewState.FIELD_VERIFICATION)
    if field_points:
        services.indicator_review_save(
            user=evaluator, assessment=assessment, indicator=indicators["K1"], points=field_points, reason="VLH"
        )
    services.review_transition(user=admin, assessment=assessment, action=ReviewAction.APPROVE)
    return finalise_route(assessment, admin)


def test_finalising_takes_the_field_score_and_the_bands(reviewers, indicators, national_admin, independent_evaluator):
    finalise(reviewers, national_admin, "103", indicators, independent_evaluator)
    result = FinalResult.objects.get(assessment=reviewers)
    assert (result.score, result.computed_band_code, result.band_code) == (D("703.00"), "nindya", "nindya")
    assert ScoreSnapshot.objects.get(assessment=reviewers, stage=ScoreStage.FINAL).total == D("703.00")


def test_the_ministry_sets_another_predicate_with_a_reason_and_it_is_audited(reviewers, national_admin):
    finalise(reviewers, national_admin)
    with pytest.raises(ValidationError):
        services.final_predicate_set(user=national_admin, assessment=reviewers, band_code="utama", reason="")
    result = services.final_predicate_set(
        user=national_admin, assessment=reviewers, band_code="utama", reason="Kasus kekerasan anak belum tuntas"
    )
    assert result.is_overridden and result.computed_band_code == "kla"
    event = AuditEvent.objects.get(verb="final.predicate_set")
    assert event.before == {"band": "kla", "reason": ""}
    assert event.after == {"band": "utama", "reason": "Kasus kekerasan anak belum tuntas", "computed": "kla"}


def test_only_a_national_admin_sets_the_predicate_of_a_finalised_assessment(
    reviewers, national_admin, province_verifier
):
    with pytest.raises(ValidationError, match="Finalise the assessment"):
        services.final_predicate_set(user=national_admin, assessment=reviewers, band_code="utama", reason="x")
    finalise(reviewers, national_admin)
    with pytest.raises(PermissionDenied):
        services.final_predicate_set(user=province_verifier, assessment=reviewers, band_code="utama", reason="x")


def test_publishing_needs_a_national_admin_and_a_finalised_assessment(reviewers, national_admin, province_verifier):
    cycle = reviewers.cycle
    with pytest.raises(ValidationError, match="No assessment of this cycle is finalised"):
        services.cycle_results_publish(user=national_admin, cycle=cycle)
    finalise(reviewers, national_admin)
    with pytest.raises(PermissionDenied):
        services.cycle_results_publish(user=province_verifier, cycle=cycle)
    services.cycle_results_publish(user=national_admin, cycle=cycle)
    cycle.refresh_from_db()
    assert cycle.results_published_at is not None
    assert AuditEvent.objects.get(verb="cycle.results_published").after["finalised"] == 1
    with pytest.raises(ValidationError, match="already published"):
        services.cycle_results_publish(user=national_admin, cycle=cycle)
