"""Tables that sort on the server (`?sort=column`, `-column` for descending) and download as CSV and Excel.

A page builds `Table`s of plain values; the shared template `dashboards/_table.html` renders one with sort
links and download links, and `export_response` turns one into a file through the spreadsheet kit
(`layak.common.spreadsheets`), whose one formula guard keeps every cell a formula-looking text as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, QueryDict
from django.utils.text import slugify
from openpyxl import Workbook

from layak.common import spreadsheets

FORMATS = {"csv", "xlsx"}


@dataclass(frozen=True)
class Column:
    """A column: its key in each row, header, and how to show it (text, num, percent, band or link).

    A link column shows row[key] linked to row[f"{key}_url"]; a band column shows the predicate badge.
    """

    key: str
    label: str
    kind: str = "text"

    @property
    def numeric(self) -> bool:
        return self.kind in {"num", "percent"}


@dataclass(frozen=True)
class Table:
    """Rows (dicts of plain values) under columns; `key` names the table in `?export=` and its sort parameter."""

    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    primary: bool = False
    shown: int | None = None  # on the page, only the first `shown` rows (after sorting); downloads have all
    sort: str = ""
    query: QueryDict | None = field(default=None, compare=False)

    @property
    def sort_param(self) -> str:
        return "sort" if self.primary else f"sort_{self.key}"

    def header_links(self) -> list[tuple[Column, str, str]]:
        """(column, URL query that sorts by it, current direction "asc"/"desc"/"") for the header row."""
        links = []
        for column in self.columns:
            query = self.query.copy() if self.query is not None else QueryDict(mutable=True)
            query.pop("page", None)
            direction = "asc" if self.sort == column.key else "desc" if self.sort == f"-{column.key}" else ""
            query[self.sort_param] = f"-{column.key}" if direction == "asc" else column.key
            links.append((column, query.urlencode(), direction))
        return links

    def export_query(self, fmt: str) -> str:
        query = self.query.copy() if self.query is not None else QueryDict(mutable=True)
        query.pop("page", None)
        query["export"], query["format"] = self.key, fmt
        return query.urlencode()

    @property
    def csv_query(self) -> str:
        return self.export_query("csv")

    @property
    def xlsx_query(self) -> str:
        return self.export_query("xlsx")

    def cells(self) -> list[list[tuple[Column, Any, Any]]]:
        """Each row as (column, value, extra) for the template: extra is the link of a link column, the band
        code of a band column and the list of sources of a sources column."""
        extras = {"link": "_url", "band": "_code", "sources": "_list"}
        return [
            [(c, row.get(c.key), row.get(c.key + extras[c.kind]) if c.kind in extras else None) for c in self.columns]
            for row in self.rows[: self.shown]
        ]

    @property
    def truncated(self) -> bool:
        return self.shown is not None and len(self.rows) > self.shown


def _sort_key(value: Any) -> tuple:
    if value is None or value == "":
        return (1, 0, "")
    if isinstance(value, int | float | Decimal):
        return (0, value, "")
    return (0, 0, str(value).lower())


def table_sorted(table: Table, query: QueryDict) -> Table:
    """The table sorted by its sort parameter when that names one of its columns (empty values last)."""
    wanted = query.get(table.sort_param, "")
    key = wanted.lstrip("-")
    if key not in {c.key for c in table.columns}:
        return replace(table, query=query)
    rows = sorted(table.rows, key=lambda row: _sort_key(row.get(key)), reverse=wanted.startswith("-"))
    if wanted.startswith("-"):  # keep empty values last when descending too
        rows = [r for r in rows if r.get(key) not in (None, "")] + [r for r in rows if r.get(key) in (None, "")]
    return replace(table, rows=rows, sort=wanted, query=query)


def _matrix(table: Table) -> list[list[Any]]:
    header = [str(c.label) for c in table.columns]
    return [header] + [[row.get(c.key) for c in table.columns] for row in table.rows]


def _filename(name: str, fmt: str) -> str:
    return f"{slugify(name) or 'table'}.{fmt}"


def csv_response(table: Table, name: str) -> HttpResponse:
    return spreadsheets.csv_response(_filename(name, "csv"), _matrix(table))


def xlsx_response(table: Table, name: str) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = slugify(table.title)[:31] or "data"
    for row in _matrix(table):
        spreadsheets.write_row(sheet, ["" if value is None else value for value in row])
    return spreadsheets.xlsx_response(spreadsheets.workbook_bytes(workbook), _filename(name, "xlsx"))


def export_response(tables: Iterable[Table] | Mapping[str, Table], query: QueryDict, name: str) -> HttpResponse | None:
    """The file asked for by `?export=<table key>&format=csv|xlsx`, or None when the query asks for none.

    `tables` is a list of tables or a page context's {key: table}."""
    wanted = query.get("export")
    listed = tables.values() if isinstance(tables, Mapping) else tables
    table = next((t for t in listed if t.key == wanted), None)
    if table is None:
        return None
    table = table_sorted(table, query)
    filename = f"{name}-{table.key}"
    return xlsx_response(table, filename) if query.get("format") == "xlsx" else csv_response(table, filename)
