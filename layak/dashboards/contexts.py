"""Template contexts of the dashboard pages, each read in a fixed number of queries whatever the data size."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from layak.common.generations import generation
from layak.common.splice import encoded
from layak.evaluations.models import AnswerEvidence, Assessment, Cycle
from layak.evaluations.publication import published_filter
from layak.evaluations.scoring_input import document_elements, supported_elements
from layak.evidence.models import Evidence
from layak.frameworks.models import FrameworkVersion
from layak.frameworks.selectors import FRAMEWORKS_GENERATION, framework_indicators
from layak.protection.publication import region_summary as protection_summary
from layak.regions.choices import RegionLevel
from layak.regions.models import Region
from layak.regions.selectors import region_search
from layak.reviews.models import FinalResult

from . import pages
from . import selectors as s
from .cache import cached, cached_page_part
from .exports import table_sorted

EVIDENCE_LIMIT = 100
CHILD_SEARCH_LIMIT = 8


def _by_key(tables) -> dict[str, Any]:
    return {t.key: t for t in tables}


def national_context(version: str, cycles, cycle, query: QueryDict, link_name: str) -> dict[str, Any]:
    """Everything the national dashboard shows for one cycle (or only the history when no cycle has results)."""
    history = s.published_history(version)
    context: dict[str, Any] = {
        "cycle": cycle,
        "tables": _by_key(pages.national_tables(version, cycles, cycle, query, link_name)),
        "history_chart": pages.history_chart(history),
    }
    if cycle is not None:
        stats = s.national_stats(version, cycle)
        info = s.framework_info(version, cycle.framework_id)
        points = pages.map_points(stats.ranking)
        context |= {
            "stats": stats,
            "charts": pages.national_charts(stats, info, cycles, s.cluster_trend(version)),
            "map_points": points,
            "approximate_points": sum(p["approximate"] for p in points),
            "framework_url": reverse("frameworks:version_detail", args=[cycle.framework_slug]),
        }
    return context


def province_context(version: str, province: Region, cycles, cycle, target, query: QueryDict) -> dict[str, Any]:
    """The province page: kab/kota table and chart, points share and its change, target progress, weakest."""
    view = s.province_view(version, province, cycles, cycle)
    info = s.framework_info(version, cycle.framework_id) if cycle else None
    context: dict[str, Any] = {
        "province": province,
        "view": view,
        "tables": _by_key(pages.province_tables(view, info, query)),
        "target": target,
        "kabkota_count": len(view.rows),
    }
    if cycle is not None:
        context["chart"] = pages.province_scores_chart(view)
    if target is not None and cycle is not None:
        context["progress"] = s.target_progress(view.rows, target.band_code)
        context["target_label"] = pages.band_label(target.band_code)
    return context


def whatif_url(assessment_id: int) -> str:
    """The reviews app's what-if page for this assessment."""
    return reverse("reviews:assessment_whatif", args=[assessment_id])


def evidence_completeness(assessment_id: int, framework_id: int | None = None) -> tuple[int, int]:
    """(document elements with evidence, document elements in the framework) for one assessment (one query, two
    without its `framework_id`; the framework's document elements are cached per frameworks generation)."""
    if framework_id is None:
        framework_id = Assessment.objects.values_list("cycle__framework_id", flat=True).get(pk=assessment_id)

    def build() -> dict[int, list[str]]:
        return document_elements(framework_indicators(FrameworkVersion.objects.get(pk=framework_id)))

    documents = cached(str(generation(FRAMEWORKS_GENERATION)), "document-elements", build, framework_id)
    links = AnswerEvidence.objects.filter(assessment_id=assessment_id).values_list("indicator_id", "element_code")
    total = sum(len(codes) for codes in documents.values())
    attached = sum(len(codes) for codes in supported_elements(documents, links).values())
    return attached, total


def region_context(
    version: str, region: Region, query: QueryDict, *, private: bool, evidence: tuple[int, int] | None = None
) -> dict[str, Any]:
    """The region page: with `private` (someone who covers the region) its cycles published or not, its open
    revision requests and the what-if; otherwise its published results only. Given the latest result's `evidence`
    completeness, the revision requests and the protection summary are left out (region_page_context reads
    them into its own fragment)."""
    live = evidence is None
    results = s.region_results(region.code, published_only=not private)
    history = s.published_region_history(region.code)
    tables = [pages.region_results_table(results), pages.region_history_table(history)]
    context: dict[str, Any] = {
        "region": region,
        "results": results,
        "private": private,
        "revisions": s.open_revision_requests(region.code) if private and live else [],
    }
    latest = results[-1] if results else None
    if latest is not None:
        info = s.framework_info(version, latest.framework_id)
        strongest, weakest = s.indicator_extremes(latest)
        tables += [
            pages.indicators_table("strongest", _("Strongest indicators"), strongest, info),
            pages.indicators_table("weakest", _("Weakest indicators"), weakest, info),
        ]
        attached, total = evidence_completeness(latest.assessment_id) if evidence is None else evidence
        context |= {
            "latest": latest,
            "latest_label": pages.band_label(latest.band_code),
            "profile_chart": pages.cluster_profile_chart(latest, info),
            "trend_chart": pages.region_trend_chart(results, info),
            "whatif_url": whatif_url(latest.assessment_id) if private else "",
            "evidence": (attached, total, round(100 * attached / total) if total else None),
        }
    context["tables"] = _by_key(table_sorted(t, query) for t in tables)
    context["table_list"] = list(context["tables"].values())
    context["protection"] = protection_summary(region.code) if private and live else None
    return context


