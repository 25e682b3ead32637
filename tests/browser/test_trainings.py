"""The Kota Banjarmasin coordinator records a Bimtek KHA with participants in Chromium; the summary counts
KHA-trained staff per OPD; screenshots at desktop and phone width."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def banjarmasin_page(transactional_db, page, live_server, client):
    """Signed in (English) as the Banjarmasin coordinator; the region has OPDs and a Gugus Tugas member."""
    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_user_with_role
    from layak.taskforces.tests.factories import make_decree

    user = make_user_with_role("dp3a_bjm", Role.REGION_COORDINATOR, "63.71")
    make_decree(user, "63.71")
    client.force_login(user)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(DESKTOP)
    return page


def _add(page, name, *, agency="", organisation="", position="", member=False, certificate=""):
    form = page.locator("#participant-form")
    form.locator("#id_name").fill(name)
    if agency:
        form.locator("#id_agency").select_option(label=agency)
    form.locator("#id_organisation").fill(organisation)
    form.locator("#id_position").fill(position)
    if member:
        form.locator("#id_is_taskforce_member").check()
    if certificate:
        form.locator("#id_certificate_issued").check()
        form.locator("#id_certificate_number").fill(certificate)
    form.locator("button[type=submit]").click()
    page.locator(".message-success", has_text=name).wait_for()


def _shoot(page, name: str) -> None:
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(100)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


@pytest.mark.browser
def test_coordinator_records_a_bimtek_kha_with_participants(banjarmasin_page, live_server):
    page = banjarmasin_page
    page.goto(live_server.url + "/trainings/region/63.71/")
    page.get_by_role("link", name="Record a training").click()
    page.locator("#id_kind").select_option("bimtek_kha")
    page.locator("#id_title").fill("Bimtek Konvensi Hak Anak bagi Gugus Tugas KLA")
    page.locator("#id_starts_on").fill("2025-03-11")
    page.locator("#id_ends_on").fill("2025-03-12")
    page.locator("#id_organiser").fill("DP3A Kota Banjarmasin")
    page.locator("#id_trainers").fill("Fasilitator KLA Provinsi Kalimantan Selatan")
    page.locator("#training-form button[type=submit]").click()
    page.locator("h1", has_text="Bimtek Konvensi Hak Anak").wait_for()

    _add(
        page,
        "dr. Budi Santoso",
        agency="Dinas Kesehatan (Dinkes)",
        position="Kepala Dinkes",
        member=True,
        certificate="001/BIMTEK-KHA/2025",
    )
    _add(
        page,
        "Agus Salim",
        agency="Dinas Pendidikan (Disdik)",
        position="Kepala Disdik",
        member=True,
        certificate="002/BIMTEK-KHA/2025",
    )
    _add(page, "Nor Aida", agency="Dinas Kesehatan (Dinkes)", position="Pengelola Program Anak")
    _add(page, "Yusuf Hidayat", organisation="LPA Kota", position="Ketua", member=True)
    row = page.locator("tr", has_text="dr. Budi Santoso")
    assert "member" in row.inner_text() and "001/BIMTEK-KHA/2025" in row.inner_text()
    _shoot(page, "training-detail")

    page.get_by_role("link", name="KHA trainings").first.click()
    assert page.locator("#kha-trained-staff").inner_text() == "3"
    dinkes = page.locator("#staff-per-agency tr", has_text="Dinas Kesehatan")
    assert "2" in dinkes.inner_text()
    _shoot(page, "training-summary")
