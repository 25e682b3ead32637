"""HTML views of the Gugus Tugas register: thin wrappers around the selectors and services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from layak.common.spreadsheets import xlsx_response
from layak.registers.access import can_edit_register, check_edit_register, kabkota_get_for_user
from layak.registers.views import DetailPage, RowsPage, form_page, form_view

from . import selectors, services
from .forms import DecisionForm, DecreeForm, FollowUpForm, MeetingForm, MemberEditForm, MemberForm


@login_required
def taskforce_home(request: HttpRequest, region_code: str) -> HttpResponse:
    """The region's Gugus Tugas at a glance: the decree in force and its gaps, meetings, open decisions."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    year = timezone.localdate().year
    decree = selectors.decree_for_year(region=region, year=year)
    members = selectors.member_list(decree=decree) if decree else []
    context = {
        "region": region,
        "year": year,
        "decree": decree,
        "decrees": selectors.decree_list_for_region(region=region),
        "others": selectors.other_taskforces(region=region, year=year),
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
    region = kabkota_get_for_user(user=request.user, code=region_code)
    check_edit_register(request.user, region)
    form = DecreeForm(request.POST or None, request.FILES or None)
    success = _("The decree was recorded. Now add its members.")
    return form_view(
        request,
        form,
        lambda d: services.decree_create(user=request.user, region=region, **d),
        template="taskforces/decree_form.html",
        success=success,
        region=region,
    )


@login_required
def decree_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator corrects a decree's facts or attaches its file."""
    decree = selectors.decree_get_for_user(user=request.user, pk=pk)
    check_edit_register(request.user, decree.region)
    initial = {f: getattr(decree, f) for f in ("number", "decree_date", "period_start", "period_end", "signatory")}
    initial |= {"notes": decree.notes, "kind": decree.kind_id}
    form = DecreeForm(request.POST or None, request.FILES or None, initial=initial)
    return form_view(
        request,
        form,
        lambda d: services.decree_update(user=request.user, decree=decree, **d),
        template="taskforces/decree_form.html",
        success=_("The decree was saved."),
        region=decree.region,
        decree=decree,
    )


def _decree_context(request: HttpRequest, decree) -> dict:
    year = timezone.localdate().year
    members = selectors.member_list(decree=decree)
    return {
        "decree": decree,
        "region": decree.region,
        "year": year,
        "members": members,
        "active_members": sum(not m.has_left for m in members),
        "gaps": selectors.gaps_for_decree(decree=decree, members=members, year=year),
    }


def _members_imported(n: int) -> str:
    return ngettext("%(n)s member was imported.", "%(n)s members were imported.", n) % {"n": n}


MEMBERS = RowsPage(
    template="taskforces/decree_detail.html",
    anchor="members",
    key="decree",
    get=selectors.decree_get_for_user,
    context=_decree_context,
    add_form=lambda decree, data: MemberForm(data, region_code=decree.region_id),
    create=services.member_create,
    import_rows=services.member_import,
    imported=_members_imported,
)
decree_detail = MEMBERS.detail_view("A decree: its facts and file, the gaps evaluators would flag, and its members.")
member_create = MEMBERS.add_view("The coordinator adds one member to the decree (the form sits on the decree page).")
member_import = MEMBERS.import_view("The coordinator adds members from an Excel sheet; one bad row rejects the file.")


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator corrects a member or records that they left the Gugus Tugas."""
    member = selectors.member_get_for_user(user=request.user, pk=pk)
    decree = member.decree
    check_edit_register(request.user, decree.region)
    fields = ("name", "position", "agency", "organisation", "role", "area", "sector", "left_on")
    initial = {f: getattr(member, f) for f in fields}
    form = MemberEditForm(request.POST or None, initial=initial, region_code=decree.region_id)
    return form_view(
        request,
        form,
        lambda d: services.member_update(user=request.user, member=member, **d),
        template="taskforces/member_form.html",
        success=_("%(name)s was saved.") % {"name": member.name},
        redirect_to=lambda _saved: f"{decree.get_absolute_url()}#members",
        member=member,
        decree=decree,
    )


@login_required
def member_template(request: HttpRequest, region_code: str) -> HttpResponse:
    """The Excel template for importing members, listing the region's OPDs and the allowed values."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    return xlsx_response(services.member_template(region=region), f"gugus-tugas-anggota-{region.code}.xlsx")


# --- Meetings ------------------------------------------------------------------------------------------------


def _year_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 1990 <= int(raw) <= 2100 else None


@login_required
def meeting_list(request: HttpRequest, region_code: str) -> HttpResponse:
    """The region's coordination meetings (optionally of one year) with how their decisions stand."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
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
    region = kabkota_get_for_user(user=request.user, code=region_code)
    check_edit_register(request.user, region)
    form = MeetingForm(request.POST or None, request.FILES or None, region=region)
    success = _("The meeting was recorded. Now add its decisions.")
    return form_view(
        request,
        form,
        lambda d: services.meeting_create(user=request.user, region=region, **d),
        template="taskforces/meeting_form.html",
        success=success,
        region=region,
    )


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator corrects a meeting's facts, attendance or minutes."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    check_edit_register(request.user, meeting.region)
    initial = {f: getattr(meeting, f) for f in ("held_on", "agenda", "place", "attendee_count", "minutes")}
    initial["attendees"] = list(meeting.attendees.values_list("pk", flat=True))
    initial["kinds"] = list(meeting.kinds.values_list("pk", flat=True))
    initial["guests"] = "\n".join(
        f"{'*' if g.is_speaker else ''}{g.name} — {g.organisation}" for g in meeting.guests.all()
    )
    form = MeetingForm(request.POST or None, request.FILES or None, initial=initial, region=meeting.region)
    return form_view(
        request,
        form,
        lambda d: services.meeting_update(user=request.user, meeting=meeting, **d),
        template="taskforces/meeting_form.html",
        success=_("The meeting was saved."),
        region=meeting.region,
        meeting=meeting,
    )


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


MEETING_PAGE = DetailPage("taskforces/meeting_detail.html", "meeting", selectors.meeting_get_for_user, _meeting_context)
decision_create = MEETING_PAGE.post_view(
    "decision_form",
    lambda meeting, data: DecisionForm(data, region_code=meeting.region_id),
    services.decision_create,
    gettext_lazy("The decision was added."),
    anchor="decisions",
    edit_check=True,
)


@login_required
def decision_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """A decision with its follow-ups; the coordinator notes progress until it is done."""
    decision = selectors.decision_get_for_user(user=request.user, pk=pk)
    can_edit = can_edit_register(request.user, decision.meeting.region_id)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("Only the KLA coordinator of the region can follow up decisions."))
    context = {"decision": decision, "meeting": decision.meeting, "region": decision.meeting.region}
    context["today"] = timezone.localdate()
    if not can_edit:
        return form_page(request, "taskforces/decision_detail.html", form=None, **context)
    return form_view(
        request,
        FollowUpForm(request.POST or None, initial={"status": decision.status}),
        lambda d: services.decision_follow_up(user=request.user, decision=decision, **d),
        template="taskforces/decision_detail.html",
        success=_("The follow-up was recorded."),
        redirect_to=lambda _saved: f"{decision.meeting.get_absolute_url()}#decisions",
        **context,
    )
