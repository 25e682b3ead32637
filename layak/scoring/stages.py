"""Scores of a verification stage: the rubric's result with a reviewer's per-indicator scores laid over it.

Pure functions, no Django: a reviewer's score replaces an indicator's points (the criteria keep the rubric's
reasons, so an explanation can still say why), then groups, total and predicate are summed again. The same
functions turn a score into the plain JSON a `ScoreSnapshot` stores.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from .engine import ZERO, Band, FrameworkScore, IndicatorScore, predicate_for


def with_reviewer_points(score: FrameworkScore, points: Mapping[str, Decimal], bands: Sequence[Band]) -> FrameworkScore:
    """The framework score after the reviewer's points (indicator code -> points) replace the computed ones."""
    indicators = tuple(
        replace(item, points=Decimal(points[item.code])) if item.code in points else item for item in score.indicators
    )
    groups: dict[str, tuple[Decimal, Decimal]] = {}
    for item in indicators:
        got, maximum = groups.get(item.group_code, (ZERO, ZERO))
        groups[item.group_code] = (got + item.points, maximum + item.max_points)
    total = sum((item.points for item in indicators), ZERO)
    return FrameworkScore(total, score.max_total, groups, indicators, predicate_for(total, bands))


def _criteria(item: IndicatorScore) -> list[dict[str, str]]:
    return [
        {
            "element": c.element,
            "method": c.method,
            "fraction": str(c.fraction),
            "points": f"{c.points:.2f}",
            "max": f"{c.max_points:.2f}",
            "reason": c.reason,
        }
        for c in item.criteria
    ]


def snapshot_data(
    score: FrameworkScore,
    computed: Mapping[str, Decimal] | None = None,
    notes: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, Any]:
    """The JSON fields of a score snapshot: total, max_total, band_code, groups and indicators.

    `computed` gives the rubric's points of indicators a reviewer re-scored; `notes` their reason and comment.
    """
    computed, notes = computed or {}, notes or {}
    indicators = {}
    for item in score.indicators:
        entry = {
            "group": item.group_code,
            "points": f"{item.points:.2f}",
            "max": f"{item.max_points:.2f}",
            "computed": f"{computed.get(item.code, item.points):.2f}",
            "criteria": _criteria(item),
        }
        entry.update({key: value for key, value in notes.get(item.code, {}).items() if value})
        indicators[item.code] = entry
    return {
        "total": score.total,
        "max_total": score.max_total,
        "band_code": score.band.code if score.band else "",
        "groups": {code: {"points": f"{p:.2f}", "max": f"{m:.2f}"} for code, (p, m) in score.groups.items()},
        "indicators": indicators,
    }
