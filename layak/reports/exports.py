"""File outputs of the reports: CSV (for Excel users), Excel workbooks and PDF (WeasyPrint).

Spreadsheet cells are protected against formula injection: a text starting with = + - @ (or a tab or carriage
return) is written as plain text, never as a formula, so a narrative typed by a region cannot run in the
reader's spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from layak.common.numbers import plain_number

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PRINT_STYLESHEETS = ("css/layak.css", "css/reports.css")


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its title, the header row and the data rows; `widths` are column widths in characters."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = ()


def csv_safe(value: Any) -> Any:
    """The value for a CSV cell: texts that a spreadsheet would read as a formula get a leading quote; numbers
    are plain (a dot for decimals, no grouping) in every language, so any program reads them."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return plain_number(value)
    return "" if value is None else value


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """A CSV download with a UTF-8 byte order mark, so Excel shows Indonesian names correctly."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([csv_safe(h) for h in header])
    writer.writerows([csv_safe(value) for value in row] for row in rows)
    return _attachment(HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8"), filename)


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _write_sheet(sheet, spec: Sheet) -> None:
    sheet.title = spec.title[:31]
    sheet.append([str(h) for h in spec.header])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="0B5D8F")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in spec.rows:
        sheet.append([_xlsx_value(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # a text that looks like a formula stays text
                cell.data_type = "s"
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
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    return _attachment(HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE), filename)


def pdf_bytes(html: str) -> bytes:
    """The HTML rendered by WeasyPrint with Layak's stylesheets (their print rules give A4 pages)."""
    from weasyprint import CSS, HTML  # imported here: loading pango takes time and only PDFs need it

    stylesheets = [CSS(filename=finders.find(path)) for path in PRINT_STYLESHEETS]
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf(stylesheets=stylesheets)


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict:
    """Reports embed everything (SVG inline, stylesheets given), so the renderer never loads a URL."""
    raise ValueError(f"Report PDFs load no external resource ({url}).")


def pdf_response(filename: str, html: str) -> HttpResponse:
    return _attachment(HttpResponse(pdf_bytes(html), content_type="application/pdf"), filename)
