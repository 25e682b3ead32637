"""Explanation and what-if of a question-level assessment (kla-2024), for the pages and the reports.

Reads the region's self-score per question (`evaluations.scoring_input.question_self_scores`, the instrument's
one adapter) and every stage's grades (one query), carries the points forward stage by stage as verification
does (`grading`), and hands them to the pure functions of `layak.scoring.questions`. A fixed number of queries
whatever the number of questions.

The analysis (points per stage, grades, losses, the plan) is kept in the shared cache under the assessment's
stamp (`stamps.assessment_stamp`: generation counters bumped by every write of its answers, evidence links,
grades and review, read in one cache call) with the stages the user may see, the target and the frameworks'
generation; the what-if's every level change then reads it instead of scoring 274 questions again (issue #10:
≤ 50 ms).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.core.cache import cache

from layak.accounts.selectors import Viewer
from layak.evaluations.models import Assessment
from layak.evaluations.scoring_input import InstrumentRules, instrument_rules_load, question_self_scores
from layak.frameworks.models import Indicator, IndicatorGroup, Question
from layak.scoring import questions as q
from layak.scoring.engine import Band, predicate_for

from . import grading, permissions, workflow
from .choices import ScoreStage
from .models import QuestionGrade, ReviewProcess, ScoreSnapshot
from .scores import REVIEW_ORDER
from .stamps import assessment_stamp


@dataclass(frozen=True)
class LeanGrade:
    """What the analysis keeps of a grade: its level, reason and points (read like a QuestionGrade)."""

    level: str
    reason: str
    points: Decimal


@dataclass(frozen=True)
class StageGrades:
    """Every question's points at every stage (self, then each review stage; carried forward) and each stage's
    own grades, keyed by question id."""

    rules: InstrumentRules
    stages: tuple[str, ...]
    points: dict[str, dict[int, Decimal]]
    grades: dict[str, dict[int, LeanGrade]]

    def total(self, stage: str) -> Decimal:
        return sum(self.points[stage].values(), Decimal(0))


def stage_grades(assessment: Assessment, stages: Iterable[str], rules: InstrumentRules | None = None) -> StageGrades:
    """The questions' points at `stages` (a prefix of self, province, central, field): two queries for the
    self-score, one for the grades."""
    rules = rules or instrument_rules_load(assessment.cycle.framework)
    stages = tuple(stages)
    self_points = {pk: score.points for pk, score in question_self_scores(assessment, rules).items()}
    reviewed = [stage for stage in stages if stage in REVIEW_ORDER]
    grades: dict[str, dict[int, LeanGrade]] = {stage: {} for stage in stages}
    if reviewed:
        for stage, question_id, level, reason, given in QuestionGrade.objects.filter(
            assessment=assessment, stage__in=reviewed
        ).values_list("stage", "question_id", "level", "reason", "points"):
            grades[stage][question_id] = LeanGrade(level, reason, given)
    points: dict[str, dict[int, Decimal]] = {}
    carried = dict(self_points)
    for stage in stages:
        carried = carried | {pk: grade.points for pk, grade in grades[stage].items()}
        points[stage] = dict(carried)
    return StageGrades(rules, stages, points, grades)


def visible_stages(
    assessment: Assessment, process: ReviewProcess | None, user: Viewer, stored: set[str] | None = None
) -> tuple[str, ...]:
    """Self, then every review stage up to the latest the user may see: the one under way or the last with a
    stored score (self only for those who may not see verified scores). `stored`: the stages with a snapshot,
    when the caller read them already."""
    if not permissions.sees_verified_scores(user, assessment, process):
        return (ScoreStage.SELF.value,)
    if stored is None:
        stored = set(ScoreSnapshot.objects.filter(assessment=assessment).values_list("stage", flat=True))
    current = workflow.STATE_STAGE.get(process.state) if process else None
    reached = [s for s in REVIEW_ORDER if s in stored or s == current]
    if ScoreStage.FINAL in stored or current == ScoreStage.FINAL:
        reached = list(REVIEW_ORDER)
    last = REVIEW_ORDER.index(reached[-1]) + 1 if reached else 0
    return (ScoreStage.SELF.value, *REVIEW_ORDER[:last])


def _key(question: Question) -> str:
    return question.full_code


def explanations(result: StageGrades) -> tuple[q.GroupLosses, ...]:
    """Points lost per question at every stage with the grader's reason, grouped by indicator and group."""
    items = []
    for question in result.rules.questions:
        stages = []
        for stage in result.stages:
            grade = result.grades[stage].get(question.pk)
            stages.append(
                q.StagePoints(
                    stage,
                    result.points[stage].get(question.pk, Decimal(0)),
                    question.max_points,
                    grade.level if grade else "",
                    grade.reason if grade else "",
                    grade is not None,
                )
            )
        items.append(
            q.QuestionExplanation(
                _key(question),
                question.indicator.code,
                question.indicator.group.code,
                question.max_points,
                tuple(stages),
            )
        )
    return q.explain_questions(items)


