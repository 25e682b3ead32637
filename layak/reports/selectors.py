"""Reads behind the evaluation reports: one region's report and a cycle's results table, scoped to the user.

Scores come from the stored `ScoreSnapshot` of each stage (written by the review workflow) and the
`FinalResult`; before any snapshot exists the report shows the live self-score of the scoring engine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from layak.accounts.selectors import Viewer, user_grants, user_is_national_admin, user_region_filter
from layak.common.generations import generation, shared_value
from layak.evaluations import permissions as evaluation_permissions
from layak.evaluations.models import (
    Assessment,
    Cycle,
)
from layak.evaluations.publication import results_published
from layak.evaluations.selectors import (
    AssessmentOverview,
    IndicatorRow,
    Progress,
    assessment_get_for_user,
    assessment_missing,
)
from layak.evaluations.selectors import assessment_overview as evaluations_overview
from layak.frameworks.choices import ElementType
from layak.frameworks.models import IndicatorGroup, PredicateBand
from layak.frameworks.selectors import FRAMEWORKS_GENERATION
from layak.reviews.choices import ScoreStage
from layak.reviews.models import FinalResult, ScoreSnapshot

from .questions import SHORT_STAGE_LABELS, GroupBlock, group_labels, question_groups, stage_data

STAGE_ORDER: tuple[str, ...] = tuple(ScoreStage.values)


def _decimal(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def band_names(framework_id: int) -> dict[str, str]:
    """{band code: display name} of a framework version's predicate bands (kept per frameworks generation and
    language: one cache read)."""
    return dict(
        shared_value(
            f"reports:bands:{framework_id}:{generation(FRAMEWORKS_GENERATION)}:{get_language()}",
            lambda: tuple(
                (band.code, band.display_name) for band in PredicateBand.objects.filter(version_id=framework_id)
            ),
        )
    )


def band_label(names: dict[str, str], code: str) -> str:
    """The predicate's name; a score below the lowest band has none."""
    return names.get(code, code) if code else _("No predicate (below Pratama)")


# --- The region's evaluation report --------------------------------------------------------------------------


@dataclass
class StageScore:
    """Points of one stage against a maximum (a cluster, an indicator or the total)."""

    stage: str
    points: Decimal | None
    maximum: Decimal

    @property
    def label(self) -> str:
        return str(ScoreStage(self.stage).label)

    @property
    def short_label(self) -> str:
        return str(SHORT_STAGE_LABELS[ScoreStage(self.stage)])


@dataclass
class IndicatorLine:
    """One row of a cluster table: Klaster | Nilai | Indikator | done | not done | OPD | data needed."""

    group_code: str
    code: str
    name: str
    maximum: Decimal
    scores: list[StageScore]
    done: str
    todo: str
    agency: str
    needed: list[str]


@dataclass
class ClusterSection:
    """A cluster (or Kelembagaan) of the report: its scores per stage and its indicator rows."""

    code: str
    label: str
    maximum: Decimal
    scores: list[StageScore]
    lines: list[IndicatorLine] = field(default_factory=list)


@dataclass
class AssessmentReport:
    """Everything the region's evaluation report shows, in the order it shows it."""

    assessment: Assessment
    stages: list[str]
    live_self_score: bool
    clusters: list[ClusterSection]
    totals: list[StageScore]
    final: FinalResult | None
    latest: StageScore | None
    latest_band_code: str
    bands: dict[str, str]
    weights_provisional: bool
    #: A question-level instrument (kla-2024): cluster → indicator → question, every stage a column.
    question_groups: list[GroupBlock] = field(default_factory=list)

    @property
    def question_level(self) -> bool:
        return bool(self.question_groups)

    @property
    def all_stage_labels(self) -> list[str]:
        return [str(SHORT_STAGE_LABELS[ScoreStage(stage)]) for stage in STAGE_ORDER]

    @property
    def stage_labels(self) -> list[str]:
        return [str(ScoreStage(stage).label) for stage in self.stages]

    @property
    def final_band(self) -> str:
        return band_label(self.bands, self.final.band_code) if self.final else ""

    @property
    def final_computed_band(self) -> str:
        return band_label(self.bands, self.final.computed_band_code) if self.final else ""

    @property
    def latest_band(self) -> str:
        return band_label(self.bands, self.latest_band_code)


