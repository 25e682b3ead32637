"""Every Excel workbook and CSV file Layak reads or writes goes through this module.

Writing: one formula guard for every cell (`looks_like_formula`). A text that a spreadsheet would run as a formula
(it starts with =, +, -, @, a tab or a carriage return) is written as plain text: in a workbook the cell is typed as
a string, so the reader sees exactly what was typed and it never runs; in a CSV, which has no cell types, it gets
a leading apostrophe, the mark spreadsheets read as "text". Numbers stay numbers; in a CSV a decimal is written
plain (1234.50: a dot for decimals, no grouping, no exponent) whatever the page's language, so programs read it.

Reading: an upload is refused before openpyxl parses anything when it is too large, is not a zip, or its members
declare more uncompressed bytes than a register sheet can need (a small "zip bomb" workbook of millions of cells
is refused at once, with bounded memory). openpyxl then reads in read-only mode, with hard caps on rows and cells.
A problem in a row is a `RowError` (sheet, row, column, message); an import that finds any raises
`ImportRejected` with all of them, and the caller writes nothing.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineError, CalamineWorkbook

from layak.common.numbers import plain_number

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # the file as uploaded
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024  # what its zip members declare once unpacked, all together
MAX_ZIP_MEMBERS = 200
MAX_ROWS = 2000  # filled rows of one import
MAX_CELLS = 200_000  # cells openpyxl may hand over while reading one import


# --- Writing -------------------------------------------------------------------------------------------------


def looks_like_formula(value: object) -> bool:
    """True for a text a spreadsheet would run as a formula (or as a DDE command)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell: formula-looking text gets a leading apostrophe; None is empty; yes/no in words."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, Decimal | float):
        return plain_number(value)  # for programs: a dot for decimals, no grouping, in every language
    if isinstance(value, int):
        return value
    text = str(value)
    return "'" + text if looks_like_formula(text) else text


def xlsx_cell(value: Any) -> Any:
    """A value openpyxl can store: lazy translations as text, Decimals as numbers, no control characters."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and abs(value) < 10**15 else float(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def write_row(sheet: Worksheet, values: Iterable[Any]) -> int:
    """Appends one row to the sheet, every formula-looking text stored as text; returns the row's number."""
    sheet.append([xlsx_cell(v) for v in values])
    number = sheet.max_row
    for cell in sheet[number]:
        if cell.data_type == "f":
            cell.data_type = "s"
    return number


def write_cell(sheet: Worksheet, row: int, column: int, value: Any) -> Any:
    """Sets one cell, a formula-looking text stored as text; returns the cell."""
    cell = sheet.cell(row=row, column=column, value=xlsx_cell(value))
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def workbook_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A workbook download."""
    return attachment(HttpResponse(content, content_type=XLSX_TYPE), filename)


def write_csv(out: Any, rows: Iterable[Sequence[Any]]) -> None:
    """Writes the rows as CSV to a file-like object (a response, a buffer), every cell through `csv_cell`."""
    csv.writer(out).writerows([csv_cell(value) for value in row] for row in rows)


def csv_response(filename: str, rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """A CSV download with a UTF-8 byte order mark (so Excel shows Indonesian names right), every cell guarded."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    write_csv(buffer, rows)
    return attachment(HttpResponse(buffer.getvalue(), content_type=CSV_TYPE), filename)


@dataclass(frozen=True)
class Column:
    """One column of an import sheet: a key for the code and the header people see."""

    key: str
    header: str


def build_template(
    *, title: str, columns: Sequence[Column], examples: Iterable[Sequence[Any]], lists: dict[str, list[str]]
) -> bytes:
    """An import template: the sheet (bold header, example rows) and a second sheet of allowed values."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = title[:31]
    write_row(sheet, [c.header for c in columns])
    for row in examples:
        write_row(sheet, row)
    for i, column in enumerate(columns, start=1):
        sheet.cell(row=1, column=i).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(i)].width = max(14, len(str(column.header)) + 4)
    sheet.freeze_panes = "A2"
    allowed = book.create_sheet(_("Allowed values")[:31])
    for i, (header, values) in enumerate(lists.items(), start=1):
        write_cell(allowed, 1, i, header).font = Font(bold=True)
        allowed.column_dimensions[get_column_letter(i)].width = max(18, max((len(v) for v in values), default=0) + 2)
        for r, value in enumerate(values, start=2):
            write_cell(allowed, r, i, value)
    return workbook_bytes(book)


# --- Reading -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem in an uploaded sheet, where a person can find it (column as a letter, maybe with its header)."""

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
    """Nothing was imported; `row_errors` lists every problem found (empty when the file itself was refused)."""

    def __init__(self, row_errors: list[RowError] | str) -> None:
        if isinstance(row_errors, str):
            self.row_errors: list[RowError] = []
            super().__init__(row_errors, code="import")
            return
        self.row_errors = row_errors
        self.summary = ngettext(
            "Nothing was imported: %(count)s problem found. Correct it in the file and upload it again.",
            "Nothing was imported: %(count)s problems found. Correct them in the file and upload it again.",
            len(row_errors),
        ) % {"count": len(row_errors)}
        super().__init__([str(e) for e in row_errors], code="import")


