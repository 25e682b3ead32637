"""RAD actions from an Excel workbook: a template to download and an all-or-nothing import.

One row is one action in one year (target and budget); rows with the same activity title are the same
action over several years. Every problem is reported with its sheet, row and column, and nothing is saved
while any row has a problem.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl import Workbook
from openpyxl.styles import Font

from layak.accounts.models import Agency
from layak.audit.services import audit_record
from layak.common.numbers import NumberError, parse_number
from layak.common.spreadsheets import (
    MAX_ROWS,
    ImportRejected,
    RowError,
    bounded_rows,
    open_workbook,
    workbook_bytes,
    write_row,
)
from layak.frameworks.models import Indicator
from layak.registers.access import check_edit_register

from .choices import ActionStatus, RightsGroup
from .models import Action, ActionPlan, ActionYear

SHEET = "RAD"
COLUMNS = [
    ("title", gettext_lazy("Activity")),
    ("programme", gettext_lazy("Programme")),
    ("indicators", gettext_lazy("Indicator codes (comma-separated)")),
    ("rights_group", gettext_lazy("KHA rights group")),
    ("agency", gettext_lazy("Owner OPD")),
    ("status", gettext_lazy("Status (existing/planned)")),
    ("year", gettext_lazy("Year")),
    ("target", gettext_lazy("Target")),
    ("target_value", gettext_lazy("Target (number)")),
    ("budget", gettext_lazy("Child-rights budget (Rp)")),
]
LETTERS = "ABCDEFGHIJ"
RIGHTS_WORDS = {
    **{value: value for value in RightsGroup.values},
    "kelangsungan hidup": RightsGroup.SURVIVAL,
    "tumbuh kembang": RightsGroup.DEVELOPMENT,
    "perlindungan": RightsGroup.PROTECTION,
    "partisipasi": RightsGroup.PARTICIPATION,
}
STATUS_WORDS = {"existing": ActionStatus.EXISTING, "planned": ActionStatus.PLANNED}


def template_workbook(*, plan: ActionPlan) -> bytes:
    """An .xlsx with the RAD sheet's header row and a guide sheet listing the accepted values."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    write_row(sheet, [label for _key, label in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    guide = book.create_sheet(_("Guide"))
    write_row(guide, [_("One row is one activity in one year; repeat the activity's title for its other years.")])
    write_row(guide, [_("KHA rights group"), ", ".join(RightsGroup.values)])
    write_row(guide, [_("Status (existing/planned)"), ", ".join(STATUS_WORDS)])
    write_row(guide, [_("Year"), f"{plan.start_year}-{plan.end_year}"])
    agencies = ", ".join(a.short_name or a.name for a in Agency.objects.filter(region=plan.region))
    write_row(guide, [_("Owner OPD"), agencies])
    codes = Indicator.objects.filter(version=plan.framework).values_list("code", flat=True)
    write_row(guide, [_("Indicator codes (comma-separated)"), ", ".join(codes)])
    return workbook_bytes(book)


def _rows(upload) -> list[tuple[int, tuple]]:
    """The filled rows of the RAD sheet (size, zip, row and cell caps checked by the spreadsheet kit)."""
    book = open_workbook(upload)
    try:
        if SHEET not in book.sheetnames:
            raise ImportRejected(_("The workbook has no sheet named “%(sheet)s”. Use the template.") % {"sheet": SHEET})
        rows = []
        for number, row in bounded_rows(book[SHEET], max_col=len(COLUMNS)):
            if any(cell not in (None, "") for cell in row):
                rows.append((number, row))
            if len(rows) > MAX_ROWS:
                raise ImportRejected(_("At most %(n)s rows can be imported at once.") % {"n": MAX_ROWS})
    finally:
        book.close()
    return rows


