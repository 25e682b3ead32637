"""Starting a job and running it: the one place that records a job's status, progress and outcome.

A feature starts its job with `job_start` from its own service (which checks who may and audits), passing its
task (a `django_tasks` task taking the job's id). The task calls `job_run(job_id, work)`: `work(job, progress)`
does the slow part, reporting `progress(done, total)`, and returns the facts the result page shows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from layak.common.generations import bump_on_commit

from .choices import JobKind, JobStatus
from .models import Job
from .selectors import jobs_generation

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Work = Callable[[Job, Progress], dict[str, Any]]


def job_start(
    *,
    kind: JobKind,
    owner: Any,
    task: Any,
    subject: str = "",
    scope: str = "",
    params: dict[str, Any] | None = None,
    total: int = 0,
) -> Job:
    """Records a queued job and hands its id to `task` in one transaction: with the database backend the
    queue's row lands with the job's, so a worker never sees one without the other."""
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            owner=owner,
            subject=subject[:200],
            scope=scope,
            params=params or {},
            total=total,
            language=translation.get_language() or "id",
        )
        task.enqueue(job.pk)
    job.refresh_from_db()
    return job


def _progress(job: Job) -> Progress:
    def report(done: int, total: int) -> None:
        job.done, job.total = done, total
        Job.objects.filter(pk=job.pk).update(done=done, total=total)
        bump_on_commit(jobs_generation(job.owner_id))  # a queryset update sends no model signal

    return report


def _finish(job: Job, status: str, **fields: Any) -> None:
    fields.update(status=status, finished_at=timezone.now())
    for name, value in fields.items():
        setattr(job, name, value)
    Job.objects.filter(pk=job.pk).update(**fields)
    bump_on_commit(jobs_generation(job.owner_id))  # a queryset update sends no model signal


def job_run(job_id: int, work: Work) -> Job | None:
    """Runs a queued job once (a task delivered twice finds it no longer queued and does nothing), in its
    owner's language. A refusal (ValidationError, PermissionDenied) ends it with that sentence; anything else
    ends it with a general sentence and is raised again, so the queue keeps the traceback for the operator."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    job = Job.objects.get(pk=job_id)
    bump_on_commit(jobs_generation(job.owner_id))  # claimed by a queryset update, which sends no model signal
    with translation.override(job.language):
        try:
            result = work(job, _progress(job))
        except (ValidationError, PermissionDenied) as exc:
            _finish(job, JobStatus.FAILED, error=" ".join(_messages(exc)), result=_row_errors(exc))
            return job
        except Exception:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            _finish(job, JobStatus.FAILED, error=_("The job stopped because of an error; please start it again."))
            raise
        _finish(job, JobStatus.DONE, result=result, done=max(job.done, job.total), total=job.total)
    return job


def _row_errors(exc: Exception) -> dict[str, Any]:
    """An all-or-nothing import's row errors (`ImportRejected.row_errors`), kept for the result page."""
    rows = getattr(exc, "row_errors", None) or []
    return {
        "row_errors": [{"sheet": e.sheet, "row": e.row, "column": e.column, "message": str(e.message)} for e in rows]
    }


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return [str(message) for message in exc.messages]
    return [str(exc) or _("This is not allowed.")]