def assessment_report_get_for_user(user: Viewer, pk: int) -> Assessment:
    """The assessment if the user may read its full report: anyone who sees every indicator of the region
    (its coordinator and viewers, its province, the reviewers, national admins); 404 outside the user's
    regions, 403 for an OPD contributor, who sees only the indicators of their own agency.
    """
    assessment = assessment_get_for_user(user, pk)
    assessment_report_check(user, assessment)
    return assessment


def assessment_report_check(user: Viewer, assessment: Assessment) -> None:
    """403 for someone who does not see every indicator of the region (an OPD contributor)."""
    if not evaluation_permissions.sees_all_indicators(user, assessment):
        raise PermissionDenied(
            _("The full report shows every indicator; ask your region coordinator for it, or open your own indicators.")
        )


def _snapshots(assessment: Assessment) -> dict[str, ScoreSnapshot]:
    rows = ScoreSnapshot.objects.filter(assessment=assessment)
    return {row.stage: row for row in sorted(rows, key=lambda r: STAGE_ORDER.index(r.stage))}


def _live_self(overview: AssessmentOverview) -> dict[str, Any]:
    """The live engine score shaped like a snapshot's `groups` and `indicators` JSON (the overview has one)."""
    score = overview.score
    assert score is not None
    return {
        "total": score.total,
        "band_code": score.band.code if score.band else "",
        "groups": {code: {"points": p} for code, (p, _m) in score.groups.items()},
        "indicators": {s.code: {"points": s.points} for s in score.indicators},
    }


def _stage_data(overview: AssessmentOverview, snapshots: dict[str, ScoreSnapshot]) -> dict[str, dict[str, Any]]:
    data = {
        stage: {"total": s.total, "band_code": s.band_code, "groups": s.groups, "indicators": s.indicators}
        for stage, s in snapshots.items()
    }
    if ScoreStage.SELF not in data and overview.score is not None:
        data = {ScoreStage.SELF.value: _live_self(overview), **data}
    return data


def _needed(elements: list[Any], missing_codes: set[str]) -> list[str]:
    """What the region still has to provide for one indicator: empty data and missing evidence, with the
    evidence the framework says is usually asked.
    """
    needed = []
    for element in elements:
        if element.code not in missing_codes:
            continue
        if element.type != ElementType.DOCUMENT:
            needed.append(_("%(element)s: data missing") % {"element": element.display_label})
        elif element.evidence_hint:
            needed.append(
                _("%(element)s: evidence missing (usually %(hint)s)")
                % {"element": element.display_label, "hint": element.evidence_hint}
            )
        else:
            needed.append(_("%(element)s: evidence missing") % {"element": element.display_label})
    return needed


def assessment_report(assessment: Assessment, user: Viewer) -> AssessmentReport:
    """The report of one assessment in a fixed number of queries (the overview's, plus four); a question-level
    instrument's report is question by question (`question_report`)."""
    if assessment.cycle.framework.is_question_level:
        return question_report(assessment)
    overview = evaluations_overview(assessment, user)
    snapshots = _snapshots(assessment)
    data = _stage_data(overview, snapshots)
    stages = list(data)
    missing: dict[str, set[str]] = {}
    for item in assessment_missing(assessment):
        missing.setdefault(item.indicator_code, set()).add(item.element_code)
    clusters = [_cluster(progress, data, missing) for progress in overview.clusters]
    totals = [
        StageScore(stage, _decimal(data[stage]["total"]), sum((c.maximum for c in clusters), Decimal(0)))
        for stage in stages
    ]
    final = FinalResult.objects.filter(assessment=assessment).first()
    return AssessmentReport(
        assessment=assessment,
        stages=stages,
        live_self_score=ScoreStage.SELF not in snapshots and bool(stages),
        clusters=clusters,
        totals=totals,
        final=final,
        latest=totals[-1] if totals else None,
        latest_band_code=data[stages[-1]]["band_code"] if stages else "",
        bands=band_names(assessment.cycle.framework_id),
        weights_provisional=overview.weights_provisional,
    )


