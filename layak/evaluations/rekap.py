"""The whole kla-2024 instrument as one workbook laid out like the ministry's "Rekap Penilaian Mandiri", and its
import back: one sheet per group, one row per question (code, question, maximum, answer type, the answer, the
figures per year, note, evidence titles, OPD, self-score and the revision the answer had, hidden).

The import reads every row with the same rules as the form (`question_services.question_answer_clean`) and
writes nothing if any cell is wrong, a question the user may not edit was changed, or an answer changed on the
server since the download: all or nothing, through `layak.common.spreadsheets` (size, zip and cell caps).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from layak.accounts.models import User
from layak.audit.services import audit_record
from layak.common.spreadsheets import (
    ImportRejected,
    RowError,
    bounded_rows,
    cell_text,
    open_workbook,
    parse_yes_no,
    workbook_bytes,
    write_row,
)
from layak.frameworks.choices import AnswerType
from layak.frameworks.models import Question

from . import permissions
from .models import Assessment, QuestionAnswer, QuestionAssignment, QuestionEvidence
from .question_missing import assessment_facts
from .question_services import (
    QuestionConflict,
    can_edit_question,
    check_open_for_edits,
    question_answer_clean,
    question_answer_write,
    question_years,
)
from .scoring_input import instrument_rules_load, question_self_scores

# Columns of a group sheet (row 1 is the header, one row per question below).
COLUMNS = ("code", "text", "max", "type", "answer", "num_1", "den_1", "num_2", "den_2", "note", "evidence", "agency")
COLUMNS += ("score", "revision")
MAX_QUESTIONS_PER_SHEET = 200
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
INPUT_FILL = PatternFill("solid", fgColor="FFF9DB")
WRAP = Alignment(wrap_text=True, vertical="top")


def _headers(years: list[int]) -> list[str]:
    first, last = years
    return [
        _("Code"),
        _("Question"),
        _("Max. points"),
        _("Answer type"),
        _("Answer (yes/no, text or a count)"),
        _("Numerator %(year)s") % {"year": first},
        _("Denominator %(year)s") % {"year": first},
        _("Numerator or count %(year)s") % {"year": last},
        _("Denominator %(year)s") % {"year": last},
        _("Note (catatan)"),
        _("Evidence"),
        _("Agency (OPD)"),
        _("Self-score"),
        _("Revision"),
    ]


def _sheet_title(code: str, name: str) -> str:
    return f"{code} {name}"[:31].replace("/", "-")


def rekap_workbook(assessment: Assessment) -> bytes:
    """The whole instrument of one assessment as a workbook (one sheet per group)."""
    rules = instrument_rules_load(assessment.cycle.framework)
    facts = assessment_facts(assessment)
    scores = question_self_scores(assessment, rules)
    titles: dict[int, list[str]] = {}
    for question_id, title in QuestionEvidence.objects.filter(assessment=assessment).values_list(
        "question_id", "evidence__title"
    ):
        titles.setdefault(question_id, []).append(title)
    years = [assessment.cycle.year - 1, assessment.cycle.year]
    book = Workbook()
    book.remove(book.worksheets[0])
    sheets: dict[int, Any] = {}
    for question in rules.questions:
        group = question.indicator.group
        sheet = sheets.get(group.pk)
        if sheet is None:
            sheet = sheets[group.pk] = book.create_sheet(_sheet_title(group.code, group.display_name))
            write_row(sheet, _headers(years))
            for cell in sheet[1]:
                cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEADER_FILL
            for letter, width in zip(
                "ABCDEFGHIJKLMN", (8, 70, 8, 14, 22, 12, 12, 12, 12, 40, 30, 18, 10, 6), strict=True
            ):
                sheet.column_dimensions[letter].width = width
            sheet.column_dimensions["N"].hidden = True
            sheet.freeze_panes = "C2"
        answer = facts.answers.get(question.pk)
        write_row(sheet, _row(question, answer, years, titles.get(question.pk, []), facts, scores))
        for column in "EFGHIJ":
            sheet[f"{column}{sheet.max_row}"].fill = INPUT_FILL
        sheet[f"B{sheet.max_row}"].alignment = WRAP
    return workbook_bytes(book)


def _row(question: Question, answer, years, titles, facts, scores) -> list[Any]:
    figures = answer.years if answer else {}
    first, last = (figures.get(str(year)) or {} for year in years)
    if question.answer_type == AnswerType.YES_NO:
        shown = "" if answer is None or answer.yes is None else (_("Yes") if answer.yes else _("No"))
    elif question.answer_type == AnswerType.LIST:
        shown = answer.text if answer else ""
    elif question.answer_type == AnswerType.MATRIKS:
        shown = _("%(rows)s MATRIKS rows (upload on the page)") % {"rows": len(answer.matriks) if answer else 0}
    else:
        shown = ""
    agency = facts.agencies.get(question.pk)
    number_last = last.get("count") if question.answer_type == AnswerType.COUNT else last.get("numerator")
    return [
        question.full_code,
        question.text,
        question.max_points,
        question.get_answer_type_display(),
        shown,
        first.get("numerator") or first.get("count") or "",
        first.get("denominator") or "",
        number_last or "",
        last.get("denominator") or "",
        answer.note if answer else "",
        "; ".join(titles),
        str(agency) if agency else "",
        scores[question.pk].points,
        answer.revision if answer else 0,
    ]


@dataclass
class RekapChange:
    question: Question
    values: dict[str, Any]
    revision: int


def _read(upload: Any, assessment: Assessment, user: User) -> tuple[list[RekapChange], list[RowError]]:
    rules = instrument_rules_load(assessment.cycle.framework)
    by_code = {question.full_code: question for question in rules.questions}
    facts = assessment_facts(assessment)
    changes: list[RekapChange] = []
    problems: list[RowError] = []
    seen: set[str] = set()
    book = open_workbook(upload)
    try:
        for sheet in book.worksheets:
            for number, values in bounded_rows(sheet, max_col=len(COLUMNS)):
                cells = {key: cell_text(value) for key, value in zip(COLUMNS, values, strict=True)}
                if not any(cells.values()):
                    continue
                problem = _row_change(cells, sheet.title, number, by_code, facts, assessment, user, seen, changes)
                problems.extend(problem)
    finally:
        book.close()
    if not seen:
        raise ValidationError(_("The workbook has no question rows. Download the Rekap workbook and fill it in."))
    return changes, problems


def _row_change(cells, sheet, number, by_code, facts, assessment, user, seen, changes) -> list[RowError]:
    def error(column: str, message: str) -> RowError:
        return RowError(sheet, number, column, message)

    question = by_code.get(cells["code"])
    if question is None:
        return [error("A", _("“%(code)s” is not a question of this instrument.") % {"code": cells["code"]})]
    seen.add(question.full_code)
    answer = facts.answers.get(question.pk)
    values = _values(question, cells, assessment)
    if values is None:
        return [error("E", _("Write yes or no (ya/tidak)."))]
    if not _differs(question, answer, values, assessment):
        return []
    agency = facts.agencies.get(question.pk)
    assignment = QuestionAssignment(agency=agency) if agency else None
    if not can_edit_question(user, assessment, assignment):
        return [
            error(
                "A",
                _("Question %(code)s is not assigned to your OPD; leave it as it was.") % {"code": question.full_code},
            )
        ]
    current = answer.revision if answer else 0
    try:
        revision = int(cells["revision"] or 0)
    except ValueError:
        revision = -1
    if revision != current:
        return [
            error(
                "N",
                _("Question %(code)s changed on the server since the download; download the workbook again.")
                % {"code": question.full_code},
            )
        ]
    try:
        question_answer_clean(assessment, question, **values)
    except ValidationError as exc:
        return [error("E", message) for message in exc.messages]
    changes.append(RekapChange(question, values, current))
    return []


def _values(question: Question, cells: dict[str, str], assessment: Assessment) -> dict[str, Any] | None:
    years = question_years(assessment, question)
    values: dict[str, Any] = {"note": cells["note"], "yes": None, "text": "", "years": {}}
    if question.answer_type == AnswerType.YES_NO:
        if cells["answer"]:
            yes = parse_yes_no(cells["answer"])
            if yes is None:
                return None
            values["yes"] = yes
    elif question.answer_type == AnswerType.LIST:
        values["text"] = cells["answer"]
    elif question.answer_type in (AnswerType.PERCENTAGE, AnswerType.COUNT):
        columns = {assessment.cycle.year - 1: ("num_1", "den_1"), assessment.cycle.year: ("num_2", "den_2")}
        for year in years:
            num, den = columns[year]
            if question.answer_type == AnswerType.PERCENTAGE:
                values["years"][year] = {"numerator": cells[num], "denominator": cells[den]}
            else:
                values["years"][year] = {"count": cells[num]}
    return values


def _differs(question: Question, answer: QuestionAnswer | None, values: dict[str, Any], assessment) -> bool:
    try:
        clean = question_answer_clean(assessment, question, **values)
    except ValidationError:
        return True
    if answer is None:
        return bool(clean.yes is not None or clean.years or clean.text or clean.note)
    return (clean.yes, clean.years, clean.text, clean.note) != (answer.yes, answer.years, answer.text, answer.note)


def rekap_import(*, user: User, assessment: Assessment, upload: Any) -> int:
    """Imports the Rekap workbook: every changed row checked, then all saved in one transaction, or none.
    Returns the number of questions saved."""
    check_open_for_edits(assessment)
    changes, problems = _read(upload, assessment, user)
    if problems:
        raise ImportRejected(problems)
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        check_open_for_edits(locked)
        for change in changes:
            clean = question_answer_clean(assessment, change.question, **change.values)
            fields = {
                "yes": clean.yes,
                "years": clean.years,
                "text": clean.text,
                "note": clean.note,
                "updated_by": user,
            }
            try:
                question_answer_write(assessment, change.question, fields, change.revision)
            except QuestionConflict:
                raise ImportRejected(
                    _("Question %(code)s changed on the server during the import; nothing was imported.")
                    % {"code": change.question.full_code}
                ) from None
        if changes:
            audit_record(
                actor=user,
                verb="question.rekap_imported",
                target=assessment,
                region_code=assessment.region_id,
                summary=str(len(changes)),
                after={"questions": [c.question.full_code for c in changes]},
            )
    return len(changes)


def check_can_import(user: User, assessment: Assessment) -> None:
    if not permissions.may_contribute(user, assessment):
        raise PermissionDenied(_("Only the region's coordinator and its OPDs can import answers."))
