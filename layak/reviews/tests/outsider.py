"""What the outsider (coordinator of 63.71) and anonymous visitors get from every review URL (objects of 31.71)."""

from __future__ import annotations

from typing import Any

from layak.common.testing import HIDDEN, LOGIN, PUBLIC, Check


def _assessment(w) -> dict[str, int]:
    return {"pk": w.assessment.pk}


def _indicator(w) -> dict[str, Any]:
    return {"pk": w.assessment.pk, "code": w.indicator_code}


def _cycle(w) -> dict[str, int]:
    return {"pk": w.assessment.cycle_id}


CHECKS: dict[str, Check] = {
    # The outsider's own (empty) queue and conflict declarations.
    "reviews:review_queue": Check(PUBLIC, LOGIN),
    "reviews:conflict_list": Check(PUBLIC, LOGIN),
    # A cycle is national; inside it each user sees only their own regions' reviews.
    "reviews:cycle_reviews": Check(PUBLIC, LOGIN, _cycle),
    "reviews:cycle_publish": Check(HIDDEN, LOGIN, _cycle, method="post"),
    "reviews:cycle_recompute": Check(HIDDEN, LOGIN, _cycle, method="post"),
    "reviews:cycle_window": Check(HIDDEN, LOGIN, _cycle, method="post"),
    "reviews:cycle_publish_preview": Check(HIDDEN, LOGIN, _cycle),
    "reviews:question_grade": Check(HIDDEN, LOGIN, lambda w: {"pk": w.assessment.pk, "question_id": 1}),
    # The outsider sees only their own region's row of the progress table, and may not assign.
    "reviews:cycle_progress": Check(PUBLIC, LOGIN, _cycle),
    "reviews:cycle_progress_export": Check(PUBLIC, LOGIN, _cycle),
    "reviews:cycle_progress_assign": Check(HIDDEN, LOGIN, _cycle, method="post", data={"regions": "31.71"}),
    # Finalising the ready regions in one step: national admins only (the page asks first, the POST acts).
    "reviews:cycle_finalise": Check(HIDDEN, LOGIN, _cycle),
    "reviews:cycle_unpublish": Check(HIDDEN, LOGIN, _cycle, method="post", data={"reason": "x"}),
    # Everything about Jakarta Pusat's assessment.
    "reviews:assessment_review": Check(HIDDEN, LOGIN, _assessment),
    "reviews:assessment_transition": Check(
        HIDDEN, LOGIN, _assessment, method="post", data={"action": "approve", "state": "province_verification"}
    ),
    "reviews:revision_request": Check(HIDDEN, LOGIN, _assessment),
    "reviews:reviewer_assign": Check(HIDDEN, LOGIN, _assessment, method="post"),
    "reviews:reviewer_unassign": Check(
        HIDDEN, LOGIN, lambda w: {"pk": w.assessment.pk, "assignment_id": 1}, method="post"
    ),
    "reviews:final_predicate": Check(HIDDEN, LOGIN, _assessment, method="post"),
    "reviews:assessment_scores": Check(HIDDEN, LOGIN, _assessment),
    "reviews:assessment_explain": Check(HIDDEN, LOGIN, _assessment),
    "reviews:assessment_whatif": Check(HIDDEN, LOGIN, _assessment),
    "reviews:assessment_timeline": Check(HIDDEN, LOGIN, _assessment),
    "reviews:indicator_review": Check(HIDDEN, LOGIN, _indicator),
    "reviews:revision_answer": Check(HIDDEN, LOGIN, _indicator),
    # The real stages (decision 0022): every page and action about Jakarta Pusat's assessment is hidden.
    "reviews:cycle_progress_field": Check(
        HIDDEN, LOGIN, _cycle, method="post", data={"regions": "31.71", "select": "1"}
    ),
    "reviews:assessment_stages": Check(HIDDEN, LOGIN, _assessment),
    "reviews:handover_letter": Check(HIDDEN, LOGIN, _assessment, method="post"),
    "reviews:field_agenda": Check(HIDDEN, LOGIN, _assessment, method="post"),
    "reviews:children_hearing": Check(HIDDEN, LOGIN, _assessment, method="post"),
    "reviews:completion_open": Check(HIDDEN, LOGIN, _assessment, method="post"),
    "reviews:completion_document": Check(
        HIDDEN, LOGIN, lambda w: {"pk": w.assessment.pk, "question_id": 1}, method="post"
    ),
    "reviews:window_extend": Check(HIDDEN, LOGIN, _assessment, method="post"),
    "reviews:objection_file": Check(HIDDEN, LOGIN, _assessment, method="post"),
    "reviews:objections_done": Check(HIDDEN, LOGIN, _assessment, method="post"),
    "reviews:objection_decide": Check(
        HIDDEN, LOGIN, lambda w: {"pk": w.assessment.pk, "objection_id": 1}, method="post"
    ),
}
