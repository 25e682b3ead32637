"""HTML pages of the RAD KLA: thin wrappers around the selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from layak.common.forms import save_form

from . import gaps, imports, selectors, services
from .access import can_manage_region, kabkota_get_for_user
from .forms import (
    ActionEditForm,
    ActionForm,
    ActionYearForm,
    DraftsForm,
    ImportForm,
    PlanForm,
    RealisationForm,
    RegionBudgetForm,
    ReportForm,
)
from .permissions import can_edit_action

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_manage(user, region) -> None:
    if not can_manage_region(user, region.code):
        raise PermissionDenied


def _region_context(request: HttpRequest, region, budget_form=None) -> dict:
    return {
        "region": region,
        "plans": selectors.plan_list_for_region(region=region),
        "shares": selectors.budget_shares(region=region),
        "can_manage": can_manage_region(request.user, region.code),
        "budget_form": budget_form or RegionBudgetForm(),
    }


@login_required
def region_plans(request: HttpRequest, region_code: str) -> HttpResponse:
    """The kab/kota's RAD KLA plans and the share of its APBD spent on children's rights, per year."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    return render(request, "plans/region_plans.html", _region_context(request, region))


@login_required
@require_POST
def region_budget_save(request: HttpRequest, region_code: str) -> HttpResponse:
    """Sets the APBD total of a year (the coordinator)."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    form = RegionBudgetForm(request.POST)
    if save_form(form, lambda d: services.region_budget_save(user=request.user, region=region, **d)):
        messages.success(request, _("The APBD total was saved."))
        return redirect("plans:region_plans", region.code)
    return render(request, "plans/region_plans.html", _region_context(request, region, form), status=400)


@login_required
def plan_create(request: HttpRequest, region_code: str) -> HttpResponse:
    """A new RAD KLA of the kab/kota."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    _require_manage(request.user, region)
    form = PlanForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        plan = save_form(
            form,
            lambda d: services.plan_create(user=request.user, region=region, upload=d.pop("file"), **d),
        )
        if plan:
            messages.success(request, _("The RAD KLA was saved. Now add its activities."))
            return redirect(plan)
    context = {"form": form, "region": region, "title": _("New RAD KLA")}
    return render(request, "plans/plan_form.html", context, status=400 if form.errors else 200)


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Changes a RAD's period, legal basis, status or document."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    _require_manage(request.user, plan.region)
    # `initial`, not `instance`: validating must not change the plan before the service records what it was.
    form = PlanForm(request.POST or None, request.FILES or None, initial=model_to_dict(plan))
    if request.method == "POST":
        saved = save_form(form, lambda d: services.plan_update(user=request.user, plan=plan, upload=d.pop("file"), **d))
        if saved:
            messages.success(request, _("The RAD KLA was updated."))
            return redirect(saved)
    context = {"form": form, "region": plan.region, "plan": plan, "title": _("Edit the RAD KLA")}
    return render(request, "plans/plan_form.html", context, status=400 if form.errors else 200)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A RAD: its activities with yearly targets and budgets, and its quarterly monitoring reports."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    context = {
        "plan": plan,
        "region": plan.region,
        "actions": selectors.plan_actions(plan=plan),
        "reports": selectors.report_list(plan=plan),
        "can_manage": can_manage_region(request.user, plan.region_id),
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new programme/activity of the RAD."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    _require_manage(request.user, plan.region)
    form = ActionForm(request.POST or None, plan=plan)
    if request.method == "POST":
        action = save_form(form, lambda d: services.action_create(user=request.user, plan=plan, **d))
        if action:
            messages.success(request, _("The activity was added. Enter its yearly target and budget."))
            return redirect(action)
    context = {"form": form, "plan": plan, "region": plan.region, "title": _("New activity")}
    return render(request, "plans/action_form.html", context, status=400 if form.errors else 200)


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Changes an activity (the coordinator, or a contributor of its owner OPD)."""
    action = selectors.action_get_for_user(user=request.user, pk=pk)
    if not can_edit_action(request.user, action):
        raise PermissionDenied
    plan = action.plan
    form = ActionEditForm(request.POST or None, initial=model_to_dict(action), plan=plan)
    if request.method == "POST":
        saved = save_form(form, lambda d: services.action_update(user=request.user, action=action, **d))
        if saved:
            messages.success(request, _("The activity was updated."))
            return redirect(saved)
    context = {"form": form, "plan": plan, "region": plan.region, "action": action, "title": _("Edit the activity")}
    return render(request, "plans/action_form.html", context, status=400 if form.errors else 200)


def _action_context(request: HttpRequest, action, **forms) -> dict:
    return {
        "action": action,
        "plan": action.plan,
        "region": action.plan.region,
        "years": action.years.order_by("year"),
        "realisations": selectors.action_realisations(action=action),
        "can_edit": can_edit_action(request.user, action),
        "year_form": forms.get("year_form") or ActionYearForm(),
        "realisation_form": forms.get("realisation_form") or RealisationForm(),
    }


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An activity: its yearly targets and budgets, and its quarterly realisation."""
    action = selectors.action_get_for_user(user=request.user, pk=pk)
    return render(request, "plans/action_detail.html", _action_context(request, action))


