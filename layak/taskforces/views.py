"""HTML views of the Gugus Tugas register: thin wrappers around the selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from layak.common.forms import save_form

from . import selectors, services
from .form_helpers import form_page
from .forms import DecisionForm, DecreeForm, FollowUpForm, ImportForm, MeetingForm, MemberEditForm, MemberForm
from .permissions import can_edit_register, check_edit_register
from .xlsx import ImportRejected, xlsx_response


@login_required
def taskforce_home(request: HttpRequest, region_code: str) -> HttpResponse:
    """The region's Gugus Tugas at a glance: the decree in force and its gaps, meetings, open decisions."""
    region = selectors.region_get_for_register(user=request.user, code=region_code)
    year = timezone.localdate().year
    decree = selectors.decree_for_year(region=region, year=year)
    members = selectors.member_list(decree=decree) if decree else []
    context = {
        "region": region,
        "year": year,
        "decree": decree,
        "decrees": selectors.decree_list_for_region(region=region),
        "gaps": selectors.gaps_for_decree(decree=decree, members=members, year=year) if decree else [],
        "active_members": sum(not m.has_left for m in members),
        "summary": selectors.meeting_summary(region=region, year=year),
        "open_decisions": selectors.open_decisions_for_region(region=region),
        "today": timezone.localdate(),
        "can_edit": can_edit_register(request.user, region.code),
    }
    return render(request, "taskforces/taskforce_home.html", context)


@login_required
def decree_create(request: HttpRequest, region_code: str) -> HttpResponse:
    """The coordinator records a new decree (SK) forming the Gugus Tugas."""
    region = selectors.region_get_for_register(user=request.user, code=region_code)
    check_edit_register(request.user, region)
    form = DecreeForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        decree = save_form(form, lambda d: services.decree_create(user=request.user, region=region, **d))
        if decree:
            messages.success(request, _("The decree was recorded. Now add its members."))
            return redirect(decree)
    return form_page(request, "taskforces/decree_form.html", region=region, form=form)


@login_required
def decree_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator corrects a decree's facts or attaches its file."""
    decree = selectors.decree_get_for_user(user=request.user, pk=pk)
    check_edit_register(request.user, decree.region)
    initial = {f: getattr(decree, f) for f in ("number", "decree_date", "period_start", "period_end", "signatory")}
    form = DecreeForm(request.POST or None, request.FILES or None, initial={**initial, "notes": decree.notes})
    if request.method == "POST" and save_form(
        form, lambda d: services.decree_update(user=request.user, decree=decree, **d)
    ):
        messages.success(request, _("The decree was saved."))
        return redirect(decree)
    return form_page(request, "taskforces/decree_form.html", region=decree.region, form=form, decree=decree)


def _decree_context(request: HttpRequest, decree, **forms) -> dict:
    year = timezone.localdate().year
    members = selectors.member_list(decree=decree)
    can_edit = can_edit_register(request.user, decree.region_id)
    return {
        "decree": decree,
        "region": decree.region,
        "year": year,
        "members": members,
        "active_members": sum(not m.has_left for m in members),
        "gaps": selectors.gaps_for_decree(decree=decree, members=members, year=year),
        "can_edit": can_edit,
        "member_form": forms.get("member_form") or (MemberForm(region_code=decree.region_id) if can_edit else None),
        "import_form": forms.get("import_form") or ImportForm(),
        "import_errors": forms.get("import_errors", []),
    }


@login_required
def decree_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A decree: its facts and file, the gaps evaluators would flag, and its members."""
    decree = selectors.decree_get_for_user(user=request.user, pk=pk)
    return render(request, "taskforces/decree_detail.html", _decree_context(request, decree))


@login_required
@require_POST
def member_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator adds one member to the decree (the form sits on the decree page)."""
    decree = selectors.decree_get_for_user(user=request.user, pk=pk)
    check_edit_register(request.user, decree.region)
    form = MemberForm(request.POST, region_code=decree.region_id)
    member = save_form(form, lambda d: services.member_create(user=request.user, decree=decree, **d))
    if member:
        messages.success(request, _("%(name)s was added.") % {"name": member.name})
        return redirect(f"{decree.get_absolute_url()}#members")
    context = _decree_context(request, decree, member_form=form)
    return render(request, "taskforces/decree_detail.html", context, status=400)


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator corrects a member or records that they left the Gugus Tugas."""
    member = selectors.member_get_for_user(user=request.user, pk=pk)
    decree = member.decree
    check_edit_register(request.user, decree.region)
    fields = ("name", "position", "agency", "organisation", "role", "area", "sector", "left_on")
    initial = {f: getattr(member, f) for f in fields}
    form = MemberEditForm(request.POST or None, initial=initial, region_code=decree.region_id)
    if request.method == "POST" and save_form(
        form, lambda d: services.member_update(user=request.user, member=member, **d)
    ):
        messages.success(request, _("%(name)s was saved.") % {"name": member.name})
        return redirect(f"{decree.get_absolute_url()}#members")
    return form_page(request, "taskforces/member_form.html", form=form, member=member, decree=decree)


@login_required
@require_POST
def member_import(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator adds members from an Excel sheet; one bad row rejects the whole file."""
    decree = selectors.decree_get_for_user(user=request.user, pk=pk)
    check_edit_register(request.user, decree.region)
    form = ImportForm(request.POST, request.FILES)
    errors = []
    if form.is_valid():
        try:
            created = services.member_import(user=request.user, decree=decree, upload=form.cleaned_data["upload"])
        except ImportRejected as exc:
            errors = exc.row_errors
        except ValidationError as exc:
            form.add_error("upload", exc)
        else:
            count = len(created)
            messages.success(
                request, ngettext("%(n)s member was imported.", "%(n)s members were imported.", count) % {"n": count}
            )
            return redirect(f"{decree.get_absolute_url()}#members")
    context = _decree_context(request, decree, import_form=form, import_errors=errors)
    return render(request, "taskforces/decree_detail.html", context, status=400)


