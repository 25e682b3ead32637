"""Issue 11 in a real Chromium, desktop and phone: numbers typed the Indonesian way come back unchanged, pages
speak in words, irreversible buttons ask first, the home says what to do next, and an anonymous visitor opens
the national dashboard with its map."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
RAW = re.compile(r"review\.\w+|province_\w+|central_\w+|\{'|\w+_(pct|doc|count)\b")


def _as(page, live_server, client, user=None, lang: str | None = None):
    if lang:
        page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    if user is not None:
        client.force_login(user)
        page.context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
    ARTIFACTS.mkdir(exist_ok=True)
    return page


def _shot(page, name: str, size: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"trust-{name}-{size}.png"), full_page=True)


def _fits(page, size: str) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_indonesian_numbers_typed_into_a_register_come_back_unchanged(
    page, live_server, client, region_coordinator, size
):
    page = _as(page, live_server, client, region_coordinator)  # Indonesian: no language cookie
    page.set_viewport_size(SIZES[size])
    page.goto(live_server.url + "/participation/region/31.71/new")
    page.locator("#id_name").fill("Forum Anak Jakarta Pusat")
    page.locator("#id_region").select_option("31.71")
    page.locator("#id_member_count").fill("1.250")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    from layak.participation.models import Forum

    forum = Forum.objects.get(name="Forum Anak Jakarta Pusat")
    assert forum.member_count == 1250  # "1.250" is one thousand two hundred and fifty, not 1.25 or 1
    page.goto(f"{live_server.url}/participation/{forum.pk}/edit")
    assert page.locator("#id_member_count").input_value() == "1.250"
    page.locator("#id_member_count").fill("1,000")  # a decimal comma in a count: refused, saying how it was read
    page.locator("main button[type=submit]").click()
    assert "dibaca sebagai 1" in page.locator("main").inner_text()
    assert page.locator("#id_member_count").input_value() == "1,000"  # nothing typed is lost
    forum.refresh_from_db()
    assert forum.member_count == 1250
    assert _fits(page, size)
    _shot(page, "register-numbers", size)


@pytest.fixture
def in_revision(transactional_db, region_coordinator, province_verifier):
    from layak.evaluations.tests.factories import make_framework
    from layak.reviews import services
    from layak.reviews.tests.factories import assign, indicators_of, request_revision, submitted_assessment

    assessment = submitted_assessment(make_framework())
    assign(assessment, "province", province_verifier)
    indicator = indicators_of(assessment)["I1"]
    services.indicator_review_save(
        user=province_verifier, assessment=assessment, indicator=indicator, points="10", reason="Rekap tidak cocok"
    )
    request_revision(assessment, province_verifier, {"I1": "Rekap akta per kecamatan"}, comment="Data kurang")
    return assessment


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_timeline_and_what_if_speak_in_words(page, live_server, client, in_revision, province_verifier, size):
    page = _as(page, live_server, client, province_verifier, lang="en")
    page.set_viewport_size(SIZES[size])
    page.goto(f"{live_server.url}/reviews/assessments/{in_revision.pk}/timeline/")
    timeline = page.locator("main").inner_text()
    assert "sent indicator I1 back to the region for revision" in timeline
    assert "scored indicator I1 at 10.00 points" in timeline
    assert not RAW.search(timeline), RAW.search(timeline)
    _shot(page, "timeline", size)
    page.goto(f"{live_server.url}/reviews/assessments/{in_revision.pk}/what-if/")
    whatif = page.locator("main").inner_text()
    assert not RAW.search(whatif), RAW.search(whatif)
    assert _fits(page, size)
    _shot(page, "whatif", size)


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_the_home_shows_the_revision_to_fix_and_the_bell_counts_it(
    page, live_server, client, in_revision, region_coordinator, size
):
    page = _as(page, live_server, client, region_coordinator, lang="en")
    page.set_viewport_size(SIZES[size])
    page.goto(live_server.url + "/")
    main = page.locator("main").inner_text()
    assert "Revision requested: fix indicator I1 and resubmit" in main and "Rekap akta per kecamatan" in main
    assert page.locator(".bell-count").inner_text() == "1"
    page.get_by_role("link", name=re.compile("Revision requested")).click()
    assert "Revision round 1" in page.locator("main").inner_text()
    assert _fits(page, size)
    page.goto(live_server.url + "/")
    _shot(page, "home-revision", size)


@pytest.mark.browser
def test_an_irreversible_button_asks_first_and_going_back_changes_nothing(
    page, live_server, client, region_coordinator
):
    from layak.accounts.models import ApiToken
    from layak.accounts.services import api_token_create

    token, _key = api_token_create(user=region_coordinator, name="impor bulanan")
    page = _as(page, live_server, client, region_coordinator)
    page.set_viewport_size(SIZES["phone"])
    page.goto(live_server.url + "/accounts/profile/")
    page.locator("form[action$='/revoke/'] button").click()
    assert page.locator(".confirm-warning").is_visible()
    _shot(page, "confirm", "phone")
    page.get_by_role("link", name="Tidak, kembali").click()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    page.locator("form[action$='/revoke/'] button").click()
    page.locator(".confirm-form button[type=submit]").click()
    page.wait_for_load_state()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


@pytest.fixture
def published_results(transactional_db):
    from layak.dashboards.tests.factories import cycle, make_result
    from layak.regions.tests.factories import make_region

    made = cycle(2025)
    for code, score in (("31.71", 760), ("31.72", 640), ("63.71", 580)):
        make_result(made, code, score)
    for code, (lat, lon) in {"31": ("-6.2146", "106.8451"), "63.71": ("-3.3199", "114.5908")}.items():
        region = make_region(code)
        region.latitude, region.longitude = Decimal(lat), Decimal(lon)
        region.save()
    return made


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_an_anonymous_visitor_opens_the_national_dashboard_the_map_and_a_province(
    page, live_server, published_results, size
):
    page.set_viewport_size(SIZES[size])
    page.goto(live_server.url + "/dashboards/")
    assert page.url.endswith("/dashboards/")  # no login asked
    page.locator(".leaflet-container").wait_for()
    assert page.locator(".leaflet-marker-icon, .leaflet-interactive").count() >= 2
    _shot(page, "national-anonymous", size)
    page.get_by_role("link", name="Daerah Khusus Ibukota Jakarta").first.click()
    main = page.locator("main").inner_text()
    assert "2 dari 2" in main and "700,00" in main  # coverage and the average of those with results
    assert _fits(page, size)
    _shot(page, "province-anonymous", size)
