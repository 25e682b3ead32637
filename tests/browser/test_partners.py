"""The Kota Banjarmasin coordinator records an APSAI business and its lactation room (Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def banjarmasin_page(transactional_db, page, live_server, client, outsider):
    """The browser signed in (in English) as the coordinator of Kota Banjarmasin (the `outsider` persona)."""
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
def test_coordinator_records_an_apsai_business_with_a_lactation_room(banjarmasin_page, live_server):
    page = banjarmasin_page
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/partners/region/63.71/")
    form = page.locator("#partner-form")
    form.locator("#id_name").fill("PT Borneo Sahabat Anak")
    form.locator("#id_kind").select_option("business")
    form.locator("#id_apsai_member").check()
    form.locator("#id_apsai_since").fill("2024-07-23")
    form.locator("button[type=submit]").click()
    page.locator("h1", has_text="PT Borneo Sahabat Anak").wait_for()
    form = page.locator("#contribution-form")
    form.locator("#id_date").fill("2025-03-01")
    form.locator("#id_type").select_option("lactation_room")
    form.locator("#id_description").fill("Ruang laktasi di kantor pusat")
    form.locator("#id_facility_count").fill("2")
    form.locator("#id_value").fill("45000000")
    form.locator("button[type=submit]").click()
    page.locator("text=The contribution was recorded.").wait_for()
    assert "Lactation room" in page.locator("table").inner_text()
    page.screenshot(path=str(ARTIFACTS / "partners-partner.png"), full_page=True)
    page.get_by_role("link", name="Partners", exact=True).click()
    row = page.locator("tr", has_text="PT Borneo Sahabat Anak")
    assert "member" in row.inner_text() and "since 2024" in row.inner_text()
    page.screenshot(path=str(ARTIFACTS / "partners-region.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "partners-region-phone.png"), full_page=True)
