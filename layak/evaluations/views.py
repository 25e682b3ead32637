"""HTML views of the evaluation cycle: thin wrappers around the services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from layak.accounts.models import Agency
from layak.accounts.selectors import user_is_national_admin
from layak.frameworks.models import Indicator

from . import permissions, selectors, services
from .forms import AnswerForm, AssignmentForm, CycleForm, ExtensionForm, display_value, raw_values


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
    return render(
        request, "evaluations/cycle_detail.html", {"cycle": cycle, "table": table, "form": form}, status=status
    )


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
    overview = selectors.assessment_overview(assessment, request.user)
    return render(request, "evaluations/assessment_detail.html", {"o": overview, "missing": missing}, status=status)


@login_required
@require_POST
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
    indicators = selectors.framework_indicators(assessment.cycle.framework)
    current = dict(assessment.assignments.values_list("indicator_id", "agency_id"))
    agencies = Agency.objects.filter(region=assessment.region)
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
        return AnswerForm(ctx.elements, initial=initial, values=draft.values)
    answer = ctx.answer
    initial = {"expected_revision": ctx.revision}
    if answer:
        initial |= {"narrative_done": answer.narrative_done, "narrative_todo": answer.narrative_todo}
    return AnswerForm(ctx.elements, initial=initial, values=answer.values if answer else None)


def _conflict_rows(ctx: selectors.AnswerContext, conflict: services.ConflictError) -> list[tuple[str, str, str]]:
    mine, theirs = conflict.submitted, conflict.current
    rows = [
        (e.display_label, display_value(e, mine["values"].get(e.code)), display_value(e, theirs["values"].get(e.code)))
        for e in ctx.elements
    ]
    for key, label in (
        ("narrative_done", _("What has been done")),
        ("narrative_todo", _("What has not been done yet")),
    ):
        rows.append((label, mine[key] or "—", theirs[key] or "—"))
    return rows


@login_required
def answer_edit(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The indicator form; a save from a stale revision shows both versions side by side."""
    assessment = selectors.assessment_get_for_user(request.user, pk)
    ctx = selectors.answer_context_for_user(request.user, assessment, code)
    conflict, form = None, _answer_form(ctx)
    if request.method == "POST":
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
                conflict, data = exc, request.POST.copy()
                data["expected_revision"] = str(exc.current["revision"])  # saving again keeps the user's version
                form = AnswerForm(ctx.elements, data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Indicator %(code)s saved.") % {"code": ctx.indicator.code})
                return redirect(assessment)
    context = {
        "ctx": ctx,
        "form": form,
        "conflict": conflict,
        "conflict_rows": _conflict_rows(ctx, conflict) if conflict else None,
    }
    return render(request, "evaluations/answer_form.html", context, status=409 if conflict else 200)


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
def answer_draft_discard(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Throws away the user's draft and shows the saved answer."""
    assessment = selectors.assessment_get_for_user(request.user, pk)
    indicator = get_object_or_404(Indicator, version_id=assessment.cycle.framework_id, code=code)
    services.answer_draft_discard(user=request.user, assessment=assessment, indicator=indicator)
    messages.info(request, _("Your draft was discarded; the saved answer is shown."))
    return redirect("evaluations:answer_edit", pk=assessment.pk, code=code)
