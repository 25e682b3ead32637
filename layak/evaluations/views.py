"""HTML views of the evaluation cycle: thin wrappers around the services and selectors."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BoundField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from layak.accounts.models import Agency
from layak.accounts.selectors import user_is_national_admin
from layak.common.confirm import confirm_first
from layak.common.spreadsheets import ImportRejected, xlsx_response
from layak.evidence import storage as evidence_storage
from layak.evidence.api import CHUNK_SIZE
from layak.evidence.views import upload_script_messages, upload_size_limited, upload_too_large
from layak.frameworks.models import DataElement, Indicator
from layak.frameworks.selectors import framework_indicators
from layak.registers.access import can_edit_register, kabkota_get_for_user

from . import agencies, confirmations, excel, permissions, question_views, selectors, services
from .agencies import agency_choices
from .forms import (
    AgencyForm,
    AnswerForm,
    AssignmentForm,
    CycleForm,
    EvidencePickForm,
    EvidenceUploadToAnswerForm,
    EvidenceUrlForm,
    ExcelUploadForm,
    ExtensionForm,
    IndicatorAssignmentForm,
    display_value,
    prefill_input,
    raw_values,
    typed_elements,
)
from .models import AnswerEvidence
from .prefill import ComputedValue


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    """Evaluation cycles and the assessments of the user's regions."""
    page = Paginator(selectors.assessment_list_for_user(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluations/cycle_list.html",
        {
            "cycles": selectors.cycle_list_for_user(request.user),
            "page": page,
            "can_open": user_is_national_admin(request.user),
        },
    )


@login_required
def cycle_create(request: HttpRequest) -> HttpResponse:
    """A national admin opens a cycle (one assessment per kab/kota is created at once)."""
    if not user_is_national_admin(request.user):
        raise PermissionDenied(_("Only a national admin can open an evaluation cycle."))
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = services.cycle_open(
                user=request.user,
                year=data["year"],
                name=data["name"],
                framework=data["framework"],
                windows=form.windows(),
                award_date=data["award_date"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The cycle is open; every regency/city now has an assessment."))
            return redirect(cycle)
    return render(request, "evaluations/cycle_form.html", {"form": form})


@login_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A cycle's windows and the assessments of the user's regions, grouped by province."""
    cycle = selectors.cycle_get_for_user(request.user, pk)
    form = ExtensionForm(cycle=cycle) if user_is_national_admin(request.user) else None
    return _cycle_page(request, cycle, form)


def _cycle_page(request: HttpRequest, cycle, form, status: int = 200) -> HttpResponse:
    table = selectors.cycle_assessment_table(cycle, request.user)
    context = {"cycle": cycle, "table": table, "form": form, "can_recompute": user_is_national_admin(request.user)}
    return render(request, "evaluations/cycle_detail.html", context, status=status)


@login_required
@require_POST
def cycle_extension_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A national admin gives one region more time for one stage."""
    cycle = selectors.cycle_get_for_user(request.user, pk)
    if not user_is_national_admin(request.user):
        raise PermissionDenied(_("Only a national admin can grant an extension."))
    form = ExtensionForm(request.POST, cycle=cycle)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.cycle_extension_grant(
                user=request.user,
                cycle=cycle,
                region=data["region"],
                stage=data["stage"],
                until=data["extended_until"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Extension granted to %(region)s.") % {"region": data["region"].name})
            return redirect(cycle)
    return _cycle_page(request, cycle, form, status=400)


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment overview: progress per cluster and OPD, the live self-score and the submit button."""
    assessment = selectors.assessment_get_for_user(request.user, pk)
    return _overview_page(request, assessment)


def _overview_page(request: HttpRequest, assessment, missing=None, status: int = 200) -> HttpResponse:
    if assessment.cycle.framework.is_question_level:  # kla-2024: the ministry's instrument, question by question
        return question_views.instrument_overview_page(request, assessment, missing=missing, status=status)
    overview = selectors.assessment_overview(assessment, request.user)
    return render(request, "evaluations/assessment_detail.html", {"o": overview, "missing": missing}, status=status)


@login_required
@require_POST
@confirm_first(confirmations.submit)
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator submits; when something is missing the overview lists it."""
    assessment = selectors.assessment_get_for_user(request.user, pk)
    try:
        services.assessment_submit(user=request.user, assessment=assessment)
    except services.SubmissionIncomplete as exc:
        messages.error(request, exc.messages[0])
        return _overview_page(request, assessment, missing=exc.missing, status=422)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The self-assessment has been submitted. It can no longer be edited."))
    return redirect(assessment)


@login_required
def assessment_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator assigns indicators to the OPDs of the kab/kota."""
    assessment = selectors.assessment_get_for_user(request.user, pk)
    if not permissions.is_region_coordinator(request.user, assessment):
        raise PermissionDenied(_("Only the region coordinator can assign indicators."))
    indicators = framework_indicators(assessment.cycle.framework)
    current = dict(assessment.assignments.values_list("indicator_id", "agency_id"))
    agencies = agency_choices(region_code=assessment.region_id, keep=current.values())
    form = AssignmentForm(request.POST or None, indicators=indicators, agencies=agencies, current=current)
    if request.method == "POST" and form.is_valid():
        by_id = {i.pk: i for i in indicators}
        try:
            for indicator_id, agency in form.changed_assignments():
                services.indicator_assign(
                    user=request.user, assessment=assessment, indicator=by_id[indicator_id], agency=agency
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Assignments saved."))
            return redirect(assessment)
    return render(request, "evaluations/assessment_assign.html", {"assessment": assessment, "form": form})


def _answer_form(ctx: selectors.AnswerContext) -> AnswerForm:
    """The form as the user left it: their newer draft if there is one, else the saved answer."""
    if ctx.draft_is_newer:
        draft = ctx.draft
        initial = {
            "narrative_done": draft.narrative_done,
            "narrative_todo": draft.narrative_todo,
            "expected_revision": draft.base_revision,
        }
        return AnswerForm(ctx.elements, initial=initial, values=draft.values, draft=True)
    answer = ctx.answer
    initial = {"expected_revision": ctx.revision}
    if answer:
        initial |= {"narrative_done": answer.narrative_done, "narrative_todo": answer.narrative_todo}
    return AnswerForm(ctx.elements, initial=initial, values=answer.values if answer else None)


def _conflict_rows(ctx: selectors.AnswerContext, conflict: services.ConflictError) -> list[tuple[str, str, str]]:
    mine, theirs = conflict.submitted, conflict.current
    rows = [
        (e.display_label, display_value(e, mine["values"].get(e.code)), display_value(e, theirs["values"].get(e.code)))
        for e in typed_elements(ctx.elements)
    ]
    for key, label in (
        ("narrative_done", _("What has been done")),
        ("narrative_todo", _("What has not been done yet")),
    ):
        rows.append((label, mine[key] or "—", theirs[key] or "—"))
    return rows


@dataclass
class ElementRow:
    """One data element on the indicator form: its field, the register's offer, provenance and evidence count."""

    element: DataElement
    field: BoundField | None
    offer: ComputedValue | None
    offer_input: str | None
    provenance: dict | None
    evidence_count: int

    @property
    def offer_display(self) -> str:
        """The register's value as a person reads it (Yes/No, the choice label, the number with its unit)."""
        return display_value(self.element, self.offer.value) if self.offer else ""


def _element_rows(ctx, form: AnswerForm, panel: selectors.EvidencePanel) -> list[ElementRow]:
    prefill = selectors.answer_prefill(ctx)
    provenance = ctx.answer.provenance if ctx.answer else {}
    rows = []
    for element in ctx.elements:
        offer = prefill.get(element.code)
        offer_input = prefill_input(element, offer.value) if offer else None
        rows.append(
            ElementRow(
                element,
                form.field_for(element),
                offer,
                offer_input,
                provenance.get(element.code),
                panel.supported[element.code],
            )
        )
    return rows


def _answer_page(request: HttpRequest, ctx, form: AnswerForm, *, conflict=None, status=200, **forms) -> HttpResponse:
    """The indicator form with its evidence panel; `forms` replaces an evidence form that came back with errors."""
    panel = selectors.answer_evidence_panel(ctx)
    region_code = ctx.assessment.region_id
    context = {
        "ctx": ctx,
        "form": form,
        "rows": _element_rows(ctx, form, panel),
        "panel": panel,
        "can_attach": ctx.can_edit and ctx.assessment.is_editable,
        "is_coordinator": permissions.is_region_coordinator(request.user, ctx.assessment),
        "upload_form": forms.get("upload_form") or EvidenceUploadToAnswerForm(elements=ctx.elements),
        "pick_form": forms.get("pick_form") or EvidencePickForm(elements=ctx.elements, region_code=region_code),
        "url_form": forms.get("url_form") or EvidenceUrlForm(elements=ctx.elements),
        "max_mb": f"{evidence_storage.max_bytes() / (1024 * 1024):g}",
        "chunk_size": CHUNK_SIZE,
        "upload_messages": upload_script_messages(),
        "conflict": conflict,
        "conflict_rows": _conflict_rows(ctx, conflict) if conflict else None,
    }
    return render(request, "evaluations/answer_form.html", context, status=status)


@login_required
def answer_edit(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The indicator form; a save from a stale revision shows both versions side by side."""
    assessment = selectors.assessment_get_for_user(request.user, pk)
    ctx = selectors.answer_context_for_user(request.user, assessment, code)
    if request.method != "POST":
        return _answer_page(request, ctx, _answer_form(ctx))
    form = AnswerForm(ctx.elements, request.POST)
    if form.is_valid():
        try:
            services.answer_save(
                user=request.user,
                assessment=assessment,
                indicator=ctx.indicator,
                values=form.values(),
                narrative_done=form.cleaned_data["narrative_done"],
                narrative_todo=form.cleaned_data["narrative_todo"],
                expected_revision=form.cleaned_data["expected_revision"],
            )
        except services.ConflictError as exc:
            data = request.POST.copy()
            data["expected_revision"] = str(exc.current["revision"])  # saving again keeps the user's version
            return _answer_page(request, ctx, AnswerForm(ctx.elements, data), conflict=exc, status=409)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Indicator %(code)s saved.") % {"code": ctx.indicator.code})
            return redirect(assessment)
    return _answer_page(request, ctx, form)


# --- Evidence on the indicator form ------------------------------------------------------------------------


def _evidence_done(request: HttpRequest, ctx, link) -> HttpResponse:
    facts = {"title": link.evidence.title, "code": ctx.indicator.code}
    if getattr(link.evidence, "deduplicated", False):  # the same bytes were already in the region's library
        messages.info(
            request,
            _("This file is already in your library as “%(title)s”; that item now supports indicator %(code)s.")
            % facts,
        )
    else:
        messages.success(request, _("“%(title)s” now supports indicator %(code)s.") % facts)
    return redirect(reverse("evaluations:answer_edit", args=[ctx.assessment.pk, ctx.indicator.code]) + "#evidence")


def _evidence_refused(request: HttpRequest, ctx, **forms) -> HttpResponse:
    return _answer_page(request, ctx, _answer_form(ctx), status=400, **forms)


def _evidence_action(request: HttpRequest, ctx, form, form_name: str, link_with, *, valid=None) -> HttpResponse:
    """Validates one evidence form, runs `link_with(cleaned_data)` and shows the result (or the refusal)."""
    if (valid is None or valid) and form.is_valid():
        try:
            link = link_with(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _evidence_done(request, ctx, link)
    return _evidence_refused(request, ctx, **{form_name: form})


@upload_size_limited
@login_required
@require_POST
def answer_evidence_upload(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Uploads a file into the region's library and links it to the indicator (works without JavaScript)."""
    ctx = _context(request, pk, code)
    form = EvidenceUploadToAnswerForm(request.POST, request.FILES, elements=ctx.elements)
    return _evidence_action(
        request,
        ctx,
        form,
        "upload_form",
        lambda data: services.answer_evidence_upload(
            user=request.user,
            assessment=ctx.assessment,
            indicator=ctx.indicator,
            upload=data["file"],
            title=data["title"],
            element_code=data["element"],
        ),
        valid=not upload_too_large(request, form),
    )


@login_required
@require_POST
def answer_evidence_pick(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Links an item of the region's library (also used by the chunked uploader once its file is complete)."""
    ctx = _context(request, pk, code)
    form = EvidencePickForm(request.POST, elements=ctx.elements, region_code=ctx.assessment.region_id)
    return _evidence_action(
        request,
        ctx,
        form,
        "pick_form",
        lambda data: services.answer_evidence_link(
            user=request.user,
            assessment=ctx.assessment,
            indicator=ctx.indicator,
            evidence=data["evidence"],
            element_code=data["element"],
        ),
    )


@login_required
@require_POST
def answer_evidence_url(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Adds a link to an external document as evidence and links it to the indicator."""
    ctx = _context(request, pk, code)
    form = EvidenceUrlForm(request.POST, elements=ctx.elements)
    return _evidence_action(
        request,
        ctx,
        form,
        "url_form",
        lambda data: services.answer_evidence_add_url(
            user=request.user,
            assessment=ctx.assessment,
            indicator=ctx.indicator,
            url=data["url"],
            title=data["title"],
            element_code=data["element"],
        ),
    )


@login_required
@require_POST
def answer_evidence_carry(request: HttpRequest, pk: int, code: str, link_id: int) -> HttpResponse:
    """Reuses evidence this indicator had in the region's previous cycle."""
    ctx = _context(request, pk, code)
    panel = selectors.answer_evidence_panel(ctx)
    previous = next((link for link in panel.carry_forward if link.pk == link_id), None)
    if previous is None:
        raise Http404(_("This evidence cannot be carried forward here."))
    try:
        link = services.answer_evidence_carry_forward(
            user=request.user, assessment=ctx.assessment, indicator=ctx.indicator, previous=previous
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return _evidence_refused(request, ctx)
    return _evidence_done(request, ctx, link)


@login_required
@require_POST
@confirm_first(confirmations.evidence_unlink)
def answer_evidence_unlink(request: HttpRequest, pk: int, code: str, link_id: int) -> HttpResponse:
    """Removes evidence from the indicator; the item stays in the region's library."""
    ctx = _context(request, pk, code)
    link = get_object_or_404(
        AnswerEvidence.objects.select_related("evidence"),
        pk=link_id,
        assessment=ctx.assessment,
        indicator=ctx.indicator,
    )
    try:
        services.answer_evidence_unlink(user=request.user, link=link)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("“%(title)s” no longer supports this indicator.") % {"title": link.evidence.title})
    return redirect(reverse("evaluations:answer_edit", args=[pk, code]) + "#evidence")


def _context(request: HttpRequest, pk: int, code: str) -> selectors.AnswerContext:
    assessment = selectors.assessment_get_for_user(request.user, pk)
    return selectors.answer_context_for_user(request.user, assessment, code)


@login_required
@require_POST
def answer_autosave(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Keeps the form being edited as the user's draft (called by htmx every few seconds while typing)."""
    assessment = selectors.assessment_get_for_user(request.user, pk)
    ctx = selectors.answer_context_for_user(request.user, assessment, code)
    try:
        revision = int(request.POST.get("expected_revision", "0"))
    except ValueError:
        revision = 0
    try:
        draft = services.answer_draft_autosave(
            user=request.user,
            assessment=assessment,
            indicator=ctx.indicator,
            values=raw_values(ctx.elements, request.POST),
            narrative_done=request.POST.get("narrative_done", ""),
            narrative_todo=request.POST.get("narrative_todo", ""),
            base_revision=revision,
        )
    except ValidationError as exc:
        return render(request, "evaluations/_autosave_status.html", {"error": exc.messages[0]}, status=409)
    return render(request, "evaluations/_autosave_status.html", {"draft": draft})


@login_required
@require_POST
@confirm_first(confirmations.draft_discard)
def answer_draft_discard(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Throws away the user's draft and shows the saved answer."""
    assessment = selectors.assessment_get_for_user(request.user, pk)
    indicator = get_object_or_404(Indicator, version_id=assessment.cycle.framework_id, code=code)
    services.answer_draft_discard(user=request.user, assessment=assessment, indicator=indicator)
    messages.info(request, _("Your draft was discarded; the saved answer is shown."))
    return redirect("evaluations:answer_edit", pk=assessment.pk, code=code)


# --- Assignment of one indicator, OPDs -----------------------------------------------------------------------


@login_required
def assignment_edit(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The coordinator gives one indicator to an OPD and names the people who fill it in."""
    ctx = _context(request, pk, code)
    assessment = ctx.assessment
    if not permissions.is_region_coordinator(request.user, assessment):
        raise PermissionDenied(_("Only the region coordinator can assign indicators."))
    initial = (
        {"agency": ctx.assignment.agency_id, "contributors": ctx.assignment.contributors.all()}
        if ctx.assignment
        else {}
    )
    form = IndicatorAssignmentForm(
        request.POST or None,
        initial=initial,
        agencies=agencies.agency_choices(
            region_code=assessment.region_id, keep=[ctx.assignment.agency_id if ctx.assignment else None]
        ),
        people=agencies.contributor_choices(region_code=assessment.region_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_assign(
                user=request.user,
                assessment=assessment,
                indicator=ctx.indicator,
                agency=form.cleaned_data["agency"],
                contributors=form.cleaned_data["contributors"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Indicator %(code)s assigned.") % {"code": ctx.indicator.code})
            return redirect("evaluations:answer_edit", pk=assessment.pk, code=ctx.indicator.code)
    return render(request, "evaluations/assignment_form.html", {"ctx": ctx, "form": form})


@login_required
def agency_list(request: HttpRequest, region_code: str) -> HttpResponse:
    """The OPDs of a kab/kota; its coordinator adds new ones here."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    can_manage = can_edit_register(request.user, region.code)
    form = AgencyForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(
                _("Only the region coordinator can manage the OPDs of %(region)s.") % {"region": region}
            )
        if form.is_valid():
            try:
                agency = agencies.agency_create(user=request.user, region=region, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("%(name)s was added.") % {"name": agency.name})
                return redirect("evaluations:agency_list", region_code=region.code)
    context = {"region": region, "agencies": agencies.agency_list_for_region(region=region), "form": form}
    return render(request, "evaluations/agency_list.html", {**context, "can_manage": can_manage})


@login_required
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator renames an OPD."""
    agency = agencies.agency_get_for_user(user=request.user, pk=pk)
    if not can_edit_register(request.user, agency.region_id):
        raise PermissionDenied(
            _("Only the region coordinator can manage the OPDs of %(region)s.") % {"region": agency.region}
        )
    form = AgencyForm(request.POST or None, initial={"name": agency.name, "short_name": agency.short_name})
    if request.method == "POST" and form.is_valid():
        try:
            agencies.agency_update(user=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The OPD was renamed to %(name)s.") % {"name": agency.name})
            return redirect("evaluations:agency_list", region_code=agency.region_id)
    return render(request, "evaluations/agency_form.html", {"agency": agency, "form": form})


def _agency_to_manage(request: HttpRequest, pk: int) -> Agency:
    agency = agencies.agency_get_for_user(user=request.user, pk=pk)
    if not can_edit_register(request.user, agency.region_id):
        raise PermissionDenied(
            _("Only the region coordinator can manage the OPDs of %(region)s.") % {"region": agency.region}
        )
    return agency


@login_required
@require_POST
@confirm_first(confirmations.agency_deactivate)
def agency_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator deactivates an OPD (after confirming); its work and its people's accounts stay."""
    agency = agencies.agency_set_active(user=request.user, agency=_agency_to_manage(request, pk), active=False)
    messages.success(request, _("%(name)s is deactivated; its work stays.") % {"name": agency.name})
    return redirect("evaluations:agency_list", region_code=agency.region_id)


@login_required
@require_POST
def agency_activate(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator reactivates an OPD."""
    agency = agencies.agency_set_active(user=request.user, agency=_agency_to_manage(request, pk), active=True)
    messages.success(request, _("%(name)s is active again.") % {"name": agency.name})
    return redirect("evaluations:agency_list", region_code=agency.region_id)


# --- Excel ---------------------------------------------------------------------------------------------------


@login_required
def assessment_excel_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The instrument with the current answers as an Excel workbook (only the indicators the user sees)."""
    assessment = selectors.assessment_get_for_user(request.user, pk)
    name = f"layak-{assessment.region_id}-{assessment.cycle.year}.xlsx"
    response = xlsx_response(excel.assessment_workbook(assessment, request.user), name)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def assessment_excel_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the workbook, upload it back filled; every problem is listed with sheet, row and column."""
    assessment = selectors.assessment_get_for_user(request.user, pk)
    form, problems = ExcelUploadForm(request.POST or None, request.FILES or None), []
    if request.method == "POST" and form.is_valid():
        try:
            result = excel.assessment_excel_import(
                user=request.user, assessment=assessment, upload=form.cleaned_data["file"]
            )
        except ImportRejected as exc:
            form.add_error(None, exc.summary)
            problems = exc.row_errors
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s indicator imported from Excel.",
                    "%(count)s indicators imported from Excel.",
                    result.count,
                )
                % {"count": result.count},
            )
            return redirect(assessment)
    context = {
        "assessment": assessment,
        "form": form,
        "problems": problems,
        "can_upload": permissions.may_contribute(request.user, assessment),
    }
    return render(request, "evaluations/excel.html", context, status=422 if form.errors else 200)
