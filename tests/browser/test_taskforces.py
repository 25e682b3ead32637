"""The Kota Banjarmasin coordinator builds the Gugus Tugas in Chromium: decree, members (form and Excel),
a meeting with two decisions, one followed up to done; screenshots at desktop and phone width."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import Workbook

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
OPDS = [
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "DP3A"),
    ("Dinas Kesehatan", "Dinkes"),
    ("Dinas Pendidikan", "Disdik"),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    ("Dinas Sosial", "Dinsos"),
]
IMPORTED = [
    ["Muhammad Fadli", "Kabid PPM", "Bappeda", "", "koordinator", "Kelembagaan", "pemerintah"],
    ["Rahmadi", "Kepala Disdukcapil", "Disdukcapil", "", "koordinator", "Klaster I", "pemerintah"],
    ["Hj. Nurul Hidayah", "Kepala Dinsos", "Dinsos", "", "koordinator", "Klaster II", "pemerintah"],
    ["dr. Hendra Wijaya", "Kepala Dinkes", "Dinkes", "", "koordinator", "Klaster III", "pemerintah"],
    ["Yuliana", "Kepala Disdik", "Disdik", "", "koordinator", "Klaster IV", "pemerintah"],
    ["Rina Apriani", "Kabid Perlindungan Anak", "DP3A", "", "koordinator", "Klaster V", "pemerintah"],
    ["Abdul Gani", "Ketua", "", "Lembaga Perlindungan Anak Kota", "anggota", "Klaster V", "lembaga masyarakat"],
    ["Maya Sari", "Manajer CSR", "", "PT Sungai Sejahtera", "anggota", "Klaster III", "dunia usaha"],
]


@pytest.fixture
def banjarmasin_page(transactional_db, page, live_server, client):
    """The browser signed in (English) as the coordinator of Kota Banjarmasin, whose OPDs exist."""
    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_agency, make_user_with_role

    for name, short in OPDS:
        make_agency("63.71", name, short)
    client.force_login(make_user_with_role("dp3a_bjm", Role.REGION_COORDINATOR, "63.71"))
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(DESKTOP)
    return page


def _xlsx(rows) -> bytes:
    book = Workbook()
    book.active.append(["Name", "Position", "OPD", "Organisation", "Role", "Sub-group", "Sector"])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _add_member(page, name, position, *, role, sector, agency="", organisation="", area=""):
    form = page.locator("#member-form")
    form.locator("#id_name").fill(name)
    form.locator("#id_position").fill(position)
    if agency:
        form.locator("#id_agency").select_option(label=agency)
    form.locator("#id_organisation").fill(organisation)
    form.locator("#id_role").select_option(role)
    form.locator("#id_area").select_option(area)
    form.locator("#id_sector").select_option(sector)
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
def test_coordinator_builds_the_gugus_tugas_and_follows_up_a_decision(banjarmasin_page, live_server):
    page = banjarmasin_page
    page.goto(live_server.url + "/taskforces/region/63.71/")
    assert "No decree recorded" in page.content()
    page.get_by_role("link", name="Record a decree").click()
    page.locator("#id_number").fill("188.45/021/KUM/2025")
    page.locator("#id_decree_date").fill("2025-01-20")
    page.locator("#id_period_start").fill("2025")
    page.locator("#id_period_end").fill("2027")
    page.locator("#id_signatory").fill("Wali Kota Banjarmasin")
    page.locator("#id_upload").set_input_files(
        {"name": "SK GT KLA 2025.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    page.get_by_role("button", name="Save").click()
    page.locator("h1", has_text="Decree 188.45/021/KUM/2025").wait_for()
    assert "No ketua (chair) is named." in page.content()

    _add_member(
        page,
        "Drs. Ahmad Rizani",
        "Kepala Bappeda",
        role="ketua",
        sector="pemerintah",
        agency="Badan Perencanaan Pembangunan Daerah (Bappeda)",
    )
    _add_member(
        page,
        "Hj. Siti Norhayati",
        "Kepala DP3A",
        role="sekretaris",
        sector="pemerintah",
        agency="Dinas Pemberdayaan Perempuan dan Perlindungan Anak (DP3A)",
    )
    page.locator("#member-import-form input[type=file]").set_input_files(
        {"name": "anggota.xlsx", "mimeType": "application/octet-stream", "buffer": _xlsx(IMPORTED)}
    )
    page.locator("#member-import-form button[type=submit]").click()
    page.locator(".message-success", has_text="8 members were imported.").wait_for()
    assert "No member from: Media." in page.content()
    _add_member(
        page, "Fajar Ramadhan", "Redaktur", role="anggota", sector="media", organisation="Radio Kota", area="klaster_1"
    )
    assert page.locator("#gaps-heading", has_text="No gaps").is_visible()
    _shoot(page, "taskforce-decree")

    today = timezone.localdate()
    page.get_by_role("link", name="Meetings").first.click()
    page.get_by_role("link", name="Record a meeting").click()
    page.locator("#id_held_on").fill((today - datetime.timedelta(days=20)).isoformat())
    page.locator("#id_agenda").fill("Rakor persiapan evaluasi KLA")
    page.locator("#id_place").fill("Aula Bappeda")
    page.locator("#id_attendee_count").fill("28")
    for name in ("Drs. Ahmad Rizani", "Hj. Siti Norhayati", "Rina Apriani"):
        page.get_by_label(re.compile(re.escape(name))).check()
    page.locator("#id_minutes").fill("Pembahasan kelengkapan data dukung tiap klaster.")
    page.locator("#meeting-form button[type=submit]").click()
    page.locator("h1", has_text="Meeting of").wait_for()
    decisions = [
        (
            "Perbarui Profil Anak terpilah per kecamatan",
            "Dinas Pemberdayaan Perempuan dan Perlindungan Anak (DP3A)",
            10,
        ),
        ("Lengkapi data akta kelahiran per kelurahan", "Dinas Kependudukan dan Pencatatan Sipil (Disdukcapil)", -5),
    ]
    for text, opd, days in decisions:
        form = page.locator("#decision-form")
        form.locator("#id_text").fill(text)
        form.locator("#id_owner_agency").select_option(label=opd)
        form.locator("#id_due_on").fill((today + datetime.timedelta(days=days)).isoformat())
        form.locator("button[type=submit]").click()
        page.locator(".message-success").wait_for()
    overdue_row = page.locator("tr", has_text="Lengkapi data akta kelahiran")
    assert "overdue" in overdue_row.inner_text()

    page.locator("tr", has_text="Perbarui Profil Anak").get_by_role("link", name="Follow up").click()
    page.locator("#id_status").select_option("done")
    page.locator("#id_note").fill("Profil Anak 2026 terbit dan diunggah.")
    page.locator("#follow-up-form button[type=submit]").click()
    page.locator(".message-success", has_text="The follow-up was recorded.").wait_for()
    done_row = page.locator("tr", has_text="Perbarui Profil Anak")
    assert "Done" in done_row.inner_text() and "Profil Anak 2026 terbit" in done_row.inner_text()
    _shoot(page, "taskforce-meeting")

    page.goto(live_server.url + "/taskforces/region/63.71/")
    assert page.locator("#open-decisions").is_visible()
    _shoot(page, "taskforce-home")
