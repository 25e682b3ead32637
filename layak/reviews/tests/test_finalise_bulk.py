"""Finalising many regions of a cycle at once (issue #10: all 514 regions ≤ 2 s): the same stored figures as the
per-region path, regions left out with the reason in words, a region changed meanwhile left out, one audit event
per region, national admins only, asked first, and a fixed number of queries whatever the number of regions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from layak.audit.models import AuditEvent
from layak.evaluations.choices import AssessmentStatus
from layak.evaluations.models import QuestionAnswer, QuestionEvidence
from layak.evaluations.tests.factories import make_assessment, make_cycle
from layak.evidence.models import Evidence, EvidenceKind
from layak.frameworks.models import FrameworkVersion, Question
from layak.frameworks.services import framework_load_file
from layak.frameworks.tests.conftest import SHIPPED
from layak.reviews import grading
from layak.reviews.choices import ObjectionDecision, ReviewAction, ReviewState, ScoreStage
from layak.reviews.finalise_bulk import finalise_bulk, finalise_plan
from layak.reviews.models import (
    FinalResult,
    Objection,
    ObjectionPeriod,
    QuestionGrade,
    ReviewProcess,
    ScoreSnapshot,
)
from layak.reviews.services import review_transition
from layak.reviews.tests.factories import open_review_windows

REGIONS = ["31.71", "31.72", "31.73", "31.74", "31.75"]


def _answers(assessment, questions, n: int) -> None:
    """Answers most questions differently per region (every answer type), with evidence on some."""
    evidence = Evidence.objects.create(
        region_id=assessment.region_id, title="Bukti", kind=EvidenceKind.LINK, url="https://example.org/b.pdf"
    )
    answers, links = [], []
    for i, question in enumerate(questions):
        if (i + n) % 5 == 0:
            continue  # unanswered
        years = {}
        if question.answer_type == "percentage":
            years = {"2024": {"numerator": str(300 + 40 * n + i), "denominator": "1000"}}
        elif question.answer_type == "count":
            years = {"2024": {"count": str(i % 7 + n)}}
        matriks = [{"item": "x", "agency": "y", "role": "", "year": "2024", "document": ""}] * ((i + n) % 3)
        answers.append(
            QuestionAnswer(
                assessment=assessment, question=question, yes=(i + n) % 4 != 0, years=years, text="x", matriks=matriks
            )
        )
        if question.asks_evidence and (i + n) % 3:
            links.append(QuestionEvidence(assessment=assessment, question=question, evidence=evidence))
    QuestionAnswer.objects.bulk_create(answers)
    QuestionEvidence.objects.bulk_create(links)


def _grade(assessment, question, stage: str, level: str, previous: Decimal) -> QuestionGrade:
    points = grading.level_points(level, question.max_points)
    return QuestionGrade.objects.create(
        assessment=assessment,
        stage=stage,
        question=question,
        level=level,
        points=points,
        previous_points=previous,
        reason="" if points == previous else f"{stage} {level}",
    )


@pytest.fixture
def world(db, national_admin):
    """Five kla-2024 regions at the objection stage, answered differently, graded at every stage (a later stage
    overriding an earlier one), one with an accepted and a rejected objection, one with a provisional snapshot."""
    framework_load_file(SHIPPED / "kla-2024.yaml")
    framework = FrameworkVersion.objects.get(slug="kla-2024")
    cycle = open_review_windows(make_cycle(framework, year=2024))
    questions = list(Question.objects.filter(indicator__version=framework).select_related("indicator").order_by("pk"))
    assessments = []
    for n, code in enumerate(REGIONS):
        assessment = make_assessment(cycle, code)
        assessment.status, assessment.submitted_at = AssessmentStatus.SUBMITTED, timezone.now()
        assessment.save(update_fields=["status", "submitted_at"])
        _answers(assessment, questions, n)
        ReviewProcess.objects.create(assessment=assessment, state=ReviewState.OBJECTION)
        ObjectionPeriod.objects.create(assessment=assessment, closes_at=timezone.now() - timedelta(hours=1))
        for i, question in enumerate(questions[n : n + 40 : 3]):
            _grade(assessment, question, ScoreStage.PROVINCE, "1/2", Decimal(-1))
            if i % 2:
                _grade(assessment, question, ScoreStage.CENTRAL, "1/4", Decimal(-1))
            if i % 3 == 0:
                _grade(assessment, question, ScoreStage.FIELD, "3/4", Decimal(-1))
        assessments.append(assessment)
    first = assessments[0]
    Objection.objects.create(
        assessment=first,
        question=questions[3],
        reason="x",
        provisional_points=Decimal(0),
        decision=ObjectionDecision.ACCEPTED,
        decision_reason="SK ada",
        level="1",
        points=questions[3].max_points,
    )
    Objection.objects.create(
        assessment=first,
        question=questions[6],
        reason="y",
        provisional_points=0,
        decision=ObjectionDecision.REJECTED,
        decision_reason="tidak",
    )
    ScoreSnapshot.objects.create(assessment=assessments[1], stage=ScoreStage.FINAL, total=1, max_total=1)
    return cycle, assessments


def _stored(assessments) -> dict:
    ids = [a.pk for a in assessments]
    snapshots = {
        s.assessment_id: (s.total, s.max_total, s.band_code, s.groups, s.indicators)
        for s in ScoreSnapshot.objects.filter(assessment_id__in=ids, stage=ScoreStage.FINAL)
    }
    results = {
        r.assessment_id: (r.score, r.computed_band_code, r.band_code, r.override_reason, r.decided_by_id)
        for r in FinalResult.objects.filter(assessment_id__in=ids)
    }
    states = dict(ReviewProcess.objects.filter(assessment_id__in=ids).values_list("assessment_id", "state"))
    events = sorted(
        AuditEvent.objects.filter(verb="review.finalise", target_id__in=[str(pk) for pk in ids]).values_list(
            "actor_id", "actor_name", "verb", "target_type", "target_id", "region_code", "summary", "before", "after"
        )
    )
    return {"snapshots": snapshots, "results": results, "states": states, "events": events}


def test_bulk_stores_exactly_what_the_per_region_path_stores(world, national_admin):
    cycle, assessments = world
    with transaction.atomic():
        for assessment in assessments:
            review_transition(
                user=national_admin,
                assessment=assessment,
                action=ReviewAction.FINALISE,
                expected_state=ReviewState.OBJECTION,
            )
        one_by_one = _stored(assessments)
        transaction.set_rollback(True)
    assert _stored(assessments)["results"] == {}  # rolled back: the same starting point for the bulk path
    done = finalise_bulk(user=national_admin, cycle=cycle, expected=[a.pk for a in assessments])
    assert sorted(done.finalised) == sorted(a.pk for a in assessments) and done.left_out == []
    bulk = _stored(assessments)
    assert set(one_by_one["states"].values()) == {ReviewState.FINALISED}
    assert len(one_by_one["events"]) == len(assessments)
    for key in ("snapshots", "results", "states", "events"):
        assert bulk[key] == one_by_one[key], key
    # The figures are not trivially equal: the grades, the carried stages and the objection count.
    totals = {pk: figures[0] for pk, figures in bulk["results"].items()}
    assert len(set(totals.values())) == len(assessments)
    questions = bulk["snapshots"][assessments[0].pk][4]
    assert any("level" in q for entry in questions.values() for q in entry["questions"].values())


def test_a_bulk_finalise_tells_the_dashboards(world, national_admin):
    """Its bulk writes send no model signal: it bumps the results generation the dashboards are cached under."""
    from layak.common.generations import generation
    from layak.evaluations.publication import RESULTS_GENERATION

    cycle, assessments = world
    before = generation(RESULTS_GENERATION)
    finalise_bulk(user=national_admin, cycle=cycle, expected=[a.pk for a in assessments])
    assert generation(RESULTS_GENERATION) != before


def test_regions_not_ready_are_left_out_with_the_reason_in_words(world, national_admin):
    cycle, assessments = world
    ReviewProcess.objects.filter(assessment=assessments[1]).update(state=ReviewState.CENTRAL_REVIEW)
    ReviewProcess.objects.filter(assessment=assessments[2]).update(state=ReviewState.FINALISATION)
    Objection.objects.create(
        assessment=assessments[3], question=Question.objects.first(), reason="z", provisional_points=0
    )
    ObjectionPeriod.objects.filter(assessment=assessments[4]).update(closes_at=timezone.now() + timedelta(hours=5))
    plan = finalise_plan(user=national_admin, cycle=cycle)
    assert list(plan.ready) == [assessments[0].pk]
    reasons = {item.code: item.reason for item in plan.left_out}
    assert reasons["31.72"] == "still at the central desk review"
    assert reasons["31.73"] == "the provisional results are not announced yet"
    assert reasons["31.74"] == "objections waiting for a decision: 1"
    assert reasons["31.75"].startswith("the region may object until ")
    assert "_" not in "".join(reasons.values())  # words, not state keys


def test_a_region_changed_after_the_confirmation_is_left_out_and_reported(world, national_admin):
    cycle, assessments = world
    plan = finalise_plan(user=national_admin, cycle=cycle)
    assert len(plan.ready) == len(assessments)
    # Someone finalises Jakarta Utara on its own page between the confirmation and the bulk POST.
    review_transition(
        user=national_admin, assessment=assessments[1], action="finalise", expected_state=ReviewState.OBJECTION
    )
    done = finalise_bulk(user=national_admin, cycle=cycle, expected=plan.ready)
    assert assessments[1].pk not in done.finalised and len(done.finalised) == len(assessments) - 1
    assert [(item.code, item.reason) for item in done.left_out] == [("31.72", "already finalised")]
    assert AuditEvent.objects.filter(verb="review.finalise", target_id=str(assessments[1].pk)).count() == 1
    assert AuditEvent.objects.filter(verb="review.finalise").count() == len(assessments)


def test_only_the_regions_confirmed_are_finalised(world, national_admin):
    cycle, assessments = world
    done = finalise_bulk(user=national_admin, cycle=cycle, expected=[assessments[0].pk])
    assert done.finalised == [assessments[0].pk]
    assert ReviewProcess.objects.filter(state=ReviewState.FINALISED).count() == 1


def test_the_window_and_conflicts_leave_regions_out(world, national_admin):
    from layak.evaluations.models import CycleExtension
    from layak.reviews.models import ConflictDeclaration

    cycle, _assessments = world
    type(cycle).objects.filter(pk=cycle.pk).update(finalisation_end=timezone.now() - timedelta(hours=1))
    cycle.refresh_from_db()
    CycleExtension.objects.create(
        cycle=cycle,
        region_id="31.71",
        stage="finalisation",
        extended_until=timezone.now() + timedelta(days=1),
        reason="listrik padam",
    )
    ConflictDeclaration.objects.create(reviewer=national_admin, region_id="31", statement="keluarga")
    plan = finalise_plan(user=national_admin, cycle=cycle)
    reasons = {item.code: item.reason for item in plan.left_out}
    assert not plan.ready
    assert reasons["31.71"] == "you declared a conflict of interest with this region"
    assert reasons["31.72"].startswith("the finalisation window closed on ")


def test_only_national_admins_finalise_in_bulk(world, province_verifier):
    cycle, assessments = world
    with pytest.raises(PermissionDenied):
        finalise_plan(user=province_verifier, cycle=cycle)
    with pytest.raises(PermissionDenied):
        finalise_bulk(user=province_verifier, cycle=cycle, expected=[a.pk for a in assessments])
    assert not FinalResult.objects.exists()


def test_queries_do_not_grow_with_the_number_of_regions(world, national_admin, django_assert_max_num_queries):
    cycle, assessments = world
    with django_assert_max_num_queries(18):
        done = finalise_bulk(user=national_admin, cycle=cycle, expected=[a.pk for a in assessments])
    assert len(done.finalised) == len(assessments)


def test_the_page_asks_first_then_finalises(world, national_admin, client):
    cycle, assessments = world
    ReviewProcess.objects.filter(assessment=assessments[1]).update(state=ReviewState.CENTRAL_REVIEW)
    client.force_login(national_admin)
    progress = client.get(reverse("reviews:cycle_progress", args=[cycle.pk]))
    url = reverse("reviews:cycle_finalise", args=[cycle.pk])
    assert url in progress.content.decode()
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Finalise 4 regencies/cities" in text and "Still at the central desk review" in text
    assert "Jakarta Utara" in text and "central_review" not in text
    unconfirmed = client.post(url, {"ready": ",".join(str(a.pk) for a in assessments)})
    assert unconfirmed.status_code == 200 and not FinalResult.objects.exists()
    ready = ",".join(str(a.pk) for a in assessments if a != assessments[1])
    response = client.post(url, {"ready": ready, "confirmed": "yes"}, follow=True)
    assert FinalResult.objects.count() == 4
    assert "4 regencies/cities were finalised." in response.content.decode()


def test_the_page_is_for_national_admins_only(world, province_verifier, client):
    cycle, _assessments = world
    client.force_login(province_verifier)
    url = reverse("reviews:cycle_finalise", args=[cycle.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"ready": "1", "confirmed": "yes"}).status_code == 403
    assert not FinalResult.objects.exists()


def test_an_indicator_level_cycle_is_finalised_as_the_per_region_path_does(assessment, national_admin):
    """kla-2021: the final score is the field stage's snapshot (computed when a region has none)."""
    from layak.reviews.services import _stage_snapshot

    open_review_windows(assessment.cycle)
    ReviewProcess.objects.filter(assessment=assessment).update(state=ReviewState.OBJECTION)
    ObjectionPeriod.objects.create(assessment=assessment, closes_at=timezone.now() - timedelta(hours=1))
    for with_field_snapshot in (True, False):
        ScoreSnapshot.objects.filter(assessment=assessment).delete()
        if with_field_snapshot:
            _stage_snapshot(assessment, ScoreStage.FIELD)
        with transaction.atomic():
            review_transition(
                user=national_admin, assessment=assessment, action="finalise", expected_state=ReviewState.OBJECTION
            )
            one = _stored([assessment])
            transaction.set_rollback(True)
        done = finalise_bulk(user=national_admin, cycle=assessment.cycle, expected=[assessment.pk])
        assert done.finalised == [assessment.pk]
        assert _stored([assessment]) == one
        with transaction.atomic():  # back to the objection stage for the next round
            FinalResult.objects.all().delete()
            ReviewProcess.objects.filter(assessment=assessment).update(state=ReviewState.OBJECTION)
            AuditEvent.objects.filter(verb="review.finalise").delete()
