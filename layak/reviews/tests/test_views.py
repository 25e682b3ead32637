"""Review pages: who sees what (outsider and anonymous included), the publication gate, query counts, what-if."""

from __future__ import annotations

import pytest
from django.urls import reverse

from layak.evaluations.tests.factories import make_cycle
from layak.regions.tests.factories import make_region
from layak.reviews import services
from layak.reviews.choices import ReviewAction, ReviewState, ScoreStage
from layak.reviews.models import ReviewProcess

from .factories import assign, finalise, submitted_assessment

PAGES = [
    "assessment_review",
    "assessment_scores",
    "assessment_explain",
    "assessment_whatif",
    "assessment_timeline",
]


def url(name, assessment, **extra):
    return reverse(f"reviews:{name}", kwargs={"pk": assessment.pk, **extra})


def scored_and_finalised(assessment, indicators, national_admin, evaluator):
    ReviewProcess.objects.filter(assessment=assessment).update(state=ReviewState.FIELD_VERIFICATION)
    services.indicator_review_save(
        user=evaluator, assessment=assessment, indicator=indicators["K1"], points="100", reason="Perda tidak ada"
    )
    services.review_transition(user=national_admin, assessment=assessment, action=ReviewAction.APPROVE)
    finalise(assessment, national_admin)


@pytest.mark.parametrize("name", PAGES)
def test_outsider_gets_404_and_anonymous_goes_to_login(client, login, assessment, outsider, name):
    assert client.get(url(name, assessment)).status_code == 302
    assert login(outsider).get(url(name, assessment)).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_region_and_reviewers_see_every_page(login, reviewers, region_coordinator, province_verifier, name):
    for user in (region_coordinator, province_verifier):
        assert login(user).get(url(name, reviewers)).status_code == 200


def test_the_review_page_shows_only_the_buttons_the_table_allows(
    login, reviewers, province_verifier, region_coordinator
):
    page = login(province_verifier).get(url("assessment_review", reviewers)).content.decode()
    assert 'value="approve"' in page and "Request revision…" in page and 'value="finalise"' not in page
    page = login(region_coordinator).get(url("assessment_review", reviewers)).content.decode()
    assert 'value="approve"' not in page and "Your actions" not in page


def test_an_unassigned_verifier_is_told_why_they_cannot_act(login, assessment, province_verifier):
    page = login(province_verifier).get(url("assessment_review", assessment)).content.decode()
    assert "You are not assigned to review this assessment" in page and 'value="approve"' not in page


def test_a_reviewer_approves_from_the_page(login, reviewers, province_verifier):
    response = login(province_verifier).post(
        url("assessment_transition", reviewers),
        {"action": "approve", "state": "province_verification", "confirmed": "yes"},
    )
    assert response.status_code == 302
    assert ReviewProcess.objects.get(assessment=reviewers).state == ReviewState.CENTRAL_REVIEW


def test_a_refused_action_answers_403(login, reviewers, region_coordinator):
    response = login(region_coordinator).post(
        url("assessment_transition", reviewers),
        {"action": "approve", "state": "province_verification", "confirmed": "yes"},
    )
    assert response.status_code == 403


def test_scoring_from_the_indicator_page(login, reviewers, province_verifier):
    client = login(province_verifier)
    page = url("indicator_review", reviewers, code="K1")
    response = client.post(page, {"points": "300", "reason": "", "expected_version": "0"})
    assert response.status_code == 400 and "say why your score differs" in response.content.decode()
    response = client.post(
        page, {"points": "300", "reason": "Perda kedaluwarsa", "comment": "Perbarui", "expected_version": "0"}
    )
    assert response.status_code == 302


