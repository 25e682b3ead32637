"""Explanation and what-if of a kla-2024 assessment, question by question: points lost per question at every
stage with the verifier's reason, the fewest questions to raise to a predicate, and the interactive what-if."""

from __future__ import annotations

from decimal import Decimal

import pytest

from layak.reviews import question_analysis, services
from layak.reviews.choices import ReviewAction
from layak.reviews.tests.factories import finalise
from layak.reviews.tests.test_question_grading import a24, q  # noqa: F401 (fixture)
from layak.scoring.engine import predicate_for

D = Decimal


@pytest.fixture
def graded(a24, province_verifier):  # noqa: F811
    """2.1 (yes with its SK: full marks on self) graded ½ by the province with a reason."""
    services.question_grade_save(
        user=province_verifier, assessment=a24, question=q("2.1"), level="1/2", reason="SK belum ditandatangani"
    )
    return a24


def test_losses_per_question_carry_each_stage_and_the_reason(graded, province_verifier):
    found = question_analysis.question_analysis(graded, graded.review, province_verifier)
    assert found.result.stages == ("self", "province")
    rows = {x.key: x for group in found.groups for indicator in group.indicators for x in indicator.questions}
    sk = rows["2.1"]
    assert [s.points for s in sk.stages] == [D("3.00"), D("1.50")]
    assert (sk.lost, sk.reason, sk.latest.level) == (D("1.50"), "SK belum ditandatangani", "1/2")
    assert sum((g.earned for g in found.groups), D(0)) == found.total
    assert sum((g.max_points for g in found.groups), D(0)) == D(1000)
    assert found.total == D("1.50")


def test_the_plan_reaches_the_next_predicate_and_a_chosen_one(graded, province_verifier):
    found = question_analysis.question_analysis(graded, graded.review, province_verifier)
    plan = found.plan
    assert plan.target.code == "pratama" and plan.reachable
    after = question_analysis.question_whatif(found, {}, plan=True)
    assert after.total == plan.total_after and predicate_for(after.total, found.bands).code == "pratama"
    higher = question_analysis.question_analysis(graded, graded.review, province_verifier, target="utama")
    assert higher.plan.target.code == "utama" and len(higher.plan.raises) > len(plan.raises)


def test_the_explanation_page_says_what_each_question_lost_and_why(client, graded, province_verifier):
    client.force_login(province_verifier)
    client.cookies["django_language"] = "id"
    page = client.get(f"/reviews/assessments/{graded.pk}/explanation/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "SK belum ditandatangani" in text
    assert "1,50" in text  # Indonesian decimals
    assert "Verifikasi administrasi provinsi" in text and ">province<" not in text  # words, not keys
    assert ">½<" in text.replace("(", "<").replace(")", "<") or "(½)" in text


def test_the_whatif_sets_a_level_and_the_htmx_panel_answers(client, graded, province_verifier):
    client.force_login(province_verifier)
    url = f"/reviews/assessments/{graded.pk}/what-if/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="q-2.1"' in page.content.decode()
    panel = client.get(url, {"q-2.1": "1", "q-9.9": "1", "q-1.1": "7/8"}, HTTP_HX_REQUEST="true")
    assert panel.status_code == 200
    assert 'id="whatif-total">3.00<' in panel.content.decode()


def test_the_pages_have_a_fixed_query_count(client, graded, province_verifier, django_assert_max_num_queries):
    client.force_login(province_verifier)
    for path in ("explanation", "what-if"):
        with django_assert_max_num_queries(30):
            assert client.get(f"/reviews/assessments/{graded.pk}/{path}/").status_code == 200


def test_after_the_final_the_explanation_shows_every_stage(
    graded, province_verifier, independent_evaluator, national_admin
):
    for user in (province_verifier, independent_evaluator, independent_evaluator):
        services.review_transition(user=user, assessment=graded, action=ReviewAction.APPROVE)
    finalise(graded, national_admin)
    graded.refresh_from_db()
    found = question_analysis.question_analysis(graded, graded.review, independent_evaluator)
    assert found.result.stages == ("self", "province", "central", "field")
    assert found.total == D("1.50")


def test_submission_pins_the_file_of_each_question_link(a24):  # noqa: F811
    from layak.evaluations.models import QuestionEvidence
    from layak.reviews.models import EvidencePin

    link = QuestionEvidence.objects.select_related("question__indicator", "evidence").get(assessment=a24)
    pin = EvidencePin.objects.get(assessment=a24, evidence=link.evidence)
    assert (pin.indicator_id, pin.element_code, pin.round) == (link.question.indicator_id, link.question.code, 0)
    assert pin.file_id == link.evidence.current_file_id and pin.version_id is not None
