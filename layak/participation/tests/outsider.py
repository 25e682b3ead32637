"""What the outsider (coordinator of 63.71) and an anonymous visitor get from every Forum Anak URL of 31.71."""

from __future__ import annotations

import datetime

from layak.common.testing import HIDDEN, LOGIN, UNAUTHORIZED, Check

REGION = {"region_code": "31.71"}


def _forum(w):
    from layak.participation.tests.factories import make_forum

    if not hasattr(w, "_forum"):
        w._forum = make_forum(w.owner)
    return w._forum


def forum_kwargs(w):
    return {"pk": _forum(w).pk}


def input_kwargs(w):
    from layak.participation.services import child_input_create

    if not hasattr(w, "_child_input"):
        w._child_input = child_input_create(
            user=w.owner, forum=_forum(w), date=datetime.date(2025, 2, 1), channel="policy", text="Usulan"
        )
    return {"pk": w._child_input.pk}


CHECKS: dict[str, Check] = {
    "participation:region_forums": Check(HIDDEN, LOGIN, REGION),
    "participation:forum_create": Check(HIDDEN, LOGIN, REGION),
    "participation:forum_detail": Check(HIDDEN, LOGIN, forum_kwargs),
    "participation:forum_edit": Check(HIDDEN, LOGIN, forum_kwargs),
    "participation:activity_create": Check(HIDDEN, LOGIN, forum_kwargs, method="post"),
    "participation:input_create": Check(HIDDEN, LOGIN, forum_kwargs, method="post"),
    "participation:input_follow_up": Check(HIDDEN, LOGIN, input_kwargs),
    "GET /api/v1/participation/{region_code}": Check(HIDDEN, UNAUTHORIZED, REGION),
}
