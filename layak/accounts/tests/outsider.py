"""The team pages: only the coordinator of the region (or a national admin) sees its accounts."""

from __future__ import annotations

from typing import Any

from layak.common.testing import HIDDEN, LOGIN, Check


def _member(w) -> dict[str, Any]:
    from layak.accounts.models import User
    from layak.accounts.team import team_account_create
    from layak.accounts.tests.factories import make_agency
    from layak.regions.models import Region

    existing = User.objects.filter(username="dinsos_x").first()
    if existing is None:
        region = Region.objects.get(code="31.71")
        agency = make_agency("31.71", "Dinas Sosial", "Dinsos")
        existing, _link = team_account_create(
            by=w.owner, region=region, username="dinsos_x", full_name="X", agency=agency
        )
    return {"pk": existing.pk}


CHECKS: dict[str, Check] = {
    "accounts:team": Check(HIDDEN, LOGIN, {"region_code": "31.71"}),
    "accounts:team_member_deactivate": Check(HIDDEN, LOGIN, _member, method="post"),
    "accounts:team_member_activate": Check(HIDDEN, LOGIN, _member, method="post"),
}