def region_page_context(
    version: str, region: Region, query: QueryDict, *, private: bool, live: tuple[object, object]
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The region page as rendered fragments, rendered once per results version, cycles published by now, region,
    audience, sort, language and `live`: the generation of the region's ongoing work (evidence linked to its
    answers, revision requests) and, for those who cover it, of the child-protection figures. Nothing of the
    visitor is in them: the audience (`private`) is whether the visitor covers the region. Returns the page's
    context and its fragments as UTF-8 (`layak.common.splice.render_spliced`)."""
    published = ".".join(str(c.id) for c in s.cycles_published(version))
    sort = "&".join(f"{k}={v}" for k, v in sorted(query.items()) if k.startswith("sort"))

    def render() -> tuple[bytes, bytes, bytes]:
        latest = _latest_assessment(region.code, private)
        evidence = evidence_completeness(*latest) if latest is not None else None
        context = region_context(version, region, query, private=private, evidence=evidence)
        context["revisions"] = s.open_revision_requests(region.code) if private else []
        context["protection"] = protection_summary(region.code) if private else None
        return (
            encoded(render_to_string("dashboards/_region_top.html", context)),
            encoded(render_to_string("dashboards/_region_private.html", context)) if private else b"",
            encoded(render_to_string("dashboards/_region_bottom.html", context)),
        )

    parts = (get_language(), region.code, private, published, *live, sort)
    top, work, bottom = cached_page_part(version, "region-page-3", render, *parts)
    return {"region": region, "private": private}, {"top": top, "work": work, "bottom": bottom}


def _latest_assessment(region_code: str, private: bool) -> tuple[int, int] | None:
    """The assessment of the region's latest result the audience sees, with its framework (one query; as in
    `s.region_results`)."""
    finals = FinalResult.objects.filter(assessment__region_id=region_code)
    if not private:
        finals = finals.filter(published_filter("assessment__cycle__results_published_at"))
    return (
        finals.order_by("-assessment__cycle__year")
        .values_list("assessment_id", "assessment__cycle__framework_id")
        .first()
    )


# --- Public --------------------------------------------------------------------------------------------------


def _province_choices(version: str) -> list[tuple[str, str]]:
    return cached(version, "provinces", lambda: [(c, n) for c, (n, k) in sorted(s.kabkota_per_province().items()) if k])


def public_index_context(version: str, cycles, cycle, query: QueryDict) -> dict[str, Any]:
    """Published results of one cycle filtered by province and name, with the published award history."""
    province, q = query.get("province", ""), query.get("q", "").strip().lower()[:100]
    context: dict[str, Any] = {
        "cycles": cycles,
        "cycle": cycle,
        "province": province,
        "q": query.get("q", "")[:100],
        "provinces": _province_choices(version),
        "history_table": table_sorted(pages.history_table(s.published_history(version)), query),
        "results_table": None,
    }
    tables = [context["history_table"]]
    if cycle is not None:
        rows = [
            r
            for r in s.cycle_results(version, cycle.id)
            if (not province or r.province_code == province) and (not q or q in r.region_name.lower())
        ]
        context["results_table"] = pages.public_results_table(rows, s.framework_info(version, cycle.framework_id))
        context["framework_url"] = reverse("frameworks:version_detail", args=[cycle.framework_slug])
        tables.append(context["results_table"])
    context["tables"] = tables
    return context


def public_region_context(version: str, region: Region, query: QueryDict) -> dict[str, Any]:
    """A kab/kota's published results and the titles, types and dates of its evidence (never the documents)."""
    results = s.region_results(region.code, published_only=True)
    history = s.published_region_history(region.code)
    infos: dict[int, s.FrameworkInfo] = {}

    def info_for(framework_id: int) -> s.FrameworkInfo:
        return infos.setdefault(framework_id, s.framework_info(version, framework_id))

    tables = [pages.public_region_table(results, info_for), pages.region_history_table(history)]
    context: dict[str, Any] = {"region": region, "results": results, "latest": results[-1] if results else None}
    if results:
        context["latest_label"] = pages.band_label(results[-1].band_code)
        cycle = Cycle.objects.get(pk=results[-1].cycle_id)
        evidence = (
            Evidence.objects.filter(answer_links__assessment_id=results[-1].assessment_id)
            .select_related("current_file")
            .distinct()
            .order_by("-document_date", "title")[:EVIDENCE_LIMIT]
        )
        tables.append(pages.evidence_table(list(evidence)))
        context["evidence_cycle"] = cycle
    context["tables"] = [table_sorted(t, query) for t in tables]
    return context


def kla_for_children_context(version: str, query: QueryDict) -> dict[str, Any]:
    """Regions matching the child's search, each with its latest published predicate (two queries)."""
    q = query.get("q", "").strip()[:100]
    matches = list(region_search(q, level=RegionLevel.KABKOTA)[:CHILD_SEARCH_LIMIT]) if q else []
    latest: dict[str, tuple] = {}
    finals = (
        FinalResult.objects.filter(
            assessment__region_id__in=[m.code for m in matches],
        )
        .filter(
            published_filter("assessment__cycle__results_published_at"),
        )
        .order_by("assessment__cycle__year")
        .values_list("assessment__region_id", "band_code", "score", "assessment__cycle__name")
    )
    for code, band, score, cycle_name in finals if matches else []:
        latest[code] = (pages.band_label(band), band, score, cycle_name)
    return {"q": q, "matches": [(m, latest.get(m.code)) for m in matches], "searched": bool(q)}
