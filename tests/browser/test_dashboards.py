"""Dashboards in a real Chromium: the public portal, the national map and a province page, desktop and phone."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from layak.accounts.choices import Role
from layak.accounts.tests.factories import make_user_with_role
from layak.dashboards.tests.factories import cycle, make_result
from layak.regions.tests.factories import make_region

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
POINTS = {"31": ("-6.2146", "106.8451"), "63.71": ("-3.3199", "114.5908"), "35.78": ("-7.2492", "112.7508")}
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def results(transactional_db):
    made = cycle(2025)
    for code, score in (("31.71", 760), ("31.72", 640), ("63.71", 580), ("35.78", 880)):
        make_result(made, code, score)
    for code, (lat, lon) in POINTS.items():
        region = make_region(code)
        region.latitude, region.longitude = Decimal(lat), Decimal(lon)
        region.save()
    return made


def _as(page, live_server, client, user=None):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    if user is not None:
        client.force_login(user)
        page.context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
    ARTIFACTS.mkdir(exist_ok=True)
    return page


def _shoot(page, name: str, size: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"dashboards-{name}-{size}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_anonymous_visitor_finds_their_regions_published_predicate(page, live_server, client, results, size):
    page = _as(page, live_server, client)
    page.set_viewport_size(SIZES[size])
    page.goto(live_server.url + "/dashboards/public/what-is-kla/")
    page.get_by_label("Write the name of your regency or city").fill("Jakarta Pusat")
    page.get_by_role("button", name="Look").click()
    answer = page.locator(".answer", has_text="Jakarta Pusat")
    answer.wait_for()
    assert "Nindya" in answer.inner_text() and "KLA 2025" in answer.inner_text()
    _shoot(page, "child", size)
    page.goto(live_server.url + "/dashboards/public/")
    row = page.locator("tr", has_text="Kota Surabaya")
    assert "Utama" in row.inner_text()
    _shoot(page, "public", size)


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_ministry_analyst_sees_the_national_map(page, live_server, client, results, size):
    analyst = make_user_with_role("analis_kemenpppa", Role.NATIONAL_ADMIN)
    page = _as(page, live_server, client, analyst)
    page.set_viewport_size(SIZES[size])
    page.goto(live_server.url + "/dashboards/")
    page.locator("#dashboards-map.is-ready").wait_for()
    assert page.locator("#dashboards-map path.leaflet-interactive").count() == 4
    assert page.get_by_role("heading", name="History: KLA awards as published").is_visible()
    _shoot(page, "national", size)


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_province_coordinator_sees_the_province_page(page, live_server, client, results, size):
    coordinator = make_user_with_role("koordinator_dki", Role.PROVINCE_COORDINATOR, "31")
    page = _as(page, live_server, client, coordinator)
    page.set_viewport_size(SIZES[size])
    page.goto(live_server.url + "/dashboards/provinces/31/")
    assert page.get_by_text("Kab/kota with a final result in this cycle").is_visible()
    assert page.get_by_text("Average final score of the kab/kota with a result (out of 1000)").is_visible()
    assert "Kota Administrasi Jakarta Utara" in page.locator("#table-kabkota").inner_text()
    page.get_by_role("link", name="Set the province's target").click()
    page.get_by_label("Every kab/kota at least at").select_option("utama")
    page.get_by_label("By the year").fill("2026")
    page.get_by_role("button", name="Save the target").click()
    assert page.get_by_text("0 / 2").is_visible()
    _shoot(page, "province", size)


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_region_coordinator_finds_their_predicate_and_where_to_gain_points(
    page, live_server, client, results, region_coordinator, size
):
    page = _as(page, live_server, client, region_coordinator)
    page.set_viewport_size(SIZES[size])
    page.goto(live_server.url + "/regions/31.71/")
    page.get_by_role("link", name="Region dashboard").click()
    assert page.get_by_role("heading", name="Kota Administrasi Jakarta Pusat").is_visible()
    assert "Nindya" in page.locator(".figures").inner_text()
    assert page.get_by_role("heading", name="Weakest indicators").is_visible()
    assert page.get_by_role("link", name="What if? See which items would raise the score").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    _shoot(page, "region", size)
