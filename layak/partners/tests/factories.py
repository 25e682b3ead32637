"""Partner test data for Jakarta Pusat (31.71), made through the services."""

from __future__ import annotations

import datetime

from layak.partners import services
from layak.regions.tests.factories import make_region


def make_partner(user, *, name="PT Sahabat Anak", kind="business", apsai=False, since=None):
    return services.partner_create(
        user=user, region=make_region("31.71"), name=name, kind=kind, apsai_member=apsai, apsai_since=since
    )


def contribute(user, partner, *, type="csr", day=datetime.date(2025, 3, 1), facilities=0):
    return services.contribution_create(
        user=user, partner=partner, date=day, type=type, description=f"{type} {day}", facility_count=facilities
    )
