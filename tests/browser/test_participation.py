"""The Kota Banjarmasin coordinator records its Forum Anak and an input to Musrenbang (Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def banjarmasin_page(transactional_db, page, live_server, client, outsider):
    """The browser signed in (in English) as the coordinator of Kota Banjarmasin (the `outsider` persona)."""
    from layak.regions.tests.factories import make_region

    make_region("63.71.01")
    client.force_login(outsider)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    ARTIFACTS.mkdir(exist_ok=True)
    return page


@pytest.mark.browser
def test_coordinator_records_a_city_forum_and_a_musrenbang_input(banjarmasin_page, live_server):
    page = banjarmasin_page
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/participation/region/63.71/")
    page.get_by_role("link", name="Add a forum").click()
    page.locator("#id_name").fill("Forum Anak Kota Banjarmasin")
    page.locator("#id_region").select_option("63.71")
    page.locator("#id_established_on").fill("2016-07-23")
    page.locator("#id_sk_number").fill("188.45/123/2024")
    page.locator("#id_member_count").fill("45")
    page.locator("#forum-form button[type=submit]").click()
    page.locator("h1", has_text="Forum Anak Kota Banjarmasin").wait_for()
    form = page.locator("#input-form")
    form.locator("#id_date").fill("2025-02-12")
    form.locator("#id_channel").select_option("musrenbang_kabkota")
    form.locator("#id_text").fill("Jalur aman ke sekolah di tepian sungai")
    form.locator("button[type=submit]").click()
    page.locator("text=The input was recorded.").wait_for()
    assert "Musrenbang kab/kota" in page.locator(".inputs-table").inner_text()
    page.screenshot(path=str(ARTIFACTS / "participation-forum.png"), full_page=True)
    page.get_by_role("link", name="Forum Anak", exact=True).click()
    assert "Regency/city" in page.locator("tr", has_text="Forum Anak Kota Banjarmasin").first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "participation-region.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "participation-region-phone.png"), full_page=True)
