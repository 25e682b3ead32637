"""HTML views of the question-level self-assessment (kla-2024): thin wrappers around question services/selectors.

The assessment page (`views.assessment_detail`) shows the instrument overview when the cycle's framework is
question-level; each indicator has a page with all its questions, one answer form each (saved as you go by
htmx, or by the button without JavaScript), its evidence and, where asked, its MATRIKS.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from layak.common.confirm import Confirmation, confirm_first
from layak.common.generations import cached_fragment
from layak.common.spreadsheets import ImportRejected, xlsx_response
from layak.evidence.views import upload_size_limited, upload_too_large
from layak.frameworks.models import Question

from . import matriks, permissions, question_blocks, question_selectors, question_services, rekap, selectors
from .agencies import agency_choices
from .models import Assessment, QuestionAssignment, QuestionEvidence
from .question_forms import (
    DataSourceMappingForm,
    MatriksUploadForm,
    QuestionAgencyForm,
    QuestionAnswerForm,
    QuestionEvidenceUploadForm,
)


def instrument_overview_page(request: HttpRequest, assessment: Assessment, missing=None, status: int = 200):
    overview = question_selectors.instrument_overview(assessment, request.user)
    template = "evaluations/_instrument_overview_groups.html"

    def groups_context() -> dict:
        return {"o": overview, "a": assessment}

    if overview.key:  # kept with the tallies it shows
        groups = cached_fragment(f"{overview.key}:groups", template, groups_context)
    else:
        groups = mark_safe(render_to_string(template, groups_context()))
    context = {"o": overview, "missing": missing, "groups": groups}
    return render(request, "evaluations/instrument_overview.html", context, status=status)


def _indicator_url(assessment: Assessment, question: Question) -> str:
    url = reverse("evaluations:instrument_indicator", args=[assessment.pk, question.indicator.code])
    return f"{url}#q-{question.pk}"


def _question_status(request: HttpRequest, row, form, *, saved: bool = False, revision: int | None = None):
    """The status line of one question (for htmx after an autosave): saved or the refusal with its reasons, the
    self-score and the computed percentages; with the new revision swapped into the form out of band."""
    context = {"row": row, "form": form, "saved": saved, "oob_revision": revision, "show_errors": True}
    return render(request, "evaluations/_question_status.html", context)


@login_required
def instrument_indicator(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """All the questions of one indicator the user may see, each with its answer form and evidence."""
    assessment = selectors.assessment_get_for_user(request.user, pk)
    page = question_selectors.instrument_indicator_page(assessment, request.user, code)
    return _indicator_page(request, assessment, page)


def _indicator_page(request: HttpRequest, assessment: Assessment, page, bound=None, status: int = 200) -> HttpResponse:
    questions = question_blocks.questions_html(request, page, assessment.cycle.framework, bound)
    context = {"page": page, "a": assessment, "questions": questions}
    return render(request, "evaluations/instrument_indicator.html", context, status=status)


def _page_and_row(request: HttpRequest, assessment: Assessment, question: Question):
    page = question_selectors.instrument_indicator_page(assessment, request.user, question.indicator.code)
    row = next((r for r in page.rows if r.question.pk == question.pk), None)
    if row is None:
        raise PermissionDenied(_("This question is not assigned to you."))
    return page, row


def _scoped(request: HttpRequest, pk: int, question_id: int) -> tuple[Assessment, Question]:
    assessment, question, _assignment = _scoped_with_assignment(request, pk, question_id)
    return assessment, question


def _scoped_with_assignment(
    request: HttpRequest, pk: int, question_id: int
) -> tuple[Assessment, Question, QuestionAssignment | None]:
    assessment = selectors.assessment_get_for_user(request.user, pk)
    question = question_selectors.question_get(assessment, question_id)
    assignment = question_selectors.question_check_visible(request.user, assessment, question)
    return assessment, question, assignment


@login_required
@require_POST
def question_save(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """Saves one question's answer (the button, or htmx on every change); a refused value says why.

    An autosave reads and answers with this one question only (its status line), never the whole indicator."""
    assessment, question, assignment = _scoped_with_assignment(request, pk, question_id)
    htmx = request.headers.get("HX-Request") == "true"
    row = question_selectors.question_row(assessment, request.user, question, assignment)
    years = question_services.question_years(assessment, question)
    form = QuestionAnswerForm(request.POST, question=question, years=years, answer=row.answer)
    if form.is_valid():
        values = form.service_values()
        try:
            saved = question_services.question_answer_save(
                user=request.user, assessment=assessment, question=question, assignment=assignment, **values
            )
        except question_services.QuestionConflict:
            form.add_error(
                None,
                _("Someone saved this question after you opened it. Reload the page to see their answer."),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            if not htmx:
                messages.success(request, _("Question %(code)s saved.") % {"code": question.full_code})
                return redirect(_indicator_url(assessment, question))
            row = question_selectors.question_row_saved(row, saved)
            fresh = QuestionAnswerForm(question=question, years=years, answer=row.answer)
            revision = row.answer.revision if row.answer else 0
            return _question_status(request, row, fresh, saved=True, revision=revision)
    if htmx:
        return _question_status(request, row, form)
    messages.error(
        request, _("Question %(code)s was not saved; see the message at the question.") % {"code": question.full_code}
    )
    page, row = _page_and_row(request, assessment, question)
    return _indicator_page(request, assessment, page, form, status=422)


@upload_size_limited
@login_required
@require_POST
def question_evidence_upload(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """A file for the region's library, linked to the question."""
    assessment, question = _scoped(request, pk, question_id)
    form = QuestionEvidenceUploadForm(request.POST, request.FILES, prefix=f"e{question.pk}")
    if upload_too_large(request, form) or not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(_indicator_url(assessment, question))
    try:
        link = question_services.question_evidence_upload(
            user=request.user,
            assessment=assessment,
            question=question,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("“%(title)s” now supports question %(code)s.")
            % {"title": link.evidence.title, "code": question.full_code},
        )
    return redirect(_indicator_url(assessment, question))


