"""Training API at /api/v1/trainings: a region's trainings, KHA-trained staff per OPD and the warnings."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import django_auth

from layak.accounts.api_auth import TokenAuth
from layak.common.api import ErrorOut
from layak.registers.access import kabkota_get_for_user

from . import selectors

router = Router(auth=[TokenAuth(), django_auth], tags=["trainings"])


class TrainingOut(Schema):
    id: int
    kind: str
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    organiser: str
    participant_count: int
    staff_count: int


class AgencyStaffOut(Schema):
    agency_id: int
    agency: str
    people: int


class LeftMemberOut(Schema):
    name: str
    affiliation: str
    left_on: datetime.date
    trainings: list[str]


class TrainingsOut(Schema):
    region: str
    kha_trained_staff: int
    kha_trainings: int
    latest: datetime.date | None
    by_agency: list[AgencyStaffOut]
    trained_members_who_left: list[LeftMemberOut]
    trainings: list[TrainingOut]


@router.get("/{region_code}", response={200: TrainingsOut, 404: ErrorOut}, url_name="trainings_read")
def trainings_read(request: HttpRequest, region_code: str):
    """The region's trainings with participant counts, the KHA-trained government staff (overall and per OPD)
    and the trained Gugus Tugas members who have left. 404 for a region outside the caller's scope.
    """
    region = kabkota_get_for_user(user=request.auth, code=region_code)
    staff = selectors.kha_trained_staff(region=region)
    by_agency = [
        {"agency_id": r["agency_id"], "agency": r["agency__name"], "people": r["people"]}
        for r in selectors.trained_staff_by_agency(region=region)
    ]
    left = [
        {"name": m.name, "affiliation": m.affiliation, "left_on": m.left_on, "trainings": list(m.trainings)}
        for m in selectors.trained_members_who_left(region=region)
    ]
    return Status(
        200,
        {
            "region": region.code,
            "kha_trained_staff": staff.people,
            "kha_trainings": staff.trainings,
            "latest": staff.latest,
            "by_agency": by_agency,
            "trained_members_who_left": left,
            "trainings": list(selectors.training_list_for_region(region=region)[:500]),
        },
    )
