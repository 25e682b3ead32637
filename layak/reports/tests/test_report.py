"""The region's evaluation report: who may read it, what it shows, its PDF and its Excel workbook."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from layak.accounts.choices import Role
from layak.accounts.tests.factories import make_user_with_role
from layak.evaluations.tests.factories import make_assessment

from .factories import make_answers, make_final, make_snapshot

POPPLER = shutil.which("pdftoppm") and shutil.which("pdftotext")


def _url(assessment, fmt: str = "") -> str:
    url = reverse("reports:assessment_report", args=[assessment.pk])
    return f"{url}?format={fmt}" if fmt else url


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("national_admin", 200),
        ("province_verifier", 200),
        ("region_coordinator", 200),
        ("independent_evaluator", 200),
        ("opd_contributor", 403),
        ("outsider", 404),
    ],
)
def test_who_may_read_the_report(request, login, assessment, persona, status):
    client = login(request.getfixturevalue(persona))
    for fmt in ("", "pdf", "xlsx") if status == 200 else ("", "xlsx"):
        assert client.get(_url(assessment, fmt)).status_code == status


def test_outsider_gets_404_even_after_publication(login, outsider, verified):
    from django.utils import timezone

    verified.cycle.results_published_at = timezone.now()
    verified.cycle.save()
    assert login(outsider).get(_url(verified)).status_code == 404
    assert login(outsider).get(_url(verified, "pdf")).status_code == 404


def test_anonymous_is_sent_to_login(client, assessment):
    response = client.get(_url(assessment, "pdf"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_unknown_format_is_404(login, region_coordinator, assessment):
    assert login(region_coordinator).get(_url(assessment, "docx")).status_code == 404


def test_report_shows_cover_stages_and_indicator_rows(login, region_coordinator, verified):
    page = login(region_coordinator).get(_url(verified)).content.decode()
    assert "Kota Administrasi Jakarta Pusat" in page and "31.71" in page and "Daerah Khusus Ibukota Jakarta" in page
    assert "provisional weights" in page
    assert "700.00" in page and "Madya" in page  # final score 290 + 210 + 200
    for header in ("Self-assessment", "Province verification", "Central desk review", "Field verification", "Final"):
        assert header in page
    for header in ("Klaster", "Score (per stage / maximum)", "Indicator", "Done", "Not done yet", "Responsible (OPD)"):
        assert f">{header}<" in page
    assert "Perda KLA No. 3/2022 disahkan" in page and "Bappeda" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "evidence missing (usually Salinan SK layanan akta kelahiran)" in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2  # cluster bars and stage comparison


def test_before_any_snapshot_the_self_score_is_live_and_not_final(login, region_coordinator, assessment):
    page = login(region_coordinator).get(_url(assessment)).content.decode()
    assert "Not final yet" in page
    assert "computed live from the saved answers" in page
    assert "Province verification" not in page  # only stages that exist get a column


def test_latest_stage_is_named_until_the_result_is_final(login, region_coordinator, assessment):
    make_snapshot(assessment, "self")
    make_snapshot(assessment, "province")
    page = login(region_coordinator).get(_url(assessment)).content.decode()
    assert "Not final yet" in page and "Latest stage: Province verification" in page
    assert "850.00" in page and "Utama" in page


def test_a_different_predicate_set_by_the_ministry_is_shown_with_its_reason(login, national_admin, assessment):
    make_final(assessment, band_code="nindya", reason="Verifikasi lapangan menunjukkan layanan lengkap.")
    page = login(national_admin).get(_url(assessment)).content.decode()
    assert "Nindya" in page and "The bands give Madya" in page and "Verifikasi lapangan" in page


def test_report_queries_do_not_grow_with_the_data(login, region_coordinator, verified, django_assert_max_num_queries):
    client = login(region_coordinator)
    client.get(_url(verified))
    with django_assert_max_num_queries(24):
        assert client.get(_url(verified)).status_code == 200
    with django_assert_max_num_queries(24):
        assert client.get(_url(verified, "xlsx")).status_code == 200


def test_report_of_a_wide_framework_uses_the_same_queries(
    login, region_coordinator, django_assert_max_num_queries, cycle, indicators, verified
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from layak.evaluations.tests.factories import make_cycle, make_framework, wide_spec

    client = login(region_coordinator)
    client.get(_url(verified))
    with CaptureQueriesContext(connection) as small:
        client.get(_url(verified))
    small_count = len(small.captured_queries)  # the log is cleared by the next request
    wide = make_assessment(make_cycle(make_framework("wide", wide_spec(30)), year=2026))
    client.get(_url(wide))
    with django_assert_max_num_queries(small_count):
        assert client.get(_url(wide)).status_code == 200


def test_excel_has_summary_and_indicator_sheets(login, province_verifier, verified):
    response = login(province_verifier).get(_url(verified, "xlsx"))
    assert response["Content-Disposition"] == 'attachment; filename="kla-report-2025-31.71.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summary", "Indicators"]
    summary = [[c.value for c in row] for row in book["Summary"].iter_rows()]
    assert summary[0][:3] == ["Klaster", "Maximum", "Self-assessment"] and summary[0][-1] == "Final"
    assert ["Total", 1000, 950, 850, 750, 700, 700] in summary
    sheet = book["Indicators"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Klaster", "Code", "Indicator"]
    assert header[-5:] == ["Maximum", "Done", "Not done yet", "Responsible (OPD)", "Data needed"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["K1"][3:8] == (380, 340, 300, 290, 290)
    todo = sheet.cell(row=2, column=header.index("Not done yet") + 1)
    assert todo.value.startswith("=HYPERLINK") and todo.data_type == "s"  # text, never a formula


def _png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.skipif(not POPPLER, reason="pdftoppm and pdftotext are missing: apt-get install poppler-utils")
def test_pdf_first_page_renders_as_an_a4_cover(login, region_coordinator, verified, tmp_path):
    response = login(region_coordinator).get(_url(verified, "pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="kla-report-2025-31.71.pdf"'
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    width, height = _png_size(png)
    assert width in (496, 497) and height == 702  # A4 portrait (595 x 842 pt) at 60 dpi
    assert png.stat().st_size > 8_000  # a blank page compresses to about 1 kB
    text = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "Kota Administrasi Jakarta Pusat" in text and "KLA" in text and "Madya" in text
    everything = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    words = " ".join(everything.split())
    assert "Page 3 of 4" in words and "Perda KLA No. 3/2022 disahkan" in words


def test_viewer_of_the_region_may_read_the_report(login, assessment):
    viewer = make_user_with_role("pemantau_jakpus", Role.VIEWER, "31.71")
    assert login(viewer).get(_url(assessment)).status_code == 200


def test_other_region_in_the_same_province_is_hidden_from_the_coordinator(login, region_coordinator, cycle, indicators):
    other = make_assessment(cycle, "31.75")
    make_answers(other, indicators)
    assert login(region_coordinator).get(_url(other)).status_code == 404
