"""The whole instrument as an Excel workbook (.xlsx) and its import back: cell by cell, all or nothing.

The workbook has an instructions sheet and one sheet per indicator group (K, I … V) with a row per data
element: the indicator, the element code (hidden), its label, type, unit and allowed values, the current
value (the only cells besides the narratives that can be edited) and, on each indicator's first row, the two
narratives and the revision the answer had when the file was made (hidden). The import checks every cell with
the same rules as the form (`validation.values_clean`) and writes nothing if any cell is wrong, an indicator
someone else may edit was changed, or an answer changed on the server since the download.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from layak.accounts.models import User
from layak.audit.services import audit_record
from layak.common.spreadsheets import (
    MAX_CELLS,
    ImportRejected,
    RowError,
    bounded_rows,
    open_workbook,
    workbook_bytes,
    write_row,
)
from layak.frameworks.choices import ElementType
from layak.frameworks.models import DataElement, Indicator
from layak.frameworks.selectors import framework_indicators

from . import permissions
from .models import Answer, AnswerDraft, AnswerEvidence, Assessment
from .selectors import assessment_assignments
from .services import (
    NARRATIVE_MAX_LENGTH,
    ConflictError,
    Submitted,
    answer_provenance,
    answer_write,
    check_open_for_edits,
    computed_for,
)
from .validation import NUMERIC, choice_options, values_clean

EXCEL_MAX_BYTES = 5 * 1024 * 1024
# The import reads the workbook read-only, row by row; the full instrument's workbook unpacks to about 1 MB.
EXCEL_MAX_UNPACKED = 8 * 1024 * 1024
# Cells the import may read over all its sheets together (the instrument's workbook has a few thousand).
EXCEL_MAX_CELLS = MAX_CELLS
# Column letters of the data sheets.
INDICATOR, NAME, ELEMENT, LABEL, TYPE, UNIT, ALLOWED, VALUE, DONE, TODO, REVISION = "ABCDEFGHIJK"
LETTERS = "ABCDEFGHIJK"
WIDTHS = {"A": 8, "B": 40, "C": 18, "D": 45, "E": 12, "F": 10, "G": 30, "H": 18, "I": 40, "J": 40, "K": 8}
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
INPUT_FILL = PatternFill("solid", fgColor="FFF9DB")
FIXED_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="top")


def _headers() -> dict[str, str]:
    return {
        INDICATOR: _("Indicator"),
        NAME: _("Indicator name"),
        ELEMENT: _("Element code"),
        LABEL: _("Data"),
        TYPE: _("Type"),
        UNIT: _("Unit"),
        ALLOWED: _("Allowed values"),
        VALUE: _("Value"),
        DONE: _("What has been done"),
        TODO: _("What has not been done yet"),
        REVISION: _("Revision"),
    }


# --- Download ------------------------------------------------------------------------------------------------


def _allowed(element: DataElement) -> str:
    """What the value cell accepts, in words."""
    if element.type == ElementType.PERCENTAGE:
        text = _("a number from 0 to 100")
    elif element.type == ElementType.COUNT:
        text = _("a whole number, 0 or more")
    elif element.type == ElementType.RATE:
        text = _("a number, 0 or more")
    elif element.type == ElementType.YES_NO:
        return f"{_('Yes')} / {_('No')}"
    elif element.type == ElementType.CHOICE:
        return "; ".join(f"{value} = {label}" for value, label in choice_options(element))
    elif element.type == ElementType.DOCUMENT:
        return _("attach files or links on the indicator form")
    else:
        return _("text")
    bounds = [
        _("at least %(min)s") % {"min": element.min_value.normalize()} if element.min_value is not None else "",
        _("at most %(max)s") % {"max": element.max_value.normalize()} if element.max_value is not None else "",
    ]
    return ", ".join(filter(None, [text, *bounds]))


def _cell_value(element: DataElement, stored: Any, evidence_titles: list[str]) -> Any:
    """The stored value as the cell shows it: numbers as numbers, Yes/No words, evidence titles for documents."""
    if element.type == ElementType.DOCUMENT:
        return "; ".join(evidence_titles)
    if stored is None or stored == "":
        return None
    if element.type in NUMERIC:
        number = float(stored)
        return int(number) if number.is_integer() else number
    if element.type == ElementType.YES_NO:
        return _("Yes") if stored is True else _("No")
    return stored


@dataclass
class _SheetData:
    indicators: list[Indicator]
    answers: dict[int, Answer]
    evidence: dict[tuple[int, str], list[str]]


def _validation(sheet: Worksheet, element: DataElement) -> DataValidation | None:
    if element.type == ElementType.YES_NO:
        options = [_("Yes"), _("No")]
    elif element.type == ElementType.CHOICE:
        options = [value for value, _label in choice_options(element)]
    else:
        return None
    validation = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
    validation.error = _("Choose one of the listed options.")
    validation.showErrorMessage = True
    sheet.add_data_validation(validation)
    return validation


def _write_indicator(sheet: Worksheet, indicator: Indicator, data: _SheetData) -> None:
    answer = data.answers.get(indicator.pk)
    documents = [e.code for e in indicator.elements.all() if e.type == ElementType.DOCUMENT]
    for position, element in enumerate(indicator.elements.all()):
        titles = data.evidence.get((indicator.pk, element.code), [])
        if documents and element.code == documents[0]:
            titles = titles + data.evidence.get((indicator.pk, ""), [])  # evidence of the indicator as a whole
        stored = answer.values.get(element.code) if answer else None
        row = [indicator.code, indicator.display_name, element.code, element.display_label]
        row += [
            element.get_type_display(),
            element.display_unit,
            _allowed(element),
            _cell_value(element, stored, titles),
        ]
        first = position == 0
        row += [
            answer.narrative_done if answer and first else None,
            answer.narrative_todo if answer and first else None,
        ]
        row += [answer.revision if answer else 0]
        line = write_row(sheet, row)
        for letter in "ABCDEFGHIJK":
            cell = sheet[f"{letter}{line}"]
            cell.alignment = WRAP
            editable = (letter == VALUE and element.type != ElementType.DOCUMENT) or (letter in DONE + TODO and first)
            cell.protection = Protection(locked=not editable)
            cell.fill = INPUT_FILL if editable else FIXED_FILL if letter in VALUE + DONE + TODO else PatternFill()
        validation = _validation(sheet, element)
        if validation is not None:
            validation.add(f"{VALUE}{line}")


def _data_sheet(workbook: Workbook, title: str, indicators: list[Indicator], data: _SheetData) -> None:
    sheet = workbook.create_sheet(title)
    write_row(sheet, _headers().values())
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
    for letter, width in WIDTHS.items():
        sheet.column_dimensions[letter].width = width
    sheet.column_dimensions[ELEMENT].hidden = True
    sheet.column_dimensions[REVISION].hidden = True
    sheet.freeze_panes = "C2"
    for indicator in indicators:
        _write_indicator(sheet, indicator, data)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _instructions(workbook: Workbook, assessment: Assessment) -> None:
    sheet = workbook.active
    sheet.title = _("Instructions")
    lines = [
        _("Self-assessment of %(region)s, %(cycle)s") % {"region": assessment.region.name, "cycle": assessment.cycle},
        _("Downloaded on %(when)s.") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        "",
        _("Each sheet is one cluster (K, I … V); each row is one data item of an indicator."),
        _(
            "Type the answers in the yellow cells only: the “Value” column, and the narratives on each indicator's "
            "first row. Grey cells are locked."
        ),
        _("Percentages are numbers from 0 to 100; counts are whole numbers; a part can never exceed its total."),
        _("For yes/no and choice cells, pick from the list. Leave a cell empty if you do not know the value yet."),
        _("Evidence cannot be attached in this file: attach files and links on each indicator's form."),
        _(
            "Then upload the file on the assessment's Excel page. Every cell is checked; if any cell is wrong, "
            "nothing is imported and each problem is listed with its sheet, row and column."
        ),
        _(
            "If someone saves an indicator on the website after you downloaded this file, your changes to that "
            "indicator are refused as a conflict: download a new copy and copy your changes into it."
        ),
        _("Do not rename the sheets or change the hidden columns."),
    ]
    for line in lines:
        write_row(sheet, [line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 120


def assessment_workbook(assessment: Assessment, user) -> bytes:
    """The instrument with the current answers as .xlsx bytes; only the indicators the user may see (6 queries)."""
    assignments = assessment_assignments(assessment)
    indicators = [
        i
        for i in framework_indicators(assessment.cycle.framework)
        if permissions.can_see_indicator(user, assessment, assignments.get(i.pk))
    ]
    evidence: dict[tuple[int, str], list[str]] = {}
    for link in AnswerEvidence.objects.filter(assessment=assessment).select_related("evidence"):
        evidence.setdefault((link.indicator_id, link.element_code), []).append(link.evidence.title)
    data = _SheetData(indicators, {a.indicator_id: a for a in Answer.objects.filter(assessment=assessment)}, evidence)
    workbook = Workbook()
    _instructions(workbook, assessment)
    groups: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        groups.setdefault(indicator.group.code, []).append(indicator)
    for code, members in groups.items():
        _data_sheet(workbook, code, members, data)
    return workbook_bytes(workbook)


# --- Upload --------------------------------------------------------------------------------------------------


@dataclass
class _Rows:
    """The cells of one indicator in the workbook: values by element code with their rows, narratives, revision."""

    sheet: str
    first_row: int
    revision: Any
    values: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    narrative_done: str = ""
    narrative_todo: str = ""


@dataclass
class ImportResult:
    """What an import changed: the codes of the indicators written, with their new revisions."""

    revisions: dict[str, int]

    @property
    def count(self) -> int:
        return len(self.revisions)


def _open(upload) -> Any:
    """The uploaded workbook, after the spreadsheet kit's size and zip checks (a formula is read as its value)."""
    return open_workbook(upload, max_bytes=EXCEL_MAX_BYTES, max_uncompressed=EXCEL_MAX_UNPACKED)


