"""Report pages and their downloads: the region's evaluation report and the cycle's results table.

The same view serves the page and its files through `?format=`: the report as pdf or xlsx, the results
as csv or xlsx. The PDF is rendered by WeasyPrint from the page's own template with a print layout.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from layak.common import spreadsheets
from layak.common.generations import cached_fragment, generations_and_values, shared_value
from layak.common.pagecache import PLACEHOLDER as CSRF_PLACEHOLDER
from layak.evaluations.publication import results_published
from layak.evaluations.stamps import cycle_generation, cycle_results_generation
from layak.frameworks.selectors import FRAMEWORKS_GENERATION
from layak.jobs.choices import JobKind
from layak.jobs.selectors import job_list_for_user, jobs_generation
from layak.regions.selectors import REGIONS_GENERATION
from layak.reviews.stamps import assessment_facts, viewer_assessment

from . import bundle, exports, renderers, selectors, tables

REPORT_FORMATS = {"html", "pdf", "xlsx"}
RESULTS_FORMATS = {"html", "csv", "xlsx"}


def _format(request: HttpRequest, allowed: set[str]) -> str:
    chosen = request.GET.get("format", "html")
    if chosen not in allowed:
        raise Http404
    return chosen


@login_required
def assessment_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A region's evaluation report: cover, scores per stage and cluster, then every indicator (a question-level
    instrument: every question, like the ministry's Rekap); also PDF and Excel."""
    chosen = _format(request, REPORT_FORMATS)
    if chosen == "html":
        # The page reads the assessment's facts and stamp from the shared cache (no query on a warm view).
        facts = assessment_facts(request.user, pk)
        assessment = viewer_assessment(request.user, facts)
        selectors.assessment_report_check(request.user, assessment)
        body = mark_safe(renderers.report_page_body(assessment, request.user, facts.stamp))
        context = {"a": assessment, "body": body, "base_template": "base.html", "for_print": False}
        return render(request, "reports/assessment_report.html", context)
    assessment = selectors.assessment_report_get_for_user(request.user, pk)
    if chosen == "xlsx":
        body = renderers.assessment_report_xlsx(assessment, request.user)
        return spreadsheets.xlsx_response(body, renderers.report_filename(assessment, "xlsx"))
    body = renderers.assessment_report_pdf(assessment, request.user, request)
    return exports.pdf_file_response(renderers.report_filename(assessment, "pdf"), body)


@login_required
def cycle_results(request: HttpRequest, pk: int) -> HttpResponse:
    """All kab/kota of a cycle the user may see, sortable and filterable; CSV and Excel of the same rows."""
    chosen = _format(request, RESULTS_FORMATS)
    if chosen == "html":
        return _cycle_results_page(request, pk)
    cycle = selectors.cycle_get(pk)

    def table() -> selectors.ResultsTable:
        return selectors.cycle_results(
            request.user,
            cycle,
            sort=request.GET.get("sort", "region"),
            province=request.GET.get("province", ""),
            predicate=request.GET.get("predicate", ""),
        )

    filename = f"kla-results-{cycle.year}-{cycle.pk}"
    if chosen == "csv":
        rows = table()
        return exports.csv_response(f"{filename}.csv", tables.results_header(rows), tables.results_rows(rows))
    return exports.xlsx_response(f"{filename}.xlsx", tables.results_sheets(table()))


def _cycle_results_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The results table as a page. One read of the shared cache on a warm view: the generations of the cycle,
    its results (stage scores, final results, its assessments), regions and frameworks and of the user's jobs,
    with the user's bundle list kept under the last. The table is rendered once per those stamps, the user's
    role assignments (rows and report links depend on them alone), language and query, and kept in process
    memory; the bundle form once per scope list, its CSRF token put in per request."""
    user = request.user
    names = [cycle_generation(pk), cycle_results_generation(pk), REGIONS_GENERATION, FRAMEWORKS_GENERATION]
    jobs_key = f"reports:bundles:{user.pk}:{pk}"
    gens, found = generations_and_values([*names, jobs_generation(user.pk)], [jobs_key])
    cycle = shared_value(f"reports:cycle:{pk}:{gens[0]}:{gens[3]}", lambda: selectors.cycle_get(pk))
    stamp = ".".join(map(str, (*gens[:4], int(results_published(cycle.results_published_at)))))
    key = f"reports:results:{pk}:{stamp}:{selectors.results_scope(user)}:{request.GET.urlencode()}"

    def body_context() -> dict:
        rows = selectors.cycle_results(
            user,
            cycle,
            sort=request.GET.get("sort", "region"),
            province=request.GET.get("province", ""),
            predicate=request.GET.get("predicate", ""),
        )
        return {"t": rows, **tables.results_links(request, rows)}

    body = cached_fragment(key, "reports/_cycle_results_body.html", body_context)
    scopes = bundle.bundle_scopes(user, gens[2])
    bundle_form = ""
    if scopes:
        codes = ",".join(code for code, _name in scopes)
        form = cached_fragment(
            f"reports:bundle-form:{pk}:{gens[2]}:{codes}",
            "reports/_bundle_form.html",
            lambda: {"cycle": cycle, "bundle_scopes": scopes, "csrf_token": CSRF_PLACEHOLDER},
        )
        bundle_form = mark_safe(form.replace(CSRF_PLACEHOLDER, get_token(request)))
    kept = found.get(jobs_key)
    if kept is not None and kept[0] == gens[4]:
        bundles = kept[1]
    else:
        bundles = job_list_for_user(user, JobKind.REPORT_BUNDLE, subject_key=f"cycle:{cycle.pk}")
        cache.set(jobs_key, (gens[4], bundles), 3600)
    context = {"cycle": cycle, "body": body, "bundle_scopes": scopes, "bundle_form": bundle_form, "bundles": bundles}
    return render(request, "reports/cycle_results.html", context)


@login_required
@require_POST
def bundle_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks a worker for the zip of every region's report over the chosen scope, then shows its progress."""
    cycle = selectors.cycle_get(pk)
    job = bundle.bundle_start(user=request.user, cycle=cycle, scope=request.POST.get("scope", ""))
    return redirect("jobs:job_detail", job.pk)


@login_required
def bundle_download(request: HttpRequest, pk: int) -> FileResponse:
    """A finished bundle, for whoever may ask for it (checked again here); the download is audited."""
    job = bundle.bundle_get_for_download(request.user, pk)
    bundle.bundle_downloaded(user=request.user, job=job)
    stored = storages[bundle.EXPORTS_STORAGE].open(job.file_name, "rb")
    return FileResponse(stored, as_attachment=True, filename=job.file_name.rsplit("/", 1)[-1])