def _unlink_confirmation(request: HttpRequest, pk: int, question_id: int, link_id: int) -> Confirmation:
    assessment, question = _scoped(request, pk, question_id)
    link = get_object_or_404(
        QuestionEvidence.objects.select_related("evidence"), pk=link_id, assessment=assessment, question=question
    )
    consequences = [_("The file or link stays in the region's evidence library; only its link to this question goes.")]
    if link.is_matriks:
        consequences.append(_("The MATRIKS rows read from this file are removed from the answer."))
    return Confirmation(
        title=_("Remove “%(title)s” from question %(code)s?")
        % {"title": link.evidence.title, "code": question.full_code},
        consequences=consequences,
        cannot_undo=_("To undo it, link the evidence to the question again."),
        button=_("Yes, remove it from the question"),
        danger=True,
    )


@login_required
@require_POST
@confirm_first(_unlink_confirmation)
def question_evidence_unlink(request: HttpRequest, pk: int, question_id: int, link_id: int) -> HttpResponse:
    assessment, question = _scoped(request, pk, question_id)
    link = get_object_or_404(
        QuestionEvidence.objects.select_related("evidence", "question__indicator", "assessment__region"),
        pk=link_id,
        assessment=assessment,
        question=question,
    )
    try:
        question_services.question_evidence_unlink(user=request.user, link=link)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("“%(title)s” no longer supports question %(code)s.")
            % {"title": link.evidence.title, "code": question.full_code},
        )
    return redirect(_indicator_url(assessment, question))