def not_xlsx() -> ValidationError:
    return ValidationError(
        _(
            "This file is not an Excel workbook (.xlsx). Download the template, fill it in, save it as .xlsx "
            "(Excel or LibreOffice: Save as → Excel 2007-365) and upload it again."
        ),
        code="not_xlsx",
    )


def _too_large(limit: int) -> ValidationError:
    return ValidationError(
        _("The file is larger than a register workbook can be (%(limit)s MB unpacked). Split it into smaller files.")
        % {"limit": limit // (1024 * 1024)},
        code="too_large",
    )


def _check_zip(data: IO[bytes], max_uncompressed: int) -> None:
    """Refuses a file that is not a zip, or whose members declare more than `max_uncompressed` bytes unpacked.

    Reads only the zip's central directory; Python's zip reader never returns more than a member declares, so
    this bounds what openpyxl can unpack.
    """
    try:
        with zipfile.ZipFile(data) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise not_xlsx() from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise not_xlsx()
    if sum(member.file_size for member in members) > max_uncompressed:
        raise _too_large(max_uncompressed)


def _check_upload(upload: Any, max_bytes: int, max_uncompressed: int) -> None:
    """Refuses an upload that is too large, not an .xlsx, or unpacks to more than `max_uncompressed` bytes."""
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _(
                "The file is larger than %(limit)s MB; a register workbook is much smaller. Split it or download a new "
                "template."
            )
            % {"limit": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    if (name and not name.lower().endswith(".xlsx")) or upload.read(4) != b"PK\x03\x04":
        raise not_xlsx()
    upload.seek(0)
    _check_zip(upload, max_uncompressed)
    upload.seek(0)


def open_workbook(
    upload: Any,
    *,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_uncompressed: int = MAX_UNCOMPRESSED_BYTES,
    read_only: bool = True,
) -> Any:
    """An uploaded .xlsx opened for reading (values, not formulas), after the size and zip checks."""
    _check_upload(upload, max_bytes, max_uncompressed)
    try:
        return load_workbook(upload, read_only=read_only, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, IndexError, ValueError, TypeError):
        raise not_xlsx() from None


def bounded_rows(
    sheet: Any, *, min_row: int = 2, max_col: int, max_cells: int = MAX_CELLS
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of the sheet from `min_row`, refusing the file once it hands over `max_cells` cells."""
    declared = (sheet.max_row or 0) * min(sheet.max_column or 0, max_col)
    if declared > max_cells:
        raise _too_many_cells(max_cells)
    seen = 0
    for number, values in enumerate(sheet.iter_rows(min_row=min_row, max_col=max_col, values_only=True), min_row):
        seen += max_col
        if seen > max_cells:
            raise _too_many_cells(max_cells)
        yield number, tuple(values) + (None,) * (max_col - len(values))


def read_sheets(
    upload: Any,
    *,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_uncompressed: int = MAX_UNCOMPRESSED_BYTES,
    max_rows: int = MAX_ROWS,
    max_cols: int,
    max_cells: int = MAX_CELLS,
) -> list[tuple[str, list[list[Any]]]]:
    """Every sheet of an uploaded .xlsx as (title, rows from Excel row 1, at most `max_cols` values each): the
    stored values (a formula's last result), for large imports. After the same size and zip checks as
    `open_workbook`, calamine (Rust) parses the workbook some twenty times faster than openpyxl; a sheet
    declaring more than `max_rows` rows under its header or `max_cells` cells is refused before it is
    converted. Trailing empty rows are dropped."""
    _check_upload(upload, max_bytes, max_uncompressed)
    try:
        book = CalamineWorkbook.from_filelike(upload)
    except (CalamineError, OSError, ValueError, TypeError):
        raise not_xlsx() from None
    sheets = []
    with book:
        for title in book.sheet_names:
            try:
                sheet = book.get_sheet_by_name(title)
            except (CalamineError, ValueError):
                raise not_xlsx() from None
            end = sheet.end
            height, width = (end[0] + 1, end[1] + 1) if end else (0, 0)
            if height > max_rows + 1:
                raise ValidationError(
                    _("The sheet “%(sheet)s” has more than %(max)s rows; split it into smaller files.")
                    % {"sheet": title, "max": max_rows},
                    code="too_many_rows",
                )
            if height * min(width, max_cols) > max_cells:
                raise _too_many_cells(max_cells)
            rows = [row[:max_cols] for row in sheet.to_python(skip_empty_area=False)]
            while rows and not any(v not in ("", None) for v in rows[-1]):
                rows.pop()
            sheets.append((title, rows))
    return sheets


def _too_many_cells(limit: int) -> ValidationError:
    return ValidationError(
        _("The sheet has more than %(max)s cells; split it into smaller files.") % {"max": f"{limit:,}"},
        code="too_large",
    )


def cell_text(value: Any) -> str:
    """A cell as text: whole floats without ".0", dates as YYYY-MM-DD, white space folded."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return re.sub(r"\s+", " ", str(value)).strip()


def column_labels(columns: Sequence[Column]) -> dict[str, str]:
    """{column key: "B (Header)"}, how a RowError names a column."""
    return {c.key: f"{get_column_letter(i)} ({c.header})" for i, c in enumerate(columns, start=1)}


@dataclass
class SheetRow:
    """One filled row of the sheet: its Excel row number and its cells as text, by column key."""

    sheet: str
    number: int
    cells: dict[str, str]
    columns: dict[str, str]

    def error(self, key: str, message: str) -> RowError:
        return RowError(self.sheet, self.number, self.columns[key], message)


def read_rows(
    upload: Any, columns: Sequence[Column], *, sheet_name: str | None = None, max_rows: int = MAX_ROWS
) -> list[SheetRow]:
    """The filled rows under the header of the first sheet (or `sheet_name`), as text; blank rows skipped.

    Refuses (ValidationError, nothing read further) a file that is not an .xlsx, is too large, lacks the sheet,
    has more than `max_rows` filled rows or hands over more than MAX_CELLS cells, or has no filled row at all.
    """
    book = open_workbook(upload)
    try:
        if sheet_name is None:
            sheet = book.worksheets[0]
        elif sheet_name in book.sheetnames:
            sheet = book[sheet_name]
        else:
            raise ValidationError(
                _("The workbook has no sheet named “%(sheet)s”. Use the template.") % {"sheet": sheet_name},
                code="no_sheet",
            )
        labels = column_labels(columns)
        rows = []
        for number, values in bounded_rows(sheet, max_col=len(columns)):
            cells = {c.key: cell_text(v) for c, v in zip(columns, values, strict=True)}
            if any(cells.values()):
                rows.append(SheetRow(sheet.title, number, cells, labels))
            if len(rows) > max_rows:
                raise ValidationError(
                    _("The sheet has more than %(max)s rows; split it into smaller files.") % {"max": max_rows},
                    code="too_many_rows",
                )
    finally:
        book.close()
    if not rows:
        raise ValidationError(_("The sheet has no rows under its header; fill in at least one row."), code="empty")
    return rows


def read_csv(upload: Any, *, max_bytes: int = MAX_UPLOAD_BYTES, max_rows: int = MAX_ROWS) -> list[list[str]]:
    """The rows of an uploaded CSV file (header included) as text, refused past `max_bytes` or `max_rows`.

    UTF-8 (with or without a byte order mark) or, failing that, Windows-1252; the delimiter (comma, semicolon
    or tab) is taken from the header line. Bounded: the file is read once, never more than `max_bytes`.
    """
    size = getattr(upload, "size", None)
    upload.seek(0)
    raw = upload.read(max_bytes + 1)
    if (size is not None and size > max_bytes) or len(raw) > max_bytes:
        raise _too_large(max_bytes)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    rows = []
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        if any(cell.strip() for cell in row):
            rows.append([" ".join(cell.split()) for cell in row])
        if len(rows) > max_rows + 1:
            raise ValidationError(
                _("The file has more than %(max)s rows; split it into smaller files.") % {"max": max_rows},
                code="too_many_rows",
            )
    if len(rows) < 2:
        raise ValidationError(_("The file has no rows under its header; fill in at least one row."), code="empty")
    return rows


def fold(text: str) -> str:
    """A cell or label folded for matching: lower case, spaces and dashes as underscores."""
    return re.sub(r"[\s\-]+", "_", text.strip().casefold())


YES = frozenset({"ya", "y", "yes", "1", "true", "x", "v", "✓"})
NO = frozenset({"tidak", "t", "no", "n", "0", "false", "", "-"})


def parse_yes_no(text: str) -> bool | None:
    """True or False from ya/tidak, yes/no, 1/0, x (empty is no); None when it is none of these."""
    folded = text.strip().casefold()
    if folded in YES:
        return True
    if folded in NO:
        return False
    return None


def choice_lookup(choices: Any, extra: Mapping[str, Iterable[str]] | None = None) -> dict[str, str]:
    """Accepted spellings of a TextChoices (its codes, its labels with and without the bracket, extras) -> code."""
    lookup = {}
    for value, label in choices.choices:
        for spelling in (value, str(label), str(label).split(" (")[0]):
            lookup[fold(spelling)] = value
    for value, words in (extra or {}).items():
        for word in words:
            lookup[fold(word)] = value
    return lookup
