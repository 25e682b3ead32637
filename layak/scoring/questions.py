"""Explanation and what-if of a question-level instrument (kla-2024): points lost per question at every stage,
and the fewest questions to raise (and to which level of the grading scale) to reach a predicate.

Pure functions, no Django. Points are Decimals with two places; the search works in whole cents.

`fewest_raises` is exact in the number of questions. Raising a question to the top of the scale gains the most
that question can gain, so the largest total any k raises can add is the sum of the k largest headrooms
(maximum - points now): the smallest k whose sum of the k largest headrooms covers the points needed is the
minimum, and those k questions reach the band. Each chosen question is then lowered to the lowest level of the
scale that still reaches the band given the others (taken from the smallest headroom up): lowering any one of
them by a further level misses the band. `layak/scoring/tests/test_questions.py` checks both against brute
force on small random instances.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

from .engine import CENTS, ZERO, Band, predicate_for

DEFAULT_LEVELS = ("0", "1/4", "1/3", "1/2", "2/3", "3/4", "1")
SYMBOLS = {"0": "0", "1/4": "¼", "1/3": "⅓", "1/2": "½", "2/3": "⅔", "3/4": "¾", "1": "1"}


def level_symbol(level: str) -> str:
    """A level as a fraction sign (½, ⅔) where there is one, else as written ("2/5")."""
    return SYMBOLS.get(level, level)


@lru_cache(maxsize=8192)
def level_points(level: str, maximum: Decimal) -> Decimal:
    """The points a level ("a/b" of the maximum) gives for a question of this maximum, rounded half-up to 0.01
    (cached: the what-if asks for every level of every question, and parsing the fraction dominated)."""
    fraction = Fraction(level)
    return (Decimal(maximum) * fraction.numerator / fraction.denominator).quantize(CENTS, rounding=ROUND_HALF_UP)


def _cents(value: Decimal) -> int:
    return int(Decimal(value).quantize(CENTS, rounding=ROUND_HALF_UP) * 100)


def _points(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENTS)


# --- Explanation ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StagePoints:
    """A question's points at one stage: `graded` when a verifier of that stage graded it (with the `level` and
    the `reason`); otherwise the points were carried from the stage before."""

    stage: str
    points: Decimal
    max_points: Decimal
    level: str = ""
    reason: str = ""
    graded: bool = False

    @property
    def lost(self) -> Decimal:
        return self.max_points - self.points


@dataclass(frozen=True)
class QuestionExplanation:
    """One question: its maximum and its points at every stage, in stage order (self first)."""

    key: str
    indicator_code: str
    group_code: str
    max_points: Decimal
    stages: tuple[StagePoints, ...]

    @property
    def latest(self) -> StagePoints:
        return self.stages[-1]

    @property
    def lost(self) -> Decimal:
        """Points lost at the latest stage (maximum - points)."""
        return self.latest.lost

    @property
    def reason(self) -> str:
        """The reason of the last stage that graded the question differently from the stage before."""
        return next((s.reason for s in reversed(self.stages) if s.graded and s.reason), "")


@dataclass(frozen=True)
class IndicatorLosses:
    """An indicator: its questions with what each lost, and the sums at the latest stage."""

    code: str
    group_code: str
    questions: tuple[QuestionExplanation, ...]
    max_points: Decimal = field(init=False)
    earned: Decimal = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "max_points", sum((q.max_points for q in self.questions), ZERO))
        object.__setattr__(self, "earned", sum((q.latest.points for q in self.questions), ZERO))

    @property
    def lost(self) -> Decimal:
        return self.max_points - self.earned

    @property
    def losing(self) -> tuple[QuestionExplanation, ...]:
        """The questions that lost points, largest loss first (ties in instrument order)."""
        return tuple(sorted((q for q in self.questions if q.lost > 0), key=lambda q: -q.lost))


@dataclass(frozen=True)
class GroupLosses:
    """A group (Kelembagaan, a klaster, Kelana-Dekela) with its indicators."""

    code: str
    indicators: tuple[IndicatorLosses, ...]

    @property
    def max_points(self) -> Decimal:
        return sum((i.max_points for i in self.indicators), ZERO)

    @property
    def earned(self) -> Decimal:
        return sum((i.earned for i in self.indicators), ZERO)

    @property
    def lost(self) -> Decimal:
        return self.max_points - self.earned


def explain_questions(questions: Iterable[QuestionExplanation]) -> tuple[GroupLosses, ...]:
    """The questions grouped by indicator and group, in the order given (the instrument's order)."""
    groups: dict[str, dict[str, list[QuestionExplanation]]] = {}
    for question in questions:
        groups.setdefault(question.group_code, {}).setdefault(question.indicator_code, []).append(question)
    return tuple(
        GroupLosses(code, tuple(IndicatorLosses(i, code, tuple(qs)) for i, qs in indicators.items()))
        for code, indicators in groups.items()
    )


# --- What-if -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionNow:
    """A question as the what-if sees it: its maximum and its points now (at the stage the what-if starts from)."""

    key: str
    indicator_code: str
    group_code: str
    max_points: Decimal
    points: Decimal


@dataclass(frozen=True)
class Raise:
    """Raise one question to a level of the scale: from `before` to `after` points."""

    key: str
    indicator_code: str
    group_code: str
    level: str
    before: Decimal
    after: Decimal

    @property
    def gain(self) -> Decimal:
        return self.after - self.before


@dataclass(frozen=True)
class QuestionPlan:
    """The fewest questions to raise to reach `target` (None: already at the top), or `reachable` False when even
    every question at the top of the scale does not reach it."""

    current: Band | None
    target: Band | None
    total: Decimal
    floor: Decimal
    raises: tuple[Raise, ...]
    reachable: bool

    @property
    def needed(self) -> Decimal:
        """Points still missing to enter the target band (0 when reached or there is no target)."""
        return max(ZERO, self.floor - self.total) if self.target else ZERO

    @property
    def total_after(self) -> Decimal:
        return self.total + sum((r.gain for r in self.raises), ZERO)


def ordered_bands(bands: Sequence[Band]) -> list[Band]:
    return sorted(bands, key=lambda band: band.upper)


def band_floor(target: Band, bands: Sequence[Band]) -> Decimal:
    """The lowest score in `target` or above: a cent above the band below it (its own lower bound at the bottom)."""
    ordered = ordered_bands(bands)
    index = ordered.index(target)
    return target.lower if index == 0 else ordered[index - 1].upper + CENTS


def next_band(current: Band | None, bands: Sequence[Band]) -> Band | None:
    """The band above `current` (the lowest when there is none yet); None at the top."""
    ordered = ordered_bands(bands)
    rank = -1 if current is None else ordered.index(current)
    return ordered[rank + 1] if rank + 1 < len(ordered) else None


def _options(question: QuestionNow, levels: Sequence[str]) -> list[tuple[int, str]]:
    """(points in cents, level) of every level above the question's points now, lowest first."""
    now = _cents(question.points)
    found = {}
    for level in levels:
        cents = _cents(level_points(level, question.max_points))
        if cents > now and cents not in found:
            found[cents] = level
    return sorted(found.items())


def fewest_raises(
    questions: Sequence[QuestionNow], levels: Sequence[str], bands: Sequence[Band], target: Band | None = None
) -> QuestionPlan:
    """The fewest questions to raise, and the level of each, to reach `target` (default: the next band)."""
    total_cents = sum(_cents(q.points) for q in questions)
    total = _points(total_cents)
    current = predicate_for(total, bands)
    ordered = ordered_bands(bands)
    target = target if target is not None else next_band(current, bands)
    if target is None:
        return QuestionPlan(current, None, total, total, (), True)
    floor = band_floor(target, bands)
    rank_now = -1 if current is None else ordered.index(current)
    if ordered.index(target) <= rank_now:
        return QuestionPlan(current, target, total, floor, (), True)
    need = _cents(floor) - total_cents
    candidates = []
    for index, question in enumerate(questions):
        options = _options(question, levels)
        if options:
            candidates.append((options[-1][0] - _cents(question.points), index, question, options))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    reached, count = 0, 0
    for headroom, *_rest in candidates:
        if reached >= need:
            break
        reached += headroom
        count += 1
    if reached < need:
        return QuestionPlan(current, target, total, floor, (), False)
    chosen = candidates[:count]
    surplus = reached - need
    raises = {}
    for headroom, index, question, options in sorted(chosen, key=lambda c: (c[0], c[1])):
        now = _cents(question.points)
        cents, level = next((o for o in options if headroom - (o[0] - now) <= surplus), options[-1])
        surplus -= headroom - (cents - now)
        raises[index] = Raise(
            question.key, question.indicator_code, question.group_code, level, question.points, _points(cents)
        )
    ranked = sorted(raises.items(), key=lambda item: (-item[1].gain, item[0]))
    return QuestionPlan(current, target, total, floor, tuple(r for _i, r in ranked), True)


def whatif_total(questions: Sequence[QuestionNow], chosen: Mapping[str, str]) -> Decimal:
    """The total once the chosen questions (key -> level) take their level's points (up or down); the others
    keep theirs. Unknown keys are ignored."""
    total = 0
    for question in questions:
        level = chosen.get(question.key)
        points = question.points if level is None else level_points(level, question.max_points)
        total += _cents(points)
    return _points(total)
