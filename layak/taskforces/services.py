"""Business actions on the Gugus Tugas register: decrees, members (one by one or from Excel), meetings,
decisions and their follow-ups.

Only the region's coordinator (or a national admin) may act; each action runs in one transaction and writes one
audit event. Files (the signed decree, the minutes) are stored as evidence of the region through the evidence
app, so they can support indicators too.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from layak.accounts.models import Agency, User
from layak.audit.services import audit_record
from layak.common import plausibility
from layak.common import spreadsheets as xlsx
from layak.evidence.models import Evidence
from layak.evidence.services import evidence_create_from_upload
from layak.regions.models import Region
from layak.registers.access import check_edit_register

from .choices import AREA_SHORT, DecisionStatus, MemberArea, MemberRole, Sector
from .models import KLA, Decision, Decree, FollowUp, Guest, Meeting, Member, TaskforceKind, name_key

MIN_YEAR, MAX_YEAR, MAX_PERIOD_YEARS = 1990, 2100, 10


def _audit(user: User, verb: str, target: Model, region_code: str, summary: str, **after: Any) -> None:
    audit_record(actor=user, verb=verb, target=target, region_code=region_code, summary=summary, after=after or None)


def _store_file(
    *, user: User, region: Region, upload: File[Any] | None, title: str, number: str = "", on: Any = None
) -> Evidence | None:
    if upload is None:
        return None
    return evidence_create_from_upload(
        user=user, region=region, upload=upload, title=title, document_number=number, document_date=on
    )


# --- Decrees -------------------------------------------------------------------------------------------------


def _check_decree(*, number: str, period_start: int, period_end: int, decree_date: datetime.date) -> None:
    errors = plausibility.happened(decree_date, "decree_date")
    if not number.strip():
        errors["number"] = _("Enter the decree number as printed on the SK.")
    for field, year in (("period_start", period_start), ("period_end", period_end)):
        if not MIN_YEAR <= year <= MAX_YEAR:
            errors[field] = _("Enter a year between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}
    if not errors and period_end < period_start:
        errors["period_end"] = _("The last year cannot come before the first year.")
    elif not errors and period_end - period_start >= MAX_PERIOD_YEARS:
        errors["period_end"] = _("A decree covers at most %(n)s years; check the years.") % {"n": MAX_PERIOD_YEARS}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def decree_create(
    *,
    user: User,
    region: Region,
    number: str,
    decree_date: datetime.date,
    period_start: int,
    period_end: int,
    signatory: str = "",
    notes: str = "",
    upload: File[Any] | None = None,
    kind: TaskforceKind | None = None,
) -> Decree:
    """Records a decree forming a task force (the Gugus Tugas KLA unless `kind` says another) for a period of
    years; its signed file becomes evidence."""
    check_edit_register(user, region)
    kind = kind or kla_kind()
    _check_decree(number=number, period_start=period_start, period_end=period_end, decree_date=decree_date)
    evidence = _store_file(
        user=user,
        region=region,
        upload=upload,
        title=_("SK %(kind)s %(n)s") % {"kind": kind.name, "n": number.strip()},
        number=number.strip(),
        on=decree_date,
    )
    decree = Decree.objects.create(
        region=region,
        kind=kind,
        number=number.strip(),
        decree_date=decree_date,
        period_start=period_start,
        period_end=period_end,
        signatory=signatory.strip(),
        notes=notes,
        evidence=evidence,
        created_by=user,
    )
    _audit(user, "taskforce.decree_created", decree, region.code, str(decree), period=[period_start, period_end])
    return decree


@transaction.atomic
def decree_update(
    *,
    user: User,
    decree: Decree,
    number: str,
    decree_date: datetime.date,
    period_start: int,
    period_end: int,
    signatory: str = "",
    notes: str = "",
    upload: File[Any] | None = None,
    kind: TaskforceKind | None = None,
) -> Decree:
    """Corrects a decree's facts; a new file replaces the link to the old one (which stays in the library)."""
    check_edit_register(user, decree.region)
    decree.kind = kind or decree.kind
    _check_decree(number=number, period_start=period_start, period_end=period_end, decree_date=decree_date)
    before = {"number": decree.number, "period": [decree.period_start, decree.period_end]}
    evidence = _store_file(
        user=user,
        region=decree.region,
        upload=upload,
        title=_("SK %(kind)s %(n)s") % {"kind": decree.kind.name, "n": number.strip()},
        number=number.strip(),
        on=decree_date,
    )
    decree.number, decree.decree_date = number.strip(), decree_date
    decree.period_start, decree.period_end = period_start, period_end
    decree.signatory, decree.notes = signatory.strip(), notes
    decree.evidence = evidence or decree.evidence
    decree.save()
    audit_record(
        actor=user,
        verb="taskforce.decree_updated",
        target=decree,
        region_code=decree.region_id,
        summary=str(decree),
        before=before,
        after={"number": decree.number, "period": [period_start, period_end]},
    )
    return decree