def test_revision_round_through_the_pages(login, reviewers, province_verifier, region_coordinator):
    response = login(province_verifier).post(
        url("revision_request", reviewers),
        {
            "send_I1": "on",
            "why_I1": "Rekap akta per kecamatan",
            "comment": "Data kurang",
            "deadline": "2099-01-01T10:00",
            "state": "province_verification",
            "confirmed": "yes",
        },
    )
    assert response.status_code == 302
    client = login(region_coordinator)
    page = client.get(url("assessment_review", reviewers)).content.decode()
    assert "Rekap akta per kecamatan" in page and "Fix I1" in page
    assert client.get(url("revision_answer", reviewers, code="K1")).status_code == 403
    response = client.post(
        url("revision_answer", reviewers, code="I1"),
        {"v_children_total": "1000", "v_children_with_akta": "980", "expected_revision": "1"},
    )
    assert response.status_code == 302
    client.post(
        url("assessment_transition", reviewers),
        {"action": "resubmit", "state": "province_revision", "confirmed": "yes"},
    )
    assert ReviewProcess.objects.get(assessment=reviewers).state == ReviewState.PROVINCE_VERIFICATION


def test_scores_beyond_self_are_hidden_before_publication_from_unassigned_people(
    login, reviewers, indicators, national_admin, independent_evaluator, region_coordinator, province_coordinator
):
    scored_and_finalised(reviewers, indicators, national_admin, independent_evaluator)
    hidden = login(province_coordinator).get(url("assessment_scores", reviewers)).content.decode()
    assert "Only the self-score is shown" in hidden and "Perda tidak ada" not in hidden
    own = login(region_coordinator).get(url("assessment_scores", reviewers)).content.decode()
    assert "Perda tidak ada" in own and "rv-big-drop" in own  # K1 fell from 400 to 100
    services.cycle_results_publish(user=national_admin, cycle=reviewers.cycle)
    shown = login(province_coordinator).get(url("assessment_scores", reviewers)).content.decode()
    assert "Perda tidak ada" in shown


def test_outsider_and_anonymous_see_nothing_even_after_publication(
    client, login, reviewers, indicators, national_admin, independent_evaluator, outsider
):
    scored_and_finalised(reviewers, indicators, national_admin, independent_evaluator)
    services.cycle_results_publish(user=national_admin, cycle=reviewers.cycle)
    for name in PAGES:
        assert client.get(url(name, reviewers)).status_code == 302
        assert login(outsider).get(url(name, reviewers)).status_code == 404
        client.logout()


def test_a_ministry_predicate_is_shown_with_its_note(
    login, reviewers, indicators, national_admin, independent_evaluator
):
    scored_and_finalised(reviewers, indicators, national_admin, independent_evaluator)
    client = login(national_admin)
    response = client.post(url("final_predicate", reviewers), {"band_code": "utama", "reason": "Keputusan rapat"})
    assert response.status_code == 302
    page = client.get(url("assessment_review", reviewers)).content.decode()
    assert "Predicate set by the ministry" in page and "Keputusan rapat" in page


