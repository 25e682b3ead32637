"""One region's report as files: the PDF (WeasyPrint, from the page's own template) and the Excel workbook.

The report page's downloads and the cycle's report bundle (a job, `bundle.py`) both call these, so a report in
the zip is the same file a person downloads from the page.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from layak.evaluations.models import Assessment

from . import exports, figures, tables
from .selectors import AssessmentReport


def report_filename(assessment: Assessment) -> str:
    return f"kla-report-{assessment.cycle.year}-{assessment.region_id}"


def report_context(report: AssessmentReport, assessment: Assessment, *, for_print: bool) -> dict:
    return {
        "r": report,
        "a": assessment,
        "cluster_chart": figures.cluster_bar_chart(report),
        "stage_chart": figures.stage_comparison_chart(report),
        "generated_at": timezone.now(),
        "for_print": for_print,
        "base_template": "reports/print_base.html" if for_print else "base.html",
    }


def report_pdf(report: AssessmentReport, assessment: Assessment, request: HttpRequest | None = None) -> bytes:
    """The report as a PDF; without a request (in a worker) the template is rendered the same way."""
    html = render_to_string(
        "reports/assessment_report.html", report_context(report, assessment, for_print=True), request=request
    )
    return exports.pdf_bytes(html)


def report_xlsx(report: AssessmentReport) -> bytes:
    return exports.xlsx_bytes(tables.report_sheets(report))
