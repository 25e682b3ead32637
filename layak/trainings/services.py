"""Business actions on the training register: trainings, participants (one by one or from Excel).

Only the region's coordinator (or a national admin) may act; each action runs in one transaction and writes one
audit event. A materials file is stored as evidence of the region through the evidence app.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from layak.accounts.models import Agency, User
from layak.audit.services import audit_record
from layak.common import plausibility
from layak.common import spreadsheets as xlsx
from layak.evidence.models import Evidence
from layak.evidence.services import evidence_create_from_upload
from layak.regions.models import Region
from layak.registers.access import check_edit_register
from layak.taskforces.models import Member, name_key
from layak.taskforces.services import agency_lookup

from .choices import TrainingKind
from .models import Participant, Training


def _check_training(*, kind: str, title: str, starts_on: datetime.date, ends_on: datetime.date) -> None:
    errors = {}
    if kind not in TrainingKind.values:
        errors["kind"] = _("Choose the type of training.")
    if not title.strip():
        errors["title"] = _("Enter the training's title, for example “Bimtek Konvensi Hak Anak bagi OPD”.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The last day cannot come before the first day.")
    errors = plausibility.planned(starts_on, "starts_on") | plausibility.planned(ends_on, "ends_on") | errors
    if errors:
        raise ValidationError(errors)


def _materials(
    *, user: User, region: Region, upload: File[Any] | None, title: str, on: datetime.date
) -> Evidence | None:
    if upload is None:
        return None
    label = _("Materials: %(title)s") % {"title": title.strip()}
    return evidence_create_from_upload(user=user, region=region, upload=upload, title=label, document_date=on)


@transaction.atomic
def training_create(
    *,
    user: User,
    region: Region,
    kind: str,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    organiser: str = "",
    trainers: str = "",
    materials: str = "",
    notes: str = "",
    upload: File[Any] | None = None,
) -> Training:
    """Records a training (Bimtek/Diklat/TOT KHA or other) of the region; a materials file becomes evidence."""
    check_edit_register(user, region)
    _check_training(kind=kind, title=title, starts_on=starts_on, ends_on=ends_on)
    training = Training.objects.create(
        region=region,
        kind=kind,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        organiser=organiser.strip(),
        trainers=trainers.strip(),
        materials=materials,
        notes=notes,
        materials_evidence=_materials(user=user, region=region, upload=upload, title=title, on=starts_on),
        created_by=user,
    )
    audit_record(
        actor=user,
        verb="training.created",
        target=training,
        region_code=region.code,
        summary=training.title,
        after={"kind": kind, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
    )
    return training


@transaction.atomic
def training_update(
    *,
    user: User,
    training: Training,
    kind: str,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    organiser: str = "",
    trainers: str = "",
    materials: str = "",
    notes: str = "",
    upload: File[Any] | None = None,
) -> Training:
    """Corrects a training's facts; a new materials file replaces the link to the old one."""
    region = training.region
    check_edit_register(user, region)
    _check_training(kind=kind, title=title, starts_on=starts_on, ends_on=ends_on)
    before = {"kind": training.kind, "title": training.title, "ends_on": training.ends_on.isoformat()}
    evidence = _materials(user=user, region=region, upload=upload, title=title, on=starts_on)
    training.kind, training.title, training.starts_on, training.ends_on = kind, title.strip(), starts_on, ends_on
    training.organiser, training.trainers = organiser.strip(), trainers.strip()
    training.materials, training.notes = materials, notes
    training.materials_evidence = evidence or training.materials_evidence
    training.save()
    audit_record(
        actor=user,
        verb="training.updated",
        target=training,
        region_code=region.code,
        summary=training.title,
        before=before,
        after={"kind": kind, "title": training.title, "ends_on": ends_on.isoformat()},
    )
    return training


# --- Participants --------------------------------------------------------------------------------------------


