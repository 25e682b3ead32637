"""Reads behind the dashboards: results per cycle, national statistics, province and region views.

Who sees what: a cycle's results are public once the cycle's `results_published_at` has passed. Before that,
national staff (national admin, independent evaluator, national viewer) see every region, a province's users
their province and a region's users their region; nobody else sees anything of the cycle.

Aggregates do not depend on the user: they are computed once per version stamp (see `cache.py`) in a fixed
number of queries, and scoping happens by choosing which cycles and regions a user may look at.
"""

from __future__ import annotations

import copy
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.http import Http404

from layak.accounts.selectors import Viewer, user_has_national_scope
from layak.common.generations import generation, shared_value
from layak.evaluations.models import Cycle
from layak.evaluations.publication import published_filter, results_published, sees_unpublished
from layak.frameworks.models import Indicator, IndicatorGroup, PredicateBand
from layak.regions.choices import RegionLevel
from layak.regions.models import Region
from layak.regions.selectors import REGIONS_GENERATION
from layak.reviews.choices import ScoreStage
from layak.reviews.models import FinalResult, RevisionRequest, ScoreSnapshot

from .cache import cached
from .models import PublishedNationalCount, PublishedRegionResult

MAX_POINTS = Decimal(1000)
SCORE_BINS = [(0, 500), *((low, low + 50) for low in range(500, 1000, 50))]
BAND_ORDER = ["pratama", "madya", "nindya", "utama", "kla"]

# --- Who may see which cycle ---------------------------------------------------------------------------------


# --- Reference data of a framework ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FrameworkInfo:
    """Groups (code, name, name_en, max), bands (code, name, lower, upper) and indicator names of a version."""

    groups: list[tuple[str, str, str, Decimal]]
    bands: list[tuple[str, str, Decimal, Decimal]]
    indicators: dict[str, tuple[str, str, str]]  # code -> (group code, name, name_en)


def _framework_info(framework_id: int) -> FrameworkInfo:
    indicators = list(
        Indicator.objects.filter(version_id=framework_id)
        .order_by("group__order", "order")
        .values_list("code", "group__code", "name", "name_en", "max_points")
    )
    maxima: dict[str, Decimal] = defaultdict(Decimal)
    for _code, group, _name, _en, max_points in indicators:
        maxima[group] += max_points
    groups = [
        (code, name, name_en, maxima[code])
        for code, name, name_en in IndicatorGroup.objects.filter(version_id=framework_id)
        .order_by("order")
        .values_list("code", "name", "name_en")
    ]
    bands = list(
        PredicateBand.objects.filter(version_id=framework_id)
        .order_by("order")
        .values_list("code", "name", "lower", "upper")
    )
    return FrameworkInfo(groups, bands, {code: (group, name, en) for code, group, name, en, _m in indicators})


def framework_info(version: str, framework_id: int) -> FrameworkInfo:
    """The framework's groups, bands and indicator names (three queries, cached)."""
    return cached(version, "framework", lambda: _framework_info(framework_id), framework_id)


# --- Cycles and their results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CycleSummary:
    """A cycle with results: its publication time, number of final results and count per awarded predicate."""

    id: int
    year: int
    name: str
    framework_id: int
    framework_slug: str
    published_at: datetime | None
    results: int
    band_counts: dict[str, int]
    is_demo: bool = False  # a demo cycle of invented figures: pages label it "data contoh"

    @property
    def is_published(self) -> bool:
        return results_published(self.published_at)


def _cycle_summaries() -> list[CycleSummary]:
    counts: dict[int, Counter[str]] = defaultdict(Counter[str])
    rows = FinalResult.objects.order_by().values_list("assessment__cycle_id", "band_code").annotate(n=Count("pk"))
    for cycle_id, band, n in rows:
        counts[cycle_id][band or ""] += n
    cycles = Cycle.objects.filter(pk__in=list(counts)).order_by("year", "pk")
    return [
        CycleSummary(
            c.pk,
            c.year,
            c.name,
            c.framework_id,
            c.framework.slug,
            c.results_published_at,
            sum(counts[c.pk].values()),
            dict(counts[c.pk]),
            c.is_demo,
        )
        for c in cycles.select_related("framework")
    ]


def cycle_summaries(version: str) -> list[CycleSummary]:
    """Every cycle that has final results, oldest first (two queries, cached; kept in process memory too, as every
    dashboard view reads it)."""
    return shared_value(f"dashboards:cycles:{version}", _cycle_summaries)


