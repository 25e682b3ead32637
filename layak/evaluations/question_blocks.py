"""The indicator page's questions as data its template writes in one loop (kla-2024: up to 63 questions a page).

What every visitor sees the same — each question's code, text, type, points, data sources — is rendered once per
frozen framework version and language and kept in memory (`question_headers`); what is the region's (answer,
status, evidence, OPD) is read per request; the answer forms are written by `layak.common.widgets`, not by their
widget templates. No per-row include or `{% url %}`: the page builds the question addresses from one prefix.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.forms.boundfield import BoundField
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from layak.common.generations import shared_values
from layak.common.widgets import radio_options, widget_html
from layak.frameworks.models import FrameworkVersion, Question

from .models import QuestionEvidence
from .question_forms import QuestionAnswerForm, QuestionEvidenceUploadForm
from .question_selectors import IndicatorPage, QuestionRow


@dataclass
class FieldHtml:
    """One form field as the page writes it: its id, label, input and errors."""

    id: str
    label: str
    html: SafeString
    errors: list[str]


_PLACEHOLDER = "eQUESTIONPREFIX"


def _prefixed(written: FieldHtml, prefix: str) -> FieldHtml:
    return FieldHtml(
        written.id.replace(_PLACEHOLDER, prefix),
        written.label,
        mark_safe(written.html.replace(_PLACEHOLDER, prefix)),
        written.errors,
    )


def _selected(chosen: bool) -> str:
    return " selected" if chosen else ""


def _field(bound: BoundField) -> FieldHtml:
    return FieldHtml(bound.id_for_label, str(bound.label), widget_html(bound), list(bound.errors))


@dataclass
class QuestionBlock:
    """One question of the indicator page."""

    row: QuestionRow
    form: QuestionAnswerForm
    editable: bool
    header: SafeString
    revision: SafeString
    yes: list[tuple[str, str, str, bool]] | None
    yes_name: str
    yes_errors: list[str]
    years: list[tuple[int, list[FieldHtml]]]
    text: FieldHtml | None
    note: FieldHtml
    evidence_file: FieldHtml
    evidence_title: FieldHtml
    links: list[QuestionEvidence] = field(default_factory=list)
    agency_options: SafeString = field(default_factory=lambda: SafeString(""))


# Rendered headers of frozen versions' questions, by (version, freezing time, language): shared, never changed.
_HEADERS: dict[tuple[int, Any, str], dict[int, SafeString]] = {}
_HEADERS_LIMIT = 16


def _header(question: Question) -> SafeString:
    return mark_safe(render_to_string("evaluations/_question_header.html", {"q": question}))


def question_headers(framework: FrameworkVersion, questions: list[Question]) -> dict[int, SafeString]:
    """Each question's heading (code, text, type, points, data sources) rendered once per frozen version and
    language; rendered each time for a version that may still change."""
    if framework.frozen_at is None:
        return {q.pk: _header(q) for q in questions}
    key = (framework.pk, framework.frozen_at, get_language() or "")
    headers = _HEADERS.get(key)
    if headers is None:
        if len(_HEADERS) >= _HEADERS_LIMIT:
            _HEADERS.pop(next(iter(_HEADERS)))
        headers = _HEADERS[key] = {}
    missing = [q for q in questions if q.pk not in headers]
    for question in missing:
        headers[question.pk] = _header(question)
    return headers


def _agency_options(page: IndicatorPage) -> dict[int | None, SafeString]:
    """The OPD list is the same for every question (a region has dozens of OPDs): written once per chosen OPD."""
    options: dict[int | None, SafeString] = {}
    if page.is_coordinator:
        for chosen in {row.agency.pk if row.agency else None for row in page.rows}:
            options[chosen] = mark_safe(
                "".join(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        agency.pk,
                        " selected" if agency.pk == chosen else "",
                        agency,
                    )
                    for agency in page.agencies
                )
            )
    return options


def question_blocks(
    page: IndicatorPage,
    framework: FrameworkVersion,
    bound: QuestionAnswerForm | None = None,
    rows: list[QuestionRow] | None = None,
    options: dict[int | None, SafeString] | None = None,
) -> list[QuestionBlock]:
    """The blocks of the page's questions (or of `rows`, some of them); `bound` (a form that came back with
    errors) replaces its question's."""
    rows = page.rows if rows is None else rows
    headers = question_headers(framework, [row.question for row in rows])
    editable = page.assessment.is_editable
    options = _agency_options(page) if options is None else options
    # The evidence upload form is the same for every question but for its prefix: written once.
    evidence = QuestionEvidenceUploadForm(prefix=_PLACEHOLDER)
    evidence_file, evidence_title = _field(evidence["file"]), _field(evidence["title"])
    blocks = []
    for row in rows:
        q = row.question
        if bound is not None and bound.question.pk == q.pk:
            form = bound
        else:
            form = QuestionAnswerForm(question=q, years=page.years[q.pk], answer=row.answer)
        yes = form["yes"] if "yes" in form.fields else None
        blocks.append(
            QuestionBlock(
                row=row,
                form=form,
                editable=row.can_edit and editable,
                header=headers[q.pk],
                revision=widget_html(form["expected_revision"]),
                yes=radio_options(yes) if yes is not None else None,
                yes_name=yes.html_name if yes is not None else "",
                yes_errors=list(yes.errors) if yes is not None else [],
                years=[(year, [_field(f) for f in fields]) for year, fields in form.year_fields()],
                text=_field(form["text"]) if "text" in form.fields else None,
                note=_field(form["note"]),
                evidence_file=_prefixed(evidence_file, f"e{q.pk}"),
                evidence_title=_prefixed(evidence_title, f"e{q.pk}"),
                links=page.links.get(q.pk, []),
                agency_options=options.get(row.agency.pk if row.agency else None, SafeString("")),
            )
        )
    return blocks


