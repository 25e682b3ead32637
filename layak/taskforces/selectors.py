"""Reads of the Gugus Tugas register, scoped to the user (404 outside their regions) and bounded in queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from layak.accounts.selectors import Viewer
from layak.regions.models import Region
from layak.registers.access import can_read_register

from .choices import DecisionStatus
from .gaps import Gap, MemberFacts, decree_gaps
from .models import KLA, Decision, Decree, Meeting, Member


def decree_list_for_region(*, region: Region) -> QuerySet[Decree]:
    """Every decree of the region, newest period first, with its count of members still in the Gugus Tugas."""
    return (
        Decree.objects.filter(region=region)
        .select_related("kind")
        .annotate(member_count=Count("members", filter=Q(members__left_on__isnull=True)))
        .order_by("-period_start", "-decree_date", "-id")
    )


def decree_for_year(*, region: Region, year: int, kind: str = KLA) -> Decree | None:
    """The decree of a kind of task force (the Gugus Tugas KLA by default) in force in `year` or, when none
    covers it, the newest one issued for earlier years."""
    return (
        Decree.objects.filter(region=region, period_start__lte=year, kind__code=kind)
        .select_related("evidence", "region", "kind")
        .order_by("-period_start", "-decree_date", "-id")
        .first()
    )


def decree_get_for_user(*, user: Viewer, pk: int) -> Decree:
    """One decree with its region and file; 404 outside the user's regions."""
    decree = Decree.objects.select_related("region", "evidence", "kind").filter(pk=pk).first()
    if decree is None or not can_read_register(user, decree.region_id):
        raise Http404
    return decree


def member_list(*, decree: Decree) -> list[Member]:
    """The decree's members in structure order (ketua, sekretaris, coordinators, members) with their OPD."""
    order = {"ketua": 0, "sekretaris": 1, "koordinator": 2, "anggota": 3}
    members = list(decree.members.select_related("agency"))
    return sorted(members, key=lambda m: (m.has_left, order.get(m.role, 9), m.area, m.name.casefold()))


def member_get_for_user(*, user: Viewer, pk: int) -> Member:
    """One member with their decree, region and OPD; 404 outside the user's regions."""
    member = Member.objects.select_related("decree__region", "agency").filter(pk=pk).first()
    if member is None or not can_read_register(user, member.decree.region_id):
        raise Http404
    return member


def gaps_for_decree(*, decree: Decree, members: list[Member], year: int) -> list[Gap]:
    """The evaluator's findings for the decree in `year`, from an already loaded member list; only a decree of
    the Gugus Tugas KLA is checked against the KLA structure."""
    if not decree.kind.kla_structure:
        return []
    facts = [MemberFacts(m.role, m.area, m.sector) for m in members if not m.has_left]
    return decree_gaps(period_start=decree.period_start, period_end=decree.period_end, year=year, members=facts)


def gaps_for_region(*, region: Region, year: int) -> tuple[Decree | None, list[Gap]]:
    """The decree of the year and its findings (two queries); (None, []) when the region has no decree."""
    decree = decree_for_year(region=region, year=year)
    if decree is None or not decree.kind.kla_structure:
        return decree, []
    facts = [
        MemberFacts(*row) for row in decree.members.filter(left_on__isnull=True).values_list("role", "area", "sector")
    ]
    gaps = decree_gaps(period_start=decree.period_start, period_end=decree.period_end, year=year, members=facts)
    return decree, gaps


# --- Meetings and decisions ----------------------------------------------------------------------------------


def meeting_list_for_region(*, region: Region, year: int | None = None) -> QuerySet[Meeting]:
    """The region's meetings, newest first, with their decision counts (done and overdue) in one query."""
    today = timezone.localdate()
    meetings = Meeting.objects.filter(region=region).prefetch_related("kinds")
    if year is not None:
        meetings = meetings.filter(held_on__year=year)
    return meetings.annotate(
        decision_count=Count("decisions", distinct=True),
        done_count=Count("decisions", filter=Q(decisions__status=DecisionStatus.DONE), distinct=True),
        overdue_count=Count(
            "decisions",
            filter=~Q(decisions__status=DecisionStatus.DONE) & Q(decisions__due_on__lt=today),
            distinct=True,
        ),
        present_count=Count("attendees", distinct=True),
    ).order_by("-held_on", "-id")