def _text(value: Any) -> Any:
    """A cell value as `values_clean` reads it: whole floats without ".0", text stripped, empty as blank."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    return "" if value is None else value


def _read(workbook, by_code: dict[str, Indicator], errors: list[RowError]) -> dict[str, _Rows]:
    """The workbook's cells by indicator code; rows naming unknown indicators or elements become errors."""
    found: dict[str, _Rows] = {}
    group_codes = {i.group.code for i in by_code.values()}
    budget = EXCEL_MAX_CELLS  # shared by every sheet, so many sheets cannot multiply the cap
    for sheet in workbook.worksheets:
        if sheet.title not in group_codes:
            continue
        for line, values in bounded_rows(sheet, max_col=len(LETTERS), max_cells=budget):
            budget -= len(LETTERS)
            _read_row(sheet.title, line, dict(zip(LETTERS, values, strict=True)), by_code, found, errors)
    return found


def _read_row(
    sheet: str, line: int, cells: dict[str, Any], by_code, found: dict[str, _Rows], errors: list[RowError]
) -> None:
    code, element_code = _text(cells[INDICATOR]), _text(cells[ELEMENT])
    if not code and not element_code:
        return
    indicator = by_code.get(code)
    if indicator is None or element_code not in {e.code for e in indicator.elements.all()}:
        message = _("Unknown indicator or data element (%(code)s / %(element)s); download a new copy.")
        errors.append(RowError(sheet, line, INDICATOR, message % {"code": code, "element": element_code}))
        return
    rows = found.setdefault(code, _Rows(sheet, line, cells[REVISION]))
    if element_code in rows.rows:
        errors.append(RowError(sheet, line, ELEMENT, _("This data element appears twice; keep one row.")))
        return
    rows.rows[element_code] = line
    rows.values[element_code] = _text(cells[VALUE])
    if line == rows.first_row:
        rows.narrative_done = str(_text(cells[DONE]))
        rows.narrative_todo = str(_text(cells[TODO]))


