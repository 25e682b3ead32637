"""A job's page and its status part: the person who started it only (another person's job is not found)."""

from __future__ import annotations

from typing import Any

from layak.common.testing import HIDDEN, LOGIN, Check


def _owners_job(w) -> dict[str, Any]:
    from layak.jobs.choices import JobKind
    from layak.jobs.models import Job

    return {"pk": Job.objects.create(kind=JobKind.RECOMPUTE, owner=w.owner, subject="KLA 2025").pk}


CHECKS: dict[str, Check] = {
    "jobs:job_detail": Check(HIDDEN, LOGIN, _owners_job),
    "jobs:job_status": Check(HIDDEN, LOGIN, _owners_job),
}
