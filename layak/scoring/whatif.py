"""What would it take: the improvements that raise a region's score, and the fewest that reach the next band.

Pure functions, no Django. A candidate improvement changes one criterion of one indicator: raise its data to the
next threshold of the rubric, or to full marks. Its gain is what that criterion would add, rounded to cents,
and an indicator never gains beyond its maximum (a reviewer's score may already sit above the rubric's).

`plan` picks the fewest improvements that reach the next predicate band. Only "to full" candidates are
considered (for the same count of improvements, full always gains at least as much as the next threshold);
the value of a set is the sum over indicators of min(headroom, gains chosen there), which is concave in the
number of gains taken from each indicator, so taking the largest marginal gain first gives, for every count k,
the largest total any k improvements can reach. The first k that reaches the band is therefore the minimum,
and among the sets of that size it gains the most points. tests/test_whatif.py checks this against brute force.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .engine import (
    CENTS,
    MAX_SCORE,
    NOT_APPLICABLE,
    ONE,
    ZERO,
    Band,
    Criterion,
    CriterionResult,
    IndicatorRule,
    IndicatorScore,
    _param,
    predicate_for,
)

NEXT = "next"
FULL = "full"


@dataclass(frozen=True)
class Improvement:
    """Raise one criterion to a target fraction; `target` says what the data must reach ("" for yes/evidence)."""

    key: str
    indicator_code: str
    group_code: str
    element: str
    method: str
    kind: str
    fraction: Decimal
    target: str
    gain: Decimal
    owner: str = ""


@dataclass(frozen=True)
class Plan:
    """The fewest improvements to reach `target` (None when already in the top band), ranked by gain."""

    current: Band | None
    target: Band | None
    total: Decimal
    total_after: Decimal
    chosen: tuple[Improvement, ...]
    reachable: bool

    @property
    def needed(self) -> Decimal:
        """Points still missing to enter the target band (0 when reached or there is no higher band)."""
        if self.target is None:
            return ZERO
        floor = self.target.lower if self.current is None else self.current.upper + CENTS
        return max(ZERO, floor - self.total)


def _plain(value: Any) -> str:
    return f"{_param(value).normalize():f}"


def _steps(criterion: Criterion) -> list[tuple[Decimal, str]]:
    """(fraction, target) pairs the criterion can reach, in the order a region would climb them."""
    method, params = criterion.method, criterion.params
    if method in {"yes_no", "present"}:
        return [(ONE, "")]
    if method == "choice":
        return sorted(((_param(f), str(value)) for value, f in params.get("points", {}).items()), key=lambda p: p[0])
    bands = [(_param(threshold), _param(fraction)) for threshold, fraction in params.get("bands", [])]
    if method == "bands_down":
        bands = sorted(bands, key=lambda b: -b[0])  # the highest allowed value first: the easiest step
    unit = "%" if method == "ratio_up" else ""
    return [(fraction, f"{_plain(threshold)}{unit}") for threshold, fraction in bands]


def _options(criterion: Criterion, result: CriterionResult) -> list[tuple[str, Decimal, str]]:
    """(kind, fraction, target) for the next step above the current fraction and for the best one."""
    if result.reason == NOT_APPLICABLE:
        return []  # a zero denominator: no data change applies
    better = [(f, target) for f, target in _steps(criterion) if f > result.fraction]
    if not better:
        return []
    best = max(f for f, _target in better)
    full = next((f, target) for f, target in better if f == best)
    first = min(better, key=lambda step: step[0])
    options = [(FULL, *full)]
    if first[0] < full[0]:
        options.insert(0, (NEXT, *first))
    return options


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)


def improvements(
    rules: Sequence[IndicatorRule],
    scores: Sequence[IndicatorScore],
    points: Mapping[str, Decimal] | None = None,
    owners: Mapping[str, str] | None = None,
) -> tuple[Improvement, ...]:
    """Every candidate improvement, largest gain first; `points` are the indicator points now (reviewer scores
    included), `owners` the responsible OPD per indicator code."""
    points, owners = points or {}, owners or {}
    by_code = {score.code: score for score in scores}
    found = []
    for rule in rules:
        score = by_code[rule.code]
        headroom = rule.max_points - Decimal(points.get(rule.code, score.points))
        found += _candidates(rule, score, headroom, owners.get(rule.code, ""))
    return tuple(sorted(found, key=lambda i: (-i.gain, i.key)))


def _candidates(rule: IndicatorRule, score: IndicatorScore, headroom: Decimal, owner: str) -> list[Improvement]:
    found = []
    for criterion, result in zip(rule.criteria, score.criteria, strict=True):
        for kind, fraction, target in _options(criterion, result):
            gain = min(headroom, _cents((fraction - result.fraction) * result.max_points))
            if gain > ZERO:
                found.append(
                    Improvement(
                        key=f"{rule.code}:{criterion.element}:{kind}",
                        indicator_code=rule.code,
                        group_code=rule.group_code,
                        element=criterion.element,
                        method=criterion.method,
                        kind=kind,
                        fraction=fraction,
                        target=target,
                        gain=gain,
                        owner=owner,
                    )
                )
    return found


def gained(chosen: Iterable[Improvement], headroom: Mapping[str, Decimal]) -> Decimal:
    """Points the chosen improvements add: the best per criterion, capped per indicator by its headroom."""
    best: dict[tuple[str, str], Decimal] = {}
    for item in chosen:
        slot = (item.indicator_code, item.element)
        best[slot] = max(best.get(slot, ZERO), item.gain)
    per_indicator: dict[str, Decimal] = {}
    for (code, _element), gain in best.items():
        per_indicator[code] = per_indicator.get(code, ZERO) + gain
    return sum((min(gain, Decimal(headroom.get(code, gain))) for code, gain in per_indicator.items()), ZERO)


def band_after(
    total: Decimal, chosen: Iterable[Improvement], headroom: Mapping[str, Decimal], bands: Sequence[Band]
) -> tuple[Decimal, Band | None]:
    """(new total, its band) once the chosen improvements are made."""
    after = min(MAX_SCORE, Decimal(total) + gained(chosen, headroom))
    return after, predicate_for(after, bands)


def _rank(band: Band | None, bands: Sequence[Band]) -> int:
    ordered = sorted(bands, key=lambda b: b.upper)
    return -1 if band is None else ordered.index(band)


def next_band(band: Band | None, bands: Sequence[Band]) -> Band | None:
    """The band above `band` (the lowest one when there is none yet); None at the top."""
    ordered = sorted(bands, key=lambda b: b.upper)
    rank = _rank(band, bands) + 1
    return ordered[rank] if rank < len(ordered) else None


def plan(
    candidates: Sequence[Improvement], total: Decimal, bands: Sequence[Band], headroom: Mapping[str, Decimal]
) -> Plan:
    """The fewest improvements reaching the next band (greedy by marginal gain; see the module docstring)."""
    current = predicate_for(Decimal(total), bands)
    target = next_band(current, bands)
    pool = [item for item in candidates if item.kind == FULL]
    chosen: list[Improvement] = []
    left = {code: Decimal(value) for code, value in headroom.items()}
    after = Decimal(total)
    while target is not None and _rank(predicate_for(min(after, MAX_SCORE), bands), bands) < _rank(target, bands):
        marginal = [(min(item.gain, left.get(item.indicator_code, item.gain)), item) for item in pool]
        marginal = [(gain, item) for gain, item in marginal if gain > ZERO]
        if not marginal:
            break
        gain, item = max(marginal, key=lambda pair: (pair[0], pair[1].gain, _reverse_key(pair[1].key)))
        chosen.append(item)
        pool.remove(item)
        left[item.indicator_code] = left.get(item.indicator_code, item.gain) - gain
        after += gain
    after = min(after, MAX_SCORE)
    reached = target is not None and _rank(predicate_for(after, bands), bands) >= _rank(target, bands)
    ranked = tuple(sorted(chosen, key=lambda i: (-i.gain, i.key)))
    return Plan(current, target, Decimal(total), after, ranked if reached else (), reached)


def _reverse_key(key: str) -> tuple[int, ...]:
    """Sort key that prefers the alphabetically first key under max()."""
    return tuple(-ord(ch) for ch in key)
