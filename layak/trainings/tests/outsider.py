"""Outsider checks of the training pages and API (see tests/test_outsider_everywhere.py)."""

from __future__ import annotations

import datetime
from typing import Any

from layak.common.testing import HIDDEN, LOGIN, UNAUTHORIZED, Check

REGION = "31.71"


def sample(w) -> dict[str, Any]:
    """A Bimtek KHA of 31.71 with one participant, owned by its coordinator (made once)."""
    if "_training_sample" not in w.__dict__:
        from layak.regions.tests.factories import make_region
        from layak.trainings import services

        day = datetime.date(2025, 3, 12)
        training = services.training_create(
            user=w.owner, region=make_region(REGION), kind="bimtek_kha", title="Bimtek KHA", starts_on=day, ends_on=day
        )
        participant = services.participant_create(user=w.owner, training=training, name="Peserta", organisation="LPA")
        w.__dict__["_training_sample"] = {"training": training, "participant": participant}
    return w.__dict__["_training_sample"]


def _region(w) -> dict[str, str]:
    return {"region_code": REGION}


def _training(w) -> dict[str, int]:
    return {"pk": sample(w)["training"].pk}


CHECKS: dict[str, Check] = {
    "trainings:training_summary": Check(HIDDEN, LOGIN, _region),
    "trainings:training_create": Check(HIDDEN, LOGIN, _region),
    "trainings:participant_template": Check(HIDDEN, LOGIN, _region),
    "trainings:training_detail": Check(HIDDEN, LOGIN, _training),
    "trainings:training_edit": Check(HIDDEN, LOGIN, _training),
    "trainings:participant_create": Check(HIDDEN, LOGIN, _training, method="post", data={"name": "X"}),
    "trainings:participant_import": Check(HIDDEN, LOGIN, _training, method="post"),
    "trainings:participant_remove": Check(
        HIDDEN,
        LOGIN,
        lambda w: {"pk": sample(w)["training"].pk, "participant_id": sample(w)["participant"].pk},
        method="post",
    ),
    "GET /api/v1/trainings/{region_code}": Check(HIDDEN, UNAUTHORIZED, _region),
}
