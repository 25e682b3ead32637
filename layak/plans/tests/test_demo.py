from __future__ import annotations

import io

from layak.accounts.choices import Role
from layak.accounts.tests.factories import make_agency, make_user_with_role
from layak.participation.demo import seed_demo_data as seed_participation
from layak.participation.models import Forum
from layak.partners.demo import seed_demo_data as seed_partners
from layak.partners.models import Partner
from layak.plans.demo import seed_demo_data as seed_plans
from layak.plans.models import Action, ActionPlan, Realisation

from .factories import framework


def test_demo_data_of_banjarmasin_is_labelled_and_idempotent(db):
    framework()
    make_user_with_role("dp3a_banjarmasin", Role.REGION_COORDINATOR, "63.71")
    for short in ("DP3A", "Dinkes", "Disdik", "Disdukcapil"):
        make_agency("63.71", f"Dinas {short}", short)
    out = io.StringIO()
    for _run in range(2):
        seed_plans(stdout=out)
        seed_partners(stdout=out)
        seed_participation(stdout=out)
    plan = ActionPlan.objects.get(region_id="63.71")
    assert plan.is_demo and "data contoh" in plan.title
    assert Action.objects.filter(plan=plan).count() == 4 and Realisation.objects.count() == 4
    assert Partner.objects.filter(region_id="63.71", is_demo=True).count() == 2
    assert Forum.objects.filter(kabkota_id="63.71", is_demo=True).count() == 1
    assert "already there" in out.getvalue()
