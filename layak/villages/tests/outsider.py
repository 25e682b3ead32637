"""What the outsider (coordinator of 63.71) and an anonymous visitor get from every Kelana/Dekela URL of 31.71.

Scope is checked before the cycle or question is looked up, so any cycle and question number will do.
"""

from __future__ import annotations

from layak.common.testing import HIDDEN, LOGIN, PUBLIC, Check

REGION = {"region_code": "31.71"}
REGION_CYCLE = {"region_code": "31.71", "cycle_pk": 1}
AREA_CYCLE = {"code": "31.71.01", "cycle_pk": 1}

CHECKS: dict[str, Check] = {
    "villages:region_villages": Check(HIDDEN, LOGIN, REGION),
    "villages:provision": Check(HIDDEN, LOGIN, REGION),
    "villages:provision_template": Check(HIDDEN, LOGIN, {"region_code": "31.71", "fmt": "xlsx"}),
    "villages:rollup": Check(HIDDEN, LOGIN, REGION_CYCLE),
    "villages:rollup_detail": Check(HIDDEN, LOGIN, {**REGION_CYCLE, "question_pk": 1}),
    "villages:remind": Check(HIDDEN, LOGIN, REGION_CYCLE, method="post"),
    "villages:area_detail": Check(HIDDEN, LOGIN, {"code": "31.71.01"}),
    "villages:checklist": Check(HIDDEN, LOGIN, AREA_CYCLE),
    "villages:checklist_question": Check(HIDDEN, LOGIN, {**AREA_CYCLE, "question_pk": 1}),
    "villages:checklist_evidence": Check(HIDDEN, LOGIN, {**AREA_CYCLE, "question_pk": 1}, method="post"),
    "villages:checklist_submit": Check(HIDDEN, LOGIN, AREA_CYCLE, method="post"),
    "villages:checklist_verify": Check(HIDDEN, LOGIN, AREA_CYCLE, method="post"),
    "villages:checklist_reopen": Check(HIDDEN, LOGIN, AREA_CYCLE),
    "villages:progress_national": Check(HIDDEN, LOGIN, {"cycle_pk": 1}),
    "villages:progress": Check(HIDDEN, LOGIN, {"cycle_pk": 1, "code": "31"}),
    "villages:progress_points_national": Check(HIDDEN, LOGIN, {"cycle_pk": 1}),
    "villages:progress_points": Check(HIDDEN, LOGIN, {"cycle_pk": 1, "code": "31"}),
    "villages:my_areas": Check(PUBLIC, LOGIN),
    "villages:join": Check(PUBLIC, PUBLIC),
}