@login_required
def question_matriks_template(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """The question's MATRIKS template (xlsx) with the question and the region filled in."""
    assessment, question = _scoped(request, pk, question_id)
    if not question.asks_matriks:
        messages.error(request, _("Question %(code)s does not ask for a MATRIKS.") % {"code": question.full_code})
        return redirect(_indicator_url(assessment, question))
    content = matriks.matriks_template(assessment, question)
    name = f"matriks-{assessment.region_id}-{question.indicator.code}-{question.code}.xlsx"
    return xlsx_response(content, name)


@upload_size_limited
@login_required
@require_POST
def question_matriks_upload(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """The filled MATRIKS: validated cell by cell, kept as evidence, its rows shown on the page; all or nothing."""
    assessment, question = _scoped(request, pk, question_id)
    form = MatriksUploadForm(request.POST, request.FILES, prefix=f"m{question.pk}")
    if upload_too_large(request, form) or not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(_indicator_url(assessment, question))
    try:
        matriks.question_matriks_upload(
            user=request.user, assessment=assessment, question=question, upload=form.cleaned_data["file"]
        )
    except ImportRejected as exc:
        summary = getattr(exc, "summary", "")
        messages.error(request, " ".join([summary, *exc.messages[:20]]).strip())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The MATRIKS of question %(code)s was read and kept.") % {"code": question.full_code}
        )
    return redirect(_indicator_url(assessment, question))


@login_required
@require_POST
def question_agency(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """The coordinator gives one question to an OPD (or takes it back)."""
    assessment, question = _scoped(request, pk, question_id)
    form = QuestionAgencyForm(request.POST, region_code=assessment.region_id)
    if form.is_valid():
        try:
            question_services.questions_assign(
                user=request.user, assessment=assessment, assignments={question: form.cleaned_data["agency"]}
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Question %(code)s assigned.") % {"code": question.full_code})
    return redirect(_indicator_url(assessment, question))


@login_required
def instrument_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator maps the instrument's data sources to the region's OPDs and assigns questions by them."""
    assessment = selectors.assessment_get_for_user(request.user, pk)
    if not permissions.is_region_coordinator(request.user, assessment):
        raise PermissionDenied(_("Only the region coordinator can assign questions."))
    sources = question_selectors.data_source_names(assessment)
    current = question_selectors.data_source_mapping(assessment)
    agencies = agency_choices(region_code=assessment.region_id, keep=[a.pk for a in current.values() if a])
    form = DataSourceMappingForm(request.POST or None, sources=sources, agencies=agencies, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            question_services.data_sources_map(user=request.user, assessment=assessment, mapping=form.mapping())
            rules = question_selectors.instrument_rules_load(assessment.cycle.framework)
            count = question_services.questions_assign_by_sources(
                user=request.user,
                assessment=assessment,
                questions=rules.questions,
                only_unassigned=request.POST.get("scope") != "all",
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Data sources saved; %(count)s questions assigned by them.") % {"count": count})
            return redirect(assessment)
    counts = _source_counts(assessment)
    rows = [(form[f"source_{i}"], counts.get(source, 0)) for i, source in enumerate(sources)]
    return render(request, "evaluations/instrument_assign.html", {"a": assessment, "form": form, "rows": rows})


def _source_counts(assessment: Assessment) -> dict[str, int]:
    rules = question_selectors.instrument_rules_load(assessment.cycle.framework)
    counts: dict[str, int] = {}
    for question in rules.questions:
        for source in question.data_sources:
            counts[source] = counts.get(source, 0) + 1
    return counts


def missing_for_submit(assessment: Assessment) -> Any:
    return question_selectors.instrument_missing(assessment)


@login_required
def instrument_rekap(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole instrument as a workbook laid out like the ministry's Rekap: download it, fill it, upload it
    back (every row checked, all or nothing)."""
    assessment = selectors.assessment_get_for_user(request.user, pk)
    if not permissions.may_contribute(request.user, assessment) and not permissions.sees_all_indicators(
        request.user, assessment
    ):
        raise PermissionDenied(_("Only the region's coordinator and its OPDs can use the Rekap workbook."))
    if request.GET.get("download") and permissions.sees_all_indicators(request.user, assessment):
        name = f"rekap-penilaian-mandiri-{assessment.region_id}-{assessment.cycle.year}.xlsx"
        return xlsx_response(rekap.rekap_workbook(assessment), name)
    context = {"a": assessment, "form": MatriksUploadForm(prefix="rekap"), "errors": [], "summary": ""}
    return render(request, "evaluations/instrument_rekap.html", context)


@upload_size_limited
@login_required
@require_POST
def instrument_rekap_upload(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get_for_user(request.user, pk)
    rekap.check_can_import(request.user, assessment)
    form = MatriksUploadForm(request.POST, request.FILES, prefix="rekap")
    errors: list[str] = []
    summary = ""
    if not upload_too_large(request, form) and form.is_valid():
        try:
            count = rekap.rekap_import(user=request.user, assessment=assessment, upload=form.cleaned_data["file"])
        except ImportRejected as exc:
            summary = getattr(exc, "summary", "") or " ".join(exc.messages)
            errors = [str(e) for e in exc.row_errors]
        except ValidationError as exc:
            summary = " ".join(exc.messages)
        else:
            messages.success(
                request, _("%(count)s questions were imported from the Rekap workbook.") % {"count": count}
            )
            return redirect(assessment)
    context = {"a": assessment, "form": form, "errors": errors, "summary": summary}
    return render(request, "evaluations/instrument_rekap.html", context, status=422)


@login_required
@require_POST
def question_take_offer(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """Takes the register's value offered to the question, with its source kept as provenance."""
    assessment, question = _scoped(request, pk, question_id)
    offer = question_selectors.question_offers(assessment, [question]).get(question.pk)
    if offer is None:
        messages.error(request, _("No register offers a value for this question any more."))
        return redirect(_indicator_url(assessment, question))
    source = {
        "key": offer.key,
        "source": str(offer.source),
        "as_of": offer.as_of.isoformat() if offer.as_of else None,
        "url": offer.url,
    }
    try:
        question_services.question_take_offer(
            user=request.user, assessment=assessment, question=question, offered=offer.value, source=source
        )
    except question_services.QuestionConflict:
        messages.error(
            request, _("Someone saved this question after you opened it. Reload the page to see their answer.")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Question %(code)s took the register's value.") % {"code": question.full_code})
    return redirect(_indicator_url(assessment, question))