class _Reader:
    """Turns the cells of one row into typed values, collecting a RowError for each bad cell."""

    def __init__(self, plan: ActionPlan, errors: list[RowError]):
        self.plan = plan
        self.errors = errors
        self.agencies = {}
        for agency in Agency.objects.filter(region=plan.region):
            self.agencies[agency.name.lower()] = agency
            if agency.short_name:
                self.agencies[agency.short_name.lower()] = agency
        self.indicators = {i.code.upper(): i for i in Indicator.objects.filter(version=plan.framework)}

    def error(self, row: int, key: str, message: str) -> None:
        index = [k for k, _label in COLUMNS].index(key)
        column = f"{LETTERS[index]} ({COLUMNS[index][1]})"
        self.errors.append(RowError(SHEET, row, column, message))

    def text(self, value: Any) -> str:
        return "" if value is None else str(value).strip()

    def decimal(self, row: int, key: str, value: Any, required: bool = False) -> Decimal | None:
        if not self.text(value):
            if required:
                self.error(row, key, _("Enter a number."))
            return None
        try:  # a numeric cell stays the number it is; a text cell is read as people write it (1.500.000)
            number = parse_number(value if isinstance(value, int | float) else self.text(value), money=True)
        except NumberError as exc:
            self.error(row, key, exc.message)
            return None
        if number < 0:
            self.error(row, key, _("Enter a number of 0 or more."))
            return None
        return number

    def read(self, row: int, cells: tuple) -> dict | None:
        before = len(self.errors)
        values = dict(zip([k for k, _label in COLUMNS], cells, strict=True))
        parsed = {
            "title": self.text(values["title"])[:300],
            "programme": self.text(values["programme"])[:300],
            "indicators": self._indicators(row, values["indicators"]),
            "rights_group": self._choice(row, "rights_group", values["rights_group"], RIGHTS_WORDS, blank=True),
            "agency": self._agency(row, values["agency"]),
            "status": self._choice(row, "status", values["status"], STATUS_WORDS) or ActionStatus.PLANNED,
            "year": self._year(row, values["year"]),
            "target": self.text(values["target"])[:300],
            "target_value": self.decimal(row, "target_value", values["target_value"]),
            "budget": self.decimal(row, "budget", values["budget"], required=True),
        }
        if not parsed["title"]:
            self.error(row, "title", _("Enter the activity's title."))
        return parsed if len(self.errors) == before else None

    def _choice(self, row: int, key: str, value: Any, words: dict, blank: bool = False) -> str:
        text = self.text(value).lower()
        if not text:
            return ""
        if text not in words:
            self.error(row, key, _("Use one of: %(values)s.") % {"values": ", ".join(sorted(set(words.values())))})
            return ""
        return words[text]

    def _agency(self, row: int, value: Any) -> Agency | None:
        text = self.text(value).lower()
        if text and text not in self.agencies:
            self.error(
                row,
                "agency",
                _("No OPD of %(region)s is called “%(name)s”.")
                % {
                    "region": self.plan.region,
                    "name": self.text(value),
                },
            )
        return self.agencies.get(text)

    def _indicators(self, row: int, value: Any) -> list[Indicator]:
        codes = [c.strip().upper() for c in self.text(value).replace(";", ",").split(",") if c.strip()]
        unknown = [c for c in codes if c not in self.indicators]
        if unknown:
            self.error(
                row,
                "indicators",
                ngettext("Unknown indicator code: %(codes)s.", "Unknown indicator codes: %(codes)s.", len(unknown))
                % {"codes": ", ".join(unknown)},
            )
        return [self.indicators[c] for c in codes if c in self.indicators]

    def _year(self, row: int, value: Any) -> int | None:
        try:
            year = int(Decimal(self.text(value)))
        except (InvalidOperation, ValueError):
            self.error(row, "year", _("Enter a year such as %(year)s.") % {"year": self.plan.start_year})
            return None
        if not self.plan.covers(year):
            self.error(
                row,
                "year",
                _("%(year)s is outside the plan's period %(start)s-%(end)s.")
                % {
                    "year": year,
                    "start": self.plan.start_year,
                    "end": self.plan.end_year,
                },
            )
            return None
        return year


def _group(rows: list[tuple[int, dict]], reader: _Reader) -> dict[str, list[tuple[int, dict]]]:
    """Rows by activity title; the same title twice for one year is an error."""
    groups: dict[str, list[tuple[int, dict]]] = {}
    for number, parsed in rows:
        same = groups.setdefault(parsed["title"].lower(), [])
        if any(other["year"] == parsed["year"] for _n, other in same):
            reader.error(number, "year", _("This activity already has a row for %(year)s.") % {"year": parsed["year"]})
        same.append((number, parsed))
    return groups


@transaction.atomic
def actions_import(*, user, plan: ActionPlan, upload) -> list[Action]:
    """Imports the workbook's activities into the plan, all or nothing (ImportRejected lists every problem)."""
    check_edit_register(user, plan.region)
    errors: list[RowError] = []
    reader = _Reader(plan, errors)
    parsed = [(number, reader.read(number, cells)) for number, cells in _rows(upload)]
    groups = _group([(n, p) for n, p in parsed if p is not None], reader)
    if errors:
        raise ImportRejected(errors)
    if not groups:
        raise ImportRejected(_("The sheet “%(sheet)s” has no rows below its header.") % {"sheet": SHEET})
    actions = [_create(plan, rows) for rows in groups.values()]
    audit_record(
        actor=user,
        verb="plan.actions_imported",
        target=plan,
        region_code=plan.region_id,
        summary=_("%(n)s actions imported") % {"n": len(actions)},
        after={"actions": len(actions), "rows": len(parsed)},
    )
    return actions


def _create(plan: ActionPlan, rows: list[tuple[int, dict]]) -> Action:
    first = rows[0][1]
    fields = {k: first[k] for k in ("title", "programme", "rights_group", "agency", "status")}
    action = Action.objects.create(plan=plan, **fields)
    action.indicators.set({i.pk for _n, p in rows for i in p["indicators"]})
    ActionYear.objects.bulk_create(
        ActionYear(
            action=action, year=p["year"], target=p["target"], target_value=p["target_value"], budget=p["budget"]
        )
        for _n, p in rows
    )
    return action
