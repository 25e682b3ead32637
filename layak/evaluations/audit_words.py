"""The evaluation's audit events in words (see layak.audit.words)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from layak.audit.words import AuditWords, after, before, first_lower, summary_name, when_words, wording
from layak.common.numbers import format_number
from layak.frameworks.models import DataElement
from layak.frameworks.words import choice_label

from .choices import Stage


def indicator_code(event, _words=None) -> dict[str, str]:
    """The indicator's code: saved in `after`, or first in the summary ("K1 r3", "K1/akta_doc ← title")."""
    code = after(event, "indicator") or (event.summary.split()[0].split("/")[0] if event.summary else "")
    return {"code": code}


def _elements(event, words: AuditWords) -> dict[tuple[str, str], DataElement]:
    """Every data element of the framework the event's assessment answers, read once per page."""

    def load() -> dict[tuple[str, str], DataElement]:
        from .models import Answer, Assessment

        if event.target_type == "evaluations.answer":
            framework = Answer.objects.filter(pk=event.target_id).values_list("assessment__cycle__framework_id")
        else:
            framework = Assessment.objects.filter(pk=event.target_id).values_list("cycle__framework_id")
        rows = DataElement.objects.filter(indicator__version_id__in=framework).select_related("indicator")
        return {(e.indicator.code, e.code): e for e in rows}

    return words.once("evaluation-elements", load)


def _value_words(element: DataElement | None, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if element is not None and element.type == "choice":
        return choice_label(element, value)
    try:
        return format_number(value) + (f" {element.unit}" if element is not None and element.unit else "")
    except ArithmeticError:
        return str(value)


def answer_changes(event, words: AuditWords) -> list[tuple[str, str]]:
    """Each value that changed: the element's label and "old → new", in the page's language."""
    code = indicator_code(event)["code"]
    old, new = before(event, "values", {}) or {}, after(event, "values", {}) or {}
    elements = _elements(event, words)
    rows = []
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            element = elements.get((code, key))
            label = element.display_label if element else _("A value")
            rows.append((label, f"{_value_words(element, old.get(key))} → {_value_words(element, new.get(key))}"))
    for key, label in (
        ("narrative_done", _("What has been done")),
        ("narrative_todo", _("What has not been done yet")),
    ):
        if before(event, key) != after(event, key) and after(event, key):
            rows.append((label, after(event, key)))
    return rows


def _stage(event, _words=None) -> dict[str, str]:
    """The stage named in the summary ("Kota X self until ..."), as its label."""
    stage = next((s for s in Stage if f" {s.value} " in f" {event.summary} "), None)
    return {"stage": first_lower(str(stage.label)) if stage else str(_("a stage"))}


wording("assessment.submitted", _("%(actor)s submitted the self-assessment"))
wording("answer.saved", _("%(actor)s saved indicator %(code)s"), fill=indicator_code, details=answer_changes)
wording("answer.evidence_linked", _("%(actor)s linked evidence to indicator %(code)s"), fill=indicator_code)
wording("answer.evidence_unlinked", _("%(actor)s removed evidence from indicator %(code)s"), fill=indicator_code)
wording("indicator.assigned", _("%(actor)s assigned indicator %(code)s to an OPD"), fill=indicator_code)
wording(
    "assessment.excel_imported",
    _("%(actor)s imported %(count)s indicators from Excel"),
    fill=lambda e, w: {"count": after(e, "count", 0)},
)
wording("cycle.opened", _("%(actor)s opened the evaluation cycle"))
wording(
    "cycle.extension_granted",
    _("%(actor)s gave a region more time for the %(stage)s"),
    fill=_stage,
    details=lambda e, w: [
        (_("New deadline"), when_words(after(e, "closes_at"))),
        (_("Reason"), after(e, "reason")),
    ],
)
wording("agency.created", _("%(actor)s added the OPD “%(name)s”"), fill=summary_name)
wording("agency.updated", _("%(actor)s renamed an OPD to “%(name)s”"), fill=summary_name)


def question_code(event, _words=None) -> dict[str, str]:
    """The question's code as the instrument cites it, first in the summary ("12.1 r3", "3.1a ← title")."""
    return {"code": (event.summary or "").split(" ")[0].rstrip(":")}


def _count(event, _words=None) -> dict[str, str]:
    return {"count": event.summary or "0"}


wording("question.answered", _("%(actor)s answered question %(code)s"), fill=question_code)
wording("question.evidence_linked", _("%(actor)s linked evidence to question %(code)s"), fill=question_code)
wording("question.evidence_unlinked", _("%(actor)s removed evidence from question %(code)s"), fill=question_code)
wording("question.matriks_uploaded", _("%(actor)s uploaded the MATRIKS of question %(code)s"), fill=question_code)
wording("question.assigned", _("%(actor)s assigned %(count)s questions to OPDs"), fill=_count)
wording("data_sources.mapped", _("%(actor)s mapped the instrument's data sources to OPDs"))
wording("question.rekap_imported", _("%(actor)s imported %(count)s questions from the Rekap workbook"), fill=_count)
