"""The question-level scoring engine for an instrument answered question by question (kla-2024).

Pure like `engine.py`: no Django, no database; frozen dataclasses in and out, Decimal arithmetic. Each question
earns `fraction x max_points`, rounded half-up to 0.01 once per question; an indicator is the exact sum of its
questions, a group the exact sum of its indicators, the total the exact sum of the groups.

The fraction of a question is Layak's self-score estimate, not the verifiers' grading (they give partial credit
by judgement). Written once here and shown to users in these words:

- nothing answered: 0 (`missing`);
- the question asks for documents ("Lampirkan …") and none are attached: 0 (`evidence_missing`);
- yes/no: 1 for the good answer ("yes", or "no" where `lower_is_better`), else 0 (`not_met`);
- percentage: the latest year's numerator / denominator (1 minus it where lower is better); a zero denominator
  is `not_applicable` (0); a numerator above its denominator is `invalid` (0, the answer form refuses it);
- count: 1 when the latest year's count is above 0; where lower is better (infant deaths) 1 when it did not
  rise from the year before (0.5 when it rose), 1 for a single year answered;
- list/text: 1 when not blank; MATRIKS: 1 when the table has at least one row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from .engine import Band, predicate_for

ZERO = Decimal(0)
ONE = Decimal(1)
HALF = Decimal("0.5")
CENTS = Decimal("0.01")

YES_NO = "yes_no"
PERCENTAGE = "percentage"
COUNT = "count"
LIST = "list"
MATRIKS = "matriks"
ANSWER_TYPES = frozenset({YES_NO, PERCENTAGE, COUNT, LIST, MATRIKS})

MET = "met"
PARTIAL = "partial"
NOT_MET = "not_met"
MISSING = "missing"
EVIDENCE_MISSING = "evidence_missing"
NOT_APPLICABLE = "not_applicable"
INVALID = "invalid"


def scaled_maxima(stated: Sequence[Decimal], target: Decimal) -> list[Decimal]:
    """The maxima scaled to sum to `target` exactly, at 0.01: each is stated x target / sum, rounded down, and
    the cents left over go to the largest remainders (ties to the earlier question). Unchanged when the stated
    maxima already sum to the target; all zero when they sum to zero."""
    total = sum(stated, ZERO)
    if total == target:
        return list(stated)
    if total == 0:
        return [ZERO for _ in stated]
    exact = [value * target / total for value in stated]
    floors = [value.quantize(CENTS, rounding=ROUND_DOWN) for value in exact]
    left = int(((target - sum(floors, ZERO)) / CENTS).to_integral_value())
    order = sorted(range(len(stated)), key=lambda i: (-(exact[i] - floors[i]), i))
    for index in order[:left]:
        floors[index] += CENTS
    return floors


@dataclass(frozen=True)
class QuestionRule:
    """A question as the engine sees it."""

    code: str
    indicator_code: str
    group_code: str
    max_points: Decimal
    answer_type: str
    years_asked: int = 1
    asks_evidence: bool = False
    lower_is_better: bool = False


@dataclass(frozen=True)
class QuestionInput:
    """What a region answered to one question, typed.

    `yes` for yes/no; `years` maps a year to (numerator, denominator) for a percentage or to (count, None) for a
    count; `text` for a list; `matriks_rows` the rows of its MATRIKS table; `evidence` whether documents are
    attached.
    """

    yes: bool | None = None
    years: Mapping[int, tuple[Decimal, Decimal | None]] = field(default_factory=dict)
    text: str = ""
    matriks_rows: int = 0
    evidence: bool = False


@dataclass(frozen=True)
class QuestionScore:
    code: str
    indicator_code: str
    points: Decimal
    max_points: Decimal
    fraction: Decimal
    reason: str


@dataclass(frozen=True)
class IndicatorTotal:
    code: str
    group_code: str
    points: Decimal
    max_points: Decimal
    answered: int
    questions: int


@dataclass(frozen=True)
class InstrumentScore:
    """Points per question, indicator and group, the total and the predicate it would give."""

    total: Decimal
    max_total: Decimal
    questions: tuple[QuestionScore, ...]
    indicators: tuple[IndicatorTotal, ...]
    groups: Mapping[str, tuple[Decimal, Decimal]]
    predicate: Band | None

    def question(self, indicator_code: str, code: str) -> QuestionScore | None:
        for score in self.questions:
            if score.indicator_code == indicator_code and score.code == code:
                return score
        return None


def _is_answered(rule: QuestionRule, answer: QuestionInput) -> bool:
    if rule.answer_type == YES_NO:
        return answer.yes is not None
    if rule.answer_type in (PERCENTAGE, COUNT):
        return bool(answer.years)
    if rule.answer_type == LIST:
        return bool(answer.text.strip())
    return answer.matriks_rows > 0


def question_fraction(rule: QuestionRule, answer: QuestionInput | None) -> tuple[Decimal, str]:
    """The fraction (0..1) of the question's maximum an answer earns, and the reason."""
    if answer is None or not _is_answered(rule, answer):
        return ZERO, MISSING
    if rule.asks_evidence and not answer.evidence:
        return ZERO, EVIDENCE_MISSING
    if rule.answer_type == YES_NO:
        good = answer.yes is not rule.lower_is_better
        return (ONE, MET) if good else (ZERO, NOT_MET)
    if rule.answer_type == PERCENTAGE:
        return _percentage(rule, answer)
    if rule.answer_type == COUNT:
        return _count(rule, answer)
    return ONE, MET


