"""The Kota Banjarmasin coordinator enters a RAD KLA with two activities and a quarterly realisation (Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def banjarmasin_page(transactional_db, page, live_server, client, outsider):
    """The browser signed in (in English) as the coordinator of Kota Banjarmasin (the `outsider` persona)."""
    from layak.accounts.tests.factories import make_agency
    from layak.evaluations.tests.factories import make_framework

    make_framework()
    make_agency("63.71", "Dinas Kesehatan", "Dinkes")
    make_agency("63.71", "Dinas Pendidikan", "Disdik")
    client.force_login(outsider)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    ARTIFACTS.mkdir(exist_ok=True)
    return page


def _add_activity(page, title: str, opd: str, indicator: str, rights: str) -> None:
    page.get_by_role("link", name="Add an activity").click()
    page.locator("#id_title").fill(title)
    page.locator("#id_programme").fill("Program pemenuhan hak anak")
    page.get_by_label(indicator).check()
    page.locator("#id_rights_group").select_option(rights)
    page.locator("#id_agency").select_option(label=opd)
    page.locator("#action-form button[type=submit]").click()
    page.locator("#year-form").wait_for()


@pytest.mark.browser
def test_coordinator_enters_a_rad_with_two_activities_and_a_realisation(banjarmasin_page, live_server):
    page = banjarmasin_page
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/plans/region/63.71/")
    page.get_by_role("link", name="New RAD KLA").click()
    page.locator("#id_title").fill("RAD KLA Kota Banjarmasin 2025-2029")
    page.locator("#id_start_year").fill("2025")
    page.locator("#id_end_year").fill("2029")
    page.locator("#id_legal_basis").fill("Perwali Banjarmasin No. 7 Tahun 2025")
    page.locator("#id_status").select_option("adopted")
    page.locator("#id_integrated_in_rpjmd").check()
    page.locator("#plan-form button[type=submit]").click()

    _add_activity(page, "Posyandu ramah anak", "Dinkes", "I2. Indikator I2", "survival")
    page.locator("#year-form #id_year").fill("2025")
    page.locator("#year-form #id_target").fill("20 posyandu")
    page.locator("#year-form #id_budget").fill("150000000")
    page.locator("#year-form button[type=submit]").click()
    page.locator("#realisation-form #id_year").fill("2025")
    page.locator("#realisation-form #id_quarter").select_option("1")
    page.locator("#realisation-form #id_physical_pct").fill("35")
    page.locator("#realisation-form #id_financial").fill("40000000")
    page.locator("#realisation-form button[type=submit]").click()
    assert "35%" in page.locator("table", has_text="Physical").inner_text()
    page.screenshot(path=str(ARTIFACTS / "plans-action.png"), full_page=True)

    page.get_by_role("link", name="2025\u20132029").click()
    _add_activity(page, "Pojok baca di sekolah", "Disdik", "K1. Indikator K1", "development")
    page.get_by_role("link", name="2025\u20132029").click()
    rows = page.locator(".actions-table tbody tr")
    assert rows.count() == 2
    page.screenshot(path=str(ARTIFACTS / "plans-rad.png"), full_page=True)

    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "plans-rad-phone.png"), full_page=True)


@pytest.mark.browser
def test_budget_share_page_on_a_phone(banjarmasin_page, live_server):
    page = banjarmasin_page
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/plans/region/63.71/")
    page.locator("#apbd-form #id_year").fill("2025")
    page.locator("#apbd-form #id_apbd_total").fill("2150000000000")
    page.locator("#apbd-form button[type=submit]").click()
    page.locator("text=The APBD total was saved.").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "plans-budget-phone.png"), full_page=True)
