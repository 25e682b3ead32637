"""What the outsider (coordinator of 63.71) and an anonymous visitor get from every RAD KLA URL of 31.71."""

from __future__ import annotations

from layak.common.testing import HIDDEN, LOGIN, UNAUTHORIZED, Check

REGION = {"region_code": "31.71"}


def _plan(w):
    from layak.plans.tests.factories import make_plan

    if not hasattr(w, "_plan"):
        w._plan = make_plan(w.owner)
    return w._plan


def _action(w):
    from layak.plans.tests.factories import make_action

    if not hasattr(w, "_plan_action"):
        w._plan_action = make_action(w.owner, _plan(w))
    return w._plan_action


def _report(w):
    from layak.plans.services import report_create

    if not hasattr(w, "_plan_report"):
        w._plan_report = report_create(user=w.owner, plan=_plan(w), year=2025, quarter=1, summary="Baik")
    return w._plan_report


def plan_kwargs(w):
    return {"pk": _plan(w).pk}


def action_kwargs(w):
    return {"pk": _action(w).pk}


CHECKS: dict[str, Check] = {
    "plans:region_plans": Check(HIDDEN, LOGIN, REGION),
    "plans:plan_create": Check(HIDDEN, LOGIN, REGION),
    "plans:region_budget_save": Check(HIDDEN, LOGIN, REGION, method="post", data={"year": 2025, "apbd_total": "1"}),
    "plans:gap_actions": Check(HIDDEN, LOGIN, REGION),
    "plans:plan_detail": Check(HIDDEN, LOGIN, plan_kwargs),
    "plans:plan_edit": Check(HIDDEN, LOGIN, plan_kwargs),
    "plans:action_create": Check(HIDDEN, LOGIN, plan_kwargs),
    "plans:action_import": Check(HIDDEN, LOGIN, plan_kwargs),
    "plans:import_template": Check(HIDDEN, LOGIN, plan_kwargs),
    "plans:report_create": Check(HIDDEN, LOGIN, plan_kwargs),
    "plans:action_detail": Check(HIDDEN, LOGIN, action_kwargs),
    "plans:action_edit": Check(HIDDEN, LOGIN, action_kwargs),
    "plans:action_year_save": Check(HIDDEN, LOGIN, action_kwargs, method="post", data={"year": 2025, "budget": "1"}),
    "plans:realisation_save": Check(HIDDEN, LOGIN, action_kwargs, method="post"),
    "plans:report_detail": Check(HIDDEN, LOGIN, lambda w: {"pk": _report(w).pk}),
    "GET /api/v1/plans/{region_code}": Check(HIDDEN, UNAUTHORIZED, REGION),
}