def cycles_for_user(version: str, user: Viewer) -> list[CycleSummary]:
    """The cycles whose national figures the user may see: published ones, and all of them for national staff."""
    national = user_has_national_scope(user)
    return [c for c in cycle_summaries(version) if national or c.is_published]


def cycles_published(version: str) -> list[CycleSummary]:
    return [c for c in cycle_summaries(version) if c.is_published]


def pick_cycle(cycles: list[CycleSummary], wanted: str | None) -> CycleSummary | None:
    """The cycle asked for (by id) among `cycles`, else the latest; 404 if an id outside them is asked for."""
    if not cycles:
        return None
    if not wanted:
        return cycles[-1]
    found = next((c for c in cycles if str(c.id) == str(wanted)), None)
    if found is None:
        raise Http404("No such cycle here.")
    return found


def previous_cycle(cycles: list[CycleSummary], cycle: CycleSummary) -> CycleSummary | None:
    earlier = [c for c in cycles if c.year < cycle.year]
    return earlier[-1] if earlier else None


@dataclass(frozen=True)
class ResultRow:
    """One kab/kota's final result in a cycle, with its score per group and a point for the map.

    `approximate` is True when the kab/kota has no point of its own and the province's point stands in.
    """

    region_code: str
    region_name: str
    province_code: str
    province_name: str
    score: Decimal
    band_code: str
    groups: dict[str, tuple[Decimal, Decimal]]
    latitude: float | None
    longitude: float | None
    approximate: bool

    def group_share(self, code: str) -> float | None:
        points, maximum = self.groups.get(code, (None, None))
        return None if not maximum or points is None else float(points / maximum)


def _groups_of(snapshot_groups: dict[str, Any]) -> dict[str, tuple[Decimal, Decimal]]:
    return {code: (Decimal(g["points"]), Decimal(g["max"])) for code, g in (snapshot_groups or {}).items()}


def _point(lat: Any, lon: Any, parent_lat: Any, parent_lon: Any) -> tuple[float | None, float | None, bool]:
    if lat is not None and lon is not None:
        return float(lat), float(lon), False
    if parent_lat is not None and parent_lon is not None:
        return float(parent_lat), float(parent_lon), True
    return None, None, True


def _cycle_results(cycle_id: int) -> list[ResultRow]:
    groups = dict(
        ScoreSnapshot.objects.filter(assessment__cycle_id=cycle_id, stage=ScoreStage.FINAL).values_list(
            "assessment_id", "groups"
        )
    )
    rows = FinalResult.objects.filter(assessment__cycle_id=cycle_id).values_list(
        "assessment_id",
        "assessment__region_id",
        "assessment__region__name",
        "assessment__region__parent_id",
        "assessment__region__parent__name",
        "score",
        "band_code",
        "assessment__region__latitude",
        "assessment__region__longitude",
        "assessment__region__parent__latitude",
        "assessment__region__parent__longitude",
    )
    return sorted(
        (
            ResultRow(code, name, p_code or "", p_name, score, band, _groups_of(groups.get(pk) or {}), *_point(*point))
            for pk, code, name, p_code, p_name, score, band, *point in rows
        ),
        key=lambda r: (-r.score, r.region_code),
    )


def cycle_results(version: str, cycle_id: int) -> list[ResultRow]:
    """Every final result of the cycle, best score first (two queries, cached)."""
    return cached(version, "results", lambda: _cycle_results(cycle_id), cycle_id)


# --- National statistics -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusterStats:
    """The distribution of one group's scores across kab/kota, as shares of the group's maximum (0-1)."""

    code: str
    mean: float
    median: float
    low: float
    high: float
    bins: list[int]  # kab/kota per 10% step of the maximum


@dataclass(frozen=True)
class ProvinceCoverage:
    """How many of a province's kab/kota hold a predicate in the cycle (the Provinsi Layak Anak condition)."""

    code: str
    name: str
    kabkota: int
    with_predicate: int

    @property
    def complete(self) -> bool:
        return self.kabkota > 0 and self.with_predicate == self.kabkota


@dataclass(frozen=True)
class NationalStats:
    """A cycle seen nationally: counts per predicate, score distributions, ranking and province coverage."""

    cycle_id: int
    band_counts: dict[str, int]
    score_bins: list[tuple[str, int]]
    clusters: list[ClusterStats]
    ranking: list[ResultRow]
    provinces: list[ProvinceCoverage]

    @property
    def provila(self) -> list[ProvinceCoverage]:
        return [p for p in self.provinces if p.complete]


