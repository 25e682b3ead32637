"""Per-question grading of the kla-2024 instrument: a level of the partial-credit scale at every stage, a reason
when it differs from the previous stage, grades carried forward, the final score the sum of verified question
points (issue #10), and the evidence linked per question pinned after submission."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from layak.evaluations import question_services
from layak.evaluations.models import QuestionEvidence
from layak.evaluations.scoring_input import instrument_score
from layak.evaluations.tests.factories import PDF, make_assessment, make_cycle
from layak.evidence.services import evidence_replace_file
from layak.frameworks.models import FrameworkVersion, Question
from layak.frameworks.services import framework_load_file
from layak.frameworks.tests.conftest import SHIPPED
from layak.reviews import grading, services
from layak.reviews.choices import ReviewAction, ScoreStage
from layak.reviews.models import FinalResult, QuestionGrade, ScoreSnapshot
from layak.reviews.tests.factories import (
    assign,
    finalise,
    hand_over_letter,
    open_review_windows,
    select_for_field,
    submit,
)

D = Decimal


def q(code: str) -> Question:
    indicator, _dot, question = code.partition(".")
    return Question.objects.select_related("indicator__group").get(
        indicator__version__slug="kla-2024", indicator__code=indicator, code=question
    )


@pytest.fixture
def a24(db, region_coordinator, province_verifier, independent_evaluator):
    """Jakarta Pusat's kla-2024 assessment with question 2.1 answered yes with its SK, submitted."""
    framework_load_file(SHIPPED / "kla-2024.yaml")
    framework = FrameworkVersion.objects.get(slug="kla-2024")
    assessment = make_assessment(open_review_windows(make_cycle(framework, year=2024)))
    question = q("2.1")
    question_services.question_answer_save(
        user=region_coordinator, assessment=assessment, question=question, yes=True, expected_revision=0
    )
    question_services.question_evidence_upload(
        user=region_coordinator,
        assessment=assessment,
        question=question,
        upload=SimpleUploadedFile("sk-gugus-tugas.pdf", PDF + b"sk", content_type="application/pdf"),
        title="SK Gugus Tugas KLA",
    )
    submit(assessment, region_coordinator)
    assign(assessment, ScoreStage.PROVINCE, province_verifier)
    assign(assessment, ScoreStage.CENTRAL, independent_evaluator)
    assign(assessment, ScoreStage.FIELD, independent_evaluator)
    hand_over_letter(assessment, province_verifier)
    select_for_field(assessment)
    return assessment


def approve(assessment, user):
    services.review_transition(user=user, assessment=assessment, action=ReviewAction.APPROVE)


def test_the_scale_gives_the_fractions_of_the_maximum():
    assert grading.DEFAULT_LEVELS == ("0", "1/4", "1/3", "1/2", "2/3", "3/4", "1")
    assert [grading.level_points(level, D(3)) for level in grading.DEFAULT_LEVELS] == [
        D("0.00"),
        D("0.75"),
        D("1.00"),
        D("1.50"),
        D("2.00"),
        D("2.25"),
        D("3.00"),
    ]


def test_the_scale_is_configurable_per_framework(settings, a24):
    settings.LAYAK_GRADING_LEVELS = {"kla-2024": ["0", "1/2", "1"]}
    assert grading.levels_for(a24.cycle.framework) == ("0", "1/2", "1")
    with pytest.raises(ValidationError) as refused:
        services.question_grade_save(user=_verifier(a24), assessment=a24, question=q("2.1"), level="1/4", reason="x")
    assert "level" in refused.value.message_dict


def _verifier(assessment):
    return assessment.reviewers.get(stage=ScoreStage.PROVINCE).reviewer


def test_the_self_snapshot_of_a_question_level_assessment_is_the_sum_of_its_questions(a24):
    self_total = ScoreSnapshot.objects.get(assessment=a24, stage=ScoreStage.SELF).total
    assert self_total == instrument_score(a24).total == D(3)