def question_report(assessment: Assessment) -> AssessmentReport:
    """The report of a question-level assessment, laid out like the ministry's Rekap (about ten queries)."""
    snapshots = _snapshots(assessment)
    data = stage_data(assessment, snapshots)
    stages = list(data)
    groups = question_groups(assessment, data, group_labels(assessment))
    clusters = [
        ClusterSection(
            g.code,
            g.label,
            g.maximum,
            [StageScore(stage, g.scores[STAGE_ORDER.index(stage)], g.maximum) for stage in stages],
        )
        for g in groups
    ]
    maximum = sum((g.maximum for g in groups), Decimal(0))
    totals = [StageScore(stage, _decimal(data[stage]["total"]), maximum) for stage in stages]
    return AssessmentReport(
        assessment=assessment,
        stages=stages,
        live_self_score=ScoreStage.SELF not in snapshots,
        clusters=clusters,
        totals=totals,
        final=FinalResult.objects.filter(assessment=assessment).first(),
        latest=totals[-1] if totals else None,
        latest_band_code=data[stages[-1]]["band_code"] if stages else "",
        bands=band_names(assessment.cycle.framework_id),
        weights_provisional=False,
        question_groups=groups,
    )


def _cluster(progress: Progress, data: dict[str, dict[str, Any]], missing: dict[str, set[str]]) -> ClusterSection:
    """One cluster section from the overview's progress rows and the stage data."""
    first = progress.rows[0].indicator.group
    lines = [_line(row, data, missing.get(row.indicator.code, set())) for row in progress.rows]
    maximum = sum((line.maximum for line in lines), Decimal(0))
    scores = [
        StageScore(stage, _decimal(stage_data["groups"].get(first.code, {}).get("points")), maximum)
        for stage, stage_data in data.items()
    ]
    return ClusterSection(first.code, progress.label, maximum, scores, lines)


def _line(row: IndicatorRow, data: dict[str, dict[str, Any]], missing_codes: set[str]) -> IndicatorLine:
    indicator = row.indicator
    return IndicatorLine(
        group_code=indicator.group.code,
        code=indicator.code,
        name=indicator.display_name,
        maximum=indicator.max_points,
        scores=[
            StageScore(stage, _decimal(d["indicators"].get(indicator.code, {}).get("points")), indicator.max_points)
            for stage, d in data.items()
        ],
        done=row.answer.narrative_done if row.answer else "",
        todo=row.answer.narrative_todo if row.answer else "",
        agency=str(row.assignment.agency) if row.assignment else "",
        needed=_needed(list(indicator.elements.all()), missing_codes),
    )


# --- The cycle's results table -------------------------------------------------------------------------------


@dataclass
class ResultRow:
    """One kab/kota in a cycle's results: the final score, or the latest stage's until the result is final."""

    assessment_id: int
    region_code: str
    region_name: str
    province_code: str
    province_name: str
    stage: str
    score: Decimal | None
    band_code: str
    band: str
    clusters: dict[str, Decimal | None]
    can_open_report: bool

    @property
    def cluster_values(self) -> list[Decimal | None]:
        return list(self.clusters.values())

    @property
    def stage_label(self) -> str:
        return str(ScoreStage(self.stage).label) if self.stage else _("Not scored yet")


@dataclass
class ResultsTable:
    """The visible, filtered and sorted rows of a cycle's results, with what the filters can offer."""

    cycle: Cycle
    groups: list[tuple[str, str]]
    rows: list[ResultRow]
    provinces: list[tuple[str, str]]
    bands: list[tuple[str, str]]
    sort: str
    province: str
    predicate: str
    total_visible: int


def results_visibility(user: Viewer, cycle: Cycle) -> Q:
    """Rows of the user's own regions (all for national admins and reviewers); once the cycle's results are
    published, also every row with a final result.
    """
    scoped = user_region_filter(user, "region__code")
    if not scoped:  # national scope: every row (an empty Q would vanish from the OR below)
        return scoped
    if results_published(cycle.results_published_at):
        return scoped | Q(final_result__isnull=False)
    return scoped


def _result_row(
    user: Viewer, assessment: Assessment, groups: list[tuple[str, str]], names: dict[str, str]
) -> ResultRow:
    snapshots = {s.stage: s for s in assessment.score_snapshots.all()}
    final = getattr(assessment, "final_result", None)
    stage = ScoreStage.FINAL.value if final else next((s for s in reversed(STAGE_ORDER) if s in snapshots), "")
    snapshot = snapshots.get(stage)
    score = final.score if final else (snapshot.total if snapshot else None)
    band_code = final.band_code if final else (snapshot.band_code if snapshot else "")
    group_points = snapshot.groups if snapshot else {}
    region = assessment.region
    return ResultRow(
        assessment_id=assessment.pk,
        region_code=region.code,
        region_name=region.name,
        province_code=region.parent_id or "",
        province_name=region.parent.name if region.parent else "",
        stage=stage,
        score=score,
        band_code=band_code if score is not None else "",
        band=band_label(names, band_code) if score is not None else "",
        clusters={code: _decimal(group_points.get(code, {}).get("points")) for code, _label in groups},
        can_open_report=evaluation_permissions.sees_all_indicators(user, assessment),
    )


