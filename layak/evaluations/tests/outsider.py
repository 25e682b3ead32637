"""Outsider checks for the evaluation URLs added with evidence links, Excel, OPD management and assignments.

The earlier evaluation and evidence URLs stay registered in tests/test_outsider_everywhere.py.
"""

from __future__ import annotations

from typing import Any

from layak.common.testing import HIDDEN, LOGIN, UNAUTHORIZED, Check

REGION = "31.71"


def _answer(w) -> dict[str, Any]:
    return {"pk": w.assessment.pk, "code": w.indicator_code}


def _link(w) -> dict[str, Any]:
    """Jakarta Pusat's evidence linked to the sample indicator; its id is used for unlink and carry-forward."""
    from layak.evaluations.models import AnswerEvidence
    from layak.frameworks.models import Indicator

    indicator = Indicator.objects.get(version=w.assessment.cycle.framework, code=w.indicator_code)
    link, _created = AnswerEvidence.objects.get_or_create(
        assessment=w.assessment, indicator=indicator, evidence=w.evidence_file, element_code=""
    )
    return {**_answer(w), "link_id": link.pk}


def _agency(w) -> dict[str, int]:
    from layak.accounts.tests.factories import make_agency

    return {"pk": make_agency(REGION, "Dinas Sosial", "Dinsos").pk}


CHECKS: dict[str, Check] = {
    "evaluations:answer_evidence_upload": Check(HIDDEN, LOGIN, _answer, method="post"),
    "evaluations:answer_evidence_pick": Check(
        HIDDEN, LOGIN, _answer, method="post", data={"evidence": "1", "element": ""}
    ),
    "evaluations:answer_evidence_url": Check(
        HIDDEN, LOGIN, _answer, method="post", data={"url": "https://example.org/perda.pdf", "title": "Perda"}
    ),
    "evaluations:answer_evidence_carry": Check(HIDDEN, LOGIN, _link, method="post"),
    "evaluations:answer_evidence_unlink": Check(HIDDEN, LOGIN, _link, method="post"),
    "evaluations:assignment_edit": Check(HIDDEN, LOGIN, _answer),
    "evaluations:assessment_excel_download": Check(HIDDEN, LOGIN, lambda w: {"pk": w.assessment.pk}),
    "evaluations:assessment_excel_upload": Check(HIDDEN, LOGIN, lambda w: {"pk": w.assessment.pk}, method="post"),
    "evaluations:agency_list": Check(HIDDEN, LOGIN, {"region_code": REGION}),
    "evaluations:agency_edit": Check(HIDDEN, LOGIN, _agency, method="post", data={"name": "Dinas X"}),
    "evaluations:agency_deactivate": Check(HIDDEN, LOGIN, _agency, method="post", data={"confirmed": "yes"}),
    "evaluations:agency_activate": Check(HIDDEN, LOGIN, _agency, method="post"),
    "POST /api/v1/assessments/{assessment_id}/evidence": Check(
        HIDDEN,
        UNAUTHORIZED,
        lambda w: {"assessment_id": w.assessment.pk},
        method="post",
        data={"indicator_code": "K1", "url": "https://example.org/perda.pdf", "title": "Perda"},
    ),
}
