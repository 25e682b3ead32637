"""Reading and writing the Excel (.xlsx) sheets of the bulk imports (Gugus Tugas members, training participants).

The first sheet holds one record per row under a header row; columns are read by position, in the order of the
template the page offers for download. Every problem is reported with its sheet, row, column and a message,
and the caller imports nothing unless there are none.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files import File
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 2000
YES = {"ya", "y", "yes", "1", "true", "x", "v", "✓"}
NO = {"tidak", "t", "no", "n", "0", "false", "", "-"}


@dataclass(frozen=True)
class Column:
    """One column of an import sheet: a key for the code and the header people see."""

    key: str
    header: str


@dataclass(frozen=True)
class RowError:
    """One problem in an uploaded sheet, where a person can find it."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Sheet “%(sheet)s”, row %(row)s, column %(column)s: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class ImportRejected(ValidationError):
    """The sheet had errors, so nothing was imported; `row_errors` lists every one."""

    def __init__(self, row_errors: list[RowError]):
        self.row_errors = row_errors
        super().__init__([str(e) for e in row_errors], code="import")


@dataclass
class SheetRow:
    """One filled row of the sheet: its Excel row number and its cells as text, by column key."""

    sheet: str
    number: int
    cells: dict[str, str]
    columns: dict[str, str]

    def error(self, key: str, message: str) -> RowError:
        return RowError(self.sheet, self.number, self.columns[key], message)


def _not_xlsx() -> ValidationError:
    return ValidationError(
        _(
            "This file is not an Excel workbook (.xlsx). Download the template, fill it in, save it as .xlsx "
            "(Excel or LibreOffice: Save as → Excel 2007-365) and upload it again."
        ),
        code="not_xlsx",
    )


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return re.sub(r"\s+", " ", str(value)).strip()


def _open_sheet(upload: File):
    name = getattr(upload, "name", "") or ""
    upload.seek(0)
    if not name.lower().endswith(".xlsx") or upload.read(4) != b"PK\x03\x04":
        raise _not_xlsx()
    upload.seek(0)
    try:
        return load_workbook(upload, read_only=True, data_only=True).worksheets[0]
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, IndexError, ValueError):
        raise _not_xlsx() from None


def read_rows(upload: File, columns: Sequence[Column]) -> list[SheetRow]:
    """The filled rows under the header of the first sheet (blank rows skipped); a non-.xlsx file is refused."""
    sheet = _open_sheet(upload)
    labels = {c.key: f"{get_column_letter(i)} ({c.header})" for i, c in enumerate(columns, start=1)}
    rows = []
    for number, values in enumerate(sheet.iter_rows(min_row=2, max_col=len(columns), values_only=True), start=2):
        cells = {c.key: _cell_text(v) for c, v in zip(columns, values, strict=False)}
        if any(cells.values()):
            rows.append(SheetRow(sheet.title, number, cells, labels))
        if len(rows) > MAX_ROWS:
            raise ValidationError(
                _("The sheet has more than %(max)s rows; split it into smaller files.") % {"max": MAX_ROWS}
            )
    if not rows:
        raise ValidationError(_("The sheet has no rows under its header; fill in at least one row."), code="empty")
    return rows


def fold(text: str) -> str:
    """A cell or label folded for matching: lower case, spaces and dashes as underscores."""
    return re.sub(r"[\s\-]+", "_", text.strip().casefold())


def parse_yes_no(text: str) -> bool | None:
    """True or False from ya/tidak, yes/no, 1/0, x (empty is no); None when it is none of these."""
    folded = text.strip().casefold()
    if folded in YES:
        return True
    if folded in NO:
        return False
    return None


def build_template(
    *, title: str, columns: Sequence[Column], examples: Iterable[Sequence[str]], lists: dict[str, list[str]]
) -> bytes:
    """An .xlsx with the import sheet (header and example rows) and a second sheet of allowed values."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([c.header for c in columns])
    for row in examples:
        sheet.append(list(row))
    for i, column in enumerate(columns, start=1):
        sheet.cell(row=1, column=i).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(i)].width = max(14, len(column.header) + 4)
    sheet.freeze_panes = "A2"
    allowed = book.create_sheet(_("Allowed values")[:31])
    for i, (header, values) in enumerate(lists.items(), start=1):
        allowed.cell(row=1, column=i, value=header).font = Font(bold=True)
        allowed.column_dimensions[get_column_letter(i)].width = max(18, max((len(v) for v in values), default=0) + 2)
        for r, value in enumerate(values, start=2):
            allowed.cell(row=r, column=i, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def choice_lookup(choices, extra: dict[str, Iterable[str]] | None = None) -> dict[str, str]:
    """Accepted spellings of a TextChoices (its codes, its labels with and without the bracket, extras) -> code."""
    lookup = {}
    for value, label in choices.choices:
        for spelling in (value, str(label), str(label).split(" (")[0]):
            lookup[fold(spelling)] = value
    for value, words in (extra or {}).items():
        for word in words:
            lookup[fold(word)] = value
    return lookup
