"""Public read API for the Kemendagri region tree: /api/v1/regions and /api/v1/regions/{code}."""

from __future__ import annotations

from typing import Any, Literal

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from layak.common.api import ErrorOut, ValidationErrorOut

from . import selectors
from .choices import LEVEL_SLUGS
from .models import Region

router = Router(tags=["regions"])

LEVEL_NAMES = {int(level): slug for slug, level in LEVEL_SLUGS.items()}
LevelSlug = Literal["province", "kabkota", "kecamatan", "desa"]


class PathItemOut(Schema):
    code: str
    name: str


class RegionOut(Schema):
    code: str
    name: str
    level: int
    level_name: LevelSlug
    kind: str
    parent_code: str | None
    latitude: float | None
    longitude: float | None


class RegionDetailOut(RegionOut):
    point_source: str
    path: list[PathItemOut] = Field(description="Ancestors, province first.")
    children_count: int


class RegionPageOut(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[RegionOut]


# Not strict: query values arrive as text and "2" must mean page 2; lax parsing still refuses "false" for a number.
class RegionListQuery(Schema):
    level: LevelSlug | None = Field(None, description="Only regions of this level.")
    parent: str | None = Field(None, max_length=13, description="Only the direct children of this region code.")
    within: str | None = Field(None, max_length=13, description="Only regions inside this region (its subtree).")
    q: str = Field("", max_length=100, description="A name (case-insensitive substring) or a code prefix.")
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=500)


def _region_out(region: Region) -> dict[str, Any]:
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "level_name": LEVEL_NAMES[region.level],
        "kind": region.kind,
        "parent_code": region.parent_id,
        "latitude": float(region.latitude) if region.latitude is not None else None,
        "longitude": float(region.longitude) if region.longitude is not None else None,
    }


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _not_found(code: str) -> Status:
    return Status(404, {"detail": _("There is no region with the code %(code)s.") % {"code": code}})


@router.get(
    "",
    response={200: RegionPageOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="List or search regions",
)
def region_list(request: HttpRequest, filters: Query[RegionListQuery]):
    """Regions by level, parent and name or code, paginated; `count` is the total number of matches."""
    anchors: dict[str, Region | None] = {}
    for name in ("parent", "within"):
        code = getattr(filters, name)
        if code is not None:
            anchors[name] = selectors.region_find(code)
            if anchors[name] is None:
                return _not_found(code)
    level = LEVEL_SLUGS[filters.level] if filters.level else None
    rows = selectors.region_search(filters.q, level=level, **anchors)
    paginator = Paginator(rows, filters.page_size)
    page = paginator.page(min(filters.page, paginator.num_pages))
    return Status(
        200,
        {
            "count": paginator.count,
            "next": _page_url(request, page.number + 1) if page.has_next() else None,
            "previous": _page_url(request, page.number - 1) if page.has_previous() else None,
            "items": [_region_out(region) for region in page],
        },
    )


@router.get("/{code}", response={200: RegionDetailOut, 404: ErrorOut}, summary="One region")
def region_detail(request: HttpRequest, code: str):
    """One region by its dotted Kemendagri code ("31.71.01.1001"), with its ancestors and number of children."""
    region = Region.objects.filter(code=code).annotate(children_count=Count("children")).first()
    if region is None:
        return _not_found(code)
    path = [{"code": r.code, "name": r.name} for r in selectors.region_ancestors(region)]
    return Status(
        200,
        {
            **_region_out(region),
            "point_source": region.point_source,
            "path": path,
            "children_count": region.children_count,
        },
    )
