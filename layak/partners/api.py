"""Partner API at /api/v1/partners: a kab/kota's partners with their contributions, and its commitments."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth

from layak.accounts.api_auth import TokenAuth
from layak.common.api import ErrorOut
from layak.registers.access import kabkota_get_for_user

from . import selectors

router = Router(auth=[TokenAuth(), django_auth], tags=["partners"])


class ContributionOut(Schema):
    date: datetime.date
    type: str
    description: str
    facility_count: int
    value: Decimal | None
    indicator: str | None


class PartnerOut(Schema):
    id: int
    name: str
    kind: str
    apsai_member: bool
    apsai_since: datetime.date | None
    contributions: list[ContributionOut]


class CommitmentOut(Schema):
    kind: str
    date: datetime.date
    title: str
    signatories: str
    document_id: int | None


class RegionPartnersOut(Schema):
    region: str
    partners: list[PartnerOut]
    commitments: list[CommitmentOut]


def _contribution(c) -> dict:
    return {
        "date": c.date,
        "type": c.type,
        "description": c.description,
        "facility_count": c.facility_count,
        "value": c.value,
        "indicator": c.indicator.code if c.indicator else None,
    }


@router.get(
    "/{region_code}", response={200: RegionPartnersOut, 401: ErrorOut, 404: ErrorOut}, url_name="partners_region"
)
def region_partners(request: HttpRequest, region_code: str):
    """The partners of a kab/kota (404 outside your regions) with their contributions, and its commitments."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    contributions = list(selectors.contributions_for_region(region=region))
    partners = [
        {
            "id": p.pk,
            "name": p.name,
            "kind": p.kind,
            "apsai_member": p.apsai_member,
            "apsai_since": p.apsai_since,
            "contributions": [_contribution(c) for c in contributions if c.partner_id == p.pk],
        }
        for p in selectors.partner_list_for_region(region=region)
    ]
    commitments = [
        {"kind": c.kind, "date": c.date, "title": c.title, "signatories": c.signatories, "document_id": c.document_id}
        for c in selectors.commitment_list_for_region(region=region)
    ]
    return {"region": region.code, "partners": partners, "commitments": commitments}
