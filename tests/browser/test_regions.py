"""Browsing Indonesia -> DKI Jakarta -> Kota Administrasi Jakarta Pusat in a real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def jakarta_regions(transactional_db):
    """All provinces and kab/kota, and the kecamatan and villages of DKI Jakarta only (keeps it fast)."""
    from layak.regions.services import regions_load

    regions_load(levels=(1, 2))
    regions_load(levels=(3, 4), provinces={"31"})


def _browse_to_jakarta_pusat(page, live_server):
    page.goto(live_server.url + "/regions/")
    page.get_by_role("link", name="Daerah Khusus Ibukota Jakarta").click()
    page.get_by_role("link", name="Kota Administrasi Jakarta Pusat").click()
    page.wait_for_url("**/regions/31.71/")


@pytest.mark.browser
def test_browse_from_indonesia_to_a_kabkota(page, live_server, jakarta_regions):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    _browse_to_jakarta_pusat(page, live_server)

    assert page.locator("h1").inner_text() == "Kota Administrasi Jakarta Pusat"
    assert page.get_by_role("link", name="Menteng").is_visible()
    assert page.locator(".breadcrumbs").get_by_role("link", name="Daerah Khusus Ibukota Jakarta").is_visible()
    page.screenshot(path=str(ARTIFACTS / "regions.png"), full_page=True)


@pytest.mark.browser
def test_region_pages_fit_a_phone(page, live_server, jakarta_regions):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})

    _browse_to_jakarta_pusat(page, live_server)

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "regions-phone.png"), full_page=True)
    page.goto(live_server.url + "/regions/search/?q=banjar")
    assert page.get_by_role("link", name="Kota Banjarmasin").is_visible()
    page.screenshot(path=str(ARTIFACTS / "regions-search-phone.png"), full_page=True)
    page.goto(live_server.url + "/regions/")
    page.screenshot(path=str(ARTIFACTS / "regions-index-phone.png"))
