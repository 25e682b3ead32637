"""Loading a framework and answers for the scoring engine, and writing score snapshots per stage.

The engine (`layak.scoring`) is pure; this module is the thin ORM layer around it, shared by the review services,
the pages and `recompute_scores`. `FrameworkRules` is read once per framework (three queries) and reused for
every assessment of a cycle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from layak.evaluations.models import Answer, Assessment
from layak.evaluations.selectors import (
    evidence_attached,
    framework_bands,
    framework_indicators,
    indicator_rule,
    supported_elements,
)
from layak.evaluations.validation import values_for_engine
from layak.frameworks.choices import ElementType
from layak.frameworks.models import FrameworkVersion, Indicator
from layak.scoring.engine import Band, FrameworkScore, IndicatorRule, score_framework
from layak.scoring.stages import snapshot_data, with_reviewer_points

from .choices import ScoreStage
from .models import IndicatorReview, ScoreSnapshot


@dataclass(frozen=True)
class FrameworkRules:
    """A framework as the engine needs it: rules in order, bands, and the indicators with their elements."""

    framework_id: int
    indicators: tuple[Indicator, ...]
    rules: tuple[IndicatorRule, ...]
    bands: tuple[Band, ...]

    @cached_property
    def by_id(self) -> dict[int, Indicator]:
        return {indicator.pk: indicator for indicator in self.indicators}

    @cached_property
    def documents(self) -> dict[int, list[str]]:
        """Document element codes per indicator id."""
        return {i.pk: [e.code for e in i.elements.all() if e.type == ElementType.DOCUMENT] for i in self.indicators}

    @cached_property
    def evidence_elements(self) -> dict[str, frozenset[str]]:
        """Document elements per indicator code: their missing answers mean missing evidence."""
        return {
            i.code: frozenset(e.code for e in i.elements.all() if e.type == ElementType.DOCUMENT)
            for i in self.indicators
        }


def rules_load(framework: FrameworkVersion) -> FrameworkRules:
    """The framework's indicators (with groups and elements), rules and bands, in three queries."""
    indicators = tuple(framework_indicators(framework))
    return FrameworkRules(
        framework.pk, indicators, tuple(indicator_rule(i) for i in indicators), tuple(framework_bands(framework))
    )


@dataclass(frozen=True)
class Inputs:
    """What the engine scores for one assessment: {indicator id: stored values} and {indicator id: element codes
    supported by linked evidence}."""

    stored: Mapping[int, Mapping[str, Any]]
    evidence: Mapping[int, set[str]]


def engine_answers(rules: FrameworkRules, inputs: Inputs) -> dict[str, dict[str, Any]]:
    """Stored answers and evidence typed for the engine, keyed by indicator code (as the self-assessment does)."""
    return {
        i.code: values_for_engine(i.elements.all(), inputs.stored.get(i.pk, {}), inputs.evidence.get(i.pk, ()))
        for i in rules.indicators
        if i.pk in inputs.stored or i.pk in inputs.evidence
    }


def evidence_from_links(rules: FrameworkRules, links: Iterable[tuple[int, str]]) -> dict[int, set[str]]:
    """Elements supported by evidence links ((indicator id, element code) pairs), for many assessments at once,
    by the same rule as the self-assessment (`evaluations.selectors.supported_elements`)."""
    documents = {i.pk: [e.code for e in i.elements.all() if e.type == ElementType.DOCUMENT] for i in rules.indicators}
    return supported_elements(documents, links)


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
    computed = score_framework(rules.rules, rules.bands, engine_answers(rules, inputs))
    by_id = rules.by_id
    points = {by_id[r.indicator_id].code: r.points for r in reviews if r.indicator_id in by_id}
    notes = {
        by_id[r.indicator_id].code: {"reason": r.reason, "comment": r.comment}
        for r in reviews
        if r.indicator_id in by_id
    }
    return StageScore(computed, with_reviewer_points(computed, points, rules.bands), points, notes)


def assessment_inputs(assessment: Assessment) -> Inputs:
    """The answers and evidence of one assessment (three queries)."""
    stored = dict(Answer.objects.filter(assessment=assessment).values_list("indicator_id", "values"))
    return Inputs(stored, evidence_attached(assessment))


def assessment_stage_score(assessment: Assessment, stage: str, rules: FrameworkRules | None = None) -> StageScore:
    """The live score of one stage of an assessment (self: no reviews) from its current answers."""
    rules = rules or rules_load(assessment.cycle.framework)
    reviews = (
        [] if stage == ScoreStage.SELF else list(IndicatorReview.objects.filter(assessment=assessment, stage=stage))
    )
    return stage_score(rules, assessment_inputs(assessment), reviews)


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
