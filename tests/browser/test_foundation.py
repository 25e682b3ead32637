"""The first visit of a kab/kota coordinator: log in, read Bahasa Indonesia, switch to English, browse regions."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from layak.accounts.choices import Role

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "layak-demo-browser"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args):
    """A browser set to Indonesian, as most users' are; Django's LocaleMiddleware honours Accept-Language."""
    return {**browser_context_args, "locale": "id-ID"}


@pytest.fixture
def coordinator(transactional_db):
    """Like the demo's dp3a_jakpus: coordinator of Kota Administrasi Jakarta Pusat, with a kecamatan below it."""
    from layak.accounts.tests.factories import UserFactory, make_user_with_role
    from layak.regions.tests.factories import make_region

    make_region("31.71.01")
    make_region("63.71")
    user = make_user_with_role("dp3a_jakpus", Role.REGION_COORDINATOR, "31.71")
    user.full_name = "DP3A Jakarta Pusat"
    user.set_password(PASSWORD)
    user.save()
    return UserFactory._meta.model.objects.get(pk=user.pk)


def _shoot(page, name: str) -> None:
    for label, size in [("desktop", DESKTOP), ("phone", PHONE)]:
        page.set_viewport_size(size)
        page.screenshot(path=str(ARTIFACTS / f"foundation-{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def _lang(page) -> str:
    return page.locator("html").get_attribute("lang")


@pytest.mark.browser
def test_coordinator_logs_in_switches_language_and_browses_to_their_kabkota(page, live_server, coordinator):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("accounts:login"))
    assert _lang(page) == "id"
    _shoot(page, "login")

    page.locator("input[name=username]").fill("dp3a_jakpus")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("home"))
    my_region = page.locator("main").get_by_role("link", name="Kota Administrasi Jakarta Pusat")
    assert my_region.is_visible()
    _shoot(page, "home")

    page.locator("#lang-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # no wait_for_function: the CSP forbids eval
    page.get_by_role("link", name="Regions", exact=True).click()
    page.wait_for_url("**" + reverse("regions:region_index"))
    assert _lang(page) == "en"

    page.get_by_role("link", name="Daerah Khusus Ibukota Jakarta").click()
    page.wait_for_url("**" + reverse("regions:region_detail", args=["31"]))
    page.get_by_role("link", name="Kota Administrasi Jakarta Pusat").click()
    page.wait_for_url("**" + reverse("regions:region_detail", args=["31.71"]))
    assert page.locator("h1").inner_text() == "Kota Administrasi Jakarta Pusat"
    assert _lang(page) == "en"


@pytest.mark.browser
def test_a_wrong_password_keeps_the_visitor_on_the_login_form_with_a_message(page, live_server, coordinator):
    page.goto(live_server.url + reverse("accounts:login"))
    page.locator("input[name=username]").fill("dp3a_jakpus")
    page.locator("input[name=password]").fill("salah")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.is_visible()
    assert page.locator("input[name=password]").is_visible()
    _shoot(page, "login-error")
