"""What the outsider (coordinator of Kota Banjarmasin) and an anonymous visitor get from the reports' URLs."""

from __future__ import annotations

from layak.common.testing import HIDDEN, LOGIN, PUBLIC, Check


def _assessment(w) -> dict[str, int]:
    return {"pk": w.assessment.pk}


def _cycle(w) -> dict[str, int]:
    return {"pk": w.assessment.cycle_id}


def _province_bundle(w) -> dict[str, int]:
    from layak.jobs.choices import JobKind
    from layak.jobs.models import Job

    job = Job.objects.create(
        kind=JobKind.REPORT_BUNDLE,
        owner=w.owner,
        scope="31",
        params={"cycle": w.assessment.cycle_id},
        status="done",
        file_name="bundles/kla-reports-31.zip",
    )
    return {"pk": job.pk}


CHECKS: dict[str, Check] = {
    # The full report of 31.71 (with its narratives) is hidden from other regions, published or not.
    "reports:assessment_report": Check(HIDDEN, LOGIN, _assessment),
    # A cycle's results page opens for any signed-in user; its rows are scoped (the outsider sees only
    # Banjarmasin's row before publication), which layak/reports/tests/test_results.py checks.
    "reports:cycle_results": Check(PUBLIC, LOGIN, _cycle),
    # Only national admins and the province's own roles ask for or download a province's report bundle.
    "reports:bundle_create": Check(HIDDEN, LOGIN, _cycle, method="post"),
    "reports:bundle_download": Check(HIDDEN, LOGIN, _province_bundle),
}