def test_whatif_htmx_returns_the_result_panel_and_plain_get_the_page(login, framework, region_coordinator):
    weak = {"K1": {"perda_kla": False, "policy_count": "0"}, "I1": {"children_total": "10", "children_with_akta": "1"}}
    assessment = submitted_assessment(framework, answers=weak)
    client = login(region_coordinator)
    key = "K1:perda_kla:full"
    partial = client.get(url("assessment_whatif", assessment), {"do": key}, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "<html" not in body and 'id="whatif-total"' in body and "+200.00" in body
    full = client.get(url("assessment_whatif", assessment), {"do": key}).content.decode()
    assert "<html" in full and f'value="{key}" checked' in full and "Show the result" in full
    planned = client.get(url("assessment_whatif", assessment), {"plan": "1"}).content.decode()
    assert "checked" in planned


def test_explanation_lists_losses_with_causes(login, framework, region_coordinator):
    assessment = submitted_assessment(framework, answers={"K1": {"perda_kla": False, "policy_count": "2"}})
    page = login(region_coordinator).get(url("assessment_explain", assessment)).content.decode()
    assert "data below the rubric&#x27;s threshold" in page and "data missing" in page
    assert "What would it take" in page


def test_timeline_lists_transitions_and_scores(login, reviewers, province_verifier, national_admin):
    services.review_transition(user=province_verifier, assessment=reviewers, action=ReviewAction.APPROVE)
    page = login(national_admin).get(url("assessment_timeline", reviewers)).content.decode()
    assert "approved the province verification" in page and "province verification started" in page
    assert "review.approve" not in page and "{&#x27;state&#x27;" not in page


def test_conflict_page_declares_and_lists(login, independent_evaluator, outsider):
    make_region("31.71")
    client = login(independent_evaluator)
    response = client.post(reverse("reviews:conflict_list"), {"region": "31.71", "statement": "Mantan pegawai"})
    assert response.status_code == 302
    assert "Mantan pegawai" in client.get(reverse("reviews:conflict_list")).content.decode()
    assert (
        login(outsider).post(reverse("reviews:conflict_list"), {"region": "31.71", "statement": "x"}).status_code == 403
    )


def test_review_queue_shows_assigned_reviews_only(login, reviewers, province_verifier, framework, outsider):
    other = submitted_assessment(framework, region_code="31.75", cycle=reviewers.cycle)
    page = login(province_verifier).get(reverse("reviews:review_queue")).content.decode()
    assert "Jakarta Pusat" in page and other.region.name not in page
    assert "Jakarta Pusat" not in login(outsider).get(reverse("reviews:review_queue")).content.decode()


def test_publish_from_the_cycle_page(login, reviewers, indicators, national_admin, independent_evaluator, outsider):
    scored_and_finalised(reviewers, indicators, national_admin, independent_evaluator)
    page = reverse("reviews:cycle_publish", kwargs={"pk": reviewers.cycle_id})
    assert login(outsider).post(page).status_code == 403
    reviewers.cycle.refresh_from_db()
    assert reviewers.cycle.results_published_at is None
    asked = login(national_admin).post(page)
    assert "can be withdrawn later, with a reason" in asked.content.decode()
    reviewers.cycle.refresh_from_db()
    assert reviewers.cycle.results_published_at is None
    login(national_admin).post(page, {"confirmed": "yes"})
    reviewers.cycle.refresh_from_db()
    assert reviewers.cycle.results_published_at is not None


@pytest.mark.parametrize("name", PAGES)
def test_pages_do_not_grow_with_history(
    login, reviewers, province_verifier, region_coordinator, django_assert_max_num_queries, name
):
    client = login(province_verifier)
    for _round in range(3):
        client.post(
            url("revision_request", reviewers),
            {
                "send_I1": "on",
                "send_K1": "on",
                "why_I1": "a",
                "why_K1": "b",
                "comment": "c",
                "deadline": "2099-01-01T10:00",
                "state": "province_verification",
                "confirmed": "yes",
            },
        )
        services.review_transition(user=region_coordinator, assessment=reviewers, action=ReviewAction.RESUBMIT)
    with django_assert_max_num_queries(40):
        assert client.get(url(name, reviewers)).status_code == 200


def test_cycle_and_queue_pages_do_not_grow_with_assessments(
    login, framework, national_admin, django_assert_max_num_queries
):
    cycle = make_cycle(framework)
    for code in ("31.71", "31.72", "31.73", "31.74", "31.75"):
        submitted_assessment(framework, region_code=code, cycle=cycle)
    client = login(national_admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reviews:cycle_reviews", kwargs={"pk": cycle.pk})).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reviews:review_queue")).status_code == 200


def test_the_scores_page_compares_stages_with_reasons(login, reviewers, indicators, province_verifier):
    services.indicator_review_save(
        user=province_verifier, assessment=reviewers, indicator=indicators["K1"], points="350", reason="Perda lama"
    )
    assign(reviewers, ScoreStage.CENTRAL)
    page = login(province_verifier).get(url("assessment_scores", reviewers)).content.decode()
    assert "Province verification" in page and "\u221250.00" in page and "Perda lama" in page
