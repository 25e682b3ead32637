"""Forum Anak test data for Jakarta Pusat (31.71), made through the services."""

from __future__ import annotations

import datetime

from layak.participation import services
from layak.regions.tests.factories import make_region


def make_forum(user, code="31.71", *, name=None, active=True, established=datetime.date(2020, 7, 23)):
    return services.forum_create(
        user=user,
        kabkota=make_region("31.71"),
        region=make_region(code),
        name=name or f"Forum Anak {code}",
        established_on=established,
        active=active,
        member_count=25,
    )
