"""The MATRIKS of a question: a template to download (xlsx, with the question and the region) and the filled
workbook read back cell by cell, through `layak.common.spreadsheets` (size, zip-bomb, cell and row caps).

The ministry's own MATRIKS column layout was not found in the sources; these columns are Layak's layout of what
the instrument's questions ask the MATRIKS to show (the programme or institution, the agencies or partners and
their role, the year, the supporting document). See docs/decisions/0013-instrument-2024.md.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from layak.accounts.models import User
from layak.audit.services import audit_record
from layak.common.spreadsheets import (
    Column,
    ImportRejected,
    RowError,
    cell_text,
    open_workbook,
    read_rows,
    workbook_bytes,
    write_cell,
    write_row,
)
from layak.evidence import services as evidence_services
from layak.frameworks.models import Question

from .models import Assessment, QuestionAnswer, QuestionEvidence
from .question_services import MATRIKS_MAX_ROWS, _check_can_edit, question_evidence_link
from .stamps import assessments_changed

SHEET = "MATRIKS"
INFO_SHEET = "Pertanyaan"
TEXT_LIMIT = 1000


def matriks_columns() -> list[Column]:
    return [
        Column("item", _("Programme, activity or institution")),
        Column("agency", _("Agency (OPD) or partner")),
        Column("role", _("Role or form of involvement")),
        Column("year", _("Year")),
        Column("document", _("Supporting document")),
    ]


def matriks_template(assessment: Assessment, question: Question) -> bytes:
    """The question's MATRIKS workbook: the MATRIKS sheet (header, one example row to replace) and a sheet with
    the question, the region and the cycle, which the upload checks."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = SHEET
    columns = matriks_columns()
    write_row(sheet, [c.header for c in columns])
    for index, _column in enumerate(columns, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[chr(64 + index)].width = 32
    sheet.freeze_panes = "A2"
    info = book.create_sheet(INFO_SHEET)
    rows = [
        (_("Question"), question.full_code),
        (_("Text"), question.text),
        (_("Regency/city"), assessment.region.name),
        (_("Region code"), assessment.region_id),
        (_("Cycle"), assessment.cycle.name),
        (_("How to fill"), _("One row per programme, institution or partner; keep this sheet as it is.")),
    ]
    for number, (label, value) in enumerate(rows, start=1):
        write_cell(info, number, 1, label).font = Font(bold=True)
        write_cell(info, number, 2, value).alignment = Alignment(wrap_text=True, vertical="top")
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 90
    return workbook_bytes(book)


def _check_template(upload: Any, assessment: Assessment, question: Question) -> None:
    """Refuses a workbook that is not this question's MATRIKS for this region (another question's template,
    another region's, or a workbook without the question sheet)."""
    book = open_workbook(upload)
    try:
        if INFO_SHEET not in book.sheetnames or SHEET not in book.sheetnames:
            raise ValidationError(
                _("This is not a MATRIKS template of Layak. Download the template of question %(code)s and fill it.")
                % {"code": question.full_code}
            )
        # Column B of the question sheet: row 1 the question's code, row 4 the region's code.
        values = [
            cell_text(row[1]) if len(row) > 1 else ""
            for row in book[INFO_SHEET].iter_rows(min_row=1, max_row=4, max_col=2, values_only=True)
        ]
    finally:
        book.close()
    if len(values) < 4 or values[0] != question.full_code or values[3] != assessment.region_id:
        raise ValidationError(
            _("This MATRIKS belongs to another question or region. Download the template of question %(code)s.")
            % {"code": question.full_code}
        )


def matriks_rows_read(upload: Any, assessment: Assessment, question: Question) -> list[dict[str, str]]:
    """The MATRIKS rows of an uploaded workbook, checked cell by cell; ImportRejected lists every problem."""
    _check_template(upload, assessment, question)
    upload.seek(0)
    columns = matriks_columns()
    rows = read_rows(upload, columns, sheet_name=SHEET, max_rows=MATRIKS_MAX_ROWS)
    problems: list[RowError] = []
    kept = []
    for row in rows:
        cells = row.cells
        for key in ("item", "agency"):
            if not cells[key]:
                problems.append(row.error(key, _("Fill this in.")))
        for key, text in cells.items():
            if len(text) > TEXT_LIMIT:
                problems.append(row.error(key, _("Keep this under %(limit)s characters.") % {"limit": TEXT_LIMIT}))
            if text.startswith(("=", "+", "-", "@")) and not re.fullmatch(r"-?\d+([.,]\d+)?", text):
                problems.append(row.error(key, _("Type the value itself, not a formula.")))
        year = cells["year"]
        if year and not (year.isdigit() and 2000 <= int(year) <= 2100):
            problems.append(row.error("year", _("Write a year such as 2024.")))
        kept.append(cells)
    if problems:
        raise ImportRejected(problems)
    return kept


def question_matriks_upload(*, user: User, assessment: Assessment, question: Question, upload: Any) -> QuestionEvidence:
    """Reads a filled MATRIKS, keeps the file as the question's evidence and its rows on the answer; all or
    nothing. A new upload replaces the previous MATRIKS rows (the earlier file stays in the library)."""
    _check_can_edit(user, assessment, question)
    if not question.asks_matriks:
        raise ValidationError(_("Question %(code)s does not ask for a MATRIKS.") % {"code": question.full_code})
    rows = matriks_rows_read(upload, assessment, question)
    upload.seek(0)
    with transaction.atomic():
        evidence = evidence_services.evidence_create_from_upload(
            user=user,
            region=assessment.region,
            upload=upload,
            title=_("MATRIKS %(code)s") % {"code": question.full_code},
        )
        QuestionEvidence.objects.filter(assessment=assessment, question=question, is_matriks=True).exclude(
            evidence=evidence
        ).update(is_matriks=False)
        assessments_changed([assessment.pk])  # a queryset update sends no model signal
        link = QuestionEvidence.objects.filter(assessment=assessment, question=question, evidence=evidence).first()
        if link is None:
            link = question_evidence_link(
                user=user, assessment=assessment, question=question, evidence=evidence, is_matriks=True
            )
        elif not link.is_matriks:
            link.is_matriks = True
            link.save(update_fields=["is_matriks"])
        answer, created = QuestionAnswer.objects.get_or_create(
            assessment=assessment, question=question, defaults={"matriks": rows, "updated_by": user}
        )
        before = len(answer.matriks) if not created else 0
        if not created:
            answer.matriks, answer.updated_by, answer.revision = rows, user, answer.revision + 1
            answer.save(update_fields=["matriks", "updated_by", "revision", "updated_at"])
        audit_record(
            actor=user,
            verb="question.matriks_uploaded",
            target=answer,
            region_code=assessment.region_id,
            summary=f"{question.full_code}: {len(rows)}",
            before={"rows": before},
            after={"rows": len(rows), "evidence": evidence.pk},
        )
    return link