def meeting_years(*, region: Region) -> list[int]:
    """The years in which the region recorded meetings, newest first (for the year filter)."""
    return sorted({d.year for d in Meeting.objects.filter(region=region).dates("held_on", "year")}, reverse=True)


def meeting_get_for_user(*, user: Viewer, pk: int) -> Meeting:
    """One meeting with its region and minutes file; 404 outside the user's regions."""
    meeting = (
        Meeting.objects.select_related("region", "minutes_evidence")
        .prefetch_related("kinds", "guests")
        .filter(pk=pk)
        .first()
    )
    if meeting is None or not can_read_register(user, meeting.region_id):
        raise Http404
    return meeting


def meeting_attendees(*, meeting: Meeting) -> list[Member]:
    """The Gugus Tugas members marked present, by name, with their OPD (one query)."""
    return list(meeting.attendees.select_related("agency").order_by("name"))


def decision_list_for_meeting(*, meeting: Meeting) -> list[Decision]:
    """The meeting's decisions with owner OPD and every follow-up (two queries)."""
    return list(meeting.decisions.select_related("owner_agency").prefetch_related("follow_ups__created_by"))


def decision_get_for_user(*, user: Viewer, pk: int) -> Decision:
    """One decision with its meeting, owner OPD and follow-ups; 404 outside the user's regions."""
    decision = (
        Decision.objects.select_related("meeting__region", "owner_agency")
        .prefetch_related("follow_ups__created_by")
        .filter(pk=pk)
        .first()
    )
    if decision is None or not can_read_register(user, decision.meeting.region_id):
        raise Http404
    return decision


def open_decisions_for_region(*, region: Region, limit: int = 50) -> list[Decision]:
    """Decisions not done yet, the most urgent first, with owner OPD and meeting (one query)."""
    return list(
        Decision.objects.filter(meeting__region=region)
        .exclude(status=DecisionStatus.DONE)
        .select_related("owner_agency", "meeting")
        .order_by("due_on", "id")[:limit]
    )


@dataclass(frozen=True)
class MeetingSummary:
    """The meetings of one year in numbers: how many, the newest date, and how their decisions stand."""

    year: int
    meetings: int
    latest: date | None
    decisions_due: int
    decisions_due_done: int
    open_decisions: int
    overdue_decisions: int


def meeting_summary(*, region: Region, year: int) -> MeetingSummary:
    """Counts for one year in two queries; decisions count by their due date in the year."""
    m = Meeting.objects.filter(region=region, held_on__year=year).aggregate(n=Count("id"), latest=Max("held_on"))
    today = timezone.localdate()
    not_done = ~Q(status=DecisionStatus.DONE)
    d = Decision.objects.filter(meeting__region=region).aggregate(
        due=Count("id", filter=Q(due_on__year=year)),
        due_done=Count("id", filter=Q(due_on__year=year, status=DecisionStatus.DONE)),
        open=Count("id", filter=not_done),
        overdue=Count("id", filter=not_done & Q(due_on__lt=today)),
    )
    return MeetingSummary(year, m["n"], m["latest"], d["due"], d["due_done"], d["open"], d["overdue"])


def other_taskforces(*, region: Region, year: int) -> list[Decree]:
    """The region's decrees of task forces other than the Gugus Tugas KLA covering `year` (TPPO, PAUD-HI ...),
    with their kind and member counts (one query)."""
    return list(
        Decree.objects.filter(region=region, period_start__lte=year, period_end__gte=year)
        .exclude(kind__code=KLA)
        .select_related("kind")
        .annotate(member_count=Count("members", filter=Q(members__left_on__isnull=True)))
        .order_by("kind__name", "-period_start")
    )