def _member_for(training: Training, key: str) -> Member | None:
    """The region's Gugus Tugas member with this name, preferring one still in the task force (one query)."""
    return (
        Member.objects.filter(decree__region_id=training.region_id, name_key=key)
        .order_by(F("left_on").asc(nulls_first=True), "-decree__period_start", "-id")
        .first()
    )


def _participant_errors(
    *, training: Training, name: str, agency: Agency | None, organisation: str, member: Member | None
) -> dict[str, str]:
    errors = {}
    if not name.strip():
        errors["name"] = _("Enter the participant's name.")
    if agency is not None and agency.region_id != training.region_id:
        errors["agency"] = _("This OPD belongs to another region; choose an OPD of %(region)s.") % {
            "region": training.region.name
        }
    if agency is None and not organisation.strip():
        errors["organisation"] = _("Choose the participant's OPD or enter the organisation they come from.")
    if member is not None and member.decree.region_id != training.region_id:
        errors["taskforce_member"] = _("Choose a member of this region's Gugus Tugas.")
    return errors


@transaction.atomic
def participant_create(
    *,
    user: User,
    training: Training,
    name: str,
    agency: Agency | None = None,
    organisation: str = "",
    position: str = "",
    is_taskforce_member: bool = False,
    taskforce_member: Member | None = None,
    certificate_issued: bool = False,
    certificate_number: str = "",
) -> Participant:
    """Adds a participant; a Gugus Tugas member is linked to their member record (found by name if not given)."""
    check_edit_register(user, training.region)
    errors = _participant_errors(
        training=training, name=name, agency=agency, organisation=organisation, member=taskforce_member
    )
    key = name_key(name)
    if training.participants.filter(name_key=key, agency=agency).exists():
        errors.setdefault("name", _("This person is already listed as a participant of this training."))
    if errors:
        raise ValidationError(errors)
    if is_taskforce_member and taskforce_member is None:
        taskforce_member = _member_for(training, key)
    participant = Participant.objects.create(
        training=training,
        name=name.strip(),
        name_key=key,
        agency=agency,
        organisation=organisation.strip(),
        position=position.strip(),
        is_taskforce_member=is_taskforce_member or taskforce_member is not None,
        taskforce_member=taskforce_member,
        certificate_issued=certificate_issued or bool(certificate_number.strip()),
        certificate_number=certificate_number.strip(),
    )
    audit_record(
        actor=user,
        verb="training.participant_added",
        target=participant,
        region_code=training.region_id,
        summary=participant.name,
        after={"training": training.pk, "agency": agency.pk if agency else None},
    )
    return participant


@transaction.atomic
def participant_remove(*, user: User, participant: Participant) -> None:
    """Takes a participant entered by mistake off the training's list."""
    training = participant.training
    check_edit_register(user, training.region)
    audit_record(
        actor=user,
        verb="training.participant_removed",
        target=participant,
        region_code=training.region_id,
        summary=participant.name,
        before={"training": training.pk, "name": participant.name},
    )
    participant.delete()


def participant_columns() -> list[xlsx.Column]:
    """The columns of the participant import sheet, in order, with translated headers."""
    return [
        xlsx.Column("name", _("Name")),
        xlsx.Column("agency", _("OPD")),
        xlsx.Column("organisation", _("Organisation")),
        xlsx.Column("position", _("Position")),
        xlsx.Column("is_taskforce_member", _("Gugus Tugas member (ya/tidak)")),
        xlsx.Column("certificate_issued", _("Certificate issued (ya/tidak)")),
        xlsx.Column("certificate_number", _("Certificate number")),
    ]


def _yes_no(row: xlsx.SheetRow, key: str, problems: list[Any]) -> bool:
    value = xlsx.parse_yes_no(row.cells[key])
    if value is None:
        problems.append(row.error(key, _("Write “ya” or “tidak” (yes or no).")))
    return bool(value)


