"""Issue 11, done when: the ministry filters the 514 regencies/cities by status, in a real Chromium, desktop and
phone; the progress page is reached from the home page, sorts and offers the export of what it shows."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def nation(transactional_db, national_admin):
    """A cycle on kla-2024 over every kab/kota of Indonesia; Jakarta Pusat has submitted."""
    from layak.evaluations.models import Assessment
    from layak.evaluations.services import cycle_open
    from layak.evaluations.tests.factories import windows
    from layak.frameworks.models import FrameworkVersion
    from layak.frameworks.services import frameworks_load_all
    from layak.regions.services import regions_load
    from layak.reviews.tests.factories import submit

    regions_load(levels=(1, 2))
    frameworks_load_all()
    cycle = cycle_open(
        user=national_admin,
        year=2026,
        name="KLA 2026",
        framework=FrameworkVersion.objects.get(slug="kla-2024"),
        windows=windows(),
    )
    submit(Assessment.objects.get(cycle=cycle, region_id="31.71"))
    return cycle


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_the_ministry_filters_the_514_regions_by_status(page, live_server, client, nation, national_admin, size):
    ARTIFACTS.mkdir(exist_ok=True)
    client.force_login(national_admin)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page.set_viewport_size(SIZES[size])
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Kemajuan setiap kabupaten/kota: cari, saring, urutkan, unduh").click()
    main = page.locator("main")
    assert "514 kabupaten/kota sesuai filter" in main.inner_text()
    assert "274 pertanyaan" in main.inner_text()
    page.locator("#id_status").select_option(label="Verifikasi administrasi provinsi")
    page.get_by_role("button", name="Filter").click()
    text = main.inner_text()
    assert "1 kabupaten/kota sesuai filter" in text and "Kota Administrasi Jakarta Pusat" in text
    page.locator("#id_status").select_option(label="Belum dikirim (semua)")
    page.locator("#id_province").select_option(label="Daerah Khusus Ibukota Jakarta")
    page.get_by_role("button", name="Filter").click()
    text = main.inner_text()
    assert "5 kabupaten/kota sesuai filter" in text and "Jakarta Pusat" not in text
    assert "Draf (belum dikirim)" in text and "draft" not in text
    page.get_by_role("link", name="Kabupaten/kota", exact=True).click()  # sort by name
    page.get_by_role("link", name="Kabupaten/kota", exact=True).click()  # and the other way round
    names = page.locator("table.rv-progress tbody th").all_inner_texts()
    assert names == sorted(names, reverse=True) and len(names) == 5
    assert page.locator("th[aria-sort=descending]").count() == 1
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8-sig").strip().splitlines()
    assert len(lines) == 6 and "Kota Administrasi Jakarta Pusat" not in "".join(lines)
    page.screenshot(path=str(ARTIFACTS / f"progress-filtered-{size}.png"), full_page=True)
