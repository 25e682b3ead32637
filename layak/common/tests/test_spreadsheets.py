"""The spreadsheet kit: the one formula guard, and reading uploads with hard caps before openpyxl parses."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from layak.common import spreadsheets
from layak.common.spreadsheets import Column, ImportRejected, RowError, read_rows

PAYLOADS = ['=HYPERLINK("http://evil.example","klik")', "+cmd|' /C calc'!A0", "-1+1", "@SUM(A1:A9)", "\t=1", "\r=1"]
COLUMNS = [Column("name", "Name"), Column("count", "Count")]


def xlsx_upload(rows, *, name="sheet.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    return SimpleUploadedFile(name, spreadsheets.workbook_bytes(book))


def cell_bomb(cells: int, per_row: int = 1000, sheet_name: str = "S") -> bytes:
    """A valid .xlsx whose one sheet holds `cells` cells: repetitive XML that deflates to a few dozen KB."""
    row = "<row>" + "<c><v>1</v></c>" * per_row + "</row>"
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main"><sheetData>' + row * (cells // per_row) + "</sheetData></worksheet>"
    )
    ns = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{ns}/package/2006/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>",
        "_rels/.rels": f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/'
        f'relationships"><sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship '
        f'Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


# --- The formula guard ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_csv_cells_that_would_run_get_an_apostrophe(payload):
    assert spreadsheets.csv_cell(payload) == "'" + payload


@pytest.mark.parametrize("payload", PAYLOADS)
def test_workbook_cells_that_would_run_are_stored_as_text(payload):
    book = Workbook()
    spreadsheets.write_row(book.active, [payload, -3, Decimal("2.50")])
    spreadsheets.write_cell(book.active, 2, 1, payload)
    sheet = load_workbook(io.BytesIO(spreadsheets.workbook_bytes(book))).active
    for cell in (sheet["A1"], sheet["A2"]):
        assert cell.data_type == "s" and cell.value == payload.replace("\r", "\n")  # XML keeps a CR as a LF
    assert sheet["B1"].value == -3 and sheet["C1"].value == 2.5  # numbers stay numbers


def test_plain_values_pass_unchanged():
    assert spreadsheets.csv_cell("Kota Batu") == "Kota Batu" and spreadsheets.csv_cell(-5) == -5
    assert spreadsheets.csv_cell(None) == "" and spreadsheets.csv_cell(True) == "true"


def test_csv_response_guards_every_cell_and_starts_with_a_byte_order_mark():
    response = spreadsheets.csv_response("x.csv", [["Nama", "Skor"], ["=1+2", -1]])
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff") and list(csv.reader(io.StringIO(text[1:])))[1] == ["'=1+2", "-1"]


# --- Reading -------------------------------------------------------------------------------------------------


def test_rows_are_read_as_text_and_blank_rows_skipped():
    rows = read_rows(xlsx_upload([["Name", "Count"], ["Ani", 3.0], [None, None], ["Budi", "4"]]), COLUMNS)
    assert [(r.number, r.cells) for r in rows] == [
        (2, {"name": "Ani", "count": "3"}),
        (4, {"name": "Budi", "count": "4"}),
    ]
    assert str(rows[0].error("count", "Enter a number.")) == "Sheet “Sheet”, row 2, column B (Count): Enter a number."


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(ValidationError, match="not an Excel workbook"):
        read_rows(SimpleUploadedFile("list.csv", b"a,b\n1,2\n"), COLUMNS)
    with pytest.raises(ValidationError, match="not an Excel workbook"):
        read_rows(SimpleUploadedFile("fake.xlsx", b"PK\x03\x04 not a zip at all"), COLUMNS)


def test_too_many_rows_are_refused():
    rows = [["Name", "Count"]] + [[f"P{i}", i] for i in range(spreadsheets.MAX_ROWS + 1)]
    with pytest.raises(ValidationError, match="more than 2000 rows"):
        read_rows(xlsx_upload(rows), COLUMNS)


def test_too_many_cells_are_refused_even_when_the_rows_are_empty():
    upload = SimpleUploadedFile("big.xlsx", cell_bomb(250_000, per_row=1))
    with pytest.raises(ValidationError, match="more than 200,000 cells"):
        read_rows(upload, COLUMNS, max_rows=10**6)


def test_a_cell_bomb_is_refused_from_the_zip_directory_before_parsing():
    data = cell_bomb(2_000_000)
    assert len(data) < 120_000  # the file is small; unpacked it would be 30 MB of XML
    with pytest.raises(ValidationError, match="larger than a register workbook can be"):
        read_rows(SimpleUploadedFile("bomb.xlsx", data), COLUMNS)


PROBE = """
import json, resource, sys, time
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.exceptions import ValidationError
from layak.common.spreadsheets import Column, read_rows
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    read_rows(SimpleUploadedFile("bomb.xlsx", data), [Column("a", "A")])
    refused = False
except ValidationError:
    refused = True
print(json.dumps({"refused": refused, "seconds": time.perf_counter() - start,
                  "growth_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before}))
"""


def test_a_cell_bomb_is_refused_quickly_with_bounded_process_memory(tmp_path: Path):
    """Measured in a fresh process: peak resident memory grows by at most 50 MB while the bomb is refused."""
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(cell_bomb(2_000_000))
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(bomb)], capture_output=True, text=True, check=True, env=env, cwd=Path.cwd()
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["refused"] and figures["seconds"] < 2 and figures["growth_kb"] <= 50 * 1024


def test_import_rejected_lists_every_row_error_and_sums_them_up():
    errors = [RowError("S", 2, "A", "Enter a name."), RowError("S", 3, "B", "Enter a number.")]
    rejected = ImportRejected(errors)
    assert rejected.row_errors == errors and "2 problems" in rejected.summary and len(rejected.messages) == 2
