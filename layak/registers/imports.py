"""Large register imports as jobs (decision 0010): an upload over LAYAK_IMPORT_JOB_BYTES is kept in the
"exports" storage and imported by a worker; the person sees "processing…" and then the same all-or-nothing
result (every row error listed, nothing imported) on the job's page.

A job cannot carry a view's closure, so each import registers an *importer* under a key: a function
`(user, ref, upload)` that finds the record again from `ref` as that user (404 outside their regions), checks
that they may still change it, and calls the same service the request would. `RowsPage` registers its own;
other import views call `register_importer` at import time.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.core.files import File
from django.core.files.storage import storages
from django.urls import get_resolver
from django_tasks import task

from layak.jobs.choices import JobKind
from layak.jobs.models import Job
from layak.jobs.services import Progress, job_run, job_start

Importer = Callable[[Any, str, Any], list[Any]]
IMPORTERS: dict[str, Importer] = {}
STORAGE = "exports"


def register_importer(key: str, importer: Importer) -> None:
    IMPORTERS[key] = importer


def import_job_start(*, user: Any, key: str, ref: str, upload: Any, subject: str, back: str) -> Job:
    """Keeps the upload in storage and queues its import as `user`."""
    name = storages[STORAGE].save(f"exports/imports/{uuid.uuid4().hex}.xlsx", upload)
    params = {"importer": key, "ref": ref, "upload": name, "back": back, "key": f"import:{key}:{ref}"}
    return job_start(
        kind=JobKind.REGISTER_IMPORT, owner=user, task=register_import_task, subject=subject, params=params
    )


def _importer(key: str) -> Importer:
    if key not in IMPORTERS:
        get_resolver().url_patterns  # noqa: B018 (loads every view module, and so registers every importer)
    return IMPORTERS[key]


def run_import(job: Job, progress: Progress) -> dict[str, Any]:
    """The work of an import job; the stored upload is deleted afterwards, imported or refused."""
    storage, name = storages[STORAGE], job.params["upload"]
    progress(0, 1)
    try:
        with storage.open(name, "rb") as stored:
            created = _importer(job.params["importer"])(job.owner, job.params["ref"], File(stored, name=name))
    finally:
        storage.delete(name)
    progress(1, 1)
    return {"created": len(created)}


@task()
def register_import_task(job_id: int) -> None:
    job_run(job_id, run_import)
