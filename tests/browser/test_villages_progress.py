"""The Jakarta Pusat coordinator sees Kelana/Dekela progress on a map of its kelurahan, on desktop and phone."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def progress_page(transactional_db, page, live_server, client, region_coordinator, settings):
    from layak.regions.models import Region
    from layak.villages.tests.factories import answer_all, kla2024_cycle, make_subtree

    settings.LAYAK_MAP_TILE_URL = ""  # no tiles from the internet in tests: points on a blank map
    make_subtree("31.71")
    cycle = kla2024_cycle()
    desa = list(Region.objects.filter(code__startswith="31.71.", level=4).order_by("code")[:3])
    for i, d in enumerate(desa):
        Region.objects.filter(pk=d.pk).update(latitude=Decimal(f"-6.17{i}"), longitude=Decimal(f"106.82{i}"))
    answer_all(cycle, desa[0], region_coordinator, verify_by=region_coordinator)
    answer_all(cycle, desa[1], region_coordinator)
    client.force_login(region_coordinator)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    ARTIFACTS.mkdir(exist_ok=True)
    return page, f"{live_server.url}/villages/progress/{cycle.pk}/31.71/"


@pytest.mark.browser
@pytest.mark.parametrize(("size", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_the_progress_page_maps_the_kelurahan_by_checklist_state(progress_page, size, name):
    page, url = progress_page
    page.set_viewport_size(size)
    page.goto(url)
    page.locator("#progress-map.is-ready").wait_for()
    assert page.locator("#progress-map").get_attribute("data-count") == "3"
    colours = page.locator("#progress-map path.leaflet-interactive")
    assert colours.count() == 3
    fills = sorted(colours.nth(i).get_attribute("fill") or "" for i in range(3))
    assert fills == sorted(["#15803d", "#1d4ed8", "#9ca3af"])  # verified, sent, not sent
    assert "Gambir" in page.locator("#progress-table").inner_text()  # the same progress, without the map
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    page.screenshot(path=str(ARTIFACTS / f"villages-progress-map-{name}.png"), full_page=True)
