"""Scores per verification stage and their snapshots.

The answers reach the engine through `layak.evaluations.scoring_input` (the one adapter); this module lays the
reviewers' points of a stage over the engine's result and stores snapshots, for the review services, the pages
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

from .choices import ScoreStage
from .models import IndicatorReview, ScoreSnapshot


@dataclass(frozen=True)
class StageScore:
    """The score of one stage: the engine's result, the reviewer's points laid over it, and their notes."""

    computed: FrameworkScore
    score: FrameworkScore
    points: dict[str, Decimal]
    notes: dict[str, dict[str, str]]

    def snapshot_fields(self) -> dict[str, Any]:
        computed = {i.code: i.points for i in self.computed.indicators if i.code in self.points}
        return snapshot_data(self.score, computed, self.notes)


def stage_score(rules: FrameworkRules, inputs: Inputs, reviews: list[IndicatorReview]) -> StageScore:
    """The engine's score of the answers with the stage's indicator reviews applied (pure after loading)."""
    computed = score_answers(rules, inputs)
    by_id = rules.by_id
    points = {by_id[r.indicator_id].code: r.points for r in reviews if r.indicator_id in by_id}
    notes = {
        by_id[r.indicator_id].code: {"reason": r.reason, "comment": r.comment}
        for r in reviews
        if r.indicator_id in by_id
    }
    return StageScore(computed, with_reviewer_points(computed, points, rules.bands), points, notes)


def assessment_stage_score(assessment: Assessment, stage: str, rules: FrameworkRules | None = None) -> StageScore:
    """The live score of one stage of an assessment (self: no reviews) from its current answers."""
    rules = rules or rules_load(assessment.cycle.framework)
    reviews = (
        [] if stage == ScoreStage.SELF else list(IndicatorReview.objects.filter(assessment=assessment, stage=stage))
    )
    return stage_score(rules, assessment_inputs(assessment, rules.indicators), reviews)


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
