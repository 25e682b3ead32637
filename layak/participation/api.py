"""Forum Anak API at /api/v1/participation: a kab/kota's forums (aggregate numbers only) and their inputs."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth

from layak.accounts.api_auth import TokenAuth
from layak.common.api import ErrorOut
from layak.registers.access import kabkota_get_for_user

from . import selectors

router = Router(auth=[TokenAuth(), django_auth], tags=["participation"])


class ForumOut(Schema):
    id: int
    name: str
    level: int
    region: str
    established_on: datetime.date | None
    sk_number: str
    active: bool
    member_count: int
    activity_count: int


class InputOut(Schema):
    forum_id: int
    date: datetime.date
    channel: str
    text: str
    status: str
    follow_up: str


class RegionParticipationOut(Schema):
    region: str
    forums: list[ForumOut]
    inputs: list[InputOut]


@router.get(
    "/{region_code}",
    response={200: RegionParticipationOut, 401: ErrorOut, 404: ErrorOut},
    url_name="participation_region",
)
def region_participation(request: HttpRequest, region_code: str):
    """The Forum Anak of a kab/kota (404 outside your regions) and the children's inputs with their follow-up."""
    kabkota = kabkota_get_for_user(user=request.user, code=region_code)
    forums = [
        {
            "id": f.pk,
            "name": f.name,
            "level": f.level,
            "region": f.region_id,
            "established_on": f.established_on,
            "sk_number": f.sk_number,
            "active": f.active,
            "member_count": f.member_count,
            "activity_count": f.activity_count,
        }
        for f in selectors.forum_list_for_region(kabkota=kabkota)
    ]
    inputs = [
        {
            "forum_id": i.forum_id,
            "date": i.date,
            "channel": i.channel,
            "text": i.text,
            "status": i.status,
            "follow_up": i.follow_up,
        }
        for i in selectors.input_list_for_region(kabkota=kabkota)
    ]
    return {"region": kabkota.code, "forums": forums, "inputs": inputs}
