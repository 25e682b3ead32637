"""Dashboards and open data are cached by what they show, never per session (decision 0016): every change of
their data shows at once, live parts stay live, and each audience gets its own rendering."""

import json

import pytest
from django.test import Client

from layak.common.tests.pages import without_csrf_tokens
from layak.regions.tests.factories import make_region

from .factories import cycle, make_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(db):
    made = cycle(2025)
    make_result(made, "31.71", 720)
    return made


def test_the_region_page_shows_a_new_result_at_once(login, region_coordinator, published):
    client = login(region_coordinator)
    assert "Nindya" in client.get("/dashboards/regions/31.71/").content.decode()
    make_result(cycle(2026), "31.71", 930)
    assert "930" in client.get("/dashboards/regions/31.71/").content.decode()


def test_the_evidence_count_and_revision_requests_stay_live(login, region_coordinator, published):
    from datetime import timedelta

    from django.utils import timezone

    from layak.evaluations.models import Assessment
    from layak.evaluations.tests.factories import attach_evidence
    from layak.frameworks.models import Indicator
    from layak.reviews.choices import ScoreStage
    from layak.reviews.models import RevisionRequest

    client = login(region_coordinator)
    assert "0 of 2 document items" in client.get("/dashboards/regions/31.71/").content.decode()
    assessment = Assessment.objects.get(cycle=published, region_id="31.71")
    attach_evidence(assessment, Indicator.objects.get(version_id=published.framework_id, code="K1"))
    html = client.get("/dashboards/regions/31.71/").content.decode()
    assert "1 of 2 document items" in html and "No indicator is waiting for revision." in html
    RevisionRequest.objects.create(
        assessment=assessment,
        stage=ScoreStage.PROVINCE,
        round=1,
        reason="Data akta belum sesuai",
        deadline=timezone.now() + timedelta(days=2),
    )
    assert "Data akta belum sesuai" in client.get("/dashboards/regions/31.71/").content.decode()


def test_unpublished_results_never_reach_another_audience(login, region_coordinator, outsider, published):
    make_result(cycle(2026, published=False), "31.71", 905)
    assert "905" in login(region_coordinator).get("/dashboards/regions/31.71/").content.decode()
    other = Client()
    other.force_login(outsider)
    for who in (other, Client()):
        for url in ("/dashboards/regions/31.71/", "/dashboards/public/", "/api/v1/results"):
            # a random CSRF token may hold "905" by chance (it once did)
            assert "905" not in without_csrf_tokens(who.get(url).content.decode())


def test_the_dashboards_keep_a_fixed_number_of_queries_on_a_repeat_view(
    login, national_admin, published, django_assert_max_num_queries
):
    client = login(national_admin)
    for url in ["/dashboards/", "/dashboards/provinces/31/", "/dashboards/regions/31.71/"]:
        client.get(url)
        with django_assert_max_num_queries(1):  # the signed-in user; the page reads no table (decision 0031)
            assert client.get(url).status_code == 200


def test_anonymous_api_answers_are_those_ninja_renders_and_follow_the_data(login, national_admin, published):
    anonymous = Client().get("/api/v1/results", {"page_size": 1})
    signed_in = login(national_admin).get("/api/v1/results", {"page_size": 1})
    assert anonymous.content == signed_in.content  # all results published: the same answer, byte for byte
    assert anonymous["Content-Type"] == signed_in["Content-Type"]
    assert Client().get("/api/v1/results", {"page_size": 1}).content == anonymous.content  # kept
    make_result(published, "31.72", 560)
    again = json.loads(Client().get("/api/v1/results", {"page_size": 1}).content)
    assert again["count"] == 2 and again["next"].endswith("page=2")


def test_the_regions_index_shows_a_new_province_at_once(client):
    make_region("31.71")
    assert "Kalimantan Timur" not in client.get("/regions/").content.decode()
    make_region("64.72")
    assert "Kalimantan Timur" in Client().get("/regions/").content.decode()


def test_the_framework_page_shows_new_weights_at_once(national_admin):
    from decimal import Decimal

    from layak.frameworks.services import indicator_weights_update

    from .factories import framework

    version = framework()
    before = Client().get(f"/frameworks/{version.slug}/").content.decode()
    weights = {"K1": Decimal(500), "I1": Decimal(250), "I2": Decimal(250)}
    indicator_weights_update(user=national_admin, version=version, weights=weights, provisional=True)
    after = Client().get(f"/frameworks/{version.slug}/").content.decode()
    assert before != after and "500" in after


def test_newcomers_see_a_change_within_the_public_stamp_time(settings, published):
    from layak.dashboards.cache import dashboards_invalidate

    settings.LAYAK_DASHBOARDS_PUBLIC_STAMP_SECONDS = 60
    dashboards_invalidate()
    assert "Jakarta Utara" not in Client().get("/dashboards/public/").content.decode()
    make_result(published, "31.72", 560)
    assert "Jakarta Utara" not in Client().get("/dashboards/public/").content.decode()  # within the 60 s
    dashboards_invalidate()  # what services call after a change the stamp cannot see; also forgets the stamp
    assert "Jakarta Utara" in Client().get("/dashboards/public/").content.decode()
