"""What the dashboard pages show, built from the selectors: tables (sortable, exportable) and SVG charts.

Everything here is plain data for the templates; labels are translated in the active language, so a cached
rendering is keyed by language (see views.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from layak.common.charts import Bar, Bin, Series, band_colour, grouped_bar_chart, histogram, horizontal_bar_chart
from layak.common.charts import line_chart as svg_line_chart
from layak.common.numbers import format_date, format_fraction

from . import selectors as s
from .exports import Column, Table, table_sorted

BAND_COLUMNS = ["utama", "nindya", "madya", "pratama"]
# The national ranking page shows this many rows (in the chosen order); the downloads hold every kab/kota.
RANKING_SHOWN = 50


def band_label(code: str | None) -> str:
    """The predicate's name as users say it (Pratama ... Utama, KLA); "No predicate" for none."""
    if not code:
        return _("No predicate")
    return "KLA" if code == "kla" else code.title()


def group_label(info: s.FrameworkInfo, code: str) -> str:
    names = {c: (name, en) for c, name, en, _m in info.groups}
    return f"{code}. {names.get(code, (code, ''))[0]}" if code in names else code


def percent(value: float | Decimal | None) -> float | None:
    return None if value is None else round(float(value) * 100, 1)


def sources_text(sources: list[dict[str, Any]]) -> str:
    return "; ".join(f"[{src['ref']}] {src['title']} <{src['url']}>" for src in sources)


# --- National ------------------------------------------------------------------------------------------------


def cycle_counts_table(cycles: list[s.CycleSummary]) -> Table:
    """Layak's own cycles: kab/kota with a final result and the count per predicate."""
    columns = [Column("cycle", _("Cycle")), Column("year", _("Year"), "year"), Column("published", _("Published"))]
    columns += [Column("total", _("Final results"), "num")]
    columns += [Column(code, band_label(code), "num") for code in ["kla", *BAND_COLUMNS]]
    columns += [Column("none", _("No predicate"), "num")]
    rows = [
        {
            "cycle": c.name,
            "year": c.year,
            "published": _("yes") if c.is_published else _("not yet"),
            "total": c.results,
            **{code: c.band_counts.get(code, 0) for code in ["kla", *BAND_COLUMNS]},
            "none": c.band_counts.get("", 0),
        }
        for c in reversed(cycles)
    ]
    return Table("cycles", _("Predicates per cycle (Layak)"), columns, rows)


def history_table(history: list) -> Table:
    """Past award years as published, each with its sources and confidence."""
    columns = [Column("year", _("Award year"), "year"), Column("total", _("Kab/kota awarded"), "num")]
    columns += [Column(code, band_label(code), "num") for code in BAND_COLUMNS]
    columns += [Column("provila", _("Provila provinces"), "num"), Column("confidence", _("Confidence"))]
    columns += [Column("note", _("Note")), Column("sources", _("Sources"), "sources")]
    rows = [
        {
            "year": h.year,
            "total": h.total,
            **h.band_counts(),
            "provila": h.provila,
            "confidence": h.get_confidence_display(),
            "note": h.display_note,
            "sources": sources_text(h.sources),
            "sources_list": h.sources,
        }
        for h in reversed(history)
    ]
    return Table("history", _("KLA awards as published (history)"), columns, rows)


def history_chart(history: list):
    years = [h for h in history if h.total is not None]
    series = [
        Series(band_label(code), [getattr(h, code) for h in years], band_colour(code))
        for code in reversed(BAND_COLUMNS)
    ]
    return grouped_bar_chart(
        [str(h.year) for h in years],
        series,
        title=_("Kab/kota per predicate in past award years, as published"),
        desc=_("Years without a published breakdown leave a gap."),
    )