def _share_bins(shares: list[float]) -> list[int]:
    bins = [0] * 10
    for share in shares:
        bins[min(int(share * 10), 9)] += 1
    return bins


def _cluster_stats(rows: list[ResultRow], codes: list[str]) -> list[ClusterStats]:
    result = []
    for code in codes:
        shares = [s for s in (r.group_share(code) for r in rows) if s is not None]
        if shares:
            stats = (statistics.fmean(shares), statistics.median(shares), min(shares), max(shares))
            result.append(ClusterStats(code, *stats, _share_bins(shares)))
    return result


def kabkota_per_province() -> dict[str, tuple[str, int]]:
    """{province code: (name, number of kab/kota)} from the region table (one query)."""
    provinces = Region.objects.filter(level=RegionLevel.PROVINCE).annotate(n=Count("children"))
    rows = provinces.values_list("code", "name", "n")
    return {code: (name, n) for code, name, n in rows}


def _provinces(rows: list[ResultRow]) -> list[ProvinceCoverage]:
    held = Counter(r.province_code for r in rows if r.band_code)
    return [
        ProvinceCoverage(code, name, n, held[code]) for code, (name, n) in sorted(kabkota_per_province().items()) if n
    ]


def _national_stats(version: str, cycle: CycleSummary) -> NationalStats:
    rows = cycle_results(version, cycle.id)
    info = framework_info(version, cycle.framework_id)
    bins = [(f"{lo}-{hi}" if lo else f"<{hi}", sum(lo <= r.score < hi for r in rows)) for lo, hi in SCORE_BINS]
    bins[-1] = (bins[-1][0], bins[-1][1] + sum(r.score >= 1000 for r in rows))
    return NationalStats(
        cycle.id,
        Counter(r.band_code for r in rows),
        bins,
        _cluster_stats(rows, [g[0] for g in info.groups]),
        rows,
        _provinces(rows),
    )


def national_stats(version: str, cycle: CycleSummary) -> NationalStats:
    """The national figures of a cycle (cached; built from the cycle's results in a fixed number of queries)."""
    return cached(version, "national", lambda: _national_stats(version, cycle), cycle.id)


def _cluster_trend() -> dict[int, dict[str, float]]:
    sums: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    rows = ScoreSnapshot.objects.filter(stage=ScoreStage.FINAL, assessment__final_result__isnull=False)
    for cycle_id, groups in rows.values_list("assessment__cycle_id", "groups").iterator(chunk_size=2000):
        for code, (points, maximum) in _groups_of(groups).items():
            if maximum:
                sums[cycle_id][code].append(float(points / maximum))
    return {cycle_id: {code: statistics.fmean(v) for code, v in by.items()} for cycle_id, by in sums.items()}


def cluster_trend(version: str) -> dict[int, dict[str, float]]:
    """{cycle id: {group code: mean share of the maximum}} over all final results (one query, cached)."""
    return cached(version, "trend", _cluster_trend)


def published_history(version: str) -> list[PublishedNationalCount]:
    """The national counts of past award years as published, oldest first (one query, cached)."""
    return cached(version, "history", lambda: list(PublishedNationalCount.objects.order_by("year")))


# --- Province ------------------------------------------------------------------------------------------------


def user_covers(user: Viewer, code: str) -> bool:
    """True when the user sees this region's unpublished results: national staff, and the people of the region
    (or of its province). Everyone else, anonymous visitors included, sees published results only."""
    return sees_unpublished(user, code)


# Every province and kab/kota (with its province) of one generation of the region tree, kept by this process: a
# dashboard finds its region without a query (a Region read with its parent costs more than the page's own work).
_PLACES: dict[int, dict[str, Region]] = {}


def _places(regions_generation: int) -> dict[str, Region]:
    places = _PLACES.get(regions_generation)
    if places is None:
        rows = Region.objects.filter(level__in=[RegionLevel.PROVINCE, RegionLevel.KABKOTA]).select_related("parent")
        places = {region.code: region for region in rows}
        _PLACES.clear()  # only the current generation is read again
        _PLACES[regions_generation] = places
    return places


def _place(code: str, level: int, regions_generation: int | None) -> Region | None:
    if regions_generation is None:
        regions_generation = generation(REGIONS_GENERATION)
    found = _places(regions_generation).get(code)
    # A copy: the page may cache things on its region, never on the one every request shares.
    return copy.copy(found) if found is not None and found.level == level else None


