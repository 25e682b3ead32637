"""Recomputing a cycle's scores as a job (the `recompute_scores` command does the same from a shell).

A national admin starts it from the cycle's verification page, after a confirmation; the job page shows how
many assessments are done. Asking is audited (`scores.recompute_requested`); the recomputation itself records
`scores.recomputed` with the counts, as the command does.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from layak.accounts.selectors import user_is_national_admin
from layak.audit.services import audit_record
from layak.evaluations.models import Cycle
from layak.jobs.choices import JobKind
from layak.jobs.models import Job
from layak.jobs.services import Progress, job_run, job_start

from .recompute import scores_recompute


@transaction.atomic
def recompute_start(*, user: Any, cycle: Cycle) -> Job:
    """Queues the recomputation of every submitted assessment of `cycle` (national admins only); the request is
    audited first, in the same transaction as the job."""
    if not user_is_national_admin(user):
        raise PermissionDenied(_("Only a national admin may recompute a cycle's scores."))
    audit_record(actor=user, verb="scores.recompute_requested", target=cycle, summary=f"{cycle.name}: recompute asked")
    return job_start(
        kind=JobKind.RECOMPUTE,
        owner=user,
        task=recompute_task,
        subject=cycle.name,
        params={
            "cycle": cycle.pk,
            "key": f"cycle:{cycle.pk}",
            "back": reverse("evaluations:cycle_detail", args=[cycle.pk]),
        },
    )


def run_recompute(job: Job, progress: Progress) -> dict[str, Any]:
    """The work of a recompute job: the cycle's snapshots, batch by batch, as its owner."""
    owner = job.owner
    if owner is None or not owner.is_active or not user_is_national_admin(owner):
        raise PermissionDenied(_("Only a national admin may recompute a cycle's scores."))
    cycle = Cycle.objects.get(pk=job.params["cycle"])
    report = scores_recompute(cycle=cycle, user=owner, progress=progress)
    return asdict(report)


@task()
def recompute_task(job_id: int) -> None:
    job_run(job_id, run_recompute)