SORT_KEYS = {
    "region": lambda r: r.region_name.lower(),
    "code": lambda r: r.region_code,
    "province": lambda r: (r.province_name.lower(), r.region_name.lower()),
    "score": lambda r: r.score,
    "stage": lambda r: STAGE_ORDER.index(r.stage) if r.stage else None,
}


def _sort_key(sort: str, band_order: dict[str, int]) -> Callable[[ResultRow], Any]:
    """A function giving a row's sort value, None when the row has no value for that column."""
    name = sort.removeprefix("-")
    if name.startswith("cluster-"):
        code = name.removeprefix("cluster-")
        return lambda r: r.clusters.get(code)
    if name == "predicate":
        return lambda r: None if r.score is None else (band_order.get(r.band_code, -1), r.score)
    return SORT_KEYS[name]


def valid_sort(sort: str, groups: list[tuple[str, str]]) -> str:
    """The requested sort if the table knows it, else by region name."""
    known = {*SORT_KEYS, "predicate", *(f"cluster-{code}" for code, _label in groups)}
    return sort if sort.removeprefix("-") in known else "region"


def _sorted(rows: list[ResultRow], sort: str, band_order: dict[str, int]) -> list[ResultRow]:
    """Rows in the order of the column, rows without a value last in both directions; ties by region name."""
    key = _sort_key(sort, band_order)
    rows = sorted(rows, key=lambda r: r.region_name.lower())
    valued = [r for r in rows if key(r) is not None]
    valued.sort(key=key, reverse=sort.startswith("-"))
    return valued + [r for r in rows if key(r) is None]


def _matches(row: ResultRow, province: str, predicate: str) -> bool:
    if province and row.province_code != province:
        return False
    if predicate == "none":
        return row.score is not None and not row.band_code
    return not predicate or row.band_code == predicate


def cycle_results(
    user: Viewer, cycle: Cycle, *, sort: str = "region", province: str = "", predicate: str = ""
) -> ResultsTable:
    """The cycle's results the user may see, filtered by province and predicate and sorted by `sort`
    ("score", "-score", "cluster-II", ...), in five queries whatever the number of rows.
    """
    groups = [(g.code, g.display_name) for g in IndicatorGroup.objects.filter(version_id=cycle.framework_id)]
    bands = list(PredicateBand.objects.filter(version_id=cycle.framework_id))
    names = {b.code: b.display_name for b in bands}
    assessments = (
        Assessment.objects.filter(results_visibility(user, cycle), cycle=cycle)
        .select_related("region__parent", "final_result")
        .prefetch_related(Prefetch("score_snapshots", queryset=ScoreSnapshot.objects.defer("indicators")))
    )
    rows = [_result_row(user, a, groups, names) for a in assessments]
    provinces = sorted({(r.province_code, r.province_name) for r in rows}, key=lambda p: p[1])
    sort = valid_sort(sort, groups)
    chosen = _sorted([r for r in rows if _matches(r, province, predicate)], sort, {b.code: b.order for b in bands})
    return ResultsTable(
        cycle=cycle,
        groups=groups,
        rows=chosen,
        provinces=provinces,
        bands=[(b.code, b.display_name) for b in bands] + [("none", _("No predicate (below Pratama)"))],
        sort=sort,
        province=province,
        predicate=predicate,
        total_visible=len(rows),
    )


def results_scope(user: Viewer) -> str:
    """Users with the same role assignments see the same rows and the same report links in a results table."""
    grants = sorted((g.role, g.region_code or "", g.agency_id or 0) for g in user_grants(user))
    raw = f"{user_is_national_admin(user)}|{grants}"
    return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:16]


def cycle_get(pk: int) -> Cycle:
    """A cycle by id (cycles are national; the rows inside are scoped)."""
    return get_object_or_404(Cycle.objects.select_related("framework"), pk=pk)