# --- Members -------------------------------------------------------------------------------------------------


def _member_errors(
    *, decree: Decree, name: str, agency: Agency | None, organisation: str, role: str, area: str, sector: str
) -> dict[str, str]:
    """Field -> message for everything wrong with one member (shared by the form and the Excel import)."""
    errors = {}
    if not name.strip():
        errors["name"] = _("Enter the member's name.")
    if role not in MemberRole.values:
        errors["role"] = _("Choose a role: ketua, sekretaris, koordinator or anggota.")
    if area and area not in MemberArea.values:
        errors["area"] = _("Choose kelembagaan or a klaster (I to V) as the sub-group.")
    elif role == MemberRole.KOORDINATOR and not area:
        errors["area"] = _("A coordinator leads a sub-group: choose kelembagaan or a klaster (I to V).")
    if sector not in Sector.values:
        errors["sector"] = _("Choose a sector: pemerintah, lembaga_masyarakat, dunia_usaha, media or lainnya.")
    if agency is not None and agency.region_id != decree.region_id:
        errors["agency"] = _("This OPD belongs to another region; choose an OPD of %(region)s.") % {
            "region": decree.region.name
        }
    elif agency is not None and sector != Sector.PEMERINTAH and "sector" not in errors:
        errors["sector"] = _("An OPD is part of the government: choose the sector Government, or clear the OPD.")
    if agency is None and not organisation.strip():
        errors["organisation"] = _("Choose the member's OPD or enter the organisation they come from.")
    return errors


def _member_facts(member: Member) -> dict[str, Any]:
    return {"name": member.name, "role": member.role, "area": member.area, "sector": member.sector}


@transaction.atomic
def member_create(
    *,
    user: User,
    decree: Decree,
    name: str,
    role: str,
    sector: str,
    area: str = "",
    position: str = "",
    agency: Agency | None = None,
    organisation: str = "",
) -> Member:
    """Adds a person named in the decree (name, position, OPD or organisation, role, sub-group, sector)."""
    check_edit_register(user, decree.region)
    fields: dict[str, Any] = {"name": name, "agency": agency, "organisation": organisation, "role": role, "area": area}
    errors = _member_errors(decree=decree, sector=sector, **fields)
    if errors:
        raise ValidationError(errors)
    member = Member.objects.create(
        decree=decree,
        name=name.strip(),
        name_key=name_key(name),
        position=position.strip(),
        agency=agency,
        organisation=organisation.strip(),
        role=role,
        area=area,
        sector=sector,
    )
    _audit(user, "taskforce.member_added", member, decree.region_id, member.name, **_member_facts(member))
    return member


