"""Report pages and their downloads: the region's evaluation report and the cycle's results table.

The same view serves the page and its files through `?format=`: the report as pdf or xlsx, the results
as csv or xlsx. The PDF is rendered by WeasyPrint from the page's own template with a print layout.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from layak.common.generations import cached_fragment

from . import exports, figures, selectors, tables

REPORT_FORMATS = {"html", "pdf", "xlsx"}
RESULTS_FORMATS = {"html", "csv", "xlsx"}


def _format(request: HttpRequest, allowed: set[str]) -> str:
    chosen = request.GET.get("format", "html")
    if chosen not in allowed:
        raise Http404
    return chosen


@login_required
def assessment_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A region's evaluation report: cover, scores per stage and cluster, then every indicator (also PDF, Excel)."""
    chosen = _format(request, REPORT_FORMATS)
    assessment = selectors.assessment_report_get_for_user(request.user, pk)
    report = selectors.assessment_report(assessment, request.user)
    filename = f"kla-report-{assessment.cycle.year}-{assessment.region_id}"
    if chosen == "xlsx":
        return exports.xlsx_response(f"{filename}.xlsx", tables.report_sheets(report))
    context = {
        "r": report,
        "a": assessment,
        "cluster_chart": figures.cluster_bar_chart(report),
        "stage_chart": figures.stage_comparison_chart(report),
        "generated_at": timezone.now(),
        "for_print": chosen == "pdf",
        "base_template": "reports/print_base.html" if chosen == "pdf" else "base.html",
    }
    if chosen == "pdf":
        html = render_to_string("reports/assessment_report.html", context, request=request)
        return exports.pdf_response(f"{filename}.pdf", html)
    return render(request, "reports/assessment_report.html", context)


@login_required
def cycle_results(request: HttpRequest, pk: int) -> HttpResponse:
    """All kab/kota of a cycle the user may see, sortable and filterable; CSV and Excel of the same rows."""
    chosen = _format(request, RESULTS_FORMATS)
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
    if chosen == "xlsx":
        return exports.xlsx_response(f"{filename}.xlsx", tables.results_sheets(table()))
    # The table is rendered once per data stamp, set of role assignments (rows and report links depend on them
    # alone), language and query, and shared by every user with the same assignments.
    key = f"reports:results:{cycle.pk}:{selectors.cycle_results_stamp(cycle)}:{selectors.results_scope(request.user)}"

    def body_context() -> dict:
        rows = table()
        return {"t": rows, **tables.results_links(request, rows)}

    body = cached_fragment(f"{key}:{request.GET.urlencode()}", "reports/_cycle_results_body.html", body_context)
    return render(request, "reports/cycle_results.html", {"cycle": cycle, "body": body})
