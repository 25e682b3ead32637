"""A job's page: what it is, its progress (the status part is polled by htmx until the job is finished) and its
result (a download, counts, or the row errors of a refused import)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import job_get_for_user

POLL_SECONDS = 2


def _context(job) -> dict:
    return {"job": job, "poll_seconds": POLL_SECONDS, "back_url": job.params.get("back", "")}


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The page of a job the user started."""
    job = job_get_for_user(request.user, pk)
    return render(request, "jobs/job_detail.html", _context(job))


@login_required
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status part of the job's page alone (what htmx fetches every few seconds while the job runs)."""
    job = job_get_for_user(request.user, pk)
    return render(request, "jobs/_job_status.html", _context(job))
