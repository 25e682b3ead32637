"""What the outsider (coordinator of Kota Banjarmasin) and an anonymous visitor get from the reports' URLs."""

from __future__ import annotations

from layak.common.testing import HIDDEN, LOGIN, PUBLIC, Check


def _assessment(w) -> dict[str, int]:
    return {"pk": w.assessment.pk}


def _cycle(w) -> dict[str, int]:
    return {"pk": w.assessment.cycle_id}


CHECKS: dict[str, Check] = {
    # The full report of 31.71 (with its narratives) is hidden from other regions, published or not.
    "reports:assessment_report": Check(HIDDEN, LOGIN, _assessment),
    # A cycle's results page opens for any signed-in user; its rows are scoped (the outsider sees only
    # Banjarmasin's row before publication), which layak/reports/tests/test_results.py checks.
    "reports:cycle_results": Check(PUBLIC, LOGIN, _cycle),
}