def ranking_table(rows: list[s.ResultRow], info: s.FrameworkInfo, link_name: str) -> Table:
    groups = [g[0] for g in info.groups]
    columns = [Column("rank", _("Rank"), "num"), Column("region", _("Kab/kota"), "link")]
    columns += [Column("province", _("Province")), Column("band", _("Predicate"), "band")]
    columns += [Column("score", _("Score"), "score")]
    columns += [Column(f"g_{code}", code, "percent") for code in groups]
    data = []
    for rank, row in enumerate(rows, start=1):
        item = {
            "rank": rank,
            "region": row.region_name,
            "region_url": reverse(link_name, args=[row.region_code]),
            "province": row.province_name,
            "band": band_label(row.band_code),
            "band_code": row.band_code,
            "score": row.score,
        }
        item |= {f"g_{code}": percent(row.group_share(code)) for code in groups}
        data.append(item)
    return Table("ranking", _("Ranking"), columns, data, primary=True, shown=RANKING_SHOWN)


def provinces_table(stats: s.NationalStats) -> Table:
    columns = [Column("province", _("Province"), "link"), Column("kabkota", _("Kab/kota"), "num")]
    columns += [Column("with_predicate", _("With a predicate"), "num"), Column("complete", _("Every kab/kota"))]
    rows = [
        {
            "province": p.name,
            "province_url": reverse("dashboards:province", args=[p.code]),
            "kabkota": p.kabkota,
            "with_predicate": p.with_predicate,
            "complete": _("yes") if p.complete else _("no"),
        }
        for p in stats.provinces
    ]
    return Table("provinces", _("Provinsi Layak Anak condition"), columns, rows)


def cluster_table(stats: s.NationalStats, info: s.FrameworkInfo) -> Table:
    columns = [Column("cluster", _("Cluster")), Column("mean", _("Mean %"), "percent")]
    columns += [Column("median", _("Median %"), "percent"), Column("low", _("Lowest %"), "percent")]
    columns += [Column("high", _("Highest %"), "percent")]
    rows = [
        {
            "cluster": group_label(info, c.code),
            "mean": percent(c.mean),
            "median": percent(c.median),
            "low": percent(c.low),
            "high": percent(c.high),
        }
        for c in stats.clusters
    ]
    return Table("clusters", _("Cluster scores as a share of their maximum"), columns, rows)


def national_charts(stats: s.NationalStats, info: s.FrameworkInfo, cycles, trend) -> dict[str, Any]:
    codes = [c for c in ["", *BAND_ORDER_ASC] if stats.band_counts.get(c)]
    bands = [Bin(band_label(c), stats.band_counts[c], band_colour(c or "none")) for c in codes]
    clusters = {
        c.code: histogram(
            [Bin(f"{i * 10}-{i * 10 + 10}%", n) for i, n in enumerate(c.bins)],
            title=_("Kab/kota by score in %(cluster)s") % {"cluster": group_label(info, c.code)},
        )
        for c in stats.clusters
    }
    return {
        "bands": histogram(bands, title=_("Kab/kota per predicate")),
        "scores": histogram([Bin(label, n) for label, n in stats.score_bins], title=_("Kab/kota by total score")),
        "clusters": clusters,
        "trend": cluster_trend_chart(info, cycles, trend),
    }


BAND_ORDER_ASC = s.BAND_ORDER


def cluster_trend_chart(info: s.FrameworkInfo, cycles: list[s.CycleSummary], trend: dict[int, dict[str, float]]):
    series = [
        Series(code, [percent(trend.get(c.id, {}).get(code)) for c in cycles]) for code, _name, _en, _max in info.groups
    ]
    return svg_line_chart(
        [str(c.year) for c in cycles],
        series,
        title=_("Mean score of each cluster across cycles (% of its maximum)"),
        y_max=100,
    )


def map_points(rows: list[s.ResultRow]) -> list[dict[str, Any]]:
    return [
        {
            "code": r.region_code,
            "name": r.region_name,
            "lat": r.latitude,
            "lon": r.longitude,
            "band": r.band_code or "none",
            "label": band_label(r.band_code),
            "score": float(r.score),
            "approximate": r.approximate,
        }
        for r in rows
        if r.latitude is not None
    ]


