"""What the RAD KLA register computes for the self-assessment (see layak.evaluations.prefill).

- `plans.rad_status`: kla-2021's K2 `rad_kla` choice: `integrated` (adopted and integrated in the RPJMD),
  `exists` (adopted, not integrated) or `none` (no adopted plan covers the year);
- `plans.child_budget_pct`: the year's child-rights budget of the RAD actions ÷ the APBD total, in %.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from layak.evaluations.prefill import ComputedValue
from layak.regions.models import Region

from .choices import RAD_EXISTS, RAD_INTEGRATED, RAD_NONE, PlanStatus
from .models import ActionPlan, RegionBudget
from .selectors import budget_share


def _rad_status(region: Region, year: int, url: str) -> ComputedValue:
    plans = list(
        ActionPlan.objects.filter(region=region, start_year__lte=year, end_year__gte=year).order_by(
            "-integrated_in_rpjmd", "-updated_at"
        )
    )
    adopted = [p for p in plans if p.status == PlanStatus.ADOPTED]
    if not adopted:
        source = (
            _("No adopted RAD KLA covers %(year)s (%(n)s draft).") % {"year": year, "n": len(plans)}
            if plans
            else _("No RAD KLA covering %(year)s is recorded.") % {"year": year}
        )
        return ComputedValue("plans.rad_status", RAD_NONE, source, None, url)
    plan = adopted[0]
    value = RAD_INTEGRATED if plan.integrated_in_rpjmd else RAD_EXISTS
    where = _("integrated in the RPJMD") if plan.integrated_in_rpjmd else _("not integrated in the RPJMD")
    basis = plan.legal_basis or _("no legal basis recorded")
    source = _("From the RAD KLA %(start)s-%(end)s (%(basis)s), adopted, %(where)s.") % {
        "start": plan.start_year,
        "end": plan.end_year,
        "basis": basis,
        "where": where,
    }
    return ComputedValue("plans.rad_status", value, source, plan.updated_at.date(), url)


def _child_budget(region: Region, year: int, url: str) -> ComputedValue | None:
    share = budget_share(region=region, year=year)
    if share.share_pct is None:
        return None
    as_of = RegionBudget.objects.filter(region=region, year=year).values_list("updated_at", flat=True).first()
    source = _("Rp %(child)s of child-rights budget in the RAD actions for %(year)s ÷ APBD Rp %(apbd)s.") % {
        "child": f"{share.child_budget:,.0f}",
        "year": year,
        "apbd": f"{share.apbd_total:,.0f}",
    }
    return ComputedValue("plans.child_budget_pct", share.share_pct, source, as_of.date() if as_of else None, url)


def plan_values(region: Region, year: int) -> Iterator[ComputedValue]:
    """The RAD status and the child-rights budget share of a kab/kota for a year (4 queries)."""
    url = reverse("plans:region_plans", args=[region.code])
    yield _rad_status(region, year, url)
    budget = _child_budget(region, year, url)
    if budget is not None:
        yield budget
