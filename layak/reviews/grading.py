"""Per-question grading of a question-level instrument (kla-2024): the partial-credit scale and each stage's
question points, carried forward from stage to stage.

A verifier grades a question with a level of the scale (0, ¼, ⅓, ½, ⅔, ¾ or all of its maximum). The scale is
configurable per framework (`settings.LAYAK_GRADING_LEVELS = {"kla-2024": ["0", "1/2", "1"]}`); the default is
the instrument's partial credit. A stage starts from the previous stage's verified points (the province from
the region's self-score per question, `evaluations.scoring_input.question_self_scores`); the final score is the
sum of the verified question points.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings

from layak.evaluations.models import Assessment, QuestionAnswer
from layak.evaluations.scoring_input import (
    InstrumentRules,
    instrument_rules_load,
    question_input,
    question_rule,
    question_self_scores,
)
from layak.frameworks.models import FrameworkVersion, Question
from layak.frameworks.selectors import framework_questions
from layak.scoring import questions
from layak.scoring.engine import predicate_for
from layak.scoring.instrument import score_question

from .models import QuestionGrade
from .scores import REVIEW_ORDER, stages_through

DEFAULT_LEVELS = questions.DEFAULT_LEVELS
CENT = Decimal("0.01")


def levels_for(framework: FrameworkVersion) -> tuple[str, ...]:
    """The framework's grading scale, as fractions of a question's maximum written "a/b" (lowest first)."""
    configured = getattr(settings, "LAYAK_GRADING_LEVELS", {}).get(framework.slug)
    return tuple(configured) if configured else DEFAULT_LEVELS


def level_points(level: str, maximum: Decimal) -> Decimal:
    """The points a level gives for a question of this maximum, rounded half-up to 0.01."""
    return questions.level_points(level, maximum)


def level_symbol(level: str) -> str:
    return questions.level_symbol(level)


@dataclass(frozen=True)
class QuestionStage:
    """Each question's points at one stage: the region's self-score, what the stage started from (`previous`),
    the stage's points (carried forward, then this stage's grades), and this stage's grades."""

    rules: InstrumentRules
    self_points: dict[int, Decimal]
    previous: dict[int, Decimal]
    points: dict[int, Decimal]
    grades: dict[int, QuestionGrade]

    @property
    def total(self) -> Decimal:
        return sum(self.points.values(), Decimal(0))


def _carried(grades: list[QuestionGrade], stages: list[str]) -> dict[int, Decimal]:
    points: dict[int, Decimal] = {}
    for grade in sorted((g for g in grades if g.stage in stages), key=lambda g: REVIEW_ORDER.index(g.stage)):
        points[grade.question_id] = grade.points
    return points


def question_stage(assessment: Assessment, stage: str, rules: InstrumentRules | None = None) -> QuestionStage:
    """The question points of one stage of an assessment (three queries once the rules are loaded)."""
    rules = rules or instrument_rules_load(assessment.cycle.framework)
    scores = question_self_scores(assessment, rules)
    self_points = {pk: score.points for pk, score in scores.items()}
    through = stages_through(stage)
    grades = list(QuestionGrade.objects.filter(assessment=assessment, stage__in=through)) if through else []
    before = through[:-1] if stage in REVIEW_ORDER else through
    previous = self_points | _carried(grades, before)
    points = self_points | _carried(grades, through)
    own = {g.question_id: g for g in grades if through and g.stage == through[-1]}
    return QuestionStage(rules, self_points, previous, points, own)


def question_points(
    question: Question, stage: str, answer: QuestionAnswer | None, has_evidence: bool, grades: list[QuestionGrade]
) -> tuple[Decimal, Decimal]:
    """One question's self-score and the points `stage` starts from, exactly as `question_stage` gives them for
    that question, without scoring the other questions (`grades`: this question's grades, of any stages;
    `question` with `indicator__group` loaded)."""
    given = None
    if answer is not None or has_evidence:
        given = question_input(
            question.answer_type, answer.yes if answer else None, answer.years if answer else {},
            answer.text if answer else "", answer.matriks if answer else [], has_evidence,
        )  # fmt: skip
    self_points = score_question(question_rule(question), given).points
    through = stages_through(stage)
    before = through[:-1] if stage in REVIEW_ORDER else through
    carried = _carried([g for g in grades if g.question_id == question.pk], before)
    return self_points, carried.get(question.pk, self_points)


def question_snapshot_fields(result: QuestionStage) -> dict[str, Any]:
    """The score snapshot fields of a question-level stage: total (the sum of the question points), maximum,
    predicate, groups, and per indicator its points with each question's points and grade."""
    groups: dict[str, list[Decimal]] = {}
    indicators: dict[str, dict[str, Any]] = {}
    for question in result.rules.questions:
        indicator = question.indicator
        points = result.points.get(question.pk, Decimal(0))
        group = groups.setdefault(indicator.group.code, [Decimal(0), Decimal(0)])
        group[0] += points
        group[1] += question.max_points
        entry = indicators.setdefault(
            indicator.code,
            {"group": indicator.group.code, "points": Decimal(0), "max": Decimal(0), "questions": {}},
        )
        entry["points"] += points
        entry["max"] += question.max_points
        grade = result.grades.get(question.pk)
        entry["questions"][question.code] = {
            "points": f"{points:.2f}",
            "max": f"{question.max_points:.2f}",
            **({"level": grade.level, "reason": grade.reason} if grade else {}),
        }
    for entry in indicators.values():
        entry["points"], entry["max"] = f"{entry['points']:.2f}", f"{entry['max']:.2f}"
    total = result.total
    band = predicate_for(total, result.rules.bands)
    return {
        "total": total,
        "max_total": sum((q.max_points for q in result.rules.questions), Decimal(0)),
        "band_code": band.code if band else "",
        "groups": {code: {"points": f"{p:.2f}", "max": f"{m:.2f}"} for code, (p, m) in groups.items()},
        "indicators": indicators,
    }


def is_question_level(assessment: Assessment) -> bool:
    """True for a question-level instrument; a frozen version answers from its questions kept per process (no
    query once read)."""
    framework = assessment.cycle.framework
    if framework.frozen_at is not None and getattr(framework, "has_questions", None) is None:
        framework.has_questions = bool(framework_questions(framework))
    return bool(framework.is_question_level)
