from __future__ import annotations

from decimal import Decimal

import pytest

from layak.accounts.services import api_token_create
from layak.plans import services

from .factories import make_action


@pytest.fixture
def action(region_coordinator, plan, dinkes):
    return make_action(region_coordinator, plan, agency=dinkes, budget="1000000")


def _pages(plan, action):
    return [
        "/plans/region/31.71/",
        "/plans/region/31.71/gaps",
        f"/plans/{plan.pk}/",
        f"/plans/actions/{action.pk}/",
    ]


@pytest.mark.parametrize("persona", ["region_coordinator", "province_verifier", "opd_contributor", "national_admin"])
def test_people_of_the_region_read_the_pages(request, login, plan, action, persona):
    client = login(request.getfixturevalue(persona))
    for url in _pages(plan, action):
        assert client.get(url).status_code == 200, url


def test_outsider_gets_404_everywhere(login, outsider, plan, action):
    client = login(outsider)
    for url in [*_pages(plan, action), f"/plans/{plan.pk}/edit", f"/plans/actions/{action.pk}/edit"]:
        assert client.get(url).status_code == 404, url
    response = client.post(f"/plans/actions/{action.pk}/realisations", {"year": 2025, "quarter": 1})
    assert response.status_code == 404


def test_anonymous_is_sent_to_login(client, plan, action):
    for url in _pages(plan, action):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login" in response.url


def test_province_verifier_may_not_open_the_forms(login, province_verifier, plan, action):
    client = login(province_verifier)
    for url in ["/plans/region/31.71/new", f"/plans/{plan.pk}/edit", f"/plans/{plan.pk}/actions/new"]:
        assert client.get(url).status_code == 403, url
    assert client.post("/plans/region/31.71/apbd", {"year": 2025, "apbd_total": "10"}).status_code == 403


def test_opd_contributor_edits_only_their_agencys_action(
    login, opd_contributor, region_coordinator, plan, action, dp3a
):
    other = make_action(region_coordinator, plan, title="Lain", agency=dp3a)
    client = login(opd_contributor)
    assert client.get(f"/plans/actions/{action.pk}/edit").status_code == 200
    assert client.get(f"/plans/actions/{other.pk}/edit").status_code == 403
    data = {"year": 2025, "quarter": 1, "physical_pct": "40", "financial": "250000"}
    assert client.post(f"/plans/actions/{action.pk}/realisations", data).status_code == 302
    assert client.post(f"/plans/actions/{other.pk}/realisations", data).status_code == 403
    assert other.realisations.count() == 0


def test_coordinator_creates_a_plan_and_an_action_through_the_pages(login, region_coordinator, dinkes):
    from layak.plans.tests.factories import framework

    client = login(region_coordinator)
    data = {
        "title": "RAD KLA 2025-2029",
        "start_year": 2025,
        "end_year": 2029,
        "status": "adopted",
        "framework": framework().pk,
        "legal_basis": "Perwali 3/2025",
    }
    response = client.post("/plans/region/31.71/new", data)
    assert response.status_code == 302
    plan_url = response.url
    response = client.post(plan_url + "actions/new", {"title": "Pojok baca", "status": "planned", "agency": dinkes.pk})
    assert response.status_code == 302
    assert client.get(plan_url).content.count(b"Pojok baca") == 1


def test_region_page_shows_the_budget_share_formula(login, region_coordinator, plan, action):
    services.region_budget_save(user=region_coordinator, region=plan.region, year=2025, apbd_total=Decimal("1e8"))
    content = login(region_coordinator).get("/plans/region/31.71/").content.decode()
    assert "÷ APBD total" in content and "1.00%" in content


