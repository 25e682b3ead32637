import csv
import io

from django.http import QueryDict
from openpyxl import load_workbook

from layak.dashboards.exports import Column, Table, csv_response, table_sorted, xlsx_response

TABLE = Table(
    "t",
    "Test",
    [Column("name", "Name"), Column("score", "Score", "num")],
    [{"name": '=HYPERLINK("http://x")', "score": 3}, {"name": "Banjar", "score": -1}, {"name": "Aceh", "score": None}],
)


def test_csv_export_protects_against_formula_injection():
    rows = list(csv.reader(io.StringIO(csv_response(TABLE, "t").content.decode("utf-8-sig"))))
    assert rows[1][0].startswith("'=") and rows[2] == ["Banjar", "-1"]


def test_excel_export_keeps_text_as_text():
    sheet = load_workbook(io.BytesIO(xlsx_response(TABLE, "t").content)).active
    formula_like = sheet.cell(row=2, column=1)
    assert formula_like.value == '=HYPERLINK("http://x")' and formula_like.data_type == "s"
    assert sheet.cell(row=3, column=2).value == -1


def test_sort_puts_empty_values_last_both_ways():
    ascending = table_sorted(TABLE, QueryDict("sort=score"))
    descending = table_sorted(TABLE, QueryDict("sort=-score"))
    assert [r["name"] for r in ascending.rows][-1] == "Aceh" and [r["name"] for r in descending.rows][-1] == "Aceh"
    assert descending.rows[0]["score"] == 3


def test_unknown_sort_column_keeps_the_order():
    assert table_sorted(TABLE, QueryDict("sort=nope")).rows == TABLE.rows
