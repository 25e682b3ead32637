"""Gugus Tugas API at /api/v1/taskforces: a region's decree in force, its members, gaps and meetings summary."""

from __future__ import annotations

import datetime
from dataclasses import asdict

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.security import django_auth

from layak.accounts.api_auth import TokenAuth
from layak.common.api import ErrorOut
from layak.registers.access import kabkota_get_for_user

from . import selectors

router = Router(auth=[TokenAuth(), django_auth], tags=["taskforces"])


class MemberOut(Schema):
    name: str
    position: str
    agency: str | None
    organisation: str
    role: str
    area: str
    sector: str
    left_on: datetime.date | None


class DecreeOut(Schema):
    id: int
    number: str
    decree_date: datetime.date
    period_start: int
    period_end: int
    signatory: str
    evidence_id: int | None


class GapOut(Schema):
    code: str
    message: str


class MeetingSummaryOut(Schema):
    year: int
    meetings: int
    latest: datetime.date | None
    decisions_due: int
    decisions_due_done: int
    open_decisions: int
    overdue_decisions: int


class TaskforceOut(Schema):
    region: str
    year: int
    decree: DecreeOut | None
    members: list[MemberOut]
    gaps: list[GapOut]
    meetings: MeetingSummaryOut


def _member(m) -> dict:
    return {
        "name": m.name,
        "position": m.position,
        "agency": m.agency.name if m.agency_id else None,
        "organisation": m.organisation,
        "role": m.role,
        "area": m.area,
        "sector": m.sector,
        "left_on": m.left_on,
    }


@router.get("/{region_code}", response={200: TaskforceOut, 404: ErrorOut}, url_name="taskforce_read")
def taskforce_read(request: HttpRequest, region_code: str, year: int | None = None):
    """The decree in force in `year` (default: this year), its members, the gaps evaluators would flag and the
    year's meetings in numbers. 404 for a region outside the caller's scope.
    """
    region = kabkota_get_for_user(user=request.auth, code=region_code)
    year = year or timezone.localdate().year
    decree = selectors.decree_for_year(region=region, year=year)
    members = selectors.member_list(decree=decree) if decree else []
    gaps = selectors.gaps_for_decree(decree=decree, members=members, year=year) if decree else []
    return Status(
        200,
        {
            "region": region.code,
            "year": year,
            "decree": decree,
            "members": [_member(m) for m in members],
            "gaps": [{"code": g.code, "message": g.message} for g in gaps],
            "meetings": asdict(selectors.meeting_summary(region=region, year=year)),
        },
    )
