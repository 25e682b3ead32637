"""Outsider checks of the Gugus Tugas pages and API (see tests/test_outsider_everywhere.py)."""

from __future__ import annotations

import datetime
from typing import Any

from layak.common.testing import HIDDEN, LOGIN, UNAUTHORIZED, Check

REGION = "31.71"


def sample(w) -> dict[str, Any]:
    """A decree with a member, and a meeting with a decision, of 31.71 owned by its coordinator (made once)."""
    if "_taskforce_sample" not in w.__dict__:
        from layak.accounts.tests.factories import make_agency
        from layak.regions.tests.factories import make_region
        from layak.taskforces import services

        region = make_region(REGION)
        agency = make_agency(REGION, "Badan Perencanaan Pembangunan Daerah", "Bappeda")
        decree = services.decree_create(
            user=w.owner,
            region=region,
            number="188.45/1/2025",
            decree_date=datetime.date(2025, 1, 2),
            period_start=2025,
            period_end=2027,
        )
        member = services.member_create(
            user=w.owner, decree=decree, name="Ketua GT", role="ketua", sector="pemerintah", agency=agency
        )
        meeting = services.meeting_create(
            user=w.owner, region=region, held_on=datetime.date(2025, 2, 1), agenda="Rakor"
        )
        decision = services.decision_create(
            user=w.owner, meeting=meeting, text="Tindak lanjut", owner_agency=agency, due_on=datetime.date(2025, 3, 1)
        )
        w.__dict__["_taskforce_sample"] = {"decree": decree, "member": member, "meeting": meeting, "decision": decision}
    return w.__dict__["_taskforce_sample"]


def _region(w) -> dict[str, str]:
    return {"region_code": REGION}


def _pk(name: str):
    return lambda w: {"pk": sample(w)[name].pk}


CHECKS: dict[str, Check] = {
    "taskforces:taskforce_home": Check(HIDDEN, LOGIN, _region),
    "taskforces:decree_create": Check(HIDDEN, LOGIN, _region),
    "taskforces:member_template": Check(HIDDEN, LOGIN, _region),
    "taskforces:meeting_list": Check(HIDDEN, LOGIN, _region),
    "taskforces:meeting_create": Check(HIDDEN, LOGIN, _region),
    "taskforces:decree_detail": Check(HIDDEN, LOGIN, _pk("decree")),
    "taskforces:decree_edit": Check(HIDDEN, LOGIN, _pk("decree")),
    "taskforces:member_create": Check(
        HIDDEN, LOGIN, _pk("decree"), method="post", data={"name": "X", "role": "anggota", "sector": "media"}
    ),
    "taskforces:member_import": Check(HIDDEN, LOGIN, _pk("decree"), method="post"),
    "taskforces:member_edit": Check(HIDDEN, LOGIN, _pk("member")),
    "taskforces:meeting_detail": Check(HIDDEN, LOGIN, _pk("meeting")),
    "taskforces:meeting_edit": Check(HIDDEN, LOGIN, _pk("meeting")),
    "taskforces:decision_create": Check(HIDDEN, LOGIN, _pk("meeting"), method="post", data={"text": "X"}),
    "taskforces:decision_follow_up": Check(HIDDEN, LOGIN, _pk("decision")),
    "GET /api/v1/taskforces/{region_code}": Check(HIDDEN, UNAUTHORIZED, _region),
}
