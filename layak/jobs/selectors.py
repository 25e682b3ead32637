"""Reading jobs: a person sees the jobs they started, nobody else's."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from .choices import JobKind
from .models import Job


def job_get_for_user(user: Any, pk: int) -> Job:
    """The user's own job, or 404 (another person's job is not found, not forbidden)."""
    job = Job.objects.filter(pk=pk, owner_id=getattr(user, "pk", None)).first()
    if job is None:
        raise Http404
    return job


def jobs_generation(owner_id: int | None) -> str:
    """The generation of one person's jobs: bumped on every write of a job of theirs (`JobsConfig`, the services'
    updates), so a page may keep their job list under it."""
    return f"jobs:{owner_id}"


def job_list_for_user(user: Any, kind: JobKind, *, subject_key: str, limit: int = 5) -> list[Job]:
    """The user's latest jobs of one kind about one thing (e.g. one cycle's bundles), newest first, one query."""
    if not getattr(user, "is_authenticated", False):
        return []
    rows = Job.objects.filter(owner_id=user.pk, kind=kind, params__key=subject_key)
    return list(rows.order_by("-created_at", "-id")[:limit])
