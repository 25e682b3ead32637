"""Importing figures from a workbook (one sheet per topic) or a CSV file (one topic), all or nothing.

The sheets are shaped like the templates Layak offers (and like the monthly recaps regions keep): a region
code, the year, the month (or the quarter), then one column per category, headed by its name. Counts only:
a column whose header or content looks like personal data (a name, a NIK, a date of birth, an address, a phone
number, free text about a case) refuses the whole file and says why (UU 27/2022: children's data is specific
personal data). Reading is bounded (file size, rows and cells, see layak.common.spreadsheets).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from layak.common.spreadsheets import cell_text, fold, read_csv, read_sheets

from .categories import Catalogue, Topic, catalogue_for_year, catalogues
from .services import Entry

MAX_BYTES = 20 * 1024 * 1024  # a national year of every topic is about 3 MB as .xlsx
MAX_ROWS = 10_000  # per sheet: 514 kab/kota x 12 months is 6,168
MAX_CELLS = 600_000  # per sheet
MAX_COLUMNS = 80
REGION, YEAR, MONTH, QUARTER, NAME = "region", "year", "month", "quarter", "region_name"
ID_HEADERS = {
    REGION: ["kode wilayah", "kode", "region code", "kode kemendagri", "code"],
    NAME: ["nama wilayah", "wilayah", "kabupaten/kota", "region", "region name"],
    YEAR: ["tahun", "year"],
    MONTH: ["bulan", "month"],
    QUARTER: ["triwulan", "quarter"],
}
# Headers that name personal data. Matched on the folded header as whole words.
PERSONAL_HEADERS = {
    "a name": r"nama|name|inisial|initials?",
    "an identity number (NIK, KK)": r"nik|ktp|no_?kk|kartu_keluarga|nomor_induk|id_number|identity",
    "a date or place of birth": r"tanggal_lahir|tgl_lahir|tempat_lahir|ttl|lahir|birth|dob",
    "an address": r"alamat|address|rt|rw|jalan|street",
    "a phone number or e-mail": r"telepon|telp|hp|phone|e_?mail|whatsapp|wa",
    "free text about a case": r"kronologi|keterangan|catatan|uraian|deskripsi|description|notes?|cerita|kasus",
}
NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
DATE = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(r"(?:\+62|\b08)\d{8,12}\b")
MONTH_NAMES = {
    name: i
    for names in ("jan feb mar apr mei jun jul agu sep okt nov des", "jan feb mar apr may jun jul aug sep oct nov dec")
    for i, name in enumerate(names.split(), 1)
}


@dataclass(frozen=True)
class Where:
    sheet: str
    row: int

    def __str__(self) -> str:
        return _("Sheet “%(sheet)s”, row %(row)s") % {"sheet": self.sheet, "row": self.row}


def _personal_header(header: str) -> str | None:
    folded = fold(header).replace("/", "_")
    words = set(re.split(r"[_\W]+", folded))
    for what, pattern in PERSONAL_HEADERS.items():
        if any(re.fullmatch(pattern, w) for w in words if w) or re.fullmatch(f"({pattern})(_.*)?", folded):
            if folded in {fold(h) for hs in ID_HEADERS.values() for h in hs}:
                return None
            return _(what)
    return None


def _personal_content(text: str) -> str | None:
    if NIK.search(text.replace(" ", "").replace(".", "")):
        return _("a 16-digit number, like a NIK")
    if EMAIL.search(text):
        return _("an e-mail address")
    if PHONE.search(text.replace(" ", "").replace("-", "")):
        return _("a phone number")
    if DATE.match(text):
        return _("a date")
    return None


def _header_map(topic: Topic) -> dict[str, str]:
    """Folded header -> cell key: the Indonesian and English names and the key itself."""
    out = {}
    for cell in topic.cells:
        texts = dict(cell.texts)
        for spelling in (cell.key, texts.get("label", ""), texts.get("label_en", "")):
            if spelling:
                out[fold(spelling)] = cell.key
    return out


def _identify(catalogue: Catalogue, headers: list[str], name: str) -> Topic | None:
    """The topic a sheet holds: named by the sheet (its key or name), else the one whose columns it has."""
    folded = fold(name)
    for topic in catalogue.topics:
        if folded in {fold(topic.key), *(fold(v) for k, v in topic.texts if k.startswith("label"))}:
            return topic
    scores = [(sum(fold(h) in _header_map(t) for h in headers), t.key, t) for t in catalogue.topics]
    best = max(scores, key=lambda s: (s[0], s[1]))
    return best[2] if best[0] else None


def _columns(topic: Topic, headers: list[str], sheet: str) -> tuple[dict[int, str], list[str]]:
    """Column index -> cell key or id field, and the problems with the header row (personal data first)."""
    ids = {fold(h): key for key, hs in ID_HEADERS.items() for h in hs}
    cells = _header_map(topic)
    out: dict[int, str] = {}
    problems = []
    for i, header in enumerate(headers):
        if not header:
            continue
        key = ids.get(fold(header)) or cells.get(fold(header))
        personal = None if key else _personal_header(header)
        where = _("Sheet “%(sheet)s”, column “%(column)s”") % {"sheet": sheet, "column": header}
        if personal:
            problems.append(
                _(
                    "%(where)s looks like %(what)s. Layak takes counts of children only, never personal data "
                    "(UU 27/2022: children's data is specific personal data); remove the column."
                )
                % {"where": where, "what": personal}
            )
        elif key is None:
            problems.append(
                _("%(where)s is not a column of “%(topic)s”; use the template.")
                % {"where": where, "topic": topic.label}
            )
        else:
            out[i] = key
    if REGION not in out.values() or YEAR not in out.values() or not {MONTH, QUARTER} & set(out.values()):
        problems.append(
            _("Sheet “%(sheet)s” needs the columns Kode wilayah, Tahun and Bulan (or Triwulan).") % {"sheet": sheet}
        )
    return out, problems


def _number(text: str) -> int | None:
    if text.isdecimal():
        return int(text)
    cleaned = (
        text.replace(".", "").replace(",", "").replace(" ", "")
        if re.fullmatch(r"\d{1,3}([.,\s]\d{3})+", text)
        else text
    )
    return int(cleaned) if re.fullmatch(r"\d+", cleaned) else None


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return cell_text(value)


def _region_code(text: str) -> str:
    if re.fullmatch(r"\d{2}\.\d", text):
        return text + "0"  # Excel turned 31.70 into the number 31.7
    return text


def _period(cells: dict[str, str]) -> tuple[int, int] | str:
    if cells.get(QUARTER):
        q = _number(cells[QUARTER].upper().removeprefix("Q").removeprefix("TW"))
        return ((q - 1) * 3 + 1, 3) if q and 1 <= q <= 4 else _("the quarter must be 1 to 4")
    raw = cells.get(MONTH, "")
    month = _number(raw) or MONTH_NAMES.get(raw.casefold()[:3])
    return (month, 1) if month and 1 <= month <= 12 else _("the month must be 1 to 12 or its name")


def _entry(topic: Topic, columns: dict[int, str], values: Iterable[Any], where: Where) -> Entry:
    row = list(values)
    cells = {key: _text(row[i]) if i < len(row) and row[i] is not None else "" for i, key in columns.items()}
    entry = Entry(_region_code(cells.get(REGION, "")), topic.key, 0, 0, {}, where=where)
    for key, text in cells.items():
        if not text or (len(text) < 8 and text.isdecimal()):
            continue  # a short whole number: a count, never a NIK, a phone number or a date
        personal = _personal_content(text) if key not in (YEAR,) else None
        if personal and not (key == REGION and re.fullmatch(r"\d{2}(\.\d{2}){1,2}", text)):
            entry.problems.append(
                _("the column %(column)s holds %(what)s; Layak takes counts only, never personal data.")
                % {"column": key if key in ID_HEADERS else topic.cell(key).label, "what": personal}
            )
    year = _number(cells.get(YEAR, ""))
    if year is None:
        entry.problems.append(_("the year must be a number such as 2025"))
    period = _period(cells)
    if isinstance(period, str):
        entry.problems.append(period)
    if entry.problems or isinstance(period, str):
        return entry
    entry.year, (entry.month, entry.months) = int(year or 0), period
    for key in topic.keys:
        text = cells.get(key, "")
        number = int(text) if text.isdecimal() else (_number(text) if text else None)
        if text and number is None:
            entry.problems.append(
                _("%(cell)s must be a whole number of children, not “%(text)s”.")
                % {"cell": topic.cell(key).label, "text": text[:30]}
            )
        entry.values[key] = number
    return entry


def _sheet_entries(catalogue: Catalogue, name: str, rows: list[list[Any]], problems: list[str]) -> list[Entry]:
    headers = [cell_text(h) for h in rows[0]]
    topic = _identify(catalogue, headers, name)
    if topic is None:
        problems.append(
            _("Sheet “%(sheet)s”: its columns match none of the topics; use the template.") % {"sheet": name}
        )
        return []
    columns, header_problems = _columns(topic, headers, name)
    problems += header_problems
    if header_problems:
        return []
    return [
        _entry(topic, columns, row, Where(name, number))
        for number, row in enumerate(rows[1:], start=2)
        if any(v is not None and (not isinstance(v, str) or v.strip()) for v in row)
    ]


def read_entries(upload: Any) -> list[Entry]:
    """Every row of the file as an Entry (its problems attached); raises ValidationError about the file itself
    (wrong type, too large, personal-data columns, unknown columns)."""
    name = (getattr(upload, "name", "") or "").lower()
    catalogue = catalogues()[-1]
    problems: list[str] = []
    entries: list[Entry] = []
    if name.endswith(".csv"):
        rows: list[list[Any]] = read_csv(upload, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
        entries = _sheet_entries(catalogue, "", rows, problems)
    else:
        sheets = read_sheets(
            upload,
            max_bytes=MAX_BYTES,
            max_uncompressed=5 * MAX_BYTES,
            max_rows=MAX_ROWS,
            max_cols=MAX_COLUMNS,
            max_cells=MAX_CELLS,
        )
        for title, rows in sheets:
            if len(rows) > 1:
                entries += _sheet_entries(catalogue, title, rows, problems)
    if problems:
        raise ValidationError(problems, code="columns")
    if not entries:
        raise ValidationError(_("The file has no rows of figures."), code="empty")
    for entry in entries:
        if entry.year and catalogue_for_year(entry.year).topic(entry.topic) is None:
            entry.problems.append(_("this topic is not recorded for %(year)s") % {"year": entry.year})
    return entries


def template(region_code: str, year: int) -> bytes:
    """The import workbook: one sheet per topic with its columns (as the monthly form names them) and the twelve
    months of the year for the region, counts left empty to fill in."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from layak.common.spreadsheets import workbook_bytes, write_row

    book = Workbook()
    book.remove(book.active)
    for topic in catalogue_for_year(year).topics:
        sheet = book.create_sheet(topic.key[:31])
        write_row(sheet, ["Kode wilayah", "Tahun", "Bulan", *(dict(c.texts)["label"] for c in topic.cells)])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for month in range(1, 13):
            write_row(sheet, [region_code, year, month])
        sheet.freeze_panes = "D2"
    return workbook_bytes(book)
