"""The KLA scoring engine: pure functions from a rubric and answers to points and a predicate.

No Django, no database: plain frozen dataclasses in, plain frozen dataclasses out, Decimal arithmetic, so a
score is fast, testable and reproducible from a stored snapshot of the rubric and the answers.

A rubric is a list of criteria. Each criterion names one data element, its `share` of the indicator's
maximum (shares sum to 1) and a `method` that turns the element's answer into a fraction between 0 and 1:

- `yes_no`: the full share when the answer is true;
- `present`: the full share when the text is not empty or evidence is attached (True, or a count above 0);
- `choice`: `points: {value: fraction}`;
- `bands_up`: `bands: [[min_value, fraction], ...]`, the best band whose minimum the value reaches
  (higher is better: coverage, counts);
- `bands_down`: `bands: [[max_value, fraction], ...]`, the best band whose maximum the value does not exceed
  (lower is better: child marriage, infant mortality);
- `ratio_up`: the element (a numerator count) divided by the `denominator` element, as a percentage, then
  `bands` as in `bands_up`. A zero denominator makes the criterion `not_applicable`; it then earns the
  `not_applicable` fraction of the criterion (default 0).

Every criterion reports a reason: `met`, `partial`, `below_threshold`, `missing` or `not_applicable`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from itertools import pairwise
from typing import Any

MAX_SCORE = Decimal(1000)
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENTS = Decimal("0.01")

MET = "met"
PARTIAL = "partial"
BELOW_THRESHOLD = "below_threshold"
MISSING = "missing"
NOT_APPLICABLE = "not_applicable"

NUMERIC_TYPES = frozenset({"percentage", "count", "rate"})
METHOD_ELEMENT_TYPES: Mapping[str, frozenset[str]] = {
    "yes_no": frozenset({"yes_no"}),
    "present": frozenset({"text", "document"}),
    "choice": frozenset({"choice"}),
    "bands_up": NUMERIC_TYPES,
    "bands_down": NUMERIC_TYPES,
    "ratio_up": frozenset({"count"}),
}
CRITERION_KEYS = frozenset({"element", "share", "method"})


@dataclass(frozen=True)
class Band:
    """A predicate (Pratama ... KLA) with its inclusive score range."""

    code: str
    name: str
    lower: Decimal
    upper: Decimal


@dataclass(frozen=True)
class Criterion:
    """One line of a rubric: which element, what share of the indicator, how it is judged."""

    element: str
    share: Decimal
    method: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class IndicatorRule:
    """An indicator as the engine sees it: its group, its maximum points and its rubric."""

    code: str
    group_code: str
    max_points: Decimal
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class CriterionResult:
    """The outcome of one criterion; `points` is unrounded (the indicator total is rounded once)."""

    element: str
    method: str
    fraction: Decimal
    points: Decimal
    max_points: Decimal
    reason: str


@dataclass(frozen=True)
class IndicatorScore:
    """Points of one indicator (rounded to 2 decimals) with the result of every criterion."""

    code: str
    group_code: str
    points: Decimal
    max_points: Decimal
    criteria: tuple[CriterionResult, ...]


@dataclass(frozen=True)
class FrameworkScore:
    """The whole score: total, per-group (points, maximum), per-indicator detail and the predicate band."""

    total: Decimal
    max_total: Decimal
    groups: Mapping[str, tuple[Decimal, Decimal]]
    indicators: tuple[IndicatorScore, ...]
    band: Band | None


# --- Predicate -----------------------------------------------------------------------------------------------


def predicate_for(score: Decimal, bands: Sequence[Band]) -> Band | None:
    """The band a score falls in; None below the lowest band. A score above a band's upper bound belongs to the
    next band (600.01 is Madya when Pratama ends at 600 and Madya starts at 601)."""
    score = Decimal(score)
    if score < ZERO or score > MAX_SCORE:
        raise ValueError(f"score {score} is outside 0-{MAX_SCORE}")
    ordered = sorted(bands, key=lambda band: band.upper)
    if not ordered or score < min(band.lower for band in ordered):
        return None
    return next((band for band in ordered if band.upper >= score), None)


# --- Answers -------------------------------------------------------------------------------------------------


def _number(value: Any) -> Decimal:
    """A numeric answer as a Decimal; booleans, text and non-finite floats are refused."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"expected a number, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value!r}")
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueError(f"expected a finite number, got {value!r}")
    return number


def _param(value: Any) -> Decimal:
    """A number written in a rubric: YAML/JSON may give it as an int, a float or a numeric string."""
    if isinstance(value, str):
        try:
            return _number(Decimal(value.strip()))
        except InvalidOperation as error:
            raise ValueError(f"expected a number, got {value!r}") from error
    return _number(value)


def _reason(fraction: Decimal) -> str:
    if fraction >= ONE:
        return MET
    return PARTIAL if fraction > ZERO else BELOW_THRESHOLD