def national_tables(version: str, cycles, cycle, query: QueryDict, link_name: str) -> list[Table]:
    tables = [cycle_counts_table(cycles), history_table(s.published_history(version))]
    if cycle is not None:
        stats = s.national_stats(version, cycle)
        info = s.framework_info(version, cycle.framework_id)
        tables += [ranking_table(stats.ranking, info, link_name), provinces_table(stats), cluster_table(stats, info)]
    return [table_sorted(t, query) for t in tables]


# --- Province ------------------------------------------------------------------------------------------------


def province_table(view: s.ProvinceView) -> Table:
    columns = [Column("region", _("Kab/kota"), "link"), Column("band", _("Predicate"), "band")]
    columns += [Column("score", _("Score"), "score"), Column("previous_band", _("Previous predicate"), "band")]
    columns += [Column("previous_score", _("Previous score"), "score"), Column("change", _("Change"), "delta")]
    rows = []
    for r in view.rows:
        rows.append(
            {
                "region": r.name,
                "region_url": reverse("dashboards:region", args=[r.code]),
                "band": band_label(r.current.band_code) if r.current else "",
                "band_code": r.current.band_code if r.current else "",
                "score": r.current.score if r.current else None,
                "previous_band": band_label(r.previous.band_code) if r.previous else "",
                "previous_band_code": r.previous.band_code if r.previous else "",
                "previous_score": r.previous.score if r.previous else None,
                "change": r.change,
            }
        )
    return Table("kabkota", _("Kab/kota of the province"), columns, rows, primary=True)


def indicators_table(key: str, title: str, items: list[tuple[str, float]], info: s.FrameworkInfo) -> Table:
    columns = [
        Column("code", _("Indicator")),
        Column("name", _("Name")),
        Column("share", _("Share of maximum %"), "percent"),
    ]
    rows = [
        {"code": code, "name": info.indicators.get(code, ("", code, ""))[1], "share": percent(share)}
        for code, share in items
    ]
    return Table(key, title, columns, rows)


def province_scores_chart(view: s.ProvinceView):
    bars = [
        Bar(r.name, float(r.current.score), 1000, band_colour(r.current.band_code or "none"))
        for r in view.rows
        if r.current is not None
    ]
    return horizontal_bar_chart(bars, title=_("Final score of each kab/kota (out of 1000)"), label_width=220)


def province_tables(view: s.ProvinceView, info: s.FrameworkInfo | None, query: QueryDict) -> list[Table]:
    tables = [province_table(view)]
    if info is not None:
        weakest = [(code, share) for code, _group, share in view.weakest]
        tables.append(indicators_table("weakest", _("Weakest indicators across the province"), weakest, info))
    return [table_sorted(t, query) for t in tables]


# --- Region --------------------------------------------------------------------------------------------------


def region_results_table(results: list[s.RegionResult]) -> Table:
    columns = [Column("cycle", _("Cycle")), Column("year", _("Year"), "year"), Column("band", _("Predicate"), "band")]
    columns += [Column("score", _("Score"), "score"), Column("published", _("Published"))]
    rows = [
        {
            "cycle": r.cycle_name,
            "year": r.cycle_year,
            "band": band_label(r.band_code),
            "band_code": r.band_code,
            "score": r.score,
            "published": _("yes") if r.is_published else _("not yet"),
        }
        for r in reversed(results)
    ]
    return Table("results", _("Predicate history (Layak cycles)"), columns, rows, primary=True)


