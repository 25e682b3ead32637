"""The public framework browser in a real Chromium, on a desktop and on a 390 px phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def frameworks(transactional_db):
    from layak.frameworks.services import frameworks_load_all

    frameworks_load_all(settings.LAYAK_FRAMEWORKS_DIR)


@pytest.mark.browser
@pytest.mark.parametrize(("width", "suffix"), [(1280, ""), (390, "-phone")])
def test_version_page_shows_groups_and_the_provisional_notice(page, live_server, frameworks, width, suffix):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/frameworks/")
    page.get_by_role("link", name="Indikator KLA (24 indikator)").click()
    page.wait_for_url("**/frameworks/kla-2021/")

    # kla-2021 carries two warnings: its weights are provisional, and it is kept for past cycles (kla-2024).
    assert page.get_by_text("Bobot sementara \N{EM DASH} bukan bobot resmi.").is_visible()
    assert page.get_by_test_id("superseded-note").is_visible()
    assert page.locator(".framework-group").count() == 6
    assert page.get_by_role("heading", name="Klaster V \N{EN DASH} Perlindungan Khusus").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(ARTIFACTS / f"frameworks{suffix}.png"), full_page=True)

    page.get_by_role("link", name="Persentase perkawinan anak").click()
    page.wait_for_url("**/frameworks/kla-2021/II7/")
    assert page.locator(".rubric-table tbody tr").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(ARTIFACTS / f"frameworks-indicator{suffix}.png"), full_page=True)


@pytest.fixture
def admin_user(transactional_db):
    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_user_with_role

    return make_user_with_role("admin_pusat", Role.NATIONAL_ADMIN)


@pytest.mark.browser
def test_national_admin_sees_the_live_sum_while_editing_weights(page, live_server, frameworks, admin_user):
    from layak.accounts.tests.factories import PASSWORD

    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/frameworks/kla-2021/weights/")
    page.locator("input[name=username]").fill("admin_pusat")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/frameworks/kla-2021/weights/")

    total = page.locator("#weights-sum")
    assert total.inner_text() == "1.000,00"  # the page is in Indonesian
    page.locator("input[name=max_K1]").fill("65")
    assert total.inner_text() == "1.005,00"
    assert "sum-wrong" in total.get_attribute("class")
    page.locator("main button[type=submit]").click()
    assert page.get_by_role("alert").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "frameworks-weights-phone.png"), full_page=True)