def test_plan_page_queries_do_not_grow_with_actions(
    login, region_coordinator, plan, dinkes, django_assert_max_num_queries
):
    client = login(region_coordinator)
    for n in range(2):
        make_action(region_coordinator, plan, title=f"A{n}", agency=dinkes, budget="1")
    with django_assert_max_num_queries(12) as few:
        client.get(f"/plans/{plan.pk}/")
    for n in range(15):
        make_action(region_coordinator, plan, title=f"B{n}", agency=dinkes, budget="1")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/plans/{plan.pk}/").status_code == 200


def test_region_page_queries_do_not_grow_with_plans(login, region_coordinator, plan, django_assert_max_num_queries):
    from .factories import make_plan

    client = login(region_coordinator)
    client.get("/plans/region/31.71/")
    with django_assert_max_num_queries(10) as few:
        client.get("/plans/region/31.71/")
    for _n in range(6):
        make_plan(region_coordinator)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/plans/region/31.71/")


def test_api_returns_plans_actions_and_shares(client, region_coordinator, plan, action):
    key = api_token_create(user=region_coordinator, name="t")[1]
    response = client.get("/api/v1/plans/31.71", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    body = response.json()
    assert body["plans"][0]["actions"][0]["years"][0]["budget"] == "1000000.00"
    assert body["budget_shares"][0]["year"] == 2025


def test_api_hides_the_region_from_the_outsider_and_asks_anonymous_to_log_in(client, outsider, plan):
    key = api_token_create(user=outsider, name="t")[1]
    assert client.get("/api/v1/plans/31.71", headers={"Authorization": f"Bearer {key}"}).status_code == 404
    assert client.get("/api/v1/plans/31.71").status_code == 401


def test_an_action_targets_a_protection_figure_and_shows_progress_from_the_recorded_figures(
    login, region_coordinator, plan, django_assert_max_num_queries
):
    from django.core.exceptions import ValidationError

    from layak.protection.tests.factories import save_months

    client = login(region_coordinator)
    response = client.post(
        f"/plans/{plan.pk}/actions/new",
        {"title": "Penarikan pekerja anak", "status": "planned", "figure": "child_labour:freed",
         "figure_goal": "at_least"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    action = plan.actions.get(title="Penarikan pekerja anak")
    assert (action.figure, action.figure_goal) == ("child_labour:freed", "at_least")
    for year, target in ((2025, "10"), (2026, "30")):
        services.action_year_save(
            user=region_coordinator, action=action, year=year, target="", target_value=Decimal(target),
            budget=Decimal(0),
        )  # fmt: skip
    save_months(region_coordinator, "31.71", {m: {"freed": 3, "male": 1, "female": 2} for m in (1, 2, 3, 4)},
                topic="child_labour")  # fmt: skip
    with django_assert_max_num_queries(30):
        page = client.get(f"/plans/actions/{action.pk}/").content.decode()
    assert "Children withdrawn" in page or "Anak ditarik" in page
    progress = page[page.index('id="figure-progress"') :]
    assert "12" in progress and "Reached" in progress  # 4 months x 3 = 12 >= 10 in 2025
    assert "No figures recorded for this year yet." in progress  # 2026
    with pytest.raises(ValidationError):
        services.action_update(user=region_coordinator, action=action, figure="child_labour:nothing")
    with pytest.raises(ValidationError):
        services.action_create(user=region_coordinator, plan=plan, title="x", figure="child_labour:freed")


def test_forms_on_the_action_page_say_so_in_the_reader_s_language_and_a_refusal_stays_on_the_page(
    login, region_coordinator, action
):
    from django.conf import settings

    client = login(region_coordinator)
    url = f"/plans/actions/{action.pk}/years"
    for language, said in (("id", "Target dan anggaran telah disimpan."), ("en", "The target and budget were saved.")):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.post(url, {"year": "2026", "target": "x", "budget": "5"}, follow=True)
        assert said in response.content.decode()
    refused = client.post(url, {"year": "2026", "target": "x", "budget": "-5"})
    assert refused.status_code == 400 and "Set a year's target and budget" in refused.content.decode()