def _choice_values(element: DataElement, value: Any) -> Any:
    """A choice may be typed as its value or its label."""
    if element.type != ElementType.CHOICE or not isinstance(value, str):
        return value
    labels = {label.casefold(): option for option, label in choice_options(element)}
    return labels.get(value.casefold(), value)


@dataclass
class _Change:
    indicator: Indicator
    new: Submitted
    rows: _Rows


def _check_indicator(ctx: _ImportContext, indicator: Indicator, rows: _Rows) -> _Change | None:
    """Validates one indicator's cells; returns the change to write, None when unchanged or wrong."""
    elements = [e for e in indicator.elements.all() if e.type != ElementType.DOCUMENT]
    raw = {e.code: _choice_values(e, rows.values[e.code]) for e in elements if e.code in rows.values}
    cleaned, problems = values_clean(elements, raw)
    for code, message in problems.items():
        ctx.errors.append(RowError(rows.sheet, rows.rows[code], VALUE, message))
    for column, text in ((DONE, rows.narrative_done), (TODO, rows.narrative_todo)):
        if len(text) > NARRATIVE_MAX_LENGTH:
            message = _("Keep this under %(limit)s characters.") % {"limit": NARRATIVE_MAX_LENGTH}
            ctx.errors.append(RowError(rows.sheet, rows.first_row, column, message))
    if problems:
        return None
    answer = ctx.answers.get(indicator.pk)
    current = (answer.values, answer.narrative_done, answer.narrative_todo) if answer else ({}, "", "")
    kept = {code: value for code, value in current[0].items() if code not in raw}  # rows not in the file stay
    merged = {**kept, **cleaned}
    if (merged, rows.narrative_done, rows.narrative_todo) == current:
        return None
    return _permitted_change(
        ctx, indicator, rows, answer, Submitted(merged, rows.narrative_done, rows.narrative_todo, {})
    )


