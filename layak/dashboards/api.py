"""Open data: published KLA results and national statistics, as JSON or CSV (`?format=csv`).

Mounted at the API root: /api/v1/results, /api/v1/regions/{code}/results, /api/v1/stats/national.
Anonymous callers see published cycles only and are rate-limited (settings.LAYAK_API_ANON_RATE, "60/m");
a signed-in caller (session or `Authorization: Bearer <token>`) also sees unpublished results of the regions
they cover. Field names are stable; they are described in the OpenAPI document.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.responses import NinjaJSONEncoder

from layak.accounts.api_auth import TokenAuth
from layak.common.api import ErrorOut
from layak.common.spreadsheets import write_csv
from layak.evaluations.publication import results_published, results_visible_filter
from layak.regions.models import Region
from layak.reviews.choices import ScoreStage
from layak.reviews.models import FinalResult, ScoreSnapshot

from . import selectors as s
from .cache import dashboards_version, dashboards_version_recent
from .ratelimit import anonymous_limit_response

router = Router(tags=["open data"])

Format = Literal["json", "csv"]


class RateLimitedOut(Schema):
    detail: str = Field(description="What happened and what to do.")
    retry_after: int = Field(description="Seconds until the next request is accepted.")


class ClusterOut(Schema):
    points: float = Field(description="Points earned in the group (kelembagaan K or klaster I-V).")
    max: float = Field(description="The group's maximum points in the cycle's framework.")


class ResultOut(Schema):
    cycle_id: int = Field(description="Layak's id of the evaluation cycle.")
    cycle_year: int = Field(description="The cycle's year.")
    cycle_name: str = Field(description="The cycle's name, e.g. 'KLA 2025'.")
    region_code: str = Field(description="Kemendagri code of the kab/kota, e.g. '35.78'.")
    region_name: str = Field(description="Name of the kab/kota.")
    province_code: str = Field(description="Kemendagri code of its province, e.g. '35'.")
    score: float = Field(description="Final score, 0-1000.")
    predicate: str = Field(description="Awarded predicate: pratama, madya, nindya, utama, kla, or '' for none.")
    published_at: datetime | None = Field(description="When the cycle's results were published; null if not yet.")
    clusters: dict[str, ClusterOut] = Field(description="Final points per group code (K, I, II, III, IV, V).")
    is_demo: bool = Field(description="True for a demo cycle of invented figures ('data contoh'), never official.")


class ResultPageOut(Schema):
    count: int = Field(description="Number of results matching the filters.")
    next: str | None = Field(description="URL of the next page, or null.")
    previous: str | None = Field(description="URL of the previous page, or null.")
    items: list[ResultOut]


class SourceOut(Schema):
    ref: int = Field(description="Number of the source in Layak's domain reference.")
    title: str
    url: str


class PublishedHistoryOut(Schema):
    year: int = Field(description="Award year.")
    predicate: str = Field(description="Predicate as published.")
    score: float | None = Field(description="Score where a source reports one, else null.")
    confidence: str = Field(description="sure, likely or unsure.")
    note: str = Field(description="In the request's language (Indonesian unless the language cookie says English).")
    sources: list[SourceOut]


class RegionResultsOut(Schema):
    region_code: str
    region_name: str
    results: list[ResultOut] = Field(description="Results of cycles evaluated in Layak, oldest first.")
    published_history: list[PublishedHistoryOut] = Field(
        description="Past predicates as published by the press and government sites (not Layak results)."
    )


class BinOut(Schema):
    label: str = Field(description="Score range, e.g. '600-650'; '<500' below the lowest predicate.")
    count: int


class ClusterStatsOut(Schema):
    code: str = Field(description="Group code (K, I ... V).")
    mean: float = Field(description="Mean share of the group's maximum across kab/kota, 0-1.")
    median: float
    low: float
    high: float


class ProvinceOut(Schema):
    code: str
    name: str
    kabkota: int = Field(description="Kab/kota in the province.")
    with_predicate: int = Field(description="Kab/kota holding a predicate in the cycle.")
    complete: bool = Field(description="True when every kab/kota holds one (the Provinsi Layak Anak condition).")


class NationalHistoryOut(Schema):
    year: int = Field(description="Award year.")
    total: int | None = Field(description="Kab/kota awarded, as published (null when no source gives it).")
    predicates: dict[str, int | None] = Field(description="Kab/kota per predicate as published (null: not given).")
    provila: int | None = Field(description="Provinces awarded (Pelopor) Provinsi Layak Anak.")
    confidence: str = Field(description="sure, likely or unsure.")
    note: str = Field(description="In the request's language (Indonesian unless the language cookie says English).")
    sources: list[SourceOut]


class NationalStatsOut(Schema):
    source: Literal["layak", "published_history"] = Field(
        description="'layak': the figures of a cycle evaluated in Layak; 'published_history': no Layak cycle with "
        "results is visible, so only the award history as published is given (the cycle fields are null)."
    )
    cycle_id: int | None
    cycle_name: str | None
    cycle_year: int | None
    cycle_is_demo: bool = Field(description="True for a demo cycle of invented figures ('data contoh').")
    published_at: datetime | None
    results: int = Field(description="Kab/kota with a final result.")
    predicates: dict[str, int] = Field(description="Kab/kota per predicate code ('' = no predicate).")
    score_bins: list[BinOut]
    clusters: list[ClusterStatsOut]
    provinces: list[ProvinceOut]
    published_history: list[NationalHistoryOut] = Field(
        description="National KLA award counts of past years as published by the press and government sites "
        "(not Layak results), oldest first."
    )


# Not strict: query values arrive as text.
class ResultQuery(Schema):
    cycle: int | None = Field(None, description="Only this cycle (id).")
    province: str | None = Field(None, max_length=2, description="Only kab/kota of this province code, e.g. '35'.")
    predicate: str | None = Field(None, max_length=20, description="Only this predicate code, e.g. 'utama'.")
    page: int = Field(1, ge=1)
    page_size: int = Field(100, ge=1, le=1000)
    format: Format = Field("json", description="json, or csv for a file of all matching rows.")


class FormatQuery(Schema):
    format: Format = Field("json", description="json, or csv.")


class StatsQuery(Schema):
    cycle: int | None = Field(None, description="The cycle (id); the latest visible one when left out.")
    format: Format = Field("json", description="json, or csv (counts per predicate).")


def _caller(request: HttpRequest):
    """The signed-in caller (bearer token or session), or None for an anonymous visitor."""
    if request.headers.get("Authorization", "").startswith("Bearer "):
        TokenAuth()(request)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _visible(user) -> Q:
    """Published results for everyone; unpublished ones of the caller's regions (evaluations.publication)."""
    return results_visible_filter(
        user, published="assessment__cycle__results_published_at", region="assessment__region__code"
    )


