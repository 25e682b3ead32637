"""The progress table of a cycle over every regency/city, its export, and bulk reviewer assignment from it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from layak.accounts.choices import Role
from layak.accounts.selectors import user_has_role, user_is_national_admin
from layak.common.confirm import is_confirmed
from layak.common.numbers import format_datetime
from layak.common.spreadsheets import csv_response, workbook_bytes, write_row, xlsx_response
from layak.evaluations.selectors import cycle_get_for_user

from . import finalise_bulk, progress, services
from .forms import BulkAssignForm
from .stage_forms import FieldSelectionForm


def _may_bulk_assign(user) -> bool:
    return user_is_national_admin(user) or user_has_role(user, [Role.PROVINCE_COORDINATOR])


def _columns(f: progress.ProgressFilter, *, by_question: bool) -> list[tuple[str, str, bool, str]]:
    """The sortable columns: (label, link that sorts by it, numeric?, aria-sort of the current sort)."""
    labels = {
        "code": (_("Code"), False),
        "name": (_("Regency/city"), False),
        "province": (_("Province"), False),
        "answered": (_("Questions answered") if by_question else _("Indicators answered"), True),
        "status": (_("Status"), False),
        "late": (_("Late"), False),
        "activity": (_("Last activity"), False),
    }
    columns = []
    for key, (label, numeric) in labels.items():
        current = f.sort.lstrip("-") == key
        target = f"-{key}" if f.sort == key else key
        direction = ("descending" if f.sort.startswith("-") else "ascending") if current else ""
        columns.append((str(label), "?" + urlencode({**f.as_query(), "sort": target}), numeric, direction))
    return columns


def left_out_warn(request: HttpRequest, skipped: list[tuple[str, str]]) -> None:
    """Says which regions a bulk action left out and why (the first ten, then how many more)."""
    if not skipped:
        return
    shown = "; ".join(f"{code}: {reason}" for code, reason in skipped[:10])
    more = len(skipped) - 10
    messages.warning(
        request,
        _("Left out: %(list)s") % {"list": shown}
        + (" " + _("and %(count)s more.") % {"count": more} if more > 0 else ""),
    )


@login_required
def cycle_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Every regency/city of the cycle in the user's regions: answered, status, late, last activity, scores and
    reviewers; searched, filtered, sorted and exported. Coordinators assign a reviewer to many regions here."""
    cycle = cycle_get_for_user(request.user, pk)
    f = progress.progress_filter_from(request.GET)
    data = progress.cycle_progress(cycle, request.user, f, page=request.GET.get("page"))
    form = BulkAssignForm(user=request.user) if _may_bulk_assign(request.user) else None
    field_form = FieldSelectionForm() if user_is_national_admin(request.user) else None
    query = urlencode(f.as_query())
    context = {
        "p": data,
        "form": form,
        "field_form": field_form,
        "query": query,
        "columns": _columns(f, by_question=data.by_question),
        "export_url": reverse("reviews:cycle_progress_export", args=[cycle.pk]),
    }
    return render(request, "reviews/cycle_progress.html", context)


def _export_rows(data: list[progress.ProgressRow], *, by_question: bool) -> list[list[object]]:
    answered = _("Questions answered") if by_question else _("Indicators answered")
    header = [
        _("Code"),
        _("Regency/city"),
        _("Province"),
        answered,
        _("Of"),
        _("Answered (%)"),
        _("Status"),
        _("Late"),
        _("Last activity"),
        _("Self-score"),
        _("Verified score"),
    ]
    rows: list[list[object]] = [header]
    for r in data:
        rows.append(
            [
                r.region.code,
                r.region.name,
                r.region.parent.name if r.region.parent else "",
                r.answered,
                r.total,
                round(r.answered_share, 1),
                r.status_label,
                r.late_reason or _("no"),
                format_datetime(r.last_activity) if r.last_activity else "",
                r.self_total,
                r.verified_total,
            ]
        )
    return rows


@login_required
def cycle_progress_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Every row matching the filter (not only the page shown) as an Excel workbook or a CSV file."""
    cycle = cycle_get_for_user(request.user, pk)
    f = progress.progress_filter_from(request.GET)
    rows = _export_rows(
        progress.cycle_progress_all(cycle, request.user, f), by_question=cycle.framework.is_question_level
    )
    name = f"progress-{cycle.year}-{cycle.pk}"
    if request.GET.get("format") == "csv":
        return csv_response(f"{name}.csv", rows)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Progress")[:31]
    for row in rows:
        write_row(sheet, row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return xlsx_response(workbook_bytes(book), f"{name}.xlsx")


@login_required
@require_POST
def cycle_progress_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Assigns one reviewer to one stage of the ticked regions (or all matching the filter)."""
    cycle = cycle_get_for_user(request.user, pk)
    if not _may_bulk_assign(request.user):
        raise PermissionDenied(_("Only national admins and province coordinators assign reviewers."))
    f = progress.progress_filter_from(request.POST)
    form = BulkAssignForm(request.POST, user=request.user)
    back = reverse("reviews:cycle_progress", args=[cycle.pk]) + "?" + urlencode(f.as_query())
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(back)
    data = form.cleaned_data
    if data["all_matching"]:
        codes = progress.cycle_progress_codes(cycle, request.user, f)
    else:
        codes = [code[:13] for code in request.POST.getlist("regions")]
    try:
        done = services.reviewer_assign_bulk(
            user=request.user, cycle=cycle, stage=data["stage"], reviewer=data["reviewer"], region_codes=codes
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(back)
    messages.success(
        request,
        ngettext(
            "%(person)s was assigned to %(count)s regency/city.",
            "%(person)s was assigned to %(count)s regencies/cities.",
            len(done.assigned),
        )
        % {"person": data["reviewer"], "count": len(done.assigned)},
    )
    left_out_warn(request, done.skipped)
    return redirect(back)


LEFT_OUT_SHOWN = 20


@login_required
@require_http_methods(["GET", "POST"])
def cycle_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    """A national admin finalises every region of the cycle that is ready, in one step. The page asks first: how
    many regions will be finalised, and which are left out and why; the confirmed POST finalises those it named
    (a region that changed meanwhile is left out and the page says so)."""
    cycle = cycle_get_for_user(request.user, pk)
    if not user_is_national_admin(request.user):
        raise PermissionDenied(_("Only a national admin can finalise the results of a cycle."))
    back = reverse("reviews:cycle_progress", args=[cycle.pk])
    if is_confirmed(request):
        expected = [int(part) for part in request.POST.get("ready", "").split(",") if part.strip().isdigit()]
        try:
            done = finalise_bulk.finalise_bulk(user=request.user, cycle=cycle, expected=expected)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect(back)
        messages.success(
            request,
            ngettext(
                "%(count)s regency/city was finalised.",
                "%(count)s regencies/cities were finalised.",
                len(done.finalised),
            )
            % {"count": len(done.finalised)},
        )
        left_out_warn(request, [(item.name, item.reason) for item in done.left_out])
        return redirect(back)
    plan = finalise_bulk.finalise_plan(user=request.user, cycle=cycle)
    reasons = [
        (reason, [item.name for item in items[:LEFT_OUT_SHOWN]], max(len(items) - LEFT_OUT_SHOWN, 0), len(items))
        for reason, items in plan.reasons()
    ]
    context = {
        "cycle": cycle,
        "ready_count": len(plan.ready),
        "ready_ids": ",".join(str(pk) for pk in sorted(plan.ready)),
        "reasons": reasons,
        "left_out_count": len(plan.left_out),
        "back": back,
    }
    return render(request, "reviews/cycle_finalise.html", context)