def questions_now(result: StageGrades) -> list[q.QuestionNow]:
    """Each question with its points at the latest stage, as the what-if starts from."""
    latest = result.points[result.stages[-1]]
    return [
        q.QuestionNow(
            _key(question),
            question.indicator.code,
            question.indicator.group.code,
            question.max_points,
            latest.get(question.pk, Decimal(0)),
        )
        for question in result.rules.questions
    ]


@dataclass
class QuestionAnalysis:
    """The explanation and what-if of a question-level assessment at the latest stage the user may see."""

    assessment: Assessment
    result: StageGrades
    now: list[q.QuestionNow]
    levels: tuple[str, ...]
    plan: q.QuestionPlan
    group_names: dict[str, str]
    key: str = ""  # the shared cache's key of this analysis: it names the data, stages and target it shows
    loaded_groups: tuple[q.GroupLosses, ...] | None = None

    @property
    def groups(self) -> tuple[q.GroupLosses, ...]:
        """The losses per group, indicator and question: kept apart in the cache (the largest part, read only
        by the explanation's body when it is built), computed again from the points if evicted."""
        if self.loaded_groups is None:
            found = cache.get(f"{self.key}:groups") if self.key else None
            self.loaded_groups = found if found is not None else explanations(self.result)
        return self.loaded_groups

    @property
    def stage(self) -> str:
        return self.result.stages[-1]

    @property
    def total(self) -> Decimal:
        return self.result.total(self.stage)

    @property
    def max_total(self) -> Decimal:
        return sum((item.max_points for item in self.now), Decimal(0))

    @property
    def band(self) -> Band | None:
        return predicate_for(self.total, self.result.rules.bands)

    @property
    def bands(self) -> tuple[Band, ...]:
        return self.result.rules.bands

    @property
    def higher_bands(self) -> list[Band]:
        """The predicates above the current one (what a user may aim for)."""
        ordered = q.ordered_bands(self.bands)
        band = self.band
        return ordered[ordered.index(band) + 1 :] if band else ordered

    @cached_property
    def questions(self) -> dict[str, Question]:
        return {_key(question): question for question in self.result.rules.questions}

    @cached_property
    def indicators(self) -> dict[str, Indicator]:
        return {question.indicator.code: question.indicator for question in self.result.rules.questions}

    @property
    def level_choices(self) -> list[tuple[str, str]]:
        return [(level, grading.level_symbol(level)) for level in self.levels]


ANALYSIS_SECONDS = 3600


def _build(assessment: Assessment, stages: tuple[str, ...], levels: tuple[str, ...], target: str) -> dict:
    result = stage_grades(assessment, stages)
    now = questions_now(result)
    chosen = next((band for band in result.rules.bands if band.code == target), None)
    current = predicate_for(sum((item.points for item in now), Decimal(0)), result.rules.bands)
    if chosen is not None and current is not None and chosen.upper <= current.upper:
        chosen = None  # a predicate already reached: aim for the next one
    return {
        "points": result.points,
        "grades": result.grades,
        "now": now,
        "plan": q.fewest_raises(now, levels, result.rules.bands, chosen),
        "group_names": _group_names(assessment),
    }


