"""HTML pages of the RAD KLA: thin wrappers around the selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from layak.common.spreadsheets import xlsx_response
from layak.protection.selectors import figure_label
from layak.registers.access import can_edit_register, check_edit_register, kabkota_get_for_user
from layak.registers.forms import save_form
from layak.registers.imports import register_importer
from layak.registers.views import DetailPage, form_view, import_view, post_on_page

from . import gaps, imports, selectors, services
from .forms import (
    ActionEditForm,
    ActionForm,
    ActionYearForm,
    DraftsForm,
    PlanForm,
    RealisationForm,
    RegionBudgetForm,
    ReportForm,
)
from .permissions import can_edit_action


def _region_context(request: HttpRequest, region, budget_form=None) -> dict:
    return {
        "region": region,
        "plans": selectors.plan_list_for_region(region=region),
        "shares": selectors.budget_shares(region=region),
        "can_manage": can_edit_register(request.user, region.code),
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
    return post_on_page(
        request,
        RegionBudgetForm(request.POST),
        lambda d: services.region_budget_save(user=request.user, region=region, **d),
        success=_("The APBD total was saved."),
        redirect_to=reverse("plans:region_plans", args=[region.code]),
        page=lambda form: render(request, "plans/region_plans.html", _region_context(request, region, form)),
    )


@login_required
def plan_create(request: HttpRequest, region_code: str) -> HttpResponse:
    """A new RAD KLA of the kab/kota."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    check_edit_register(request.user, region)
    form = PlanForm(request.POST or None, request.FILES or None)
    return form_view(
        request,
        form,
        lambda d: services.plan_create(user=request.user, region=region, upload=d.pop("file"), **d),
        template="plans/plan_form.html",
        success=_("The RAD KLA was saved. Now add its activities."),
        region=region,
        title=_("New RAD KLA"),
    )


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Changes a RAD's period, legal basis, status or document."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    check_edit_register(request.user, plan.region)
    # `initial`, not `instance`: validating must not change the plan before the service records what it was.
    form = PlanForm(request.POST or None, request.FILES or None, initial=model_to_dict(plan))
    return form_view(
        request,
        form,
        lambda d: services.plan_update(user=request.user, plan=plan, upload=d.pop("file"), **d),
        template="plans/plan_form.html",
        success=_("The RAD KLA was updated."),
        region=plan.region,
        plan=plan,
        title=_("Edit the RAD KLA"),
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A RAD: its activities with yearly targets and budgets, and its quarterly monitoring reports."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    context = {
        "plan": plan,
        "region": plan.region,
        "actions": selectors.plan_actions(plan=plan),
        "reports": selectors.report_list(plan=plan),
        "can_manage": can_edit_register(request.user, plan.region_id),
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new programme/activity of the RAD."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    check_edit_register(request.user, plan.region)
    form = ActionForm(request.POST or None, plan=plan)
    return form_view(
        request,
        form,
        lambda d: services.action_create(user=request.user, plan=plan, **d),
        template="plans/action_form.html",
        success=_("The activity was added. Enter its yearly target and budget."),
        plan=plan,
        region=plan.region,
        title=_("New activity"),
    )


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Changes an activity (the coordinator, or a contributor of its owner OPD)."""
    action = selectors.action_get_for_user(user=request.user, pk=pk)
    if not can_edit_action(request.user, action):
        raise PermissionDenied
    plan = action.plan
    form = ActionEditForm(request.POST or None, initial=model_to_dict(action), plan=plan)
    return form_view(
        request,
        form,
        lambda d: services.action_update(user=request.user, action=action, **d),
        template="plans/action_form.html",
        success=_("The activity was updated."),
        plan=plan,
        region=plan.region,
        action=action,
        title=_("Edit the activity"),
    )


def _action_context(request: HttpRequest, action, **forms) -> dict:
    return {
        "action": action,
        "plan": action.plan,
        "region": action.plan.region,
        "years": action.years.order_by("year"),
        "realisations": selectors.action_realisations(action=action),
        "figure_label": figure_label(action.figure) if action.figure else "",
        "figure_progress": selectors.figure_progress(action=action),
        "can_edit": can_edit_action(request.user, action),
        "year_form": forms.get("year_form") or ActionYearForm(),
        "realisation_form": forms.get("realisation_form") or RealisationForm(),
    }


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An activity: its yearly targets and budgets, and its quarterly realisation."""
    action = selectors.action_get_for_user(user=request.user, pk=pk)
    return render(request, "plans/action_detail.html", _action_context(request, action))


ACTION_PAGE = DetailPage("plans/action_detail.html", "action", selectors.action_get_for_user, _action_context)
action_year_save = ACTION_PAGE.post_view(
    "year_form", ActionYearForm, services.action_year_save, gettext_lazy("The target and budget were saved.")
)
realisation_save = ACTION_PAGE.post_view(
    "realisation_form", RealisationForm, services.realisation_save, gettext_lazy("The realisation was saved.")
)


@login_required
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Writes the monitoring report of a quarter."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    check_edit_register(request.user, plan.region)
    form = ReportForm(request.POST or None, request.FILES or None)
    return form_view(
        request,
        form,
        lambda d: services.report_create(user=request.user, plan=plan, upload=d.pop("file"), **d),
        template="plans/report_form.html",
        success=_("The monitoring report was saved."),
        plan=plan,
        region=plan.region,
    )


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
        check_edit_register(request.user, region)
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
        "can_manage": can_edit_register(request.user, region.code),
    }
    return render(request, "plans/gap_actions.html", context, status=400 if form.errors else 200)


@login_required
def action_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Imports activities from the Excel template; nothing is imported while any row has a problem."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    check_edit_register(request.user, plan.region)
    context = {"plan": plan, "region": plan.region}
    return import_view(
        request,
        lambda upload: imports.actions_import(user=request.user, plan=plan, upload=upload),
        success=lambda n: _("%(n)s activities were imported.") % {"n": n},
        redirect_to=plan,
        page=lambda form, errors: render(
            request, "plans/action_import.html", {**context, "form": form, "import_errors": errors}
        ),
        job=(ACTIONS_IMPORTER, str(plan.pk)),
        subject=str(plan),
    )


ACTIONS_IMPORTER = "plans.actions"


def _actions_import_as(user, ref: str, upload) -> list:
    """The RAD activities import run by a worker (a large file), as the person who uploaded it."""
    plan = selectors.plan_get_for_user(user=user, pk=int(ref))
    check_edit_register(user, plan.region)
    return imports.actions_import(user=user, plan=plan, upload=upload)


register_importer(ACTIONS_IMPORTER, _actions_import_as)


@login_required
def import_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The Excel template of the import, with the accepted values of this plan."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    return xlsx_response(imports.template_workbook(plan=plan), f"rad-kla-{plan.region_id}-template.xlsx")
