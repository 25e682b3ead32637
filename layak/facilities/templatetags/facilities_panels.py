"""`{% facilities_region_panel region %}` and `{% facilities_province_panel province %}`: the facility register's
panels on the region and province dashboards (a panel of this app in another app's page: the dashboards' templates
load this library, so neither app imports the other; see docs/development.md on the layer rule).

Each panel is rendered once per region, language, audience (may the viewer read the register, which decides the
links) and version (`selectors.panel_version`: the province's generation counter, bumped by any write of a
facility, a zone or a zone's members; cache reads only), and shared by every visitor of that audience (decision
0016, 0030). Counts, zone names and
kinds only: nothing about a person.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from layak.common.generations import shared_value
from layak.regions.models import Region
from layak.registers.access import can_read_register

from .. import selectors

register = template.Library()
PANEL_SECONDS = 3600


def _viewer(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


def _cached(name: str, region: Region, can_read: bool, render: Callable[[], str], request: Any = None) -> SafeString:
    """The panel under the province's generation (no query when cached; read with the page's own generations when
    the page asked for them: `FacilitiesConfig.ready`); built, the register's one-query stamp says first whether
    there is anything to show."""
    version = selectors.panel_version(region.code, request)
    key = f"facilities:panel:{name}:{region.code}:{get_language()}:{int(can_read)}:{version}"

    def build() -> str:
        if selectors.data_stamp(region.code)[1]:  # no facility and no zone yet: nothing to build
            context = {"region": region, "can_read": can_read, "province": "." not in region.code}
            return render_to_string("facilities/_dashboard_empty.html", context)
        return render()

    # In this process's memory in front of the shared cache (the key holds the version: never read after a change).
    return mark_safe(shared_value(key, build, PANEL_SECONDS))  # rendered by our own template, which escapes


@register.simple_tag(takes_context=True)
def facilities_region_panel(context: template.Context, region: Region) -> SafeString:
    """A kab/kota's zones (complete or what they lack) and coverage of its desa/kelurahan per kind."""
    user = _viewer(context)
    can_read = user is not None and can_read_register(user, region.code)

    def render() -> str:
        panel = selectors.region_panel(region=region)
        return render_to_string(
            "facilities/_dashboard_region.html", {"panel": panel, "region": region, "can_read": can_read}
        )

    return _cached("region", region, can_read, render, context.get("request"))


@register.simple_tag(takes_context=True)
def facilities_province_panel(context: template.Context, province: Region) -> SafeString:
    """Each kab/kota of a province in one line: zones complete and incomplete, desa covered per kind, gap desa."""
    user = _viewer(context)
    can_read = user is not None and can_read_register(user, province.code)

    def render() -> str:
        panels = selectors.province_panel(province=province)
        kinds = list(panels[0].shares) if panels else []
        return render_to_string(
            "facilities/_dashboard_province.html",
            {"panels": panels, "province": province, "can_read": can_read, "kinds": kinds},
        )

    return _cached("province", province, can_read, render, context.get("request"))
