"""The cycle's time windows for verification: when a stage's reviewer actions are allowed (with the region's
extensions). A read shared by the services that enforce it and the review page that explains it."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from layak.common.numbers import format_datetime
from layak.evaluations.choices import Stage
from layak.evaluations.models import Assessment
from layak.evaluations.selectors import stage_closes_at

from . import workflow


def window_refusal(assessment: Assessment, state: str, now: datetime | None = None) -> str | None:
    """Why the stage of this state cannot be worked on now: its window has not opened or has closed (with the
    region's extensions), or None. A read, used by the services and the review page."""
    stage = workflow.STATE_WINDOW.get(state)
    if stage is None:
        return None
    now = now or timezone.now()
    cycle, region = assessment.cycle, assessment.region
    start, _end = cycle.window(stage)
    where = {"stage": Stage(stage).label, "region": region.name}
    if now < start:
        return _(
            "The %(stage)s window opens on %(when)s; this stage cannot be worked on before then. A national admin "
            "can change the cycle's schedule."
        ) % {**where, "when": format_datetime(start)}
    closes = stage_closes_at(cycle, stage, region.code)
    if now > closes:
        return _(
            "The %(stage)s window for %(region)s closed on %(when)s. A national admin can extend it for this region."
        ) % {**where, "when": format_datetime(closes)}
    return None