@login_required
def member_template(request: HttpRequest, region_code: str) -> HttpResponse:
    """The Excel template for importing members, listing the region's OPDs and the allowed values."""
    region = selectors.region_get_for_register(user=request.user, code=region_code)
    return xlsx_response(services.member_template(region=region), f"gugus-tugas-anggota-{region.code}.xlsx")


# --- Meetings ------------------------------------------------------------------------------------------------


def _year_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 1990 <= int(raw) <= 2100 else None


@login_required
def meeting_list(request: HttpRequest, region_code: str) -> HttpResponse:
    """The region's coordination meetings (optionally of one year) with how their decisions stand."""
    region = selectors.region_get_for_register(user=request.user, code=region_code)
    year = _year_param(request)
    context = {
        "region": region,
        "year": year,
        "years": selectors.meeting_years(region=region),
        "meetings": selectors.meeting_list_for_region(region=region, year=year)[:500],
        "can_edit": can_edit_register(request.user, region.code),
    }
    return render(request, "taskforces/meeting_list.html", context)


@login_required
def meeting_create(request: HttpRequest, region_code: str) -> HttpResponse:
    """The coordinator records a coordination meeting, then adds its decisions."""
    region = selectors.region_get_for_register(user=request.user, code=region_code)
    check_edit_register(request.user, region)
    form = MeetingForm(request.POST or None, request.FILES or None, region=region)
    if request.method == "POST":
        meeting = save_form(form, lambda d: services.meeting_create(user=request.user, region=region, **d))
        if meeting:
            messages.success(request, _("The meeting was recorded. Now add its decisions."))
            return redirect(meeting)
    return form_page(request, "taskforces/meeting_form.html", region=region, form=form)


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator corrects a meeting's facts, attendance or minutes."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    check_edit_register(request.user, meeting.region)
    initial = {f: getattr(meeting, f) for f in ("held_on", "agenda", "place", "attendee_count", "minutes")}
    initial["attendees"] = list(meeting.attendees.values_list("pk", flat=True))
    form = MeetingForm(request.POST or None, request.FILES or None, initial=initial, region=meeting.region)
    if request.method == "POST" and save_form(
        form, lambda d: services.meeting_update(user=request.user, meeting=meeting, **d)
    ):
        messages.success(request, _("The meeting was saved."))
        return redirect(meeting)
    return form_page(request, "taskforces/meeting_form.html", region=meeting.region, form=form, meeting=meeting)


def _meeting_context(request: HttpRequest, meeting, decision_form=None) -> dict:
    can_edit = can_edit_register(request.user, meeting.region_id)
    return {
        "meeting": meeting,
        "region": meeting.region,
        "attendees": selectors.meeting_attendees(meeting=meeting),
        "decisions": selectors.decision_list_for_meeting(meeting=meeting),
        "today": timezone.localdate(),
        "can_edit": can_edit,
        "decision_form": decision_form or (DecisionForm(region_code=meeting.region_id) if can_edit else None),
    }


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting: agenda, attendance, minutes and its decisions with their follow-ups."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    return render(request, "taskforces/meeting_detail.html", _meeting_context(request, meeting))


@login_required
@require_POST
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator adds a decision of the meeting (the form sits on the meeting page)."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    check_edit_register(request.user, meeting.region)
    form = DecisionForm(request.POST, region_code=meeting.region_id)
    if save_form(form, lambda d: services.decision_create(user=request.user, meeting=meeting, **d)):
        messages.success(request, _("The decision was added."))
        return redirect(f"{meeting.get_absolute_url()}#decisions")
    return render(request, "taskforces/meeting_detail.html", _meeting_context(request, meeting, form), status=400)


@login_required
def decision_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """A decision with its follow-ups; the coordinator notes progress until it is done."""
    decision = selectors.decision_get_for_user(user=request.user, pk=pk)
    can_edit = can_edit_register(request.user, decision.meeting.region_id)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("Only the KLA coordinator of the region can follow up decisions."))
    form = FollowUpForm(request.POST or None, initial={"status": decision.status}) if can_edit else None
    saved = request.method == "POST" and save_form(
        form, lambda d: services.decision_follow_up(user=request.user, decision=decision, **d)
    )
    if saved:
        messages.success(request, _("The follow-up was recorded."))
        return redirect(f"{decision.meeting.get_absolute_url()}#decisions")
    context = {"decision": decision, "meeting": decision.meeting, "region": decision.meeting.region, "form": form}
    context["today"] = timezone.localdate()
    return form_page(request, "taskforces/decision_detail.html", **context)
