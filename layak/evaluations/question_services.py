"""Writes of the question-level self-assessment (kla-2024): answers, evidence, MATRIKS and OPD assignments.

Same rules as the indicator-level services (`services.py`): the region coordinator or the OPD the question is
assigned to, while the self-assessment window is open and the assessment not submitted; every change audited;
a value refused says why in the user's language and nothing is half-saved.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from layak.accounts.models import Agency, User
from layak.audit.services import audit_record
from layak.common.numbers import NumberError, format_number, parse_number
from layak.evidence import services as evidence_services
from layak.evidence.models import Evidence
from layak.frameworks.choices import AnswerType
from layak.frameworks.models import Question

from . import hooks, permissions
from .choices import EDITABLE_STATUSES
from .models import Assessment, DataSourceAgency, QuestionAnswer, QuestionAssignment, QuestionEvidence
from .services import NARRATIVE_MAX_LENGTH, check_open_for_edits
from .stamps import assessments_changed
from .validation import TEXT_MAX_LENGTH, is_blank

HUNDRED = Decimal(100)
# A percentage typed beside its counts may differ from the computed one by rounding to one decimal only.
PERCENT_TOLERANCE = Decimal("0.05")
MATRIKS_MAX_ROWS = 500


class QuestionConflict(Exception):
    """Someone saved the question after the user opened it; nothing was written."""

    def __init__(self, current: QuestionAnswer | None) -> None:
        super().__init__("conflict")
        self.current = current


def question_years(assessment: Assessment, question: Question) -> list[int]:
    """The years a percentage or count question asks for, oldest first, ending at the cycle's year."""
    last = assessment.cycle.year
    return list(range(last - question.years_asked + 1, last + 1))


def _check_question(assessment: Assessment, question: Question) -> None:
    if question.indicator.version_id != assessment.cycle.framework_id:
        raise ValidationError(_("This question does not belong to the cycle's framework."))


def question_assignment(assessment: Assessment, question: Question) -> QuestionAssignment | None:
    return QuestionAssignment.objects.filter(assessment=assessment, question=question).first()


def can_edit_question(user: Any, assessment: Assessment, assignment: QuestionAssignment | None) -> bool:
    """The region coordinator, or an OPD contributor of the agency the question is assigned to."""
    if permissions.is_region_coordinator(user, assessment):
        return True
    return assignment is not None and assignment.agency_id in permissions.contributor_agency_ids(
        user, assessment.region_id
    )


#: "The caller has not read the question's assignment" (None is a question assigned to nobody).
UNREAD: Any = object()


def _check_can_edit(user: User, assessment: Assessment, question: Question, assignment: Any = UNREAD) -> None:
    _check_question(assessment, question)
    if assignment is UNREAD:
        assignment = question_assignment(assessment, question)
    if not can_edit_question(user, assessment, assignment):
        raise PermissionDenied(_("You cannot edit this question: it is not assigned to your agency (OPD)."))
    check_open_for_edits(assessment)


# --- Reading and checking values -------------------------------------------------------------------------------


def _number(value: Any, *, integer: bool = False) -> Decimal | None:
    if is_blank(value):
        return None
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        number = Decimal(value)
    else:
        try:
            number = parse_number(value, integer=integer)
        except NumberError as exc:
            raise ValidationError(exc.message) from None
    if integer and number != number.to_integral_value():
        raise ValidationError(_("Enter a whole number."))
    return number


def _shown(number: Decimal) -> str:
    return format_number(number)


