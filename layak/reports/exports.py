"""File outputs of the reports: CSV (for Excel users), Excel workbooks and PDF (WeasyPrint).

Spreadsheet cells go through the spreadsheet kit (`layak.common.spreadsheets`): a text starting with = + - @ (or
a tab or carriage return) is written as plain text, never as a formula, so a narrative typed by a region cannot
run in the reader's spreadsheet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from layak.common import spreadsheets
from layak.common.spreadsheets import attachment, workbook_bytes, write_row

PRINT_STYLESHEETS = ("css/layak.css", "css/reports.css")


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its title, the header row and the data rows; `widths` are column widths in characters."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = ()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """A CSV download with a UTF-8 byte order mark, so Excel shows Indonesian names correctly."""
    return spreadsheets.csv_response(filename, [header, *rows])


def _write_sheet(sheet, spec: Sheet) -> None:
    sheet.title = spec.title[:31]
    write_row(sheet, [str(h) for h in spec.header])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="0B5D8F")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in spec.rows:
        for cell in sheet[write_row(sheet, row)]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for index, width in enumerate(spec.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An Excel workbook with one worksheet per Sheet, the header row bold and frozen."""
    workbook = Workbook()
    _write_sheet(workbook.active, sheets[0])
    for spec in sheets[1:]:
        _write_sheet(workbook.create_sheet(), spec)
    return workbook_bytes(workbook)


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    return spreadsheets.xlsx_response(xlsx_bytes(sheets), filename)


def pdf_bytes(html: str) -> bytes:
    """The HTML rendered by WeasyPrint with Layak's stylesheets (their print rules give A4 pages)."""
    from weasyprint import CSS, HTML  # imported here: loading pango takes time and only PDFs need it

    stylesheets = [CSS(filename=finders.find(path)) for path in PRINT_STYLESHEETS]
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf(stylesheets=stylesheets)


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict:
    """Reports embed everything (SVG inline, stylesheets given), so the renderer never loads a URL."""
    raise ValueError(f"Report PDFs load no external resource ({url}).")


def pdf_file_response(filename: str, pdf: bytes) -> HttpResponse:
    return attachment(HttpResponse(pdf, content_type="application/pdf"), filename)
