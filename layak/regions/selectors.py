"""Reads of the region tree. Region names and codes are public reference data, so nothing here is user-scoped."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from layak.common.generations import shared_value

from .choices import RegionLevel
from .models import Region

# "31", "31.71", "31.71.01.1001", "3171", "31.": something the user typed as a Kemendagri code.
_CODE_LIKE = re.compile(r"^\d{2}(?:\.?\d{2}(?:\.?\d{2}(?:\.?\d{1,4})?)?)?\.?$")
_FULL_CODE = re.compile(r"^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?$")  # "31", "31.71", "31.71.01.1001"
_KIND_PREFIXES = ("", "kabupaten ", "kabupaten administrasi ", "kota ", "kota administrasi ")


# The generation counter (layak.common.generations) of the region tree: bumped by `regions_load` and by any save
# or delete of a Region; pages built from the whole tree are cached under it.
REGIONS_GENERATION = "regions"


def normalize_code(text: str) -> str:
    """The dotted form of a typed code: "3171" -> "31.71", "31.7" stays a prefix, a trailing dot is dropped."""
    digits = text.replace(".", "")
    parts = [digits[0:2], digits[2:4], digits[4:6], digits[6:10]]
    return ".".join(p for p in parts if p)


def looks_like_code(text: str) -> bool:
    return bool(_CODE_LIKE.match(text.strip()))


def region_find(code: str) -> Region | None:
    """The region with this Kemendagri code, or None."""
    return Region.objects.filter(code=code).first()


def region_snapshot(code: str, regions_generation: int) -> Region | None:
    """The region with this code as it is in this generation of the region tree (`REGIONS_GENERATION`, which the
    caller reads, often with other counters in one round trip), from process memory or the shared cache: no query
    on a warm read. Its parents are not loaded; treat it as read-only (it is shared by every request)."""
    if not _FULL_CODE.match(code):
        return None  # nothing to read, and nothing kept for a made-up code
    key = f"regions:snapshot:{code}:{regions_generation}"
    return shared_value(key, lambda: (region_find(code),))[0]


def region_get(code: str) -> Region:
    """The region with this Kemendagri code, or 404."""
    region = region_find(code)
    if region is None:
        raise Http404(_("There is no region with the code %(code)s.") % {"code": code})
    return region


def region_ancestors(region: Region) -> list[Region]:
    """The regions above this one, province first (one query)."""
    codes = region.ancestor_codes()
    if not codes:
        return []
    return list(Region.objects.filter(code__in=codes).order_by("level"))


def region_paths(regions: Iterable[Region]) -> dict[str, list[Region]]:
    """For each region's code, its ancestors province first, read in one query for the whole list."""
    regions = list(regions)
    wanted = {code for region in regions for code in region.ancestor_codes()}
    by_code = {r.code: r for r in Region.objects.filter(code__in=wanted)} if wanted else {}
    return {r.code: [by_code[c] for c in r.ancestor_codes() if c in by_code] for r in regions}


def region_children(region: Region | None) -> QuerySet[Region]:
    """The regions directly below `region` (the 38 provinces for None), with their own count of children."""
    rows = Region.objects.filter(parent=region) if region is not None else Region.objects.filter(level=1)
    return rows.annotate(children_count=Count("children")).order_by("code")


def region_counts_by_level() -> dict[int, int]:
    """How many regions of each level the table holds: {1: 38, 2: 514, ...}."""
    rows = Region.objects.order_by().values_list("level").annotate(n=Count("code"))
    return dict(rows)


def _name_rank(q: str) -> Case:
    """0 exact name, 1 name starts with q, 2 a word starts with q, 3 q elsewhere ("Kota " prefixes ignored)."""
    exact = Q(search_name__in=[prefix + q for prefix in _KIND_PREFIXES])
    starts = Q()
    for prefix in _KIND_PREFIXES:
        starts |= Q(search_name__startswith=prefix + q)
    return Case(
        When(exact, then=Value(0)),
        When(starts, then=Value(1)),
        When(search_name__contains=f" {q}", then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


def region_search(
    q: str = "",
    *,
    level: int | None = None,
    parent: Region | None = None,
    within: Region | None = None,
) -> QuerySet[Region]:
    """Regions matching a name or a code, best matches first.

    A query that looks like a code ("31.71", "3171") matches that code and every code below it, upper levels
    first. Otherwise it is a case-insensitive substring of the name: exact and prefix matches come first, then
    upper levels ("banjar" lists Kabupaten Banjar and Kota Banjarmasin before kecamatan and villages).
    `parent` keeps its direct children, `within` its whole subtree. An empty query lists by code.
    """
    rows = Region.objects.all()
    if level is not None:
        rows = rows.filter(level=RegionLevel(level))
    if parent is not None:
        rows = rows.filter(parent=parent)
    if within is not None:
        rows = rows.in_subtree(within.code)
    q = q.strip().lower()
    if not q:
        return rows.order_by("code")
    if looks_like_code(q):
        return rows.filter(code__startswith=normalize_code(q)).order_by("level", "code")
    rows = rows.filter(search_name__contains=q).annotate(rank=_name_rank(q))
    bucket = Case(When(rank__lte=1, then=Value(0)), default=Value(1), output_field=IntegerField())
    return rows.order_by(bucket, "level", "rank", "search_name", "code")
