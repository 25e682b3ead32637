"""A cycle's report bundle: the PDF and the Excel report of every region in a scope (the whole country or one
province), zipped, made by a worker (decision 0010) and kept in the "exports" storage.

Who may: a national admin for any scope; a province coordinator or verifier for their own province. The rule is
checked when the bundle is asked for, again in the worker (roles may have changed), and again at every download.
Memory stays bounded: one region's report is rendered, written into the zip (a temporary file) and dropped
before the next; the finished zip goes to the storage through Django's storage API, never a local path.
"""

from __future__ import annotations

import tempfile
import zipfile
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tasks import task

from layak.accounts.choices import Role
from layak.accounts.selectors import user_has_role, user_is_national_admin
from layak.audit.services import audit_record
from layak.common.generations import bump_on_commit, generation, shared_value
from layak.evaluations.models import Assessment, Cycle
from layak.jobs.choices import JobKind
from layak.jobs.models import Job
from layak.jobs.selectors import jobs_generation
from layak.jobs.services import Progress, job_run, job_start
from layak.regions.models import Region
from layak.regions.selectors import REGIONS_GENERATION

from . import renderers, selectors

EXPORTS_STORAGE = "exports"
PROVINCE_ROLES = (Role.PROVINCE_COORDINATOR, Role.PROVINCE_VERIFIER)


def bundle_allowed(user: Any, scope: str) -> bool:
    """A national admin may bundle any scope; a province role only its own province ("" is the whole country)."""
    if user_is_national_admin(user):
        return True
    return bool(scope) and "." not in scope and user_has_role(user, PROVINCE_ROLES, scope)


def bundle_scopes(user: Any, regions_generation: int | None = None) -> list[tuple[str, str]]:
    """The scopes the user may bundle, as (code, name): the country first for a national admin, then provinces.
    `regions_generation`: the regions' generation when the caller read it."""
    if regions_generation is None:
        regions_generation = generation(REGIONS_GENERATION)
    provinces = shared_value(
        f"reports:provinces:{regions_generation}",
        lambda: tuple(Region.objects.filter(level=1).order_by("code").values_list("code", "name")),
    )
    scopes = [(code, name) for code, name in provinces if bundle_allowed(user, code)]
    return ([("", _("All of Indonesia"))] if user_is_national_admin(user) else []) + scopes


def _scope_name(scope: str) -> str:
    if not scope:
        return "Indonesia"
    return Region.objects.filter(code=scope).values_list("name", flat=True).first() or scope


def _assessments(cycle: Cycle, scope: str):
    rows = Assessment.objects.filter(cycle=cycle).select_related("region", "region__parent", "cycle__framework")
    if scope:
        rows = rows.filter(region__code__startswith=f"{scope}.")
    return rows.order_by("region_id")


@transaction.atomic
def bundle_start(*, user: Any, cycle: Cycle, scope: str) -> Job:
    """Asks a worker for the bundle of `cycle` over `scope`; audited as `reports.bundle_requested`."""
    if not bundle_allowed(user, scope):
        raise PermissionDenied(_("You may prepare the report bundle of your own province only."))
    if scope and not Region.objects.filter(code=scope, level=1).exists():
        raise Http404  # only the whole country or a province
    name = _scope_name(scope)
    audit_record(
        actor=user,
        verb="reports.bundle_requested",
        target=cycle,
        region_code=scope,
        summary=f"{cycle.name}: report bundle of {name}",
        after={"scope": name},
    )
    job = job_start(
        kind=JobKind.REPORT_BUNDLE,
        owner=user,
        task=report_bundle_task,
        subject=f"{cycle.name} · {name}",
        scope=scope,
        params={
            "cycle": cycle.pk,
            "key": f"cycle:{cycle.pk}",
            "back": reverse("reports:cycle_results", args=[cycle.pk]),
        },
        total=_assessments(cycle, scope).count(),
    )
    return job


def _member(assessment: Assessment) -> str:
    region = assessment.region
    province = region.parent.name if region.parent_id else ""
    return f"{slugify(province) or 'indonesia'}/{region.code}-{slugify(region.name)}"


def build_bundle(job: Job, progress: Progress) -> dict[str, Any]:
    """The work of a bundle job: every region's PDF and Excel report into one zip in the exports storage."""
    owner = job.owner
    if owner is None or not owner.is_active or not bundle_allowed(owner, job.scope):
        raise PermissionDenied(_("You may no longer prepare this report bundle."))
    cycle = Cycle.objects.get(pk=job.params["cycle"])
    assessments = list(_assessments(cycle, job.scope))
    total = len(assessments)
    progress(0, total)
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for done, assessment in enumerate(assessments, start=1):
                report = selectors.assessment_report(assessment, owner)
                member = _member(assessment)
                archive.writestr(f"{member}.pdf", renderers.report_pdf(report))
                archive.writestr(f"{member}.xlsx", renderers.report_xlsx(report))
                progress(done, total)
        spool.seek(0)
        name = f"exports/bundles/kla-reports-{cycle.year}-{slugify(_scope_name(job.scope))}-{job.pk}.zip"
        saved = storages[EXPORTS_STORAGE].save(name, File(spool, name=name))
    Job.objects.filter(pk=job.pk).update(file_name=saved)
    bump_on_commit(jobs_generation(job.owner_id))  # a queryset update sends no model signal
    return {"regions": total}


@task()
def report_bundle_task(job_id: int) -> None:
    job_run(job_id, build_bundle)


def bundle_get_for_download(user: Any, pk: int) -> Job:
    """A finished bundle the user may download (the same rule as asking for it); 404 otherwise."""
    job = Job.objects.filter(pk=pk, kind=JobKind.REPORT_BUNDLE).exclude(file_name="").first()
    if job is None or not bundle_allowed(user, job.scope):
        raise Http404
    return job


def bundle_downloaded(*, user: Any, job: Job) -> None:
    """Records a bundle's download (a zip of many regions' reports leaves the system)."""
    cycle = Cycle.objects.get(pk=job.params["cycle"])
    audit_record(
        actor=user,
        verb="reports.bundle_downloaded",
        target=cycle,
        region_code=job.scope,
        summary=f"{job.subject}: report bundle downloaded",
        after={"scope": _scope_name(job.scope)},
    )