def place_known(code: str, level: int) -> bool:
    """True when this process's memory of the region tree holds a region of that code and level (a cheap check
    before anything is read or cached under a code from an address)."""
    return any(code in places and places[code].level == level for places in _PLACES.values())


def province_get(code: str, regions_generation: int | None = None) -> Region:
    """A province by its code (from this process's memory of the region tree's `regions_generation`, read when not
    given); 404 when there is none. Its published results are public."""
    province = _place(code, RegionLevel.PROVINCE, regions_generation)
    if province is None:
        raise Http404("No such province.")
    return province


def cycles_for_region(version: str, user: Viewer, code: str) -> list[CycleSummary]:
    """The cycles whose results of this region the user may see: all for those who cover it, else published."""
    return cycle_summaries(version) if user_covers(user, code) else cycles_published(version)


@dataclass(frozen=True)
class ProvinceRow:
    """A kab/kota on the province page: its result in the cycle and in the previous one (None when absent)."""

    code: str
    name: str
    current: ResultRow | None
    previous: ResultRow | None

    @property
    def change(self) -> Decimal | None:
        if self.current is None or self.previous is None:
            return None
        return self.current.score - self.previous.score


@dataclass
class ProvinceView:
    """A province in one cycle: its kab/kota, how many have a result (coverage) and the average score of those
    that have one, side by side; the weakest indicators.

    The average counts only kab/kota with a final result: a kab/kota without one is not a score of 0, so the
    headline never mixes "not evaluated yet" into "scored low".
    """

    province: Region
    cycle: CycleSummary | None
    previous: CycleSummary | None
    rows: list[ProvinceRow]
    weakest: list[tuple[str, str, float]] = field(default_factory=list)  # (code, group, mean share)

    @property
    def with_results(self) -> int:
        return sum(1 for r in self.rows if r.current is not None)

    @property
    def coverage(self) -> Decimal | None:
        """Kab/kota with a result / all kab/kota of the province (0-1)."""
        return Decimal(self.with_results) / len(self.rows) if self.rows else None

    @property
    def average(self) -> Decimal | None:
        return average_score([r.current.score for r in self.rows if r.current])

    @property
    def previous_average(self) -> Decimal | None:
        return average_score([r.previous.score for r in self.rows if r.previous])

    @property
    def average_change(self) -> Decimal | None:
        if self.average is None or self.previous_average is None:
            return None
        return self.average - self.previous_average