def region_history_table(history: list) -> Table:
    columns = [Column("year", _("Award year"), "year"), Column("band", _("Predicate"), "band")]
    columns += [Column("score", _("Reported score"), "score"), Column("confidence", _("Confidence"))]
    columns += [Column("note", _("Note")), Column("sources", _("Sources"), "sources")]
    rows = [
        {
            "year": h.year,
            "band": band_label(h.band_code),
            "band_code": h.band_code,
            "score": h.score,
            "confidence": h.get_confidence_display(),
            "note": h.display_note,
            "sources": sources_text(h.sources),
            "sources_list": h.sources,
        }
        for h in reversed(history)
    ]
    return Table("published", _("Predicate history as published (press and government sites)"), columns, rows)


def cluster_profile_chart(result: s.RegionResult, info: s.FrameworkInfo):
    bars = [
        Bar(group_label(info, code), float(result.groups[code][0]), float(result.groups[code][1]))
        for code, _n, _e, _m in info.groups
        if code in result.groups
    ]
    return horizontal_bar_chart(bars, title=_("Cluster profile, %(cycle)s") % {"cycle": result.cycle_name})


def region_trend_chart(results: list[s.RegionResult], info: s.FrameworkInfo):
    series = [Series(code, [percent(_share(r.groups.get(code))) for r in results]) for code, _n, _e, _m in info.groups]
    return svg_line_chart(
        [str(r.cycle_year) for r in results],
        series,
        title=_("Each cluster across cycles (% of its maximum)"),
        y_max=100,
    )


def _share(pair: tuple[Decimal, Decimal] | None) -> Decimal | None:
    return None if not pair or not pair[1] else pair[0] / pair[1]


# --- Public --------------------------------------------------------------------------------------------------


def public_results_table(rows: list[s.ResultRow], info: s.FrameworkInfo) -> Table:
    groups = [g[0] for g in info.groups]
    columns = [Column("region", _("Kab/kota"), "link"), Column("province", _("Province"))]
    columns += [Column("band", _("Predicate"), "band"), Column("score", _("Score"), "score")]
    columns += [Column(f"g_{code}", group_label(info, code), "score") for code in groups]
    data = []
    for row in rows:
        item = {
            "region": row.region_name,
            "region_url": reverse("dashboards:public_region", args=[row.region_code]),
            "province": row.province_name,
            "band": band_label(row.band_code),
            "band_code": row.band_code,
            "score": row.score,
        }
        item |= {f"g_{code}": row.groups[code][0] if code in row.groups else None for code in groups}
        data.append(item)
    return Table("results", _("Published results"), columns, data, primary=True)


def public_region_table(results: list[s.RegionResult], info_for) -> Table:
    columns = [
        Column("cycle", _("Cycle")),
        Column("band", _("Predicate"), "band"),
        Column("score", _("Score"), "score"),
    ]
    columns += [Column("clusters", _("Cluster scores (points / maximum)")), Column("published", _("Published on"))]
    rows = []
    for r in reversed(results):
        info = info_for(r.framework_id)
        clusters = ", ".join(
            f"{code} {format_fraction(*r.groups[code])}" for code, _n, _e, _m in info.groups if code in r.groups
        )
        rows.append(
            {
                "cycle": r.cycle_name,
                "band": band_label(r.band_code),
                "band_code": r.band_code,
                "score": r.score,
                "clusters": clusters,
                "published": format_date(r.published_at),
            }
        )
    return Table("results", _("Published results"), columns, rows, primary=True)


def evidence_table(items: list) -> Table:
    columns = [Column("title", _("Title")), Column("kind", _("Type")), Column("number", _("Document number"))]
    columns += [Column("date", _("Document date")), Column("added", _("Added on"))]
    rows = [
        {
            "title": e.title,
            "kind": e.current_file.type_name if e.current_file_id else e.get_kind_display(),
            "number": e.document_number,
            "date": format_date(e.document_date) if e.document_date else "",
            "added": format_date(e.created_at),
        }
        for e in items
    ]
    return Table("evidence", _("Evidence on file (titles only)"), columns, rows)
