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


def _a24(w) -> Any:
    """Jakarta Pusat's assessment in a kla-2024 cycle (the question-level instrument), made once per world."""
    cached = getattr(w, "_a24", None)
    if cached is None:
        from django.conf import settings

        from layak.evaluations.tests.factories import make_assessment, make_cycle
        from layak.frameworks.models import FrameworkVersion
        from layak.frameworks.services import framework_load_file

        framework_load_file(f"{settings.LAYAK_FRAMEWORKS_DIR}/kla-2024.yaml")
        cached = make_assessment(make_cycle(FrameworkVersion.objects.get(slug="kla-2024"), year=2024), REGION)
        w._a24 = cached
    return cached


def _question(w) -> dict[str, Any]:
    from layak.frameworks.models import Question

    assessment = _a24(w)
    question = Question.objects.get(indicator__version=assessment.cycle.framework, indicator__code="3", code="1a")
    return {"pk": assessment.pk, "question_id": question.pk}


def _question_link(w) -> dict[str, Any]:
    from layak.evaluations.models import QuestionEvidence

    kwargs = _question(w)
    link, _created = QuestionEvidence.objects.get_or_create(
        assessment_id=kwargs["pk"], question_id=kwargs["question_id"], evidence=w.evidence_file
    )
    return {**kwargs, "link_id": link.pk}


CHECKS: dict[str, Check] = {
    # The question-level instrument (kla-2024).
    "evaluations:instrument_assign": Check(HIDDEN, LOGIN, lambda w: {"pk": _a24(w).pk}),
    "evaluations:instrument_rekap": Check(HIDDEN, LOGIN, lambda w: {"pk": _a24(w).pk}),
    "evaluations:instrument_rekap_upload": Check(HIDDEN, LOGIN, lambda w: {"pk": _a24(w).pk}, method="post"),
    "evaluations:instrument_indicator": Check(HIDDEN, LOGIN, lambda w: {"pk": _a24(w).pk, "code": "1"}),
    "evaluations:question_save": Check(HIDDEN, LOGIN, _question, method="post"),
    "evaluations:question_agency": Check(HIDDEN, LOGIN, _question, method="post"),
    "evaluations:question_take_offer": Check(HIDDEN, LOGIN, _question, method="post"),
    "evaluations:question_evidence_upload": Check(HIDDEN, LOGIN, _question, method="post"),
    "evaluations:question_evidence_unlink": Check(HIDDEN, LOGIN, _question_link, method="post"),
    "evaluations:question_matriks_template": Check(HIDDEN, LOGIN, _question),
    "evaluations:question_matriks_upload": Check(HIDDEN, LOGIN, _question, method="post"),
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
    "POST /api/v1/assessments/{assessment_id}/evidence": Check(
        HIDDEN,
        UNAUTHORIZED,
        lambda w: {"assessment_id": w.assessment.pk},
        method="post",
        data={"indicator_code": "K1", "url": "https://example.org/perda.pdf", "title": "Perda"},
    ),
}