@transaction.atomic
def member_update(
    *,
    user: User,
    member: Member,
    name: str,
    role: str,
    sector: str,
    area: str = "",
    position: str = "",
    agency: Agency | None = None,
    organisation: str = "",
    left_on: datetime.date | None = None,
) -> Member:
    """Corrects a member, or marks them as having left the Gugus Tugas (`left_on`); the record stays."""
    decree = member.decree
    check_edit_register(user, decree.region)
    fields: dict[str, Any] = {"name": name, "agency": agency, "organisation": organisation, "role": role, "area": area}
    errors = _member_errors(decree=decree, sector=sector, **fields)
    if left_on and left_on > timezone.localdate():
        errors["left_on"] = _("Record a departure once it has happened; the date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    before = {**_member_facts(member), "left_on": str(member.left_on or "")}
    member.name, member.name_key, member.position = name.strip(), name_key(name), position.strip()
    member.agency, member.organisation = agency, organisation.strip()
    member.role, member.area, member.sector, member.left_on = role, area, sector, left_on
    member.save()
    audit_record(
        actor=user,
        verb="taskforce.member_updated",
        target=member,
        region_code=decree.region_id,
        summary=member.name,
        before=before,
        after={**_member_facts(member), "left_on": str(left_on or "")},
    )
    return member


def member_columns() -> list[xlsx.Column]:
    """The columns of the member import sheet, in order, with translated headers."""
    return [
        xlsx.Column("name", _("Name")),
        xlsx.Column("position", _("Position")),
        xlsx.Column("agency", _("OPD")),
        xlsx.Column("organisation", _("Organisation")),
        xlsx.Column("role", _("Role")),
        xlsx.Column("area", _("Sub-group")),
        xlsx.Column("sector", _("Sector")),
    ]


def agency_lookup(region_code: str) -> dict[str, Agency]:
    """The region's OPDs by folded name and short name (one query)."""
    lookup = {}
    for agency in Agency.objects.filter(region_id=region_code):
        lookup[xlsx.fold(agency.name)] = agency
        if agency.short_name:
            lookup.setdefault(xlsx.fold(agency.short_name), agency)
    return lookup


def _area_lookup() -> dict[str, str]:
    numerals = ["I", "II", "III", "IV", "V"]
    extra = {
        f"klaster_{n}": [numerals[n - 1], str(n), f"klaster {numerals[n - 1]}", f"cluster {n}"] for n in range(1, 6)
    }
    extra["kelembagaan"] = ["institutional", "kelembagaan"]
    return xlsx.choice_lookup(MemberArea, extra)


ROLE_EXTRA = {
    "ketua": ["chair", "ketua"],
    "sekretaris": ["secretary"],
    "koordinator": ["coordinator"],
    "anggota": ["member"],
}
SECTOR_EXTRA = {
    "pemerintah": ["government", "opd"],
    "lembaga_masyarakat": ["ngo", "lsm", "lembaga masyarakat"],
    "dunia_usaha": ["business", "swasta", "dunia usaha"],
    "media": ["pers", "press"],
    "lainnya": ["other", "akademisi", "perguruan tinggi", "forum anak"],
}


def _member_from_row(
    row: xlsx.SheetRow, decree: Decree, lookups: dict[str, Any], seen: set[str]
) -> tuple[Member | None, list[Any]]:
    cells = row.cells
    role = lookups["role"].get(xlsx.fold(cells["role"]), cells["role"] or MemberRole.ANGGOTA)
    area = lookups["area"].get(xlsx.fold(cells["area"]), cells["area"]) if cells["area"] else ""
    sector = lookups["sector"].get(xlsx.fold(cells["sector"]), cells["sector"] or Sector.PEMERINTAH)
    agency = lookups["agency"].get(xlsx.fold(cells["agency"])) if cells["agency"] else None
    problems = []
    if cells["agency"] and agency is None:
        message = _("No OPD named “%(name)s” in %(region)s; use a name from the “Allowed values” sheet.")
        problems.append(row.error("agency", message % {"name": cells["agency"], "region": decree.region.name}))
    fields = {
        "name": cells["name"],
        "agency": agency,
        "organisation": cells["organisation"],
        "role": role,
        "area": area,
    }
    errors = _member_errors(decree=decree, sector=sector, **fields)
    if cells["agency"] and agency is None:
        errors.pop("organisation", None)
    problems += [row.error(field, message) for field, message in errors.items()]
    key = name_key(cells["name"])
    if key and key in seen:
        problems.append(row.error("name", _("This person is already listed in the decree or higher up in the sheet.")))
    seen.add(key)
    if problems:
        return None, problems
    member = Member(
        decree=decree,
        name=cells["name"],
        name_key=key,
        position=cells["position"],
        agency=agency,
        organisation=cells["organisation"],
        role=role,
        area=area,
        sector=sector,
    )
    return member, []


@transaction.atomic
def member_import(*, user: User, decree: Decree, upload: File[Any]) -> list[Member]:
    """Adds every member listed in an .xlsx sheet, or none: any row error rejects the whole file (ImportRejected)."""
    check_edit_register(user, decree.region)
    rows = xlsx.read_rows(upload, member_columns())
    lookups = {
        "role": xlsx.choice_lookup(MemberRole, ROLE_EXTRA),
        "area": _area_lookup(),
        "sector": xlsx.choice_lookup(Sector, SECTOR_EXTRA),
        "agency": agency_lookup(decree.region_id),
    }
    seen = set(decree.members.values_list("name_key", flat=True))
    members, errors = [], []
    for row in rows:
        member, problems = _member_from_row(row, decree, lookups, seen)
        errors += problems
        if member is not None:
            members.append(member)
    if errors:
        raise xlsx.ImportRejected(errors)
    created = Member.objects.bulk_create(members)
    _audit(user, "taskforce.members_imported", decree, decree.region_id, str(decree), count=len(created))
    return created


def member_template(*, region: Region) -> bytes:
    """The member import template for a region: the sheet with examples and the allowed values (its OPDs)."""
    agencies = list(Agency.objects.filter(region=region).order_by("name").values_list("name", flat=True))
    example_opd = agencies[0] if agencies else ""
    examples = [
        ["Ir. H. Contoh Nama, M.Si", "Kepala Bappeda", example_opd, "", "ketua", "", "pemerintah"],
        ["Contoh Nama", "Direktur", "", "Lembaga Perlindungan Anak", "anggota", "Klaster V", "lembaga_masyarakat"],
    ]
    lists = {
        _("Role"): list(MemberRole.values),
        _("Sub-group"): list(AREA_SHORT.values()),
        _("Sector"): list(Sector.values),
        _("OPD"): agencies,
    }
    return xlsx.build_template(title=_("Members"), columns=member_columns(), examples=examples, lists=lists)


# --- Meetings, decisions and follow-ups ----------------------------------------------------------------------


# The kinds every installation has (the migration creates them; more are added in the admin).
DEFAULT_KINDS = [
    (KLA, "Gugus Tugas KLA", "Perpres 25/2021 Kebijakan Kabupaten/Kota Layak Anak", True),
    (
        "tppo",
        "Gugus Tugas Pencegahan dan Penanganan TPPO",
        "UU 21/2007 Pasal 58; Perpres 69/2008 → 22/2021 → 49/2023",
        False,
    ),
    (
        "paud_hi",
        "Gugus Tugas PAUD Holistik Integratif",
        "Perpres 60/2013 Pengembangan Anak Usia Dini Holistik Integratif",
        False,
    ),
]


def taskforce_kinds() -> dict[str, TaskforceKind]:
    """Every kind of task force by code, the default ones made again if they are missing (two queries)."""
    kinds = {k.code: k for k in TaskforceKind.objects.all()}
    for code, name, basis, kla in DEFAULT_KINDS:
        if code not in kinds:
            kinds[code] = TaskforceKind.objects.create(code=code, name=name, legal_basis=basis, kla_structure=kla)
    return kinds


def kla_kind() -> TaskforceKind:
    """The Gugus Tugas KLA (created by the migration; made again if someone deleted it)."""
    return taskforce_kinds()[KLA]


def _check_guests(guests: Sequence[tuple[str, str, bool]]) -> list[tuple[str, str, bool]]:
    cleaned = [(n.strip(), o.strip(), bool(sp)) for n, o, sp in guests if n.strip() or o.strip()]
    if any(not n or not o for n, o, _sp in cleaned):
        raise ValidationError({"guests": _("Give each guest's name and organisation, for example “Rina — IOM”.")})
    return cleaned


def _check_meeting(
    *, region: Region, held_on: Any, agenda: str, attendee_count: Any, attendees: Sequence[Member]
) -> None:
    errors = {}
    if not agenda.strip():
        errors["agenda"] = _("Enter the meeting's agenda.")
    if held_on > timezone.localdate():
        errors["held_on"] = _("Record a meeting once it has been held; the date cannot be in the future.")
    if any(m.decree.region_id != region.code for m in attendees):
        errors["attendees"] = _("Choose members of this region's Gugus Tugas.")
    if attendee_count is not None and attendee_count < len(attendees):
        errors["attendee_count"] = _("The number of attendees cannot be smaller than the members marked present.")
    errors = (
        plausibility.happened(held_on, "held_on")
        | plausibility.at_most(attendee_count, "meeting_attendees", "attendee_count")
        | errors
    )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_create(
    *,
    user: User,
    region: Region,
    held_on: datetime.date,
    agenda: str,
    place: str = "",
    attendee_count: int | None = None,
    attendees: Sequence[Member] = (),
    minutes: str = "",
    upload: File[Any] | None = None,
    kinds: Sequence[TaskforceKind] = (),
    guests: Sequence[tuple[str, str, bool]] = (),
) -> Meeting:
    """Records a coordination meeting (rakor) of one task force, or a joint meeting of several (`kinds`, the
    Gugus Tugas KLA by default), with guests from outside (name, organisation, speaker or not); a minutes file
    becomes evidence."""
    check_edit_register(user, region)
    kinds = list(kinds) or [kla_kind()]
    guests = _check_guests(guests)
    attendees = list(attendees)
    _check_meeting(region=region, held_on=held_on, agenda=agenda, attendee_count=attendee_count, attendees=attendees)
    evidence = _store_file(
        user=user,
        region=region,
        upload=upload,
        on=held_on,
        title=_("Minutes of the Gugus Tugas meeting of %(date)s") % {"date": held_on.isoformat()},
    )
    meeting = Meeting.objects.create(
        region=region,
        held_on=held_on,
        agenda=agenda.strip(),
        place=place.strip(),
        attendee_count=attendee_count,
        minutes=minutes,
        minutes_evidence=evidence,
        created_by=user,
    )
    meeting.attendees.set(attendees)
    meeting.kinds.set(kinds)
    Guest.objects.bulk_create([Guest(meeting=meeting, name=n, organisation=o, is_speaker=sp) for n, o, sp in guests])
    _audit(
        user, "taskforce.meeting_recorded", meeting, region.code, str(meeting), attendees=len(attendees),
        taskforces=[k.code for k in kinds], guests=len(guests),
    )  # fmt: skip
    return meeting


@transaction.atomic
def meeting_update(
    *,
    user: User,
    meeting: Meeting,
    held_on: datetime.date,
    agenda: str,
    place: str = "",
    attendee_count: int | None = None,
    attendees: Sequence[Member] = (),
    minutes: str = "",
    upload: File[Any] | None = None,
    kinds: Sequence[TaskforceKind] = (),
    guests: Sequence[tuple[str, str, bool]] | None = None,
) -> Meeting:
    """Corrects a meeting's facts, attendance, task forces, guests (when given) or minutes."""
    region = meeting.region
    check_edit_register(user, region)
    new_guests = None if guests is None else _check_guests(guests)
    attendees = list(attendees)
    _check_meeting(region=region, held_on=held_on, agenda=agenda, attendee_count=attendee_count, attendees=attendees)
    evidence = _store_file(
        user=user,
        region=region,
        upload=upload,
        on=held_on,
        title=_("Minutes of the Gugus Tugas meeting of %(date)s") % {"date": held_on.isoformat()},
    )
    before = {"held_on": meeting.held_on.isoformat(), "agenda": meeting.agenda}
    meeting.held_on, meeting.agenda, meeting.place = held_on, agenda.strip(), place.strip()
    meeting.attendee_count, meeting.minutes = attendee_count, minutes
    meeting.minutes_evidence = evidence or meeting.minutes_evidence
    meeting.save()
    meeting.attendees.set(attendees)
    if kinds:
        meeting.kinds.set(kinds)
    if new_guests is not None:
        meeting.guests.all().delete()
        Guest.objects.bulk_create(
            [Guest(meeting=meeting, name=n, organisation=o, is_speaker=sp) for n, o, sp in new_guests]
        )
    audit_record(
        actor=user,
        verb="taskforce.meeting_updated",
        target=meeting,
        region_code=region.code,
        summary=str(meeting),
        before=before,
        after={"held_on": held_on.isoformat(), "agenda": meeting.agenda},
    )
    return meeting


@transaction.atomic
def decision_create(
    *, user: User, meeting: Meeting, text: str, owner_agency: Agency, due_on: datetime.date
) -> Decision:
    """Adds a decision of the meeting with the OPD that owns it and its due date; it starts open."""
    check_edit_register(user, meeting.region)
    errors = {}
    if not text.strip():
        errors["text"] = _("Write down what was decided.")
    if owner_agency.region_id != meeting.region_id:
        errors["owner_agency"] = _("Choose an OPD of %(region)s.") % {"region": meeting.region.name}
    if due_on < meeting.held_on:
        errors["due_on"] = _("The due date cannot come before the meeting.")
    errors = plausibility.planned(due_on, "due_on") | errors
    if errors:
        raise ValidationError(errors)
    decision = Decision.objects.create(meeting=meeting, text=text.strip(), owner_agency=owner_agency, due_on=due_on)
    _audit(
        user,
        "taskforce.decision_added",
        decision,
        meeting.region_id,
        decision.text[:120],
        owner=owner_agency.name,
        due_on=due_on.isoformat(),
    )
    return decision


@transaction.atomic
def decision_follow_up(
    *, user: User, decision: Decision, status: str, note: str, noted_on: datetime.date | None = None
) -> FollowUp:
    """Notes how a decision is going and sets its status; `done` records the date it was done."""
    region = decision.meeting.region
    check_edit_register(user, region)
    noted_on = noted_on or timezone.localdate()
    errors = {}
    if status not in DecisionStatus.values:
        errors["status"] = _("Choose open, in progress or done.")
    if not note.strip():
        errors["note"] = _("Write what was done or what is still missing.")
    if noted_on < decision.meeting.held_on or noted_on > timezone.localdate():
        errors["noted_on"] = _("The date must fall between the meeting and today.")
    if errors:
        raise ValidationError(errors)
    before = decision.status
    follow_up = FollowUp.objects.create(
        decision=decision, noted_on=noted_on, note=note.strip(), status=status, created_by=user
    )
    decision.status = status
    decision.done_on = noted_on if status == DecisionStatus.DONE else None
    decision.save(update_fields=["status", "done_on"])
    audit_record(
        actor=user,
        verb="taskforce.decision_followed_up",
        target=decision,
        region_code=region.code,
        summary=note.strip(),
        before={"status": before},
        after={"status": status},
    )
    return follow_up