def percentage_of(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """numerator / denominator x 100, or None for a zero denominator (never typed: always computed)."""
    if denominator <= 0:
        return None
    return numerator * HUNDRED / denominator


def _clean_percentage_year(year: int, figures: Mapping[str, Any]) -> dict[str, str] | None:
    numerator = _number(figures.get("numerator"))
    denominator = _number(figures.get("denominator"))
    stated = _number(figures.get("percentage"))
    if numerator is None and denominator is None:
        if stated is not None:
            raise ValidationError(
                _("%(year)s: give the numerator and the denominator; the percentage is computed from them.")
                % {"year": year}
            )
        return None
    if numerator is None or denominator is None:
        raise ValidationError(_("%(year)s: give both the numerator and the denominator.") % {"year": year})
    if numerator < 0 or denominator < 0:
        raise ValidationError(_("%(year)s: the numbers cannot be negative.") % {"year": year})
    if denominator == 0 and numerator > 0:
        raise ValidationError(_("%(year)s: the denominator cannot be 0 when the numerator is not.") % {"year": year})
    if numerator > denominator:
        raise ValidationError(
            _("%(year)s: the numerator (%(num)s) cannot be larger than the denominator (%(den)s).")
            % {"year": year, "num": _shown(numerator), "den": _shown(denominator)}
        )
    computed = percentage_of(numerator, denominator)
    if stated is not None and (computed is None or abs(stated - computed) > PERCENT_TOLERANCE):
        raise ValidationError(
            _("%(year)s: the percentage typed (%(typed)s%%) disagrees with its counts, which give %(computed)s%%.")
            % {
                "year": year,
                "typed": _shown(stated),
                "computed": _shown(computed.quantize(Decimal("0.01"))) if computed is not None else "—",
            }
        )
    return {"numerator": str(numerator), "denominator": str(denominator)}


def _clean_count_year(year: int, figures: Mapping[str, Any]) -> dict[str, str] | None:
    count = _number(figures.get("count"), integer=True)
    if count is None:
        return None
    if count < 0:
        raise ValidationError(_("%(year)s: a count cannot be negative.") % {"year": year})
    return {"count": str(count)}


@dataclass(frozen=True)
class CleanAnswer:
    yes: bool | None
    years: dict[str, dict[str, str]]
    text: str
    note: str


def question_answer_clean(
    assessment: Assessment,
    question: Question,
    *,
    yes: bool | None = None,
    years: Mapping[Any, Mapping[str, Any]] | None = None,
    text: str = "",
    note: str = "",
) -> CleanAnswer:
    """The answer checked against the question's type; ValidationError with every problem, by field."""
    errors: dict[str, list[str]] = {}
    cleaned_years: dict[str, dict[str, str]] = {}
    asked = question_years(assessment, question)
    if question.answer_type in (AnswerType.PERCENTAGE, AnswerType.COUNT):
        given = {str(year): figures for year, figures in (years or {}).items()}
        for year_text in sorted(set(given) - {str(y) for y in asked}):
            errors.setdefault("years", []).append(
                _("This question asks for %(years)s, not %(year)s.")
                % {"years": ", ".join(str(y) for y in asked), "year": year_text}
            )
        for year in asked:
            figures = given.get(str(year)) or {}
            try:
                if question.answer_type == AnswerType.PERCENTAGE:
                    row = _clean_percentage_year(year, figures)
                else:
                    row = _clean_count_year(year, figures)
            except ValidationError as exc:
                errors.setdefault(f"year_{year}", []).extend(exc.messages)
                continue
            if row is not None:
                cleaned_years[str(year)] = row
    if question.answer_type == AnswerType.YES_NO and yes is not None and not isinstance(yes, bool):
        errors.setdefault("yes", []).append(_("Answer yes or no."))
    text = (text or "").strip()
    note = (note or "").strip()
    if len(text) > TEXT_MAX_LENGTH:
        errors.setdefault("text", []).append(_("Keep this under %(limit)s characters.") % {"limit": TEXT_MAX_LENGTH})
    if len(note) > NARRATIVE_MAX_LENGTH:
        errors.setdefault("note", []).append(
            _("Keep this under %(limit)s characters.") % {"limit": NARRATIVE_MAX_LENGTH}
        )
    if errors:
        raise ValidationError(errors)
    return CleanAnswer(
        yes=yes if question.answer_type == AnswerType.YES_NO else None,
        years=cleaned_years,
        text=text if question.answer_type == AnswerType.LIST else "",
        note=note,
    )


def _snapshot(answer: QuestionAnswer | None) -> dict[str, Any] | None:
    if answer is None:
        return None
    return {
        "yes": answer.yes,
        "years": answer.years,
        "text": answer.text,
        "note": answer.note,
        "matriks_rows": len(answer.matriks),
        "provenance": answer.provenance,
        "revision": answer.revision,
    }


def question_answer_save(
    *,
    user: User,
    assessment: Assessment,
    question: Question,
    yes: bool | None = None,
    years: Mapping[Any, Mapping[str, Any]] | None = None,
    text: str = "",
    note: str = "",
    expected_revision: int,
    provenance: Mapping[str, Any] | None = None,
    assignment: QuestionAssignment | None = UNREAD,
) -> QuestionAnswer:
    """Saves the answer to one question after checking it against the question's type.

    `assignment`: the question's assignment as the caller just read it (the view does, to check the question is
    visible), so it is not read again; read here when not given.

    `expected_revision` is the revision the user started from (0 for a new answer); if someone saved in between,
    nothing is written and QuestionConflict carries the current answer. The MATRIKS rows are kept as they are
    (they change through `question_matriks_upload`).
    """
    _check_can_edit(user, assessment, question, assignment)
    clean = question_answer_clean(assessment, question, yes=yes, years=years, text=text, note=note)
    fields = {
        "yes": clean.yes,
        "years": clean.years,
        "text": clean.text,
        "note": clean.note,
        "provenance": dict(provenance or {}),
        "updated_by": user,
    }
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.status not in EDITABLE_STATUSES:
            raise ValidationError(_("This assessment has been submitted and can no longer be edited."))
        before = QuestionAnswer.objects.filter(assessment=assessment, question=question).first()
        answer = question_answer_write(assessment, question, fields, expected_revision, before)
        audit_record(
            actor=user,
            verb="question.answered",
            target=answer,
            region_code=assessment.region_id,
            summary=f"{question.full_code} r{answer.revision}",
            before=_snapshot(before),
            after=_snapshot(answer),
        )
        hooks.answers_changed(assessment.pk, question_ids=[question.pk])
    return answer


def question_answer_write(
    assessment: Assessment,
    question: Question,
    fields: dict[str, Any],
    expected: int,
    before: QuestionAnswer | None = None,
) -> QuestionAnswer:
    """Writes the answer if its revision is still `expected`; QuestionConflict otherwise. `before`, the row as
    read in the same transaction: when it is at the expected revision, the written row is `before` with `fields`
    (every change bumps the revision), so it is not read again."""
    if expected == 0:
        try:
            with transaction.atomic():
                return QuestionAnswer.objects.create(assessment=assessment, question=question, revision=1, **fields)
        except IntegrityError:
            pass
    else:
        now = timezone.now()
        changed = QuestionAnswer.objects.filter(assessment=assessment, question=question, revision=expected).update(
            revision=F("revision") + 1, updated_at=now, **fields
        )
        if changed:
            assessments_changed([assessment.pk])  # a queryset update sends no model signal
        if changed and before is not None and before.revision == expected:
            written = copy.copy(before)
            for name, value in fields.items():
                setattr(written, name, value)
            written.revision, written.updated_at = expected + 1, now
            return written
        if changed:
            return QuestionAnswer.objects.get(assessment=assessment, question=question)
    raise QuestionConflict(QuestionAnswer.objects.filter(assessment=assessment, question=question).first())


# --- Evidence ------------------------------------------------------------------------------------------------


@transaction.atomic
def question_evidence_link(
    *, user: User, assessment: Assessment, question: Question, evidence: Evidence, is_matriks: bool = False
) -> QuestionEvidence:
    """Links an item of the region's evidence to a question (each item once per question)."""
    _check_can_edit(user, assessment, question)
    if evidence.region_id != assessment.region_id:
        raise ValidationError(
            _("Choose evidence of %(region)s; this item belongs to another region.")
            % {"region": assessment.region.name}
        )
    if QuestionEvidence.objects.filter(assessment=assessment, question=question, evidence=evidence).exists():
        raise ValidationError(
            _("“%(title)s” already supports question %(code)s.") % {"title": evidence.title, "code": question.full_code}
        )
    link = QuestionEvidence.objects.create(
        assessment=assessment, question=question, evidence=evidence, is_matriks=is_matriks, linked_by=user
    )
    audit_record(
        actor=user,
        verb="question.evidence_linked",
        target=link,
        region_code=assessment.region_id,
        summary=f"{question.full_code} ← {evidence.title}",
        after={"evidence": evidence.pk, "matriks": is_matriks},
    )
    hooks.answers_changed(assessment.pk)
    return link


def question_evidence_upload(
    *, user: User, assessment: Assessment, question: Question, upload: Any, title: str = ""
) -> QuestionEvidence:
    """Adds an uploaded file to the region's library (streamed, sniffed, de-duplicated) and links it."""
    _check_can_edit(user, assessment, question)
    evidence = evidence_services.evidence_create_from_upload(
        user=user, region=assessment.region, upload=upload, title=title
    )
    return question_evidence_link(user=user, assessment=assessment, question=question, evidence=evidence)


def question_evidence_add_url(
    *, user: User, assessment: Assessment, question: Question, url: str, title: str
) -> QuestionEvidence:
    """Records a link to an external document as evidence of the region and links it to the question."""
    _check_can_edit(user, assessment, question)
    with transaction.atomic():
        evidence = evidence_services.evidence_create_link(user=user, region=assessment.region, url=url, title=title)
        return question_evidence_link(user=user, assessment=assessment, question=question, evidence=evidence)


@transaction.atomic
def question_evidence_unlink(*, user: User, link: QuestionEvidence) -> None:
    """Removes evidence from a question; the item stays in the region's library. Unlinking the MATRIKS file
    also clears the MATRIKS rows read from it."""
    _check_can_edit(user, link.assessment, link.question)
    audit_record(
        actor=user,
        verb="question.evidence_unlinked",
        target=link,
        region_code=link.assessment.region_id,
        summary=f"{link.question.full_code} ← {link.evidence.title}",
        before={"evidence": link.evidence_id, "matriks": link.is_matriks},
    )
    if link.is_matriks:
        QuestionAnswer.objects.filter(assessment=link.assessment, question=link.question).update(
            matriks=[], revision=F("revision") + 1, updated_at=timezone.now()
        )
        assessments_changed([link.assessment_id])  # a queryset update sends no model signal
    hooks.answers_changed(link.assessment_id)
    link.delete()


# --- Assignment ------------------------------------------------------------------------------------------------


def _check_coordinator(user: User, assessment: Assessment) -> None:
    if not permissions.is_region_coordinator(user, assessment):
        raise PermissionDenied(_("Only the region coordinator can assign questions."))
    if not assessment.is_editable:
        raise ValidationError(_("This assessment has been submitted; assignments can no longer change."))


@transaction.atomic
def questions_assign(*, user: User, assessment: Assessment, assignments: Mapping[Question, Agency | None]) -> int:
    """Sets the OPD of several questions at once (None removes the assignment); one audit event. Returns how
    many questions changed."""
    _check_coordinator(user, assessment)
    for question, agency in assignments.items():
        _check_question(assessment, question)
        if agency is not None and agency.region_id != assessment.region_id:
            raise ValidationError(_("Choose an agency (OPD) of %(region)s.") % {"region": assessment.region.name})
    current = dict(QuestionAssignment.objects.filter(assessment=assessment).values_list("question_id", "agency_id"))
    changed = {q: a for q, a in assignments.items() if current.get(q.pk) != (a.pk if a else None)}
    removed = [q.pk for q, a in changed.items() if a is None]
    QuestionAssignment.objects.filter(assessment=assessment, question_id__in=removed).delete()
    kept = {q: a for q, a in changed.items() if a is not None}
    QuestionAssignment.objects.filter(assessment=assessment, question__in=list(kept)).delete()
    QuestionAssignment.objects.bulk_create(
        QuestionAssignment(assessment=assessment, question=q, agency=a, assigned_by=user) for q, a in kept.items()
    )
    assessments_changed([assessment.pk])  # a bulk insert sends no model signal
    if changed:
        audit_record(
            actor=user,
            verb="question.assigned",
            target=assessment,
            region_code=assessment.region_id,
            summary=str(len(changed)),
            before={q.full_code: current.get(q.pk) for q in changed},
            after={q.full_code: (a.pk if a else None) for q, a in changed.items()},
        )
    return len(changed)


def suggested_agency(question: Question, mapping: Mapping[str, Agency]) -> Agency | None:
    """The OPD a question's data sources point to: the first source the region has mapped to one of its OPDs."""
    for source in question.data_sources:
        agency = mapping.get(source)
        if agency is not None:
            return agency
    return None


@transaction.atomic
def data_sources_map(*, user: User, assessment: Assessment, mapping: Mapping[str, Agency | None]) -> None:
    """The coordinator maps the instrument's data-source names to OPDs of the region (None removes one)."""
    if not permissions.is_region_coordinator(user, assessment):
        raise PermissionDenied(_("Only the region coordinator can map data sources to OPDs."))
    region = assessment.region
    if any(agency is not None and agency.region_id != region.pk for agency in mapping.values()):
        raise ValidationError(_("Choose an agency (OPD) of %(region)s.") % {"region": region.name})
    before = dict(DataSourceAgency.objects.filter(region=region).values_list("source", "agency_id"))
    for source, agency in mapping.items():
        if agency is None:
            DataSourceAgency.objects.filter(region=region, source=source).delete()
        else:
            DataSourceAgency.objects.update_or_create(region=region, source=source, defaults={"agency": agency})
    after = dict(DataSourceAgency.objects.filter(region=region).values_list("source", "agency_id"))
    if before != after:
        audit_record(
            actor=user,
            verb="data_sources.mapped",
            target=assessment,
            region_code=region.pk,
            summary=str(len(after)),
            before=before,
            after=after,
        )


def questions_assign_by_sources(
    *, user: User, assessment: Assessment, questions: Iterable[Question], only_unassigned: bool = True
) -> int:
    """Assigns every question (by default only those without an OPD yet) to the OPD its data sources point to."""
    mapping = {
        m.source: m.agency for m in DataSourceAgency.objects.filter(region=assessment.region).select_related("agency")
    }
    assigned = set(QuestionAssignment.objects.filter(assessment=assessment).values_list("question_id", flat=True))
    wanted: dict[Question, Agency | None] = {}
    for question in questions:
        if only_unassigned and question.pk in assigned:
            continue
        agency = suggested_agency(question, mapping)
        if agency is not None:
            wanted[question] = agency
    return questions_assign(user=user, assessment=assessment, assignments=wanted)


# --- Register values offered to questions ------------------------------------------------------------------------


def offer_values(question: Question, offered: Any, years: list[int]) -> dict[str, Any]:
    """A register's computed value as the answer fields of a question (for `question_answer_save`).

    yes/no takes a boolean, a count a whole number for the cycle's year, a list a text, and a percentage a
    {"numerator", "denominator"} pair (a bare percentage cannot be turned into counts and is refused).
    """
    year = years[-1]
    if question.answer_type == AnswerType.YES_NO and isinstance(offered, bool):
        return {"yes": offered}
    if (
        question.answer_type == AnswerType.COUNT
        and isinstance(offered, int | Decimal)
        and not isinstance(offered, bool)
    ):
        return {"years": {year: {"count": offered}}}
    if question.answer_type == AnswerType.LIST and isinstance(offered, str):
        return {"text": offered}
    if question.answer_type == AnswerType.PERCENTAGE and isinstance(offered, Mapping):
        return {"years": {year: {"numerator": offered.get("numerator"), "denominator": offered.get("denominator")}}}
    raise ValidationError(_("The register's value does not fit this question; type the answer yourself."))


def question_take_offer(
    *, user: User, assessment: Assessment, question: Question, offered: Any, source: Mapping[str, Any]
) -> QuestionAnswer:
    """Takes a register's value into the question with its provenance (the note and other years are kept)."""
    current = QuestionAnswer.objects.filter(assessment=assessment, question=question).first()
    values: dict[str, Any] = {
        "yes": current.yes if current else None,
        "years": dict(current.years) if current else {},
        "text": current.text if current else "",
        "note": current.note if current else "",
    }
    taken = offer_values(question, offered, question_years(assessment, question))
    if "years" in taken:
        values["years"].update({str(year): figures for year, figures in taken["years"].items()})
        taken = {k: v for k, v in taken.items() if k != "years"}
    values.update(taken)
    return question_answer_save(
        user=user,
        assessment=assessment,
        question=question,
        expected_revision=current.revision if current else 0,
        provenance=dict(source),
        **values,
    )
