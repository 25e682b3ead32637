"""`{% provila_panel province cycle %}`: the Provinsi Layak Anak condition with Kelana/Dekela, for the
province dashboard (a panel of this app in a lower page, see docs/development.md on the layer rule)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from layak.accounts.selectors import user_can_see_region
from layak.common.generations import cached_fragment, generations_for
from layak.dashboards.cache import dashboards_version
from layak.dashboards.selectors import cycle_results
from layak.frameworks.selectors import FRAMEWORKS_GENERATION
from layak.regions.selectors import REGIONS_GENERATION

from .. import selectors
from ..provila import VILLAGES_GENERATION, provila_condition

register = template.Library()


@register.simple_tag(takes_context=True)
def provila_panel(context, province, summary=None) -> SafeString:
    """The panel for people who see the province's work; nothing for anyone else.

    Its content depends on nobody's identity: it is rendered once per province, cycle, results version and the
    generations of the regions, frameworks and Kelana/Dekela checklists, and shared by everyone who may see it."""
    request = context.get("request")
    if request is None or not user_can_see_region(request.user, province.code):
        return mark_safe("")
    version = context.get("dashboards_version") or dashboards_version()
    # Read with the province page's own generations when it asked for them (VillagesConfig.ready): no cache read.
    read = generations_for(request, REGIONS_GENERATION, FRAMEWORKS_GENERATION, VILLAGES_GENERATION)
    stamp = ":".join(map(str, (version, *read.values())))

    def build() -> dict:
        bands = None
        if summary is not None:
            rows = cycle_results(version, summary.id)
            bands = {r.region_code: r.band_code for r in rows if r.region_code.startswith(f"{province.code}.")}
        cycle = None
        if summary is not None:
            cycle = selectors.village_cycle_for_year(year=summary.year)
        cycle = cycle or selectors.village_cycle_current()
        return {"condition": provila_condition(province=province, cycle=cycle, bands=bands), "summary": summary}

    key = f"provila:{province.code}:{summary.id if summary is not None else '-'}:{stamp}"
    return cached_fragment(key, "villages/_provila.html", build)
