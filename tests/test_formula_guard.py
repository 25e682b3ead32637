"""Every workbook and CSV Layak writes keeps a formula-looking text as text (issue #17).

The same four payloads go through each export and each import template; a workbook cell holding one must be a
string cell, never a formula, and a CSV cell must start with the apostrophe that marks text.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.http import QueryDict
from openpyxl import load_workbook

from layak.accounts.tests.factories import make_agency
from layak.common.spreadsheets import build_template
from layak.dashboards import api as dashboards_api
from layak.dashboards.exports import Column, Table, export_response
from layak.evaluations.excel import assessment_workbook
from layak.evaluations.models import Answer
from layak.evaluations.tests.factories import make_assessment, make_cycle, make_framework
from layak.frameworks.models import Indicator
from layak.plans.imports import template_workbook
from layak.plans.tests.factories import make_plan
from layak.regions.models import Region
from layak.regions.tests.factories import make_region
from layak.reports import exports as report_exports
from layak.taskforces.services import member_template
from layak.trainings.services import participant_template

PAYLOADS = ['=HYPERLINK("http://evil.example","klik")', "+cmd|' /C calc'!A0", "-1+1", "@SUM(A1:A9)"]


def assert_workbook_safe(content: bytes) -> None:
    """Every payload is in the workbook, in string cells only; no cell anywhere is a formula."""
    book = load_workbook(io.BytesIO(content))
    found = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                for payload in PAYLOADS:
                    if isinstance(cell.value, str) and payload in cell.value:
                        assert cell.data_type == "s"
                        found.add(payload)
    assert found == set(PAYLOADS)


def assert_csv_safe(text: str) -> None:
    cells = [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]
    for payload in PAYLOADS:
        assert "'" + payload in cells and payload not in cells


@pytest.fixture
def region(db) -> Region:
    return make_region("31.71")


@pytest.fixture
def payload_agencies(region):
    return [make_agency(region.code, payload, "") for payload in PAYLOADS]


def test_dashboard_tables_in_csv_and_excel():
    table = Table("t", "Hasil", [Column("name", "Nama"), Column("score", "Skor", "num")], [])
    table = Table(table.key, table.title, table.columns, [{"name": p, "score": Decimal(-1)} for p in PAYLOADS])
    assert_csv_safe(export_response([table], QueryDict("export=t&format=csv"), "x").content.decode("utf-8"))
    assert_workbook_safe(export_response([table], QueryDict("export=t&format=xlsx"), "x").content)


def test_the_open_data_api_csv():
    rows = [{"region_name": p, "score": 1, "clusters": {"I": {"points": 1, "max": 2}}} for p in PAYLOADS]
    assert_csv_safe(dashboards_api._csv(rows, "hasil.csv").content.decode("utf-8"))


def test_report_csv_and_workbook():
    rows = [[p, Decimal("12.5")] for p in PAYLOADS]
    assert_csv_safe(report_exports.csv_response("r.csv", ["Wilayah", "Skor"], rows).content.decode("utf-8"))
    sheets = [report_exports.Sheet("Hasil", ["Wilayah", "Skor"], rows)]
    assert_workbook_safe(report_exports.xlsx_response("r.xlsx", sheets).content)


def test_the_instrument_workbook(region_coordinator):
    assessment = make_assessment(make_cycle(make_framework()))
    indicators = list(Indicator.objects.filter(version=assessment.cycle.framework)[:2])
    for indicator, (done, todo) in zip(indicators, [PAYLOADS[:2], PAYLOADS[2:]], strict=True):
        Answer.objects.create(
            assessment=assessment, indicator=indicator, values={}, narrative_done=done, narrative_todo=todo
        )
    assert_workbook_safe(assessment_workbook(assessment, region_coordinator))


def test_the_gugus_tugas_member_template(region, payload_agencies):
    assert_workbook_safe(member_template(region=region))


def test_the_training_participant_template(region, payload_agencies):
    assert_workbook_safe(participant_template(region=region))


def test_the_rad_kla_template(region_coordinator, payload_agencies):
    assert_workbook_safe(template_workbook(plan=make_plan(region_coordinator)))


def test_any_template_the_kit_builds():
    from layak.common.spreadsheets import Column as SheetColumn

    columns = [SheetColumn("a", PAYLOADS[0]), SheetColumn("b", "B")]
    assert_workbook_safe(
        build_template(title="T", columns=columns, examples=[PAYLOADS[1:3]], lists={"L": PAYLOADS[3:]})
    )


def test_the_matriks_template_of_a_question():
    from types import SimpleNamespace

    from layak.evaluations.matriks import matriks_template

    region = SimpleNamespace(name=PAYLOADS[3])
    assessment = SimpleNamespace(region=region, region_id="31.71", cycle=SimpleNamespace(name=PAYLOADS[0]))
    question = SimpleNamespace(full_code=PAYLOADS[2], text=PAYLOADS[1])
    assert_workbook_safe(matriks_template(assessment, question))


def test_the_rekap_workbook_of_the_2024_instrument(region_coordinator):
    from django.conf import settings

    from layak.evaluations.models import QuestionAnswer
    from layak.evaluations.rekap import rekap_workbook
    from layak.frameworks.models import FrameworkVersion, Question
    from layak.frameworks.services import framework_load_file

    framework_load_file(f"{settings.LAYAK_FRAMEWORKS_DIR}/kla-2024.yaml")
    assessment = make_assessment(make_cycle(FrameworkVersion.objects.get(slug="kla-2024"), year=2024))
    questions = Question.objects.filter(indicator__version__slug="kla-2024", answer_type="list")[:1]
    QuestionAnswer.objects.create(assessment=assessment, question=questions[0], text=PAYLOADS[0], note=PAYLOADS[1])
    yes_no = Question.objects.filter(indicator__version__slug="kla-2024", answer_type="yes_no")[:2]
    QuestionAnswer.objects.create(assessment=assessment, question=yes_no[0], yes=True, note=PAYLOADS[2])
    QuestionAnswer.objects.create(assessment=assessment, question=yes_no[1], yes=False, note=PAYLOADS[3])
    assert_workbook_safe(rekap_workbook(assessment))


def test_readiness_corpus_workbook():
    from layak.readiness.corpus import xlsx_bytes

    assert_workbook_safe(xlsx_bytes([["MATRIKS"], PAYLOADS, ["Jumlah", 1, 2]]))