@lru_cache(maxsize=4096)
def _parsed_bands(bands: tuple[tuple[Any, ...], ...]) -> tuple[tuple[Decimal, Decimal], ...]:
    """A rubric's [[threshold, fraction], ...] as Decimals, parsed once per distinct rubric (scoring 514 regions
    reads the same few hundred band lists thousands of times)."""
    return tuple((_param(threshold), _param(fraction)) for threshold, fraction in bands)


def _bands(bands: Sequence[Sequence[Any]]) -> tuple[tuple[Decimal, Decimal], ...]:
    return _parsed_bands(tuple(tuple(pair) for pair in bands))


def _band_up(value: Decimal, bands: Sequence[Sequence[Any]]) -> Decimal:
    reached = [frac for minimum, frac in _bands(bands) if value >= minimum]
    return max(reached, default=ZERO)


def _band_down(value: Decimal, bands: Sequence[Sequence[Any]]) -> Decimal:
    reached = [frac for maximum, frac in _bands(bands) if value <= maximum]
    return max(reached, default=ZERO)


def _is_absent(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _fraction(criterion: Criterion, answers: Mapping[str, Any]) -> tuple[Decimal, str]:
    """(fraction, reason) of one criterion given the indicator's answers."""
    value = answers.get(criterion.element)
    if _is_absent(value):
        return ZERO, MISSING
    method, params = criterion.method, criterion.params
    if method == "yes_no":
        if not isinstance(value, bool):
            raise TypeError(f"{criterion.element}: expected true/false, got {value!r}")
        return (ONE, MET) if value else (ZERO, BELOW_THRESHOLD)
    if method == "present":
        return _present(value)
    if method == "choice":
        fraction = _param(params.get("points", {}).get(str(value), 0))
        return fraction, _reason(fraction)
    if method == "bands_up":
        fraction = _band_up(_number(value), params["bands"])
        return fraction, _reason(fraction)
    if method == "bands_down":
        fraction = _band_down(_number(value), params["bands"])
        return fraction, _reason(fraction)
    if method == "ratio_up":
        return _ratio(criterion, _number(value), answers)
    raise ValueError(f"unknown method {method!r}")


def _present(value: Any) -> tuple[Decimal, str]:
    if isinstance(value, bool):
        attached = value
    elif isinstance(value, int | float | Decimal):
        attached = value > 0
    elif isinstance(value, str):
        attached = True  # blank text was already treated as missing
    else:
        raise TypeError(f"expected text, true/false or a count, got {value!r}")
    return (ONE, MET) if attached else (ZERO, MISSING)


def _ratio(criterion: Criterion, numerator: Decimal, answers: Mapping[str, Any]) -> tuple[Decimal, str]:
    denominator_value = answers.get(criterion.params["denominator"])
    if _is_absent(denominator_value):
        return ZERO, MISSING
    denominator = _number(denominator_value)
    if denominator <= ZERO:
        fraction = _param(criterion.params.get("not_applicable", 0))
        return fraction, NOT_APPLICABLE
    fraction = _band_up(numerator * HUNDRED / denominator, criterion.params["bands"])
    return fraction, _reason(fraction)


# --- Scores --------------------------------------------------------------------------------------------------


def score_indicator(rule: IndicatorRule, answers: Mapping[str, Any]) -> IndicatorScore:
    """Points of one indicator: each criterion earns share x fraction x maximum; the sum is rounded once."""
    results = []
    for criterion in rule.criteria:
        fraction, reason = _fraction(criterion, answers)
        available = criterion.share * rule.max_points
        result = CriterionResult(criterion.element, criterion.method, fraction, available * fraction, available, reason)
        results.append(result)
    points = sum((result.points for result in results), ZERO).quantize(CENTS, rounding=ROUND_HALF_UP)
    return IndicatorScore(rule.code, rule.group_code, min(points, rule.max_points), rule.max_points, tuple(results))


def score_framework(
    rules: Sequence[IndicatorRule], bands: Sequence[Band], answers: Mapping[str, Mapping[str, Any]]
) -> FrameworkScore:
    """The total over all indicators (answers keyed by indicator code, then element code) and its predicate."""
    scores = tuple(score_indicator(rule, answers.get(rule.code, {})) for rule in rules)
    groups: dict[str, tuple[Decimal, Decimal]] = {}
    for score in scores:
        points, maximum = groups.get(score.group_code, (ZERO, ZERO))
        groups[score.group_code] = (points + score.points, maximum + score.max_points)
    total = sum((score.points for score in scores), ZERO)
    max_total = sum((score.max_points for score in scores), ZERO)
    return FrameworkScore(total, max_total, groups, scores, predicate_for(total, bands))


# --- Rubric validation ---------------------------------------------------------------------------------------


def criteria_from_rubric(rubric: Sequence[Mapping[str, Any]]) -> tuple[Criterion, ...]:
    """Criteria from a rubric as stored (JSON/YAML): every key besides element, share, method is a parameter."""
    return tuple(
        Criterion(
            element=str(item["element"]),
            share=Decimal(str(item["share"])),
            method=str(item["method"]),
            params={key: value for key, value in item.items() if key not in CRITERION_KEYS},
        )
        for item in rubric
    )


def validate_rubric(criteria: Sequence[Criterion | Mapping[str, Any]], element_types: Mapping[str, str]) -> list[str]:
    """Problems with a rubric, each prefixed with the criterion's position (`[1].bands: ...`); empty if sound.

    `element_types` maps the indicator's element codes to their types (percentage, count, yes_no, ...).
    """
    problems: list[str] = []
    total = ZERO
    for index, raw in enumerate(criteria):
        if isinstance(raw, Mapping):
            missing = sorted(CRITERION_KEYS - raw.keys())
            if missing:
                problems.append(f"[{index}]: missing key(s) {', '.join(missing)}")
                continue
            try:
                criterion = criteria_from_rubric([raw])[0]
            except (InvalidOperation, ValueError):
                problems.append(f"[{index}].share: not a number: {raw['share']!r}")
                continue
        else:
            criterion = raw
        total += criterion.share
        problems.extend(f"[{index}]{problem}" for problem in _criterion_problems(criterion, element_types))
    if criteria and total != ONE:
        problems.append(f"shares sum to {total}, not 1")
    if not criteria:
        problems.append("the rubric has no criteria")
    return problems


def _criterion_problems(criterion: Criterion, element_types: Mapping[str, str]) -> list[str]:
    if not ZERO < criterion.share <= ONE:
        return [f".share: {criterion.share} is not between 0 (exclusive) and 1"]
    element_type = element_types.get(criterion.element)
    if element_type is None:
        return [f".element: unknown element {criterion.element!r}"]
    allowed = METHOD_ELEMENT_TYPES.get(criterion.method)
    if allowed is None:
        return [f".method: unknown method {criterion.method!r} (use one of {', '.join(METHOD_ELEMENT_TYPES)})"]
    if element_type not in allowed:
        return [f".method: {criterion.method} does not fit element {criterion.element!r} of type {element_type}"]
    return _params_problems(criterion, element_types)


def _params_problems(criterion: Criterion, element_types: Mapping[str, str]) -> list[str]:
    params = criterion.params
    if criterion.method == "choice":
        points = params.get("points")
        if not isinstance(points, Mapping) or not points:
            return [".points: a choice criterion needs points: {value: fraction}"]
        return [f".points.{key}: {problem}" for key, frac in points.items() if (problem := _fraction_problem(frac))]
    if criterion.method in {"bands_up", "bands_down", "ratio_up"}:
        problems = _bands_problems(params.get("bands"), descending=criterion.method == "bands_down")
        if criterion.method == "ratio_up":
            problems += _denominator_problems(criterion, element_types)
        return problems
    return []


def _denominator_problems(criterion: Criterion, element_types: Mapping[str, str]) -> list[str]:
    denominator = criterion.params.get("denominator")
    problems = []
    if element_types.get(denominator) != "count":
        problems.append(f".denominator: {denominator!r} is not a count element of this indicator")
    if "not_applicable" in criterion.params and (problem := _fraction_problem(criterion.params["not_applicable"])):
        problems.append(f".not_applicable: {problem}")
    return problems


def _fraction_problem(value: Any) -> str:
    try:
        fraction = _param(value)
    except (TypeError, ValueError):
        return f"{value!r} is not a number"
    return "" if ZERO <= fraction <= ONE else f"{value} is not between 0 and 1"


def _bands_problems(bands: Any, *, descending: bool) -> list[str]:
    """Bands must be [[threshold, fraction], ...] with thresholds strictly rising; for bands_up the fractions
    may not fall as the threshold rises, for bands_down they may not rise."""
    if not isinstance(bands, Sequence) or isinstance(bands, str) or not bands:
        return [".bands: expected a list of [threshold, fraction] pairs"]
    problems: list[str] = []
    pairs: list[tuple[Decimal, Decimal]] = []
    for position, pair in enumerate(bands):
        if not isinstance(pair, Sequence) or isinstance(pair, str) or len(pair) != 2:
            problems.append(f".bands[{position}]: expected [threshold, fraction], got {pair!r}")
            continue
        if not _is_number(pair[0]):
            problems.append(f".bands[{position}]: threshold {pair[0]!r} is not a number")
            continue
        if problem := _fraction_problem(pair[1]):
            problems.append(f".bands[{position}]: {problem}")
            continue
        pairs.append((_param(pair[0]), _param(pair[1])))
    if problems:
        return problems
    for (low, low_frac), (high, high_frac) in pairwise(pairs):
        if high <= low:
            problems.append(f".bands: thresholds must rise strictly ({low} then {high})")
        elif (high_frac > low_frac) if descending else (high_frac < low_frac):
            problems.append(f".bands: fraction {high_frac} at {high} breaks the order after {low_frac} at {low}")
    return problems


def _is_number(value: Any) -> bool:
    try:
        _param(value)
    except (TypeError, ValueError):
        return False
    return True
