"""The Jakarta Pusat coordinator registers a school, certifies it, sees it on the map, imports a playground and a
PATBM, accepts the suggested zone and sees what it lacks, renews the school's certificate, and finds the zone and
the coverage on the region dashboard (Chromium, desktop and phone)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def coordinator_page(transactional_db, page, live_server, client, region_coordinator, settings):
    from layak.facilities.tests.factories import CIDENG, GAMBIR, make_desa
    from layak.regions.models import Region

    settings.LAYAK_MAP_TILE_URL = ""  # no tiles from the internet in tests: markers on a blank map
    make_desa(GAMBIR, CIDENG)
    Region.objects.filter(code=CIDENG).update(latitude=Decimal("-6.1745"), longitude=Decimal("106.8105"))
    client.force_login(region_coordinator)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    ARTIFACTS.mkdir(exist_ok=True)
    return page


def _register_and_certify(page, live_server, size, suffix):
    page.set_viewport_size(size)
    page.goto(live_server.url + "/facilities/region/31.71/")
    page.get_by_role("link", name="Register a facility").first.click()
    form = page.locator("#facility-form")
    form.locator("#id_kind").select_option("sra")
    form.locator("#id_name").fill(f"SDN Gambir {suffix}")
    form.locator("#id_desa").select_option("31.71.01.1001")
    form.locator("#id_school_level").select_option("sd")
    form.locator("#id_proposed_on").fill("2025-01-06")
    page.locator("#facility-point-map.leaflet-container").wait_for()
    page.locator("#facility-point-map").click(position={"x": 120, "y": 90})
    assert form.locator("#id_latitude").input_value() != ""
    form.locator("#id_latitude").fill("-6,1702")
    form.locator("#id_longitude").fill("106,8201")
    form.locator("button[type=submit]").click()
    page.locator("h1", has_text=f"SDN Gambir {suffix}").wait_for()
    step = page.locator("#step-assessed")
    step.locator("input[type=date]").fill("2025-02-03")
    step.locator("button[type=submit]").click()
    page.locator("text=is now assessed").wait_for()
    step = page.locator("#step-certified")
    step.locator("#id_certified-date").fill("2025-03-03")
    step.locator("#id_certified-decree_number").fill(f"188/{suffix}/2025")
    step.locator("#id_certified-valid_until").fill("2028-03-02")
    step.locator("button[type=submit]").click()
    page.locator("text=is now certified").wait_for()
    assert "188/" in page.locator("#certification-steps").inner_text()


def _import_zone_renew_and_dashboard(page, live_server, suffix):
    from layak.facilities.tests.factories import GAMBIR, xlsx_upload

    page.goto(live_server.url + "/facilities/region/31.71/")
    rows = [
        ["rbra", f"RBRA Gambir {suffix}", GAMBIR, "", "", "", "-6,1704", "106,8203"],
        ["patbm", f"PATBM Gambir {suffix}", GAMBIR, "", "", "", "-6,1706", "106,8199"],
    ]
    workbook = xlsx_upload(rows).read()
    form = page.locator("#facility-import-form")
    form.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "fasilitas.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": workbook,
            }
        ]
    )
    form.locator("button[type=submit]").click()
    page.locator("text=2 facilities were imported").wait_for()
    page.get_by_role("link", name="Kaltara zones").first.click()
    suggestion = page.locator("section.suggestion").first
    assert f"RBRA Gambir {suffix}" in suggestion.inner_text() and f"SDN Gambir {suffix}" in suggestion.inner_text()
    suggestion.get_by_role("button", name="Accept as a zone").click()
    page.locator("text=was created").wait_for()
    lacks = page.locator(".message-warning", has_text="Lacks:").inner_text()
    assert "PRAP" in lacks and "PISA" in lacks  # the zone has school, playground and PATBM
    page.get_by_role("link", name=f"SDN Gambir {suffix}").click()
    renew = page.locator("#renew")
    renew.locator("#id_renew-date").fill("2026-01-05")
    renew.locator("#id_renew-decree_number").fill(f"188/{suffix}/2026")
    renew.locator("#id_renew-valid_until").fill("2029-01-04")
    renew.locator("button[type=submit]").click()
    assert "tick the box" in page.locator("#renew").inner_text()  # valid until 2028: replacing it must be meant
    renew = page.locator("#renew")
    renew.locator("#id_renew-decree_number").fill(f"188/{suffix}/2026")
    renew.locator("#id_renew-replace_in_force").check()
    renew.locator("button[type=submit]").click()
    page.locator("text=was renewed").wait_for()
    history = page.locator("#certification-steps").inner_text()
    assert "Certificate renewed" in history and f"188/{suffix}/2025" in history and f"188/{suffix}/2026" in history
    page.goto(live_server.url + "/dashboards/regions/31.71/")
    panel = page.locator("#facilities-panel").inner_text()
    assert "1 Kaltara zone: 0 complete, 1 incomplete." in panel and "lacks" in panel
    assert "Ruang Bermain Ramah Anak (RBRA)" in page.locator("#facilities-coverage-shares").inner_text()
    page.locator("#facilities-panel").get_by_role("link", name="Coverage and gaps").click()
    page.locator("h1", has_text="Coverage and service gaps").wait_for()


@pytest.mark.browser
def test_coordinator_registers_certifies_and_maps_a_school(coordinator_page, live_server):
    page = coordinator_page
    _register_and_certify(page, live_server, DESKTOP, "01")
    page.screenshot(path=str(ARTIFACTS / "facilities-detail.png"), full_page=True)
    page.get_by_role("link", name="Child-friendly facilities").first.click()
    assert "Certified" in page.locator("#facility-table").inner_text()
    page.get_by_role("link", name="Map", exact=True).click()
    page.locator("#facility-map.is-ready").wait_for()
    assert page.locator("#facility-map").get_attribute("data-count") == "1"
    assert page.locator("#facility-map path.leaflet-interactive, #facility-map .marker-cluster").count() >= 1
    # Cideng lacks service kinds and has a point: a ring on the map; both kelurahan are listed beside it.
    assert page.locator("#facility-map").get_attribute("data-gaps") == "1"
    assert page.locator("#facility-map path[stroke='#be185d']").count() == 1
    side = page.locator("#gap-list").inner_text()
    assert "Cideng" in side and "Gambir" in side and "no point" in side
    page.screenshot(path=str(ARTIFACTS / "facilities-map.png"), full_page=True)
    page.get_by_role("link", name="Counts for the instrument").click()
    assert "SD/MI" in page.locator("#share-table").inner_text()
    page.goto(live_server.url + "/facilities/public/31.71/")
    assert "SDN Gambir 01" in page.locator("#public-facilities").inner_text()
    _import_zone_renew_and_dashboard(page, live_server, "01")
    page.goto(live_server.url + "/dashboards/regions/31.71/")
    page.screenshot(path=str(ARTIFACTS / "facilities-dashboard-panel.png"), full_page=True)
    _sra_flows_into_indicator_19(page, live_server)


def _sra_flows_into_indicator_19(page, live_server):
    """With the total of SD/MI recorded, the certified school is offered to kla-2024 question 19.2b (the SRA
    percentage for SD/MI) with its source, and the coordinator takes it."""
    from django.conf import settings

    from layak.evaluations.tests.factories import make_assessment, make_cycle
    from layak.facilities import services
    from layak.frameworks.models import FrameworkVersion, Question
    from layak.frameworks.services import framework_load_file
    from layak.regions.models import Region

    framework_load_file(Path(settings.LAYAK_FRAMEWORKS_DIR) / "kla-2024.yaml")
    assessment = make_assessment(make_cycle(FrameworkVersion.objects.get(slug="kla-2024"), year=2026))
    coordinator = assessment.region.facilities.first().created_by
    for year in (2025, 2026):
        services.total_save(
            user=coordinator,
            region=Region.objects.get(code="31.71"),
            year=year,
            kind="sra",
            school_level="sd",
            total=8,
            source="Dapodik",
        )
    question = Question.objects.get(indicator__version__slug="kla-2024", indicator__code="19", code="2b").pk
    page.goto(f"{live_server.url}/evaluations/assessments/{assessment.pk}/instrument/19/")
    offer = page.get_by_test_id(f"offer-{question}")
    assert offer.is_visible()
    offer.get_by_role("button", name="Use this value").click()
    page.wait_for_load_state()
    assert page.locator(f"#id_q{question}-num_2026").input_value() == "1"
    assert page.locator(f"#id_q{question}-den_2026").input_value() == "8"
    page.screenshot(path=str(ARTIFACTS / "facilities-indicator-19.png"), full_page=True)


@pytest.mark.browser
def test_the_same_flow_fits_a_phone(coordinator_page, live_server):
    page = coordinator_page
    _register_and_certify(page, live_server, PHONE, "02")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "facilities-detail-phone.png"), full_page=True)
    page.goto(live_server.url + "/facilities/region/31.71/map")
    page.locator("#facility-map.is-ready").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("#facility-map").get_attribute("data-gaps") == "1"
    assert page.locator("#gap-list").is_visible() and "Cideng" in page.locator("#gap-list").inner_text()
    page.screenshot(path=str(ARTIFACTS / "facilities-map-phone.png"), full_page=True)
    _import_zone_renew_and_dashboard(page, live_server, "02")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(live_server.url + "/dashboards/regions/31.71/")
    assert page.locator("#facilities-panel").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "facilities-dashboard-panel-phone.png"), full_page=True)