@login_required
@require_POST
def action_year_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Sets the target and child-rights budget of a year."""
    action = selectors.action_get_for_user(user=request.user, pk=pk)
    form = ActionYearForm(request.POST)
    if save_form(form, lambda d: services.action_year_save(user=request.user, action=action, **d)):
        messages.success(request, _("The target and budget were saved."))
        return redirect(action)
    return render(request, "plans/action_detail.html", _action_context(request, action, year_form=form), status=400)


@login_required
@require_POST
def realisation_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Records a quarter's physical and financial realisation."""
    action = selectors.action_get_for_user(user=request.user, pk=pk)
    form = RealisationForm(request.POST)
    if save_form(form, lambda d: services.realisation_save(user=request.user, action=action, **d)):
        messages.success(request, _("The realisation was saved."))
        return redirect(action)
    context = _action_context(request, action, realisation_form=form)
    return render(request, "plans/action_detail.html", context, status=400)


@login_required
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Writes the monitoring report of a quarter."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    _require_manage(request.user, plan.region)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        report = save_form(
            form, lambda d: services.report_create(user=request.user, plan=plan, upload=d.pop("file"), **d)
        )
        if report:
            messages.success(request, _("The monitoring report was saved."))
            return redirect(report)
    context = {"form": form, "plan": plan, "region": plan.region}
    return render(request, "plans/report_form.html", context, status=400 if form.errors else 200)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A quarterly monitoring report with the realisation of every activity in that quarter."""
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    context = {
        "report": report,
        "plan": report.plan,
        "region": report.plan.region,
        "realisations": selectors.report_realisations(report=report),
    }
    return render(request, "plans/report_detail.html", context)


@login_required
def gap_actions(request: HttpRequest, region_code: str) -> HttpResponse:
    """Points lost per indicator in the latest score, and turning chosen ones into draft RAD actions."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    snapshot = gaps.snapshot_latest(region=region)
    gap_rows = gaps.gap_list(region=region, snapshot=snapshot)
    plans = selectors.plan_list_for_region(region=region)
    form = DraftsForm(request.POST or None, plans=plans, codes=[g.indicator.code for g in gap_rows])
    if request.method == "POST":
        _require_manage(request.user, region)
        created = save_form(
            form,
            lambda d: gaps.actions_create_from_gaps(
                user=request.user, plan=d["plan"], snapshot=snapshot, codes=d["indicators"]
            ),
        )
        if created:
            messages.success(
                request, _("%(n)s draft actions were added. Review and confirm them.") % {"n": len(created)}
            )
            return redirect(created[0].plan)
    context = {
        "region": region,
        "snapshot": snapshot,
        "gaps": gap_rows,
        "form": form,
        "can_manage": can_manage_region(request.user, region.code),
    }
    return render(request, "plans/gap_actions.html", context, status=400 if form.errors else 200)


@login_required
def action_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Imports activities from the Excel template; nothing is imported while any row has a problem."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    _require_manage(request.user, plan.region)
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            created = imports.actions_import(user=request.user, plan=plan, upload=form.cleaned_data["file"])
        except imports.ImportRefused as e:
            row_errors = e.errors
            form.add_error(None, e if not e.errors else _("Nothing was imported. Correct these rows and try again."))
        else:
            messages.success(request, _("%(n)s activities were imported.") % {"n": len(created)})
            return redirect(plan)
    context = {"form": form, "plan": plan, "region": plan.region, "row_errors": row_errors}
    return render(request, "plans/action_import.html", context, status=400 if form.errors else 200)


@login_required
def import_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The Excel template of the import, with the accepted values of this plan."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    response = HttpResponse(imports.template_workbook(plan=plan), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="rad-kla-{plan.region_id}-template.xlsx"'
    return response