RESULT_FIELDS = (
    "assessment_id",
    "assessment__cycle_id",
    "assessment__cycle__year",
    "assessment__cycle__name",
    "assessment__region_id",
    "assessment__region__name",
    "assessment__region__parent_id",
    "score",
    "band_code",
    "assessment__cycle__results_published_at",
    "assessment__cycle__is_demo",
)


def _result_rows(rows: list[tuple]) -> list[dict[str, Any]]:
    """Rows of RESULT_FIELDS as API items, with each result's points per group (one more query)."""
    groups = dict(
        ScoreSnapshot.objects.filter(assessment_id__in=[r[0] for r in rows], stage=ScoreStage.FINAL).values_list(
            "assessment_id", "groups"
        )
    )
    return [
        {
            "cycle_id": cycle_id,
            "cycle_year": year,
            "cycle_name": name,
            "region_code": code,
            "region_name": region_name,
            "province_code": province,
            "score": float(score),
            "predicate": band,
            "published_at": published if results_published(published) else None,
            "clusters": {
                g: {"points": float(v["points"]), "max": float(v["max"])} for g, v in (groups.get(pk) or {}).items()
            },
            "is_demo": is_demo,
        }
        for pk, cycle_id, year, name, code, region_name, province, score, band, published, is_demo in rows
    ]


