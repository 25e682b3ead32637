"""RAD KLA API at /api/v1/plans: a kab/kota's plans with their activities and the budget share per year."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth

from layak.accounts.api_auth import TokenAuth
from layak.common.api import ErrorOut
from layak.registers.access import kabkota_get_for_user

from . import selectors

router = Router(auth=[TokenAuth(), django_auth], tags=["plans"])


class ActionYearOut(Schema):
    year: int
    target: str
    target_value: Decimal | None
    budget: Decimal


class ActionOut(Schema):
    id: int
    title: str
    programme: str
    indicators: list[str]
    rights_group: str
    agency: str | None
    status: str
    is_draft: bool
    years: list[ActionYearOut]


class PlanOut(Schema):
    id: int
    title: str
    start_year: int
    end_year: int
    legal_basis: str
    status: str
    integrated_in_rpjmd: bool
    framework: str
    actions: list[ActionOut]


class BudgetShareOut(Schema):
    year: int
    child_budget: Decimal
    apbd_total: Decimal | None
    share_pct: Decimal | None


class RegionPlansOut(Schema):
    region: str
    plans: list[PlanOut]
    budget_shares: list[BudgetShareOut]


def _action(a) -> dict:
    return {
        "id": a.pk,
        "title": a.title,
        "programme": a.programme,
        "indicators": [i.code for i in a.indicators.all()],
        "rights_group": a.rights_group,
        "agency": str(a.agency) if a.agency else None,
        "status": a.status,
        "is_draft": a.is_draft,
        "years": [
            {"year": y.year, "target": y.target, "target_value": y.target_value, "budget": y.budget}
            for y in a.years.all()
        ],
    }


@router.get("/{region_code}", response={200: RegionPlansOut, 401: ErrorOut, 404: ErrorOut}, url_name="plans_region")
def region_plans(request: HttpRequest, region_code: str):
    """The RAD KLA plans of a kab/kota (404 outside your regions), their activities and the budget share."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    plans = list(selectors.plan_list_for_region(region=region))
    actions = selectors.plan_actions_for_plans(plans=plans)
    return {
        "region": region.code,
        "plans": [
            {
                "id": p.pk,
                "title": p.title,
                "start_year": p.start_year,
                "end_year": p.end_year,
                "legal_basis": p.legal_basis,
                "status": p.status,
                "integrated_in_rpjmd": p.integrated_in_rpjmd,
                "framework": p.framework.slug,
                "actions": [_action(a) for a in actions if a.plan_id == p.pk],
            }
            for p in plans
        ],
        "budget_shares": [vars(s) for s in selectors.budget_shares(region=region)],
    }