def _participant_from_row(
    row: xlsx.SheetRow, training: Training, agencies: dict[str, Any], seen: set[Any]
) -> tuple[Any, ...]:
    cells, problems = row.cells, []
    agency = agencies.get(xlsx.fold(cells["agency"])) if cells["agency"] else None
    if cells["agency"] and agency is None:
        message = _("No OPD named “%(name)s” in %(region)s; use a name from the “Allowed values” sheet.")
        problems.append(row.error("agency", message % {"name": cells["agency"], "region": training.region.name}))
    fields: dict[str, Any] = {"name": cells["name"], "agency": agency, "organisation": cells["organisation"]}
    fields["member"] = None
    errors = _participant_errors(training=training, **fields)
    if cells["agency"]:
        errors.pop("organisation", None)
    problems += [row.error(field, message) for field, message in errors.items()]
    in_taskforce = _yes_no(row, "is_taskforce_member", problems)
    issued = _yes_no(row, "certificate_issued", problems)
    key = (name_key(cells["name"]), agency.pk if agency else None)
    if key[0] and key in seen:
        problems.append(row.error("name", _("This person is already a participant or is listed twice in the sheet.")))
    seen.add(key)
    if problems:
        return None, problems
    participant = Participant(
        training=training,
        name=cells["name"],
        name_key=key[0],
        agency=agency,
        organisation=cells["organisation"],
        position=cells["position"],
        is_taskforce_member=in_taskforce,
        certificate_issued=issued or bool(cells["certificate_number"]),
        certificate_number=cells["certificate_number"],
    )
    return participant, []


def _link_members(training: Training, participants: list[Participant]) -> None:
    """Links participants marked as Gugus Tugas members to the region's member records by name (one query)."""
    keys = {p.name_key for p in participants if p.is_taskforce_member}
    members: dict[str, Member] = {}
    rows = Member.objects.filter(decree__region_id=training.region_id, name_key__in=keys)
    for member in rows.order_by(F("left_on").desc(nulls_last=True), "decree__period_start", "id"):
        members[member.name_key] = member  # the last one wins: still in the task force, newest decree
    for p in participants:
        if p.is_taskforce_member:
            p.taskforce_member = members.get(p.name_key)


@transaction.atomic
def participant_import(*, user: User, training: Training, upload: File[Any]) -> list[Participant]:
    """Adds every participant listed in an .xlsx sheet, or none: any row error rejects the file (ImportRejected)."""
    check_edit_register(user, training.region)
    rows = xlsx.read_rows(upload, participant_columns())
    agencies = agency_lookup(training.region_id)
    seen = set(training.participants.values_list("name_key", "agency_id"))
    participants, errors = [], []
    for row in rows:
        participant, problems = _participant_from_row(row, training, agencies, seen)
        errors += problems
        if participant is not None:
            participants.append(participant)
    if errors:
        raise xlsx.ImportRejected(errors)
    _link_members(training, participants)
    created = Participant.objects.bulk_create(participants)
    audit_record(
        actor=user,
        verb="training.participants_imported",
        target=training,
        region_code=training.region_id,
        summary=training.title,
        after={"count": len(created)},
    )
    return created


def participant_template(*, region: Region) -> bytes:
    """The participant import template for a region: the sheet with examples and its OPDs as allowed values."""
    agencies = list(Agency.objects.filter(region=region).order_by("name").values_list("name", flat=True))
    example_opd = agencies[0] if agencies else ""
    examples = [
        ["Contoh Nama, S.Sos", example_opd, "", "Analis Kebijakan", "ya", "ya", "001/BIMTEK-KHA/2025"],
        ["Contoh Nama Lain", "", "Lembaga Perlindungan Anak", "Relawan", "tidak", "tidak", ""],
    ]
    lists = {_("OPD"): agencies, _("Yes/no"): ["ya", "tidak"]}
    return xlsx.build_template(title=_("Participants"), columns=participant_columns(), examples=examples, lists=lists)
