"""Outsider checks of the child-protection pages and API (see tests/test_outsider_everywhere.py)."""

from __future__ import annotations

from typing import Any

from layak.common.testing import HIDDEN, LOGIN, PUBLIC, UNAUTHORIZED, Check

REGION = "31.71"


def sample(w) -> dict[str, Any]:
    """A report of 31.71 with a flagged jump, entered by its coordinator (made once)."""
    if "_protection_sample" not in w.__dict__:
        from layak.protection.tests.factories import VIOLENCE_ROW, make_flagged_series

        report = make_flagged_series(w.owner, REGION, VIOLENCE_ROW)
        w.__dict__["_protection_sample"] = {"report": report, "flag": report.flags.get(cell="victims")}
    return w.__dict__["_protection_sample"]


def _region(w) -> dict[str, str]:
    return {"region_code": REGION}


def _pk(name: str):
    return lambda w: {"pk": sample(w)[name].pk}


CHECKS: dict[str, Check] = {
    "protection:region_figures": Check(HIDDEN, LOGIN, _region),
    "protection:report_entry": Check(HIDDEN, LOGIN, _region),
    "protection:figures_import": Check(HIDDEN, LOGIN, _region),
    "protection:population_edit": Check(HIDDEN, LOGIN, _region),
    "protection:figures_template": Check(HIDDEN, LOGIN, _region),
    "protection:report_detail": Check(HIDDEN, LOGIN, _pk("report")),
    "protection:flag_confirm": Check(HIDDEN, LOGIN, _pk("flag"), method="post"),
    # The public page and its API answer everyone, with small counts hidden.
    "protection:public": Check(PUBLIC, PUBLIC),
    "protection:public_place": Check(PUBLIC, PUBLIC, {"code": REGION}),
    "GET /api/v1/protection/public/{code}": Check(PUBLIC, PUBLIC, {"code": REGION}),
    "GET /api/v1/protection/regions/{region_code}": Check(HIDDEN, UNAUTHORIZED, _region),
}