def _csv(rows: list[dict[str, Any]], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if not rows:
        return response
    groups = sorted({g for row in rows for g in row.get("clusters", {})})
    plain = [k for k in rows[0] if k != "clusters"]
    header = plain + [f"{g}_{part}" for g in groups for part in ("points", "max")]
    body = (
        [row[k] for k in plain]
        + [row.get("clusters", {}).get(g, {}).get(part) for g in groups for part in ("points", "max")]
        for row in rows
    )
    write_csv(response, [header, *body])
    return response


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


LIMITED = {429: RateLimitedOut}


@router.get("/results", response={200: ResultPageOut, **LIMITED}, summary="KLA results per kab/kota")
def results(request: HttpRequest, filters: Query[ResultQuery]):
    """Final results (score, predicate, points per group) per kab/kota and cycle, newest cycle first."""
    user = _caller(request)
    limited = anonymous_limit_response(request)
    if limited:
        return limited
    if filters.format == "csv":
        return _csv(_result_rows(list(_finals(user, filters))), "kla-results.csv")
    if user is not None:
        return Status(200, _results_page(request, _finals(user, filters), filters))
    # Every anonymous caller sees the same published results: the answer is kept per results version, cycles
    # published by now and address (the page links carry it), and sent as ninja would render it.
    version = dashboards_version_recent()
    published = ".".join(str(c.id) for c in s.cycles_published(version))
    key = f"api:results:{version}:{published}:{request.build_absolute_uri()}"
    body = cache.get(key)
    if body is None:
        page = ResultPageOut.model_validate(_results_page(request, _finals(None, filters), filters)).model_dump()
        body = json.dumps(page, cls=NinjaJSONEncoder)
        cache.set(key, body, 3600)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _finals(user, filters: ResultQuery):
    """The visible final results matching the filters, newest cycle first, as rows of RESULT_FIELDS."""
    finals = FinalResult.objects.filter(_visible(user))
    if filters.cycle is not None:
        finals = finals.filter(assessment__cycle_id=filters.cycle)
    if filters.province:
        finals = finals.filter(assessment__region__parent_id=filters.province)
    if filters.predicate is not None:
        finals = finals.filter(band_code=filters.predicate)
    return finals.order_by("-assessment__cycle__year", "assessment__region_id").values_list(*RESULT_FIELDS)


def _results_page(request: HttpRequest, finals, filters: ResultQuery) -> dict[str, Any]:
    paginator = Paginator(finals, filters.page_size)
    page = paginator.page(min(filters.page, paginator.num_pages))
    return {
        "count": paginator.count,
        "next": _page_url(request, page.number + 1) if page.has_next() else None,
        "previous": _page_url(request, page.number - 1) if page.has_previous() else None,
        "items": _result_rows(list(page.object_list)),
    }


@router.get(
    "/regions/{code}/results",
    response={200: RegionResultsOut, 404: ErrorOut, **LIMITED},
    summary="KLA results of one kab/kota",
)
def region_results(request: HttpRequest, code: str, options: Query[FormatQuery]):
    """One kab/kota's results across cycles, and its past predicates as published (with sources)."""
    user = _caller(request)
    limited = anonymous_limit_response(request)
    if limited:
        return limited
    region = Region.objects.filter(code=code).first()
    if region is None:
        return Status(404, {"detail": _("There is no region with the code %(code)s.") % {"code": code}})
    finals = FinalResult.objects.filter(_visible(user), assessment__region_id=code)
    rows = _result_rows(list(finals.order_by("assessment__cycle__year").values_list(*RESULT_FIELDS)))
    if options.format == "csv":
        return _csv(rows, f"kla-results-{code}.csv")
    history = [
        {
            "year": h.year,
            "predicate": h.band_code,
            "score": float(h.score) if h.score is not None else None,
            "confidence": h.confidence,
            "note": h.display_note,
            "sources": h.sources,
        }
        for h in s.published_region_history(code)
    ]
    return Status(200, {"region_code": code, "region_name": region.name, "results": rows, "published_history": history})


@router.get(
    "/stats/national", response={200: NationalStatsOut, 404: ErrorOut, **LIMITED}, summary="National KLA statistics"
)
def national_stats(request: HttpRequest, options: Query[StatsQuery]):
    """One cycle's national figures: kab/kota per predicate, score bins, cluster distribution, provinces."""
    user = _caller(request)
    limited = anonymous_limit_response(request)
    if limited:
        return limited
    version = dashboards_version()
    cycles = s.cycles_for_user(version, user) if user is not None else s.cycles_published(version)
    cycle = next((c for c in cycles if c.id == options.cycle), None) if options.cycle else (cycles or [None])[-1]
    if cycle is None and options.cycle:
        return Status(
            404, {"detail": _("There is no cycle with results you may see. Leave out `cycle` or pick another.")}
        )
    history = [_national_history(h) for h in s.published_history(version)]
    if cycle is None:
        return _history_only(history, options.format)
    stats = s.national_stats(version, cycle)
    if options.format == "csv":
        rows = [{"cycle_id": cycle.id, "predicate": band, "count": n} for band, n in sorted(stats.band_counts.items())]
        return _csv(rows, f"kla-national-{cycle.year}.csv")
    return Status(
        200,
        {
            "cycle_id": cycle.id,
            "cycle_name": cycle.name,
            "cycle_year": cycle.year,
            "cycle_is_demo": cycle.is_demo,
            "published_at": cycle.published_at if cycle.is_published else None,
            "results": cycle.results,
            "predicates": dict(stats.band_counts),
            "score_bins": [{"label": label, "count": n} for label, n in stats.score_bins],
            "clusters": [c.__dict__ for c in stats.clusters],
            "provinces": [p.__dict__ | {"complete": p.complete} for p in stats.provinces],
            "source": "layak",
            "published_history": history,
        },
    )


def _national_history(h) -> dict[str, Any]:
    return {
        "year": h.year,
        "total": h.total,
        "predicates": h.band_counts(),
        "provila": h.provila,
        "confidence": h.confidence,
        "note": h.display_note,
        "sources": h.sources,
    }


def _history_only(history: list[dict[str, Any]], format: str):
    """The answer when no Layak cycle has results the caller may see: the award history as published."""
    if format == "csv":
        rows = [{"year": h["year"], "total": h["total"], **h["predicates"], "provila": h["provila"]} for h in history]
        return _csv(rows, "kla-national-history.csv")
    empty = {"cycle_id": None, "cycle_name": None, "cycle_year": None, "cycle_is_demo": False, "published_at": None}
    empty["results"] = 0
    lists = {"predicates": {}, "score_bins": [], "clusters": [], "provinces": []}
    return Status(200, {**empty, **lists, "source": "published_history", "published_history": history})