def _permitted_change(ctx, indicator: Indicator, rows: _Rows, answer: Answer | None, new: Submitted) -> _Change | None:
    where = (rows.sheet, rows.first_row, INDICATOR)
    if not permissions.can_edit_indicator(ctx.user, ctx.assessment, ctx.assignments.get(indicator.pk)):
        message = _("Indicator %(code)s was changed, but it is not assigned to you; undo the changes to its rows.")
        ctx.errors.append(RowError(*where, message % {"code": indicator.code}))
        return None
    current_revision = answer.revision if answer else 0
    if rows.revision != current_revision:
        message = _(
            "Indicator %(code)s was saved by %(who)s after this file was made (revision %(theirs)s, the file has "
            "%(mine)s). Nothing of it was overwritten: download a new copy and copy your changes into it."
        ) % {
            "code": indicator.code,
            "who": answer.updated_by if answer and answer.updated_by_id else "—",
            "theirs": current_revision,
            "mine": rows.revision,
        }
        ctx.errors.append(RowError(rows.sheet, rows.first_row, REVISION, message))
        return None
    provenance = answer_provenance(indicator.elements.all(), new.values, ctx.computed)
    return _Change(indicator, Submitted(new.values, new.narrative_done, new.narrative_todo, provenance), rows)


@dataclass
class _ImportContext:
    user: User
    assessment: Assessment
    answers: dict[int, Answer]
    assignments: dict
    computed: dict
    errors: list[RowError] = field(default_factory=list)


def _changes(user: User, assessment: Assessment, workbook) -> list[_Change]:
    indicators = framework_indicators(assessment.cycle.framework)
    by_code = {i.code: i for i in indicators}
    answers = {a.indicator_id: a for a in Answer.objects.filter(assessment=assessment).select_related("updated_by")}
    elements = [e for i in indicators for e in i.elements.all()]
    ctx = _ImportContext(
        user, assessment, answers, assessment_assignments(assessment), computed_for(assessment, elements)
    )
    found = _read(workbook, by_code, ctx.errors)
    changes = [_check_indicator(ctx, by_code[code], rows) for code, rows in found.items()]
    if ctx.errors:
        order = {name: i for i, name in enumerate(workbook.sheetnames)}
        raise ImportRejected(sorted(ctx.errors, key=lambda e: (order.get(e.sheet, 0), e.row, e.column)))
    return [change for change in changes if change is not None]


def assessment_excel_import(*, user: User, assessment: Assessment, upload) -> ImportResult:
    """Imports a filled instrument workbook: every cell validated; all of it written, or nothing.

    Only indicators whose cells differ from the saved answers are written, each at the revision the file was
    made from; one audit event records the import. Raises ImportRejected (with every RowError) or a
    ValidationError for a file that is not a workbook or an assessment that cannot be edited.
    """
    if not permissions.may_contribute(user, assessment):
        raise PermissionDenied(_("Only the region coordinator and its OPD contributors can import answers."))
    check_open_for_edits(assessment)
    workbook = _open(upload)
    try:
        changes = _changes(user, assessment, workbook)
    finally:
        workbook.close()
    with transaction.atomic():
        Assessment.objects.select_for_update().get(pk=assessment.pk)
        revisions = {}
        for change in changes:
            revisions[change.indicator.code] = _write_change(user, assessment, change).revision
        AnswerDraft.objects.filter(
            assessment=assessment, user=user, indicator__in=[c.indicator for c in changes]
        ).delete()
        audit_record(
            actor=user,
            verb="assessment.excel_imported",
            target=assessment,
            region_code=assessment.region_id,
            summary=_("%(count)s indicator(s) imported from Excel") % {"count": len(revisions)},
            after={"count": len(revisions), "revisions": revisions},
        )
    return ImportResult(revisions)


def _write_change(user: User, assessment: Assessment, change: _Change) -> Answer:
    rows = change.rows
    try:
        return answer_write(user, assessment, change.indicator, change.new, rows.revision)
    except ConflictError:
        message = _("Indicator %(code)s was saved by someone else during the import; upload the file again.")
        raise ImportRejected(
            [RowError(rows.sheet, rows.first_row, REVISION, message % {"code": change.indicator.code})]
        ) from None
