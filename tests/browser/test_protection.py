"""Child-protection figures and task forces of every kind in Chromium, desktop and phone: the Jakarta Timur
coordinator imports a year of figures, sees the flagged jump, corrects a month; the public page shows hidden
small counts; the TPPO task force holds a joint meeting with the Gugus Tugas KLA, with an outside speaker."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
REGION = "31.75"
HEADERS = ["Kode wilayah", "Tahun", "Bulan", "Anak ditarik dari pekerjaan", "Laki-laki", "Perempuan"]


def _year_of_figures() -> bytes:
    """Child labour in Jakarta Timur, January to December 2025, with a jump in September."""
    book = Workbook()
    sheet = book.active
    sheet.title = "child_labour"
    sheet.append(HEADERS)
    for month in range(1, 13):
        freed = 40 if month == 9 else 6
        sheet.append([REGION, 2025, month, freed, freed // 2, freed - freed // 2])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def coordinator_page(transactional_db, page, live_server, client):
    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_user_with_role
    from layak.regions.tests.factories import make_region
    from layak.taskforces.services import taskforce_kinds

    taskforce_kinds()  # the data migration's rows (a transactional test flushes them)
    make_region("31.01")
    client.force_login(make_user_with_role("dp3a_jaktim_b", Role.REGION_COORDINATOR, REGION))
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    ARTIFACTS.mkdir(exist_ok=True)
    return page


def _shoot(page, name: str, size: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"protection-{name}-{size}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_coordinator_imports_a_year_checks_the_jump_corrects_a_month_and_the_public_sees_hidden_counts(
    coordinator_page, live_server, size
):
    from layak.accounts.models import User
    from layak.protection.services import Entry, reports_save

    page = coordinator_page
    page.set_viewport_size(SIZES[size])
    page.goto(f"{live_server.url}/protection/region/{REGION}/import")
    page.set_input_files(
        "input[name=upload]",
        files=[{"name": "2025.xlsx", "mimeType": "application/octet-stream", "buffer": _year_of_figures()}],
    )
    page.get_by_role("button", name="Import").click()
    page.get_by_text("12 periods recorded, 0 corrected.").wait_for()
    flags = page.locator("#flags")
    assert "3 jumps to check" in flags.inner_text() and "Children withdrawn: 40" in flags.inner_text()
    _shoot(page, "region", size)
    flags.get_by_role("link").first.click()
    page.locator("#correct").wait_for()
    page.get_by_label("Children withdrawn").fill("12")
    page.get_by_label("Boys").fill("6")
    page.get_by_label("Girls").fill("6")
    page.get_by_label("Reason for the correction").select_option("entry_error")
    page.get_by_role("button", name="Save the correction").click()
    page.get_by_text("The correction was saved").wait_for()
    assert "Version 2" in page.locator("#versions").inner_text()
    _shoot(page, "corrected", size)
    # A small kab/kota beside it (Kepulauan Seribu): the public page hides its counts.
    admin = User.objects.get(username="dp3a_jaktim_b")
    admin.is_superuser = True
    admin.save()
    reports_save(
        user=admin,
        entries=[Entry("31.01", "child_labour", 2025, m, {"freed": 1, "male": 1, "female": 0}) for m in (1, 2)],
    )
    page.goto(f"{live_server.url}/protection/public/31.01/?year=2025")
    cell = page.locator('[data-cell="child_labour.freed"]')
    assert cell.inner_text() == "<5"
    page.goto(f"{live_server.url}/protection/public/31/?year=2025")
    assert page.locator('[data-cell="child_labour.freed"]').inner_text() == "80"
    page.goto(f"{live_server.url}/protection/public/{REGION}/?year=2025")
    assert (
        page.locator('[data-cell="child_labour.freed"]').inner_text() == "\N{MULTIPLICATION SIGN}"
    )  # hidden: 80 - it = <5
    _shoot(page, "public", size)


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_tppo_task_force_holds_a_joint_meeting_with_the_kla_task_force(coordinator_page, live_server, size):
    page = coordinator_page
    page.set_viewport_size(SIZES[size])
    page.goto(f"{live_server.url}/taskforces/region/{REGION}/decrees/new")
    page.get_by_label("Task force").select_option(label="Gugus Tugas Pencegahan dan Penanganan TPPO")
    page.get_by_label("Decree number").fill("1250/2025")
    page.get_by_label("Decree date").fill("2025-02-03")
    page.get_by_label("First year").fill("2025")
    page.get_by_label("Last year").fill("2027")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Gugus Tugas Pencegahan dan Penanganan TPPO").first.wait_for()
    page.goto(f"{live_server.url}/taskforces/region/{REGION}/meetings/new")
    page.get_by_label("Date").fill("2025-07-15")
    page.get_by_label("Agenda").fill("Penguatan Gugus Tugas KLA dan TPPO")
    page.get_by_label("Gugus Tugas KLA").check()
    page.get_by_label("Gugus Tugas Pencegahan dan Penanganan TPPO").check()
    page.get_by_label("Guests from outside").fill(
        "*Narasumber — IOM Indonesia\nNarasumber — Kanwil Kemenkumham DKI Jakarta"
    )
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Joint meeting").first.wait_for()
    body = page.locator("main").inner_text()
    assert "IOM Indonesia" in body and "Kanwil Kemenkumham DKI Jakarta" in body
    _shoot(page, "joint-meeting", size)