def average_score(scores: list[Decimal]) -> Decimal | None:
    """The mean of the scores there are (two decimals); None when there is none."""
    if not scores:
        return None
    return (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.01"))


def _indicator_means(version: str, cycle_id: int, province_code: str) -> dict[str, float]:
    def build() -> dict[str, float]:
        shares: dict[str, list[float]] = defaultdict(list)
        rows = ScoreSnapshot.objects.filter(
            stage=ScoreStage.FINAL, assessment__cycle_id=cycle_id, assessment__region__parent_id=province_code
        ).values_list("indicators", flat=True)
        for indicators in rows:
            for code, item in (indicators or {}).items():
                if Decimal(item["max"]):
                    shares[code].append(float(Decimal(item["points"]) / Decimal(item["max"])))
        return {code: statistics.fmean(values) for code, values in shares.items()}

    return cached(version, "indicator_means", build, cycle_id, province_code)


def weakest_indicators(means: dict[str, float], info: FrameworkInfo, limit: int = 5) -> list[tuple[str, str, float]]:
    """The indicators with the lowest average share of their maximum: (code, group code, mean share)."""
    ranked = sorted(means.items(), key=lambda item: (item[1], item[0]))[:limit]
    return [(code, info.indicators.get(code, ("", "", ""))[0], share) for code, share in ranked]


def province_view(
    version: str, province: Region, cycles: list[CycleSummary], cycle: CycleSummary | None
) -> ProvinceView:
    """The province page's data in a fixed number of queries (the kab/kota list plus cached aggregates)."""
    kabkota = list(Region.objects.filter(parent=province, level=RegionLevel.KABKOTA).order_by("code"))
    prev = previous_cycle(cycles, cycle) if cycle else None
    current = {r.region_code: r for r in cycle_results(version, cycle.id)} if cycle else {}
    before = {r.region_code: r for r in cycle_results(version, prev.id)} if prev else {}
    rows = [ProvinceRow(k.code, k.name, current.get(k.code), before.get(k.code)) for k in kabkota]
    view = ProvinceView(province, cycle, prev, rows)
    if cycle is None:
        return view
    means = _indicator_means(version, cycle.id, province.code)
    view.weakest = weakest_indicators(means, framework_info(version, cycle.framework_id))
    return view


def band_rank(code: str) -> int:
    """0 for no predicate, 1 Pratama ... 5 KLA."""
    return BAND_ORDER.index(code) + 1 if code in BAND_ORDER else 0


def target_progress(rows: list[ProvinceRow], band_code: str) -> tuple[int, int]:
    """(kab/kota at the target predicate or above in the cycle, all kab/kota of the province)."""
    wanted = band_rank(band_code)
    reached = sum(1 for r in rows if r.current is not None and band_rank(r.current.band_code) >= wanted)
    return reached, len(rows)


# --- Region --------------------------------------------------------------------------------------------------


def kabkota_get(code: str, regions_generation: int | None = None) -> Region:
    """A kab/kota by its code, with its province (from this process's memory, as `province_get`); 404 when there
    is none. Its published results are public."""
    region = _place(code, RegionLevel.KABKOTA, regions_generation)
    if region is None:
        raise Http404("No such region.")
    return region


@dataclass(frozen=True)
class RegionResult:
    """One of the region's own final results, with its cycle and the final snapshot's groups and indicators."""

    assessment_id: int
    cycle_id: int
    cycle_year: int
    cycle_name: str
    framework_id: int
    framework_slug: str
    published_at: datetime | None
    score: Decimal
    band_code: str
    groups: dict[str, tuple[Decimal, Decimal]]
    indicators: dict[str, tuple[Decimal, Decimal]]
    is_demo: bool = False  # from a demo cycle of invented figures ("data contoh")

    @property
    def is_published(self) -> bool:
        return results_published(self.published_at)


def region_results(region_code: str, *, published_only: bool) -> list[RegionResult]:
    """The region's final results across cycles, oldest first (two queries)."""
    finals = FinalResult.objects.filter(assessment__region_id=region_code)
    if published_only:
        finals = finals.filter(published_filter("assessment__cycle__results_published_at"))
    rows = list(
        finals.order_by("assessment__cycle__year").values_list(
            "assessment_id",
            "assessment__cycle_id",
            "assessment__cycle__year",
            "assessment__cycle__name",
            "assessment__cycle__framework_id",
            "assessment__cycle__framework__slug",
            "assessment__cycle__results_published_at",
            "score",
            "band_code",
            "assessment__cycle__is_demo",
        )
    )
    snaps = {
        pk: (groups, indicators)
        for pk, groups, indicators in ScoreSnapshot.objects.filter(
            assessment_id__in=[r[0] for r in rows], stage=ScoreStage.FINAL
        ).values_list("assessment_id", "groups", "indicators")
    }
    return [RegionResult(*row[:-1], *_snapshot_parts(snaps.get(row[0])), is_demo=row[-1]) for row in rows]


def _snapshot_parts(snap: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    if snap is None:
        return {}, {}
    groups, indicators = snap
    items = {code: (Decimal(i["points"]), Decimal(i["max"])) for code, i in (indicators or {}).items()}
    return _groups_of(groups), items


def indicator_extremes(result: RegionResult, limit: int = 5) -> tuple[list[Any], list[Any]]:
    """(strongest, weakest) indicators of one result as (code, share of the maximum), best/worst first."""
    shares = sorted(
        ((code, float(points / maximum)) for code, (points, maximum) in result.indicators.items() if maximum),
        key=lambda item: (item[1], item[0]),
    )
    return list(reversed(shares[-limit:])), shares[:limit]


def published_region_history(region_code: str) -> list[PublishedRegionResult]:
    """The region's past predikat as published in the press (one query)."""
    return list(PublishedRegionResult.objects.filter(region_id=region_code).order_by("year"))


def open_revision_requests(region_code: str) -> list[RevisionRequest]:
    """The revision rounds still open for the region (not resubmitted), newest first, with the indicators sent
    back and what to fix (two queries, whatever the number of rounds and items)."""
    return list(
        RevisionRequest.objects.filter(assessment__region_id=region_code, resubmitted_at__isnull=True)
        .select_related("assessment__cycle")
        .prefetch_related("items__indicator")
        .order_by("-requested_at")
    )
