"""The question-level analysis is kept in the shared cache under the assessment's data stamp (issue #10: a what-if
level change ≤ 50 ms): a repeated request reads it in a few queries, and every change to a grade, an answer or an
evidence link gives a fresh analysis at once."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from layak.evaluations import question_services
from layak.evaluations.models import QuestionAnswer, QuestionEvidence
from layak.evaluations.stamps import assessments_changed
from layak.frameworks.models import Question
from layak.reviews import question_analysis, services
from layak.reviews.stamps import assessment_stamp
from layak.reviews.tests.test_question_analysis import graded  # noqa: F401 (fixture)
from layak.reviews.tests.test_question_grading import a24, q  # noqa: F401 (fixture)

D = Decimal


def _analysis(assessment, user):
    return question_analysis.question_analysis(assessment, assessment.review, user)


def _free_yes_no(assessment) -> Question:
    """A yes/no question asking no evidence that the region left unanswered."""
    answered = QuestionAnswer.objects.filter(assessment=assessment).values_list("question_id", flat=True)
    return (
        Question.objects.select_related("indicator__group")
        .filter(indicator__version=assessment.cycle.framework, answer_type="yes_no", asks_evidence=False)
        .exclude(pk__in=answered)
        .order_by("pk")
        .first()
    )


def test_a_repeated_analysis_is_read_from_the_cache(graded, province_verifier, django_assert_max_num_queries):  # noqa: F811
    with CaptureQueriesContext(connection) as built:
        first = _analysis(graded, province_verifier)
    # Who may see what (2), the stamp (1), the framework's questions and bands (2; none once frozen).
    with django_assert_max_num_queries(5) as read:
        again = _analysis(graded, province_verifier)
    assert len(read) < len(built)
    assert again.total == first.total and again.plan == first.plan and again.groups == first.groups


def test_the_whatif_level_change_has_a_fixed_query_count(
    client,
    graded,  # noqa: F811
    province_verifier,
    django_assert_max_num_queries,
):
    client.force_login(province_verifier)
    url = f"/reviews/assessments/{graded.pk}/what-if/"
    client.get(url, {"q-2.1": "1"}, HTTP_HX_REQUEST="true")
    with django_assert_max_num_queries(11):
        panel = client.get(url, {"q-2.1": "3/4"}, HTTP_HX_REQUEST="true")
    assert panel.status_code == 200


def test_a_grade_change_gives_a_fresh_analysis(graded, province_verifier):  # noqa: F811
    assert _analysis(graded, province_verifier).total == D("1.50")
    services.question_grade_save(
        user=province_verifier, assessment=graded, question=q("2.1"), level="1", expected_version=1
    )
    found = _analysis(graded, province_verifier)
    assert found.total == D("3.00")
    assert found.result.grades["province"][q("2.1").pk].level == "1"


def test_an_answer_change_gives_a_fresh_analysis(graded, province_verifier):  # noqa: F811
    question = _free_yes_no(graded)
    before = _analysis(graded, province_verifier).total
    QuestionAnswer.objects.create(assessment=graded, question=question, yes=True)
    added = _analysis(graded, province_verifier).total
    assert added == before + question.max_points
    # A change through the answer services' write (a conditional UPDATE, which sends no model signal).
    revision = QuestionAnswer.objects.get(assessment=graded, question=question).revision
    question_services.question_answer_write(graded, question, {"yes": False}, revision)
    assert _analysis(graded, province_verifier).total == before
    # A raw queryset update outside the services says so itself (decision 0032).
    QuestionAnswer.objects.filter(assessment=graded, question=question).update(
        yes=True, revision=F("revision") + 1, updated_at=timezone.now()
    )
    assessments_changed([graded.pk])
    assert _analysis(graded, province_verifier).total == added


def test_an_evidence_link_removed_gives_a_fresh_analysis(a24, region_coordinator):  # noqa: F811
    """Only the self-score is visible to the region before the results: 2.1 is worth its points with its SK."""
    assert _analysis(a24, region_coordinator).total == D("3.00")
    QuestionEvidence.objects.filter(assessment=a24).delete()
    assert _analysis(a24, region_coordinator).total == D("0.00")


def test_the_stamp_changes_with_every_kind_of_change(graded, province_verifier):  # noqa: F811
    stamps = [assessment_stamp(graded)]
    services.question_grade_save(
        user=province_verifier,
        assessment=graded,
        question=q("2.1"),
        level="3/4",
        reason="SK sebagian",
        expected_version=1,
    )
    stamps.append(assessment_stamp(graded))
    QuestionEvidence.objects.filter(assessment=graded).delete()
    stamps.append(assessment_stamp(graded))
    assert len(set(stamps)) == len(stamps)
