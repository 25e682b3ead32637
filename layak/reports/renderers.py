"""One region's report as bytes: the PDF (WeasyPrint, from the page's own template with the print layout) and
the Excel workbook. The report page's downloads and the cycle's report bundle (a job, `bundle.py`) both call these,
so a report in the zip is the same file a person downloads from the page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from layak.accounts.selectors import Viewer
from layak.common.generations import shared_value
from layak.evaluations.models import Assessment
from layak.reviews.stamps import assessment_stamp

from . import exports, figures, selectors, tables


def report_filename(assessment: Assessment, extension: str) -> str:
    """kla-report-<year>-<region code>.<extension>."""
    return f"kla-report-{assessment.cycle.year}-{assessment.region_id}.{extension}"


def report_context(report: selectors.AssessmentReport, *, for_print: bool) -> dict[str, Any]:
    """What the report template needs, for the page or for the PDF."""
    return {
        "r": report,
        "a": report.assessment,
        "cluster_chart": figures.cluster_bar_chart(report),
        "stage_chart": figures.stage_comparison_chart(report),
        "generated_at": timezone.now(),
        "for_print": for_print,
        "base_template": "reports/print_base.html" if for_print else "base.html",
        "body": None,  # the page's body is rendered here, from the report (`page_body` keeps it rendered)
    }


def report_page_body(assessment: Assessment, user: Viewer, stamp: str = "") -> str:
    """The report page's body (everything below the breadcrumbs), rendered once per `assessment_stamp` (`stamp`
    when the caller read it) and language and shared by everyone who may read the full report: it shows the same
    to all of them (the checks of who may open it run on each view, `selectors.assessment_report_check`)."""
    key = f"reports:report-page:{assessment.pk}:{stamp or assessment_stamp(assessment)}:{get_language()}"

    def build() -> str:
        context = report_context(selectors.assessment_report(assessment, user), for_print=False)
        return render_to_string("reports/_assessment_report_body.html", context)

    return shared_value(key, build)


def report_pdf(report: selectors.AssessmentReport, request: HttpRequest | None = None) -> bytes:
    """A report already read, as a PDF; without a request (in a worker) the template renders the same way."""
    html = render_to_string("reports/assessment_report.html", report_context(report, for_print=True), request=request)
    return exports.pdf_bytes(html)


def report_xlsx(report: selectors.AssessmentReport) -> bytes:
    """A report already read, as an Excel workbook."""
    return exports.xlsx_bytes(tables.report_sheets(report))


def assessment_report_pdf(assessment: Assessment, user: Viewer, request: HttpRequest | None = None) -> bytes:
    """The region's evaluation report as a PDF (A4; a question-level instrument's Rekap with every stage's
    grades and the pinned evidence)."""
    return report_pdf(selectors.assessment_report(assessment, user), request)


def assessment_report_xlsx(assessment: Assessment, user: Viewer) -> bytes:
    """The region's evaluation report as an Excel workbook (summary, then indicators or the Rekap per group)."""
    return report_xlsx(selectors.assessment_report(assessment, user))
