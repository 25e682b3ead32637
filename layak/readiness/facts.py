"""What the checks need to know of a document, found in its extracted text: dates, decree numbers, periods,
fiscal years, the regions it names and the totals of its tables.

Indonesian forms: "12 Januari 2024", "1 Agt 2023", "12-01-2024"; "Nomor 188.45/123/HK/2024", "Nomor 12 Tahun
2022"; "Periode 2018-2020", "Tahun 2018 s.d. 2020", "Masa Bakti 2021-2023"; "Tahun Anggaran 2025". Pure
functions over text; the region names come from the caller (the regions table).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from .extract import Extracted

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agt": 8, "agu": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip

_YEAR = r"(?:19[5-9]\d|20\d\d)"
_DASH = r"\s*(?:-|\u2013|—|s\.?\s?d\.?|s/d|sampai(?:\s+dengan)?|hingga)\s*"
_NAMED_DATE = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(" + _YEAR + r")\b")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](" + _YEAR + r")\b")
_ISO_DATE = re.compile(r"\b(" + _YEAR + r")-(\d{2})-(\d{2})\b")
_DECREE_NUMBER = re.compile(
    r"\bNo(?:mor|\.)?\s*:?\s*((?:[0-9A-Za-z.\-]+\s*/\s*)+[0-9A-Za-z.\-]*" + _YEAR + r"|\d+\s+Tahun\s+" + _YEAR + r")",
    re.IGNORECASE,
)
_PERIOD = re.compile(
    r"\b(?:periode|masa\s+(?:bakti|tugas|jabatan|berlaku)|tahun)\s*:?\s*(?:tahun\s+)?(" + _YEAR + r")" + _DASH
    + r"(?:tahun\s+)?(" + _YEAR + r")\b",
    re.IGNORECASE,
)  # fmt: skip
_FISCAL_YEAR = re.compile(r"\btahun\s+anggaran\s*:?\s*(" + _YEAR + r")\b", re.IGNORECASE)
_DECREE_WORDS = re.compile(r"\b(?:surat\s+)?keputusan\b|\bSK\s+(?:bupati|wali\s*kota|walikota)\b", re.IGNORECASE)
_SIGNED = re.compile(r"ditetapkan\s+di\b.{0,80}?pada\s+tanggal\s*:?\s*(.{0,40})", re.IGNORECASE | re.DOTALL)
_REGION_MENTION = re.compile(
    r"\b(kabupaten|kota|bupati|wali\s*kota|walikota|pemerintah\s+kabupaten|pemerintah\s+kota)\s+"
    r"(?=((?:[A-Z][A-Za-z'\-]+)(?:[ \t]+[A-Z][A-Za-z'\-]+){0,3}))",
    re.IGNORECASE,
)
_TOTAL_LABEL = re.compile(r"^\s*(?:jumlah|total|jml\.?)\b", re.IGNORECASE)
_YEAR_CELL = re.compile(r"^\s*(?:tahun\s+)?(" + _YEAR + r")\s*$", re.IGNORECASE)
_YEAR_WORD = re.compile(r"\btahun\s+(" + _YEAR + r")\b", re.IGNORECASE)
_NUMERATOR_WORDS = re.compile(r"\b(?:pembilang|numerator)\b", re.IGNORECASE)
_DENOMINATOR_WORDS = re.compile(r"\b(?:penyebut|denominator|jumlah\s+(?:seluruh|total))\b", re.IGNORECASE)
_MATRIKS = re.compile(r"\bmatri(?:ks|x)\b", re.IGNORECASE)


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[date]:
    """Every calendar date written in the text, in order of appearance (duplicates kept)."""
    found: list[tuple[int, date]] = []
    for match in _NAMED_DATE.finditer(text):
        month = MONTHS.get(match.group(2).lower())
        if month and (value := _valid(int(match.group(3)), month, int(match.group(1)))):
            found.append((match.start(), value))
    for match in _NUMERIC_DATE.finditer(text):
        if value := _valid(int(match.group(3)), int(match.group(2)), int(match.group(1))):
            found.append((match.start(), value))
    for match in _ISO_DATE.finditer(text):
        if value := _valid(int(match.group(1)), int(match.group(2)), int(match.group(3))):
            found.append((match.start(), value))
    return [value for _start, value in sorted(found, key=lambda pair: pair[0])]


@dataclass(frozen=True)
class DecreeNumber:
    text: str
    year: int


def find_decree_numbers(text: str) -> list[DecreeNumber]:
    """Decree and regulation numbers ("Nomor 188.45/123/HK/2024", "Nomor 12 Tahun 2022") with their year."""
    found = []
    for match in _DECREE_NUMBER.finditer(text):
        number = re.sub(r"\s+", " ", match.group(1)).strip()
        years = re.findall(_YEAR, number)
        if years:
            found.append(DecreeNumber(number, int(years[-1])))
    return found


def find_periods(text: str) -> list[tuple[int, int]]:
    """Periods written as "Periode 2018-2020" and the like, as (first year, last year)."""
    periods = []
    for match in _PERIOD.finditer(text):
        start, end = int(match.group(1)), int(match.group(2))
        if start <= end <= start + 10:
            periods.append((start, end))
    return periods


def find_fiscal_years(text: str) -> list[int]:
    """Years written as "Tahun Anggaran 2025"."""
    return [int(year) for year in _FISCAL_YEAR.findall(text)]


def signing_date(text: str) -> date | None:
    """The date after "Ditetapkan di … pada tanggal", when the text has one."""
    for match in _SIGNED.finditer(text):
        dates = find_dates(match.group(1))
        if dates:
            return dates[0]
    return None


def region_mentions(text: str) -> list[str]:
    """Phrases naming a kab/kota ("Kota Mojokerto", "Bupati Sleman"), normalised to "kabupaten x"/"kota x"."""
    mentions = []
    for match in _REGION_MENTION.finditer(text):
        kind = match.group(1).lower()
        prefix = "kota" if "kota" in kind else "kabupaten"
        mentions.append(f"{prefix} {' '.join(match.group(2).split())}".lower())
    return mentions


def parse_number(text: str) -> Decimal | None:
    """A number written the Indonesian way (1.234,5) or plainly (1234.5); None when the cell is not a number."""
    cleaned = text.strip().replace(" ", "").rstrip("%")
    if not cleaned or not re.fullmatch(r"-?[\d.,]+", cleaned):
        return None
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(?:\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def table_totals(tables: Iterable[list[list[str]]]) -> list[Decimal]:
    """The totals of a table: the last number on each row labelled "Jumlah"/"Total" (first non-empty cell)."""
    totals = []
    for table in tables:
        for row in table:
            cells = [cell for cell in row if cell.strip()]
            if not cells or not _TOTAL_LABEL.match(cells[0]):
                continue
            numbers = [n for n in (parse_number(cell) for cell in cells[1:]) if n is not None]
            if numbers:
                totals.append(numbers[-1])
    return totals


HEADER_ROWS = 5  # a year heading a column sits in the first rows; further down a 2094 is a count


def table_years(tables: Iterable[list[list[str]]]) -> set[int]:
    """Years that head a column of a table ("2023", "Tahun 2024"): year cells in its first non-empty rows, and
    the row labels of a two-column "Tahun | value" table."""
    years = set()
    for table in tables:
        header_rows = [row for row in table if any(cell.strip() for cell in row)][:HEADER_ROWS]
        for row in header_rows:
            for cell in row[:MAX_HEADER_CELLS]:
                if match := _YEAR_CELL.match(cell):
                    years.add(int(match.group(1)))
        for row in table:
            cells = [cell for cell in row if cell.strip()]
            if len(cells) == 2 and (match := _YEAR_CELL.match(cells[0])) and parse_number(cells[1]) is not None:
                years.add(int(match.group(1)))
    return years


MAX_HEADER_CELLS = 30


@dataclass
class Facts:
    """The facts of one document the checks use (serialisable with `as_dict`)."""

    status: str
    pages: int = 0
    blank_pages: int = 0
    image_pages: int = 0
    truncated: bool = False
    dates: list[date] = field(default_factory=list)
    signed_on: date | None = None
    decree_numbers: list[DecreeNumber] = field(default_factory=list)
    periods: list[tuple[int, int]] = field(default_factory=list)
    fiscal_years: list[int] = field(default_factory=list)
    years: set[int] = field(default_factory=set)
    is_decree: bool = False
    is_matriks: bool = False
    has_table: bool = False
    has_ratio_basis: bool = False
    regions: list[str] = field(default_factory=list)
    totals: list[Decimal] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return self.status == "ok"

    @property
    def document_year(self) -> int | None:
        """The year the document is from: when it was signed, else its newest date, else its decree number."""
        if self.signed_on:
            return self.signed_on.year
        if self.dates:
            return max(self.dates).year
        if self.decree_numbers:
            return max(number.year for number in self.decree_numbers)
        if self.years:
            return max(self.years)
        return None

    def as_dict(self) -> dict[str, object]:
        return {
            "status": self.status,
            "pages": self.pages,
            "blank_pages": self.blank_pages,
            "image_pages": self.image_pages,
            "truncated": self.truncated,
            "dates": [d.isoformat() for d in self.dates[:50]],
            "signed_on": self.signed_on.isoformat() if self.signed_on else None,
            "decree_numbers": [[n.text, n.year] for n in self.decree_numbers[:20]],
            "periods": [list(p) for p in self.periods[:20]],
            "fiscal_years": self.fiscal_years[:20],
            "years": sorted(self.years)[:40],
            "is_decree": self.is_decree,
            "is_matriks": self.is_matriks,
            "has_table": self.has_table,
            "has_ratio_basis": self.has_ratio_basis,
            "regions": sorted(set(self.regions))[:40],
            "totals": [str(t) for t in self.totals[:20]],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Facts:
        def _list(key: str) -> list:
            value = data.get(key) or []
            return list(value) if isinstance(value, list | tuple) else []

        signed = data.get("signed_on")
        return cls(
            status=str(data.get("status", "ok")),
            pages=int(data.get("pages") or 0),
            blank_pages=int(data.get("blank_pages") or 0),
            image_pages=int(data.get("image_pages") or 0),
            truncated=bool(data.get("truncated")),
            dates=[date.fromisoformat(d) for d in _list("dates")],
            signed_on=date.fromisoformat(signed) if isinstance(signed, str) else None,
            decree_numbers=[DecreeNumber(str(t), int(y)) for t, y in _list("decree_numbers")],
            periods=[(int(a), int(b)) for a, b in _list("periods")],
            fiscal_years=[int(y) for y in _list("fiscal_years")],
            years={int(y) for y in _list("years")},
            is_decree=bool(data.get("is_decree")),
            is_matriks=bool(data.get("is_matriks")),
            has_table=bool(data.get("has_table")),
            has_ratio_basis=bool(data.get("has_ratio_basis")),
            regions=[str(r) for r in _list("regions")],
            totals=[Decimal(str(t)) for t in _list("totals")],
        )


def facts_of(extracted: Extracted, name: str = "") -> Facts:
    """The facts found in an extracted document; `name` (title or file name) counts for "MATRIKS" and "SK"."""
    text = extracted.text
    head = text[:3000]
    tables = [table for table in extracted.tables if any(any(cell for cell in row) for row in table)]
    years = {int(y) for y in _YEAR_WORD.findall(text)} | table_years(tables)
    periods = find_periods(text)
    fiscal = find_fiscal_years(text)
    for start, end in periods:
        years.update(range(start, end + 1))
    years.update(fiscal)
    has_numbers = any(any(parse_number(cell) is not None for cell in row) for table in tables for row in table)
    return Facts(
        status=extracted.status,
        pages=extracted.pages,
        blank_pages=extracted.blank_pages,
        image_pages=extracted.image_pages,
        truncated=extracted.truncated,
        dates=find_dates(text),
        signed_on=signing_date(text),
        decree_numbers=find_decree_numbers(head),
        periods=periods,
        fiscal_years=fiscal,
        years=years,
        is_decree=bool(_DECREE_WORDS.search(head)) or bool(re.search(r"\bSK\b", name)),
        is_matriks=bool(_MATRIKS.search(name) or _MATRIKS.search(head)),
        has_table=bool(tables),
        has_ratio_basis=bool(_NUMERATOR_WORDS.search(text) and _DENOMINATOR_WORDS.search(text))
        or (has_numbers and bool(_DENOMINATOR_WORDS.search(text))),
        regions=region_mentions(text),
        totals=table_totals(tables or [_total_lines(text)]),
    )


def _total_lines(text: str) -> list[list[str]]:
    """Lines of running text that start with "Jumlah"/"Total", split into words (a PDF's table rows)."""
    return [line.split() for line in text.splitlines() if _TOTAL_LABEL.match(line)]
