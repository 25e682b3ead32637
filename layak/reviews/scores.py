"""Scores per verification stage and their snapshots.

The answers reach the engine through `layak.evaluations.scoring_input` (the one adapter); this module lays the
reviewers' points over the engine's result and stores snapshots. Scores carry forward: each stage starts from the
previous stage's verified points (province, then central, then field), never from the rubric again, so a stage
that leaves an indicator alone keeps the correction an earlier stage made. Used for the review services, the pages
and `recompute_scores`. `FrameworkRules` is read once per framework and reused for every assessment of a cycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from layak.evaluations.models import Assessment
from layak.evaluations.scoring_input import FrameworkRules, Inputs, assessment_inputs, rules_load, score_answers
from layak.scoring.engine import FrameworkScore
from layak.scoring.stages import snapshot_data, with_reviewer_points

from .choices import REVIEW_STAGES, ScoreStage
from .models import IndicatorReview, ScoreSnapshot

REVIEW_ORDER = [stage.value for stage in REVIEW_STAGES]


def stages_through(stage: str) -> list[str]:
    """The review stages whose scores count for `stage`: those up to and including it (final: all three)."""
    if stage == ScoreStage.FINAL:
        return list(REVIEW_ORDER)
    if stage not in REVIEW_ORDER:
        return []
    return REVIEW_ORDER[: REVIEW_ORDER.index(stage) + 1]


def previous_stage(stage: str) -> str:
    """The stage a review stage starts from: self for the province, otherwise the review stage before it."""
    if stage == ScoreStage.FINAL:
        return ScoreStage.FIELD
    index = REVIEW_ORDER.index(stage) if stage in REVIEW_ORDER else 0
    return REVIEW_ORDER[index - 1] if index > 0 else ScoreStage.SELF


@dataclass(frozen=True)
class StageScore:
    """The score of one stage: the engine's result, the verified points laid over it (this stage's and those
    carried from earlier stages), the notes of this stage's reviewers, and each indicator's points as the
    previous stage left them (`previous`, what this stage starts from)."""

    computed: FrameworkScore
    score: FrameworkScore
    points: dict[str, Decimal]
    notes: dict[str, dict[str, str]]
    previous: dict[str, Decimal]

    def snapshot_fields(self) -> dict[str, Any]:
        computed = {i.code: i.points for i in self.computed.indicators if i.code in self.points}
        return snapshot_data(self.score, computed, self.notes)


def _carried(rules: FrameworkRules, reviews: list[IndicatorReview], stages: list[str]) -> dict[str, Decimal]:
    """{indicator code: points} of the reviews of `stages`, a later stage's score replacing an earlier one's."""
    by_id, points = rules.by_id, {}
    for review in sorted((r for r in reviews if r.stage in stages), key=lambda r: REVIEW_ORDER.index(r.stage)):
        if review.indicator_id in by_id:
            points[by_id[review.indicator_id].code] = review.points
    return points


def stage_score(rules: FrameworkRules, inputs: Inputs, reviews: list[IndicatorReview], stage: str) -> StageScore:
    """The engine's score of the answers with the verified points of `stage` and every stage before it laid
    over it (pure after loading). `reviews` may hold any stage's reviews; later stages are ignored."""
    computed = score_answers(rules, inputs)
    through = stages_through(stage)
    points = _carried(rules, reviews, through)
    before = _carried(rules, reviews, through[:-1]) if stage in REVIEW_ORDER else points
    rubric = {item.code: item.points for item in computed.indicators}
    by_id = rules.by_id
    notes = {
        by_id[r.indicator_id].code: {"reason": r.reason, "comment": r.comment}
        for r in reviews
        if r.indicator_id in by_id and r.stage == (through[-1] if through else None)
    }
    return StageScore(computed, with_reviewer_points(computed, points, rules.bands), points, notes, rubric | before)


def assessment_stage_score(assessment: Assessment, stage: str, rules: FrameworkRules | None = None) -> StageScore:
    """The live score of one stage of an assessment from its current answers, carrying the earlier stages'
    verified points (self: no reviews)."""
    rules = rules or rules_load(assessment.cycle.framework)
    through = stages_through(stage)
    reviews = list(IndicatorReview.objects.filter(assessment=assessment, stage__in=through)) if through else []
    return stage_score(rules, assessment_inputs(assessment, rules.indicators), reviews, stage)


def snapshot_write(assessment: Assessment, stage: str, fields: Mapping[str, Any]) -> ScoreSnapshot:
    """Stores (or replaces) the stage's snapshot of an assessment."""
    snapshot, _created = ScoreSnapshot.objects.update_or_create(assessment=assessment, stage=stage, defaults=fields)
    return snapshot


def snapshot_fields_of(snapshot: ScoreSnapshot) -> dict[str, Any]:
    """The fields of a snapshot, to store under another stage (the final score is the last verified one)."""
    return {
        "total": snapshot.total,
        "max_total": snapshot.max_total,
        "band_code": snapshot.band_code,
        "groups": snapshot.groups,
        "indicators": snapshot.indicators,
    }
