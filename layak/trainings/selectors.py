"""Reads of the training register, scoped to the user (404 outside their regions) and bounded in queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from layak.accounts.selectors import Viewer
from layak.regions.models import Region
from layak.registers.access import can_read_register

from .choices import KHA_KINDS
from .models import Participant, Training


def training_list_for_region(*, region: Region) -> QuerySet[Training]:
    """The region's trainings, newest first, with their participant counts (government staff apart), one query."""
    return (
        Training.objects.filter(region=region)
        .annotate(
            participant_count=Count("participants"),
            staff_count=Count("participants", filter=Q(participants__agency__isnull=False)),
        )
        .order_by("-starts_on", "-id")
    )


def training_get_for_user(*, user: Viewer, pk: int) -> Training:
    """One training with its region and materials file; 404 outside the user's regions."""
    training = Training.objects.select_related("region", "materials_evidence").filter(pk=pk).first()
    if training is None or not can_read_register(user, training.region_id):
        raise Http404
    return training


def participant_list(*, training: Training) -> list[Participant]:
    """The training's participants by name, with OPD and Gugus Tugas member record (one query)."""
    return list(training.participants.select_related("agency", "taskforce_member").order_by("name_key", "id"))


def _completed_kha(region: Region, year: int | None = None) -> QuerySet[Participant]:
    """Participants of the region's KHA trainings that had ended by the end of `year` (or by today)."""
    today = timezone.localdate()
    until = min(datetime.date(year, 12, 31), today) if year else today
    return Participant.objects.filter(
        training__region=region, training__kind__in=KHA_KINDS, training__ends_on__lte=until
    )


@dataclass(frozen=True)
class TrainedStaff:
    """KHA-trained government staff: distinct people (by OPD and name), the trainings, the newest end date."""

    people: int
    trainings: int
    latest: datetime.date | None


def kha_trained_staff(*, region: Region, year: int | None = None) -> TrainedStaff:
    """Distinct government participants (OPD set) of KHA trainings completed by the end of the year (2 queries)."""
    staff = _completed_kha(region, year).filter(agency__isnull=False)
    people = staff.values("agency_id", "name_key").distinct().count()
    facts = staff.aggregate(trainings=Count("training", distinct=True), latest=Max("training__ends_on"))
    return TrainedStaff(people, facts["trainings"], facts["latest"])


def trained_staff_by_agency(*, region: Region) -> list[dict[str, Any]]:
    """Per OPD, how many distinct people have completed a KHA training (one query), most first."""
    rows = (
        _completed_kha(region)
        .filter(agency__isnull=False)
        .values("agency_id", "agency__name", "agency__short_name")
        .annotate(people=Count("name_key", distinct=True), trainings=Count("training", distinct=True))
    )
    return sorted((dict(row) for row in rows), key=lambda r: (-r["people"], r["agency__name"]))


@dataclass(frozen=True)
class LeftMember:
    """A Gugus Tugas member trained in the KHA who has since left: the warning's subject."""

    member_id: int
    name: str
    affiliation: str
    left_on: datetime.date
    trainings: tuple[str, ...]


def trained_members_who_left(*, region: Region) -> list[LeftMember]:
    """Gugus Tugas members who took a KHA training and are now marked as having left (one query)."""
    rows = (
        Participant.objects.filter(
            training__region=region, training__kind__in=KHA_KINDS, taskforce_member__left_on__isnull=False
        )
        .select_related("taskforce_member__agency", "training")
        .order_by("taskforce_member__name", "training__starts_on")
    )
    found: dict[int, LeftMember] = {}
    for p in rows:
        member = p.taskforce_member
        if member is None or member.left_on is None:  # the filter above excludes both
            continue
        known = found.get(member.pk)
        titles = (*known.trainings, p.training.title) if known else (p.training.title,)
        found[member.pk] = LeftMember(member.pk, member.name, member.affiliation, member.left_on, titles)
    return list(found.values())