def test_grades_carry_forward_and_the_final_is_the_sum_of_verified_question_points(
    a24, province_verifier, independent_evaluator, national_admin
):
    question = q("2.1")  # 3 points, self-score 3 (yes with its SK)
    with pytest.raises(ValidationError) as refused:
        services.question_grade_save(user=province_verifier, assessment=a24, question=question, level="1/2")
    assert "reason" in refused.value.message_dict
    services.question_grade_save(
        user=province_verifier, assessment=a24, question=question, level="1/2", reason="SK belum ditandatangani"
    )
    approve(a24, province_verifier)
    # The central stage starts from the province's 1.50, not from the self-score: confirming needs no reason.
    assert grading.question_stage(a24, ScoreStage.CENTRAL).previous[question.pk] == D("1.50")
    grade = services.question_grade_save(user=independent_evaluator, assessment=a24, question=question, level="1/2")
    assert (grade.previous_points, grade.reason) == (D("1.50"), "")
    approve(a24, independent_evaluator)
    # The field stage leaves it alone: it keeps 1.50.
    approve(a24, independent_evaluator)
    finalise(a24, national_admin)
    totals = {s.stage: s.total for s in ScoreSnapshot.objects.filter(assessment=a24)}
    assert totals[ScoreStage.SELF] == D(3)
    assert totals[ScoreStage.PROVINCE] == totals[ScoreStage.FIELD] == totals[ScoreStage.FINAL] == D("1.50")
    assert FinalResult.objects.get(assessment=a24).score == D("1.50")
    snapshot = ScoreSnapshot.objects.get(assessment=a24, stage=ScoreStage.PROVINCE)
    assert snapshot.indicators[question.indicator.code]["questions"][question.code]["level"] == "1/2"


def test_two_graders_of_one_question_see_a_conflict(a24, province_verifier, db):
    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_user_with_role

    second = make_user_with_role("verifikator_dki_2", Role.PROVINCE_VERIFIER, "31")
    assign(a24, ScoreStage.PROVINCE, second)
    question = q("2.1")
    services.question_grade_save(
        user=province_verifier, assessment=a24, question=question, level="1", expected_version=0
    )
    with pytest.raises(services.ScoreConflict):
        services.question_grade_save(
            user=second, assessment=a24, question=question, level="0", reason="Tidak ada SK", expected_version=0
        )
    assert QuestionGrade.objects.get(assessment=a24).level == "1"


def test_an_indicator_of_a_question_level_instrument_is_not_scored_as_a_whole(a24, province_verifier):
    with pytest.raises(ValidationError, match="question by question"):
        services.indicator_review_save(
            user=province_verifier, assessment=a24, indicator=q("2.1").indicator, points="0", reason="x"
        )


def test_the_question_pages(client, a24, province_verifier, outsider):
    question = q("2.1")
    client.force_login(province_verifier)
    review = client.get(f"/reviews/assessments/{a24.pk}/").content.decode()
    assert f"/reviews/assessments/{a24.pk}/questions/{question.pk}/" in review
    url = f"/reviews/assessments/{a24.pk}/questions/{question.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and "SK Gugus Tugas KLA" in page.content.decode()
    response = client.post(url, {"level": "1/3", "reason": "", "expected_version": "0"})
    assert response.status_code == 400
    response = client.post(url, {"level": "1/3", "reason": "Hanya SK lama", "expected_version": "0"})
    assert response.status_code == 302
    assert QuestionGrade.objects.get(assessment=a24).points == D("1.00")
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_the_review_page_with_274_questions_has_a_fixed_query_count(
    client, a24, province_verifier, django_assert_max_num_queries
):
    client.force_login(province_verifier)
    with django_assert_max_num_queries(45):
        assert client.get(f"/reviews/assessments/{a24.pk}/").status_code == 200


def test_evidence_of_a_submitted_question_is_pinned(a24, region_coordinator):
    link = QuestionEvidence.objects.get(assessment=a24)
    with pytest.raises(ValidationError, match="pinned for verification"):
        evidence_replace_file(
            user=region_coordinator,
            evidence=link.evidence,
            upload=SimpleUploadedFile("baru.pdf", PDF + b"baru", content_type="application/pdf"),
        )


def test_one_questions_points_are_the_whole_stages_points(a24, province_verifier, independent_evaluator):
    """The question page scores its one question (grading.question_points): the same self-score and starting
    points as the whole stage (grading.question_stage), at every stage, graded or not, answered or not."""
    graded, other = q("2.1"), q("1.1")
    services.question_grade_save(
        user=province_verifier, assessment=a24, question=graded, level="1/2", reason="SK belum ditandatangani"
    )
    approve(a24, province_verifier)
    services.question_grade_save(
        user=independent_evaluator, assessment=a24, question=graded, level="1/4", reason="Tidak berlaku"
    )
    for question in (graded, other):
        answer = a24.question_answers.filter(question=question).first()
        has_evidence = QuestionEvidence.objects.filter(assessment=a24, question=question).exists()
        grades = list(QuestionGrade.objects.filter(assessment=a24, question=question))
        for stage in (ScoreStage.SELF, ScoreStage.PROVINCE, ScoreStage.CENTRAL, ScoreStage.FIELD):
            whole = grading.question_stage(a24, stage)
            one = grading.question_points(question, stage, answer, has_evidence, grades)
            assert one == (whole.self_points[question.pk], whole.previous[question.pk]), (question, stage)
    graded_grades = list(QuestionGrade.objects.filter(assessment=a24, question=graded))
    assert grading.question_points(graded, ScoreStage.FIELD, None, True, graded_grades) == (D(0), D("0.75"))