def question_analysis(
    assessment: Assessment,
    process: ReviewProcess | None,
    user: Viewer,
    target: str = "",
    stored: Iterable[str] | None = None,
) -> QuestionAnalysis:
    """Losses per question and stage, and the fewest questions to raise to `target` (a band code; default the
    next predicate). From the shared cache while the assessment's stamp holds (`stamps.assessment_stamp`, no
    query; `stored`: the stages with a snapshot when the caller knows them), else about ten queries whatever the
    number of questions."""
    stamp = assessment_stamp(assessment)
    stages = visible_stages(assessment, process, user, None if stored is None else set(stored))
    framework = assessment.cycle.framework
    levels = grading.levels_for(framework)
    rules = instrument_rules_load(framework)
    if target not in {band.code for band in rules.bands}:
        target = ""  # anything else aims for the next predicate: one cache entry for all of it
    parts = (
        framework.pk,
        ",".join(stages),
        ",".join(levels),
        target,
        stamp,
    )
    key = f"question-analysis:{assessment.pk}:" + hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()
    built = cache.get(key)
    groups = None
    if built is None:
        built = _build(assessment, stages, levels, target)
        groups = explanations(StageGrades(rules, stages, built["points"], built["grades"]))
        cache.set_many({key: built, f"{key}:groups": groups}, ANALYSIS_SECONDS)
    result = StageGrades(rules, stages, built["points"], built["grades"])
    return QuestionAnalysis(
        assessment=assessment,
        result=result,
        loaded_groups=groups,
        now=built["now"],
        levels=levels,
        plan=built["plan"],
        group_names=built["group_names"],
        key=key,
    )


def _group_names(assessment: Assessment) -> dict[str, str]:
    return {g.code: g.display_name for g in IndicatorGroup.objects.filter(version_id=assessment.cycle.framework_id)}


@dataclass
class QuestionWhatIf:
    """The levels the user set (question key -> level) and what they do to the score and the predicate."""

    chosen: dict[str, str]
    total: Decimal
    band: Band | None
    gain: Decimal


def question_whatif(analysis: QuestionAnalysis, wanted: Mapping[str, str], *, plan: bool = False) -> QuestionWhatIf:
    """Applies the levels the user chose (unknown questions and levels off the scale are ignored); `plan` sets
    the plan's levels instead."""
    if plan:
        wanted = {r.key: r.level for r in analysis.plan.raises}
    keys = {item.key for item in analysis.now}
    chosen = {key: level for key, level in wanted.items() if key in keys and level in analysis.levels}
    total = q.whatif_total(analysis.now, chosen)
    return QuestionWhatIf(chosen, total, predicate_for(total, analysis.bands), total - analysis.total)


@dataclass(frozen=True)
class WhatIfRow:
    """One question of the what-if form: its points now and the level the user set (empty: unchanged)."""

    question: Question
    now: Decimal
    max_points: Decimal
    options: tuple[tuple[str, str, Decimal], ...]
    selected: str


def whatif_rows(analysis: QuestionAnalysis, chosen: Mapping[str, str]) -> list[tuple[str, list[WhatIfRow]]]:
    """The questions that lost points (and any the user changed), by group, each with the scale's levels and
    the points they give."""
    rows: dict[str, list[WhatIfRow]] = {}
    questions = analysis.questions
    for item in analysis.now:
        if item.points >= item.max_points and item.key not in chosen:
            continue
        options = tuple(
            (level, grading.level_symbol(level), q.level_points(level, item.max_points)) for level in analysis.levels
        )
        rows.setdefault(item.group_code, []).append(
            WhatIfRow(questions[item.key], item.points, item.max_points, options, chosen.get(item.key, ""))
        )
    return [(code, found) for code, found in rows.items()]
