"""The report of a kla-2024 assessment, question by question like the ministry's Rekap: the page, the PDF (with
every stage's grades and the pinned evidence) and the Excel workbook; the renderers give bytes for one region."""

from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from layak.reports import renderers, selectors
from layak.reviews import services
from layak.reviews.choices import ReviewAction
from layak.reviews.tests.factories import finalise
from layak.reviews.tests.test_question_grading import a24, q  # noqa: F401 (fixture)

POPPLER = shutil.which("pdftotext")
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
D = Decimal


@pytest.fixture
def finalised(a24, province_verifier, independent_evaluator, national_admin):  # noqa: F811
    """2.1 graded ½ by the province with a reason and confirmed by the centre, then finalised."""
    services.question_grade_save(
        user=province_verifier, assessment=a24, question=q("2.1"), level="1/2", reason="SK belum ditandatangani"
    )
    services.review_transition(user=province_verifier, assessment=a24, action=ReviewAction.APPROVE)
    services.question_grade_save(user=independent_evaluator, assessment=a24, question=q("2.1"), level="1/2")
    services.review_transition(user=independent_evaluator, assessment=a24, action=ReviewAction.APPROVE)
    services.review_transition(user=independent_evaluator, assessment=a24, action=ReviewAction.APPROVE)
    finalise(a24, national_admin)
    return a24


def _row(report, code):
    return next(
        row for g in report.question_groups for block in g.indicators for row in block.questions if row.code == code
    )


def test_the_report_is_cluster_indicator_question_with_every_stage(finalised, national_admin):
    report = selectors.assessment_report(finalised, national_admin)
    assert report.question_level
    assert [g.code for g in report.question_groups] == ["K", "I", "II", "III", "IV", "V", "KD"]
    assert sum(len(b.questions) for g in report.question_groups for b in g.indicators) == 274
    row = _row(report, "2.1")
    assert [c.points for c in row.cells] == [D(3), D("1.50"), D("1.50"), D("1.50"), D("1.50")]
    assert [(c.stage, c.level, c.reason) for c in row.graded] == [
        ("province", "1/2", "SK belum ditandatangani"),
        ("central", "1/2", ""),
    ]
    [pinned] = row.evidence
    assert (pinned.title, pinned.version, pinned.pinned, pinned.round) == ("SK Gugus Tugas KLA", 1, True, 0)
    assert report.final.score == D("1.50")
    assert sum((g.maximum for g in report.question_groups), D(0)) == D(1000)


def test_the_page_has_a_fixed_query_count(client, finalised, national_admin, django_assert_max_num_queries):
    client.force_login(national_admin)
    with django_assert_max_num_queries(25):
        page = client.get(f"/reports/assessments/{finalised.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "SK belum ditandatangani" in text and "SK Gugus Tugas KLA" in text and "pinned at submission" in text


def test_the_excel_is_the_rekap_one_sheet_per_group(finalised, national_admin):
    book = load_workbook(io.BytesIO(renderers.assessment_report_xlsx(finalised, national_admin)))
    assert book.sheetnames[0] == "Summary" and len(book.sheetnames) == 8
    sheet = book["Institutional strengthening"]  # the English name: the tests run in English
    header = [c.value for c in sheet[1]]
    assert header[:9] == ["Indicator", "No.", "Question", "Max.", "Self", "Province", "Central", "Field", "Final"]
    row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "2.1")
    assert row[3:9] == (3, 3, 1.5, 1.5, 1.5, 1.5)
    assert "Province: ½ — SK belum ditandatangani" in row[9]
    assert "SK Gugus Tugas KLA · version 1 · pinned at submission" in row[10]


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_the_pdf_carries_each_stage_grade_and_the_pinned_evidence(finalised, national_admin):
    body = renderers.assessment_report_pdf(finalised, national_admin)
    assert body.startswith(b"%PDF")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "report-kla-2024.pdf").write_bytes(body)
    text = subprocess.run(["pdftotext", str(ARTIFACTS / "report-kla-2024.pdf"), "-"], capture_output=True, text=True)
    text = " ".join(text.stdout.split())
    assert "SK belum ditandatangani" in text
    assert "SK Gugus Tugas KLA" in text and "version 1" in text
    assert "Kelana-Dekela" in text


def test_the_indicator_level_report_still_works(client, national_admin, db):
    from layak.evaluations.tests.factories import make_assessment, make_cycle, make_framework

    assessment = make_assessment(make_cycle(make_framework()))
    client.force_login(national_admin)
    assert client.get(f"/reports/assessments/{assessment.pk}/").status_code == 200
    assert not selectors.assessment_report(assessment, national_admin).question_level
