"""The evidence app's periodic job: sweeping abandoned resumable uploads (also `manage.py sweep_uploads`)."""

from __future__ import annotations

from django_tasks import task

from .services import run_upload_sessions_sweep


@task()
def sweep_uploads_task() -> int:
    """Deletes unfinished uploads older than LAYAK_UPLOAD_SESSION_HOURS with their bytes; returns how many."""
    return run_upload_sessions_sweep()
