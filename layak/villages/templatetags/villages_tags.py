"""`{% provila_condition province cycle %}`: the Provinsi Layak Anak condition with Kelana/Dekela, for the
province dashboard (a panel of this app in a lower page, see docs/development.md on the layer rule)."""

from __future__ import annotations

from django import template

from layak.accounts.selectors import user_can_see_region
from layak.dashboards.cache import dashboards_version
from layak.dashboards.selectors import cycle_results

from .. import selectors
from ..provila import provila_condition

register = template.Library()


@register.inclusion_tag("villages/_provila.html", takes_context=True)
def provila_panel(context, province, summary=None):
    """The panel for people who see the province's work; nothing for anyone else."""
    request = context.get("request")
    if request is None or not user_can_see_region(request.user, province.code):
        return {"condition": None}
    bands = None
    if summary is not None:
        rows = cycle_results(dashboards_version(), summary.id)
        bands = {r.region_code: r.band_code for r in rows if r.region_code.startswith(f"{province.code}.")}
    cycle = None
    if summary is not None:
        cycle = selectors.village_cycle_for_year(year=summary.year)
    cycle = cycle or selectors.village_cycle_current()
    return {"condition": provila_condition(province=province, cycle=cycle, bands=bands), "summary": summary}