# Markers in the rendered questions: where one question ends, and where the visitor's CSRF input goes. A person's
# text cannot forge them (it is escaped: no "<!--" survives).
_QUESTION_END = "<!--layak:question-end-->"
_CSRF_INPUT = "<!--layak:csrf-input-->"


def _question_key(page: IndicatorPage, framework: FrameworkVersion, row: QuestionRow, options: SafeString) -> str:
    """A digest of everything the question's part of the page shows: its answer (every stored field), score,
    evidence count and links (with their titles), OPD, register offer, years, the OPD choices, whether this
    viewer may edit it and the page's language. A change to any of them is a new key: nothing is invalidated.
    Whatever a question comes to show besides must be added here (decision 0036)."""
    answer = row.answer
    stored = None if answer is None else tuple(getattr(answer, f.attname) for f in answer._meta.concrete_fields)
    links = tuple(
        (link.pk, link.evidence_id, link.evidence.title, link.is_matriks)
        for link in page.links.get(row.question.pk, [])
    )
    assessment = page.assessment
    parts = (
        get_language(),
        get_script_prefix(),
        framework.pk,
        framework.frozen_at,
        assessment.pk,
        assessment.is_editable,
        page.is_coordinator,
        row.can_edit,
        row.question.pk,
        row.score,
        row.evidence_count,
        stored,
        (row.agency.pk, str(row.agency)) if row.agency else None,
        row.offer,
        row.offer_display,
        links,
        tuple(page.years[row.question.pk]),
        options,
    )
    return "evaluations:question:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def questions_html(request, page: IndicatorPage, framework: FrameworkVersion, bound=None) -> SafeString:
    """The page's questions as HTML. Each question is rendered once per digest of what it shows
    (`_question_key`) and kept (`shared_values`): a view renders only the questions whose data changed since
    they were last shown, e.g. the one question an autosave just wrote. A page with a refused form, or of a
    version that may still change, is rendered whole."""
    prefixes = page_prefixes(request, page.assessment.pk)
    csrf_input = prefixes.pop("csrf_input")
    options = _agency_options(page)

    def render(rows: list[QuestionRow]) -> list[str]:
        blocks = question_blocks(page, framework, bound, rows=rows, options=options)
        context = {"blocks": blocks, "page": page, "a": page.assessment, "marker": mark_safe(_QUESTION_END)}
        html = render_to_string(
            "evaluations/_instrument_questions.html", context | prefixes | {"csrf_input": mark_safe(_CSRF_INPUT)}
        )
        pieces = html.split(_QUESTION_END)[:-1]
        assert len(pieces) == len(blocks), "every question ends with the marker"
        return pieces

    if bound is not None or framework.frozen_at is None:
        pieces = render(page.rows)
    else:
        keys = [
            _question_key(page, framework, row, options.get(row.agency.pk if row.agency else None, SafeString("")))
            for row in page.rows
        ]
        row_of = dict(zip(keys, page.rows, strict=True))

        def build(missing: list[str]) -> dict[str, str]:
            return dict(zip(missing, render([row_of[key] for key in missing]), strict=True))

        found = shared_values(keys, build)
        pieces = [found[key] for key in keys]
    return mark_safe("".join(pieces).replace(_CSRF_INPUT, csrf_input))


def page_prefixes(request, assessment_pk: int) -> dict[str, Any]:
    """The question addresses' common prefix, the evidence pages' prefix and the CSRF input, computed once."""
    question = reverse("evaluations:question_save", args=[assessment_pk, 0]).removesuffix("0/")
    evidence = reverse("evidence:evidence_detail", args=[0]).removesuffix("0/")
    csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
    return {"qurl": question, "eurl": evidence, "csrf_input": csrf}