def _reason(fraction: Decimal) -> str:
    return MET if fraction >= ONE else PARTIAL if fraction > 0 else NOT_MET


def _percentage(rule: QuestionRule, answer: QuestionInput) -> tuple[Decimal, str]:
    numerator, denominator = answer.years[max(answer.years)]
    if denominator is None or denominator <= 0:
        return ZERO, NOT_APPLICABLE
    if numerator < 0 or numerator > denominator:
        return ZERO, INVALID
    share = numerator / denominator
    fraction = ONE - share if rule.lower_is_better else share
    return fraction, _reason(fraction)


def _count(rule: QuestionRule, answer: QuestionInput) -> tuple[Decimal, str]:
    years = sorted(answer.years)
    latest = answer.years[years[-1]][0]
    if latest < 0:
        return ZERO, INVALID
    if not rule.lower_is_better:
        return (ONE, MET) if latest > 0 else (ZERO, NOT_MET)
    if len(years) < 2:
        return ONE, MET
    previous = answer.years[years[-2]][0]
    return (ONE, MET) if latest <= previous else (HALF, PARTIAL)


def score_question(rule: QuestionRule, answer: QuestionInput | None) -> QuestionScore:
    fraction, reason = question_fraction(rule, answer)
    points = min((rule.max_points * fraction).quantize(CENTS, rounding=ROUND_HALF_UP), rule.max_points)
    return QuestionScore(rule.code, rule.indicator_code, points, rule.max_points, fraction, reason)


def score_instrument(
    rules: Sequence[QuestionRule],
    bands: Sequence[Band],
    answers: Mapping[tuple[str, str], QuestionInput],
    indicator_groups: Mapping[str, str] | None = None,
) -> InstrumentScore:
    """Scores every question (answers keyed by (indicator code, question code)) and sums them exactly.

    `indicator_groups` maps indicator codes to group codes for indicators that have no question (rare); the
    order of indicators is the order of their first question.
    """
    scores = tuple(score_question(rule, answers.get((rule.indicator_code, rule.code))) for rule in rules)
    sums: dict[str, list[Any]] = {}  # indicator code -> [group, points, maximum, answered, questions]
    for rule, score in zip(rules, scores, strict=True):
        row = sums.get(rule.indicator_code)
        if row is None:
            row = sums[rule.indicator_code] = [rule.group_code, ZERO, ZERO, 0, 0]
        row[1] += score.points
        row[2] += score.max_points
        row[3] += score.reason != MISSING
        row[4] += 1
    totals = {code: IndicatorTotal(code, *row) for code, row in sums.items()}
    for code, group in (indicator_groups or {}).items():
        totals.setdefault(code, IndicatorTotal(code, group, ZERO, ZERO, 0, 0))
    indicators = tuple(totals.values())
    groups: dict[str, tuple[Decimal, Decimal]] = {}
    for indicator in indicators:
        points, maximum = groups.get(indicator.group_code, (ZERO, ZERO))
        groups[indicator.group_code] = (points + indicator.points, maximum + indicator.max_points)
    total = sum((points for points, _maximum in groups.values()), ZERO)
    max_total = sum((maximum for _points, maximum in groups.values()), ZERO)
    return InstrumentScore(total, max_total, scores, indicators, groups, predicate_for(total, bands))
