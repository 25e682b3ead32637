"""Public pages of the region tree: Indonesia, a region and its children, and search by name or code."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from layak.common.generations import cached_fragment, generation
from layak.common.pagecache import anonymous_page

from . import selectors
from .choices import LEVEL_SLUGS, RegionLevel

CHILDREN_PER_PAGE = 100
RESULTS_PER_PAGE = 50
# Short headers for the column counting each child's own children (kept short to fit a phone).
COUNT_HEADERS = {3: _("Kecamatan"), 4: _("Desa/kelurahan")}


def _level_label(level: int) -> str | None:
    return RegionLevel(level).label if level in RegionLevel.values else None


@anonymous_page(lambda request: str(generation(selectors.REGIONS_GENERATION)))
def region_index(request: HttpRequest) -> HttpResponse:
    """Indonesia: the 38 provinces with their number of kab/kota, totals per level, and a search box."""
    key = f"regions:index:{generation(selectors.REGIONS_GENERATION)}"
    body = cached_fragment(key, "regions/_region_index_body.html", _index_context)
    return render(request, "regions/region_index.html", {"body": body})


def _index_context() -> dict:
    counts = selectors.region_counts_by_level()
    return {
        "provinces": selectors.region_children(None),
        "level_counts": [(RegionLevel(level).label, counts.get(level, 0)) for level in RegionLevel.values],
    }


def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One region: breadcrumbs from Indonesia down, and its children (paginated) with their own counts."""
    region = selectors.region_get(code)
    page = Paginator(selectors.region_children(region), CHILDREN_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "region": region,
        "ancestors": selectors.region_ancestors(region),
        "page": page,
        "child_level": _level_label(region.level + 1),
        "grandchild_level": COUNT_HEADERS.get(region.level + 2),
    }
    return render(request, "regions/region_detail.html", context)


def region_search(request: HttpRequest) -> HttpResponse:
    """Regions whose name contains the query, or whose code starts with it, with each one's path."""
    q = request.GET.get("q", "").strip()[:100]
    level = LEVEL_SLUGS.get(request.GET.get("level", ""))
    page, results = None, []
    if q:
        page = Paginator(selectors.region_search(q, level=level), RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        paths = selectors.region_paths(page)
        results = [(region, paths[region.code]) for region in page]
    context = {
        "q": q,
        "level": request.GET.get("level", "") if level else "",
        "levels": [(slug, level.label) for slug, level in LEVEL_SLUGS.items()],
        "page": page,
        "results": results,
    }
    return render(request, "regions/region_search.html", context)
