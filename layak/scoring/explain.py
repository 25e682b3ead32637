"""Why an indicator earned what it earned: points earned and lost, each loss with its cause.

Pure functions, no Django. Causes are codes (the pages translate them):

- `below_threshold`: the data did not reach the rubric's lowest threshold (or the answer was "no");
- `partial`: the data reached a threshold but not the top one;
- `missing_data`: the element was not answered;
- `missing_evidence`: a document element has no evidence attached;
- `not_applicable`: the criterion did not apply (zero denominator) and earns only its fixed fraction;
- `reviewer_downgrade` / `reviewer_upgrade`: a reviewer scored the indicator below / above the rubric.

For every indicator `earned + lost == max_points` and the losses add up to `lost` exactly (cents).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .engine import BELOW_THRESHOLD, CENTS, MISSING, NOT_APPLICABLE, PARTIAL, ZERO, IndicatorScore

MISSING_DATA = "missing_data"
MISSING_EVIDENCE = "missing_evidence"
REVIEWER_DOWNGRADE = "reviewer_downgrade"
REVIEWER_UPGRADE = "reviewer_upgrade"


@dataclass(frozen=True)
class Loss:
    """Points lost on one criterion (element) or by a reviewer's score (element empty); negative for a raise."""

    element: str
    cause: str
    points: Decimal
    note: str = ""


@dataclass(frozen=True)
class IndicatorExplanation:
    """One indicator: its maximum, the points earned (after any reviewer score) and lost, and every loss."""

    code: str
    group_code: str
    max_points: Decimal
    computed_points: Decimal
    earned: Decimal
    lost: Decimal
    losses: tuple[Loss, ...]


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)


def _cause(reason: str, element: str, evidence_elements: Collection[str]) -> str:
    if reason == MISSING:
        return MISSING_EVIDENCE if element in evidence_elements else MISSING_DATA
    return {BELOW_THRESHOLD: BELOW_THRESHOLD, PARTIAL: PARTIAL, NOT_APPLICABLE: NOT_APPLICABLE}.get(reason, PARTIAL)


def _criterion_losses(score: IndicatorScore, evidence_elements: Collection[str]) -> list[Loss]:
    """Losses per criterion in cents, adding up to max - computed: rounding is settled a cent at a time."""
    amounts = [_cents(c.max_points - c.points) for c in score.criteria]
    remainder = (score.max_points - score.points) - sum(amounts, ZERO)
    step = CENTS if remainder > 0 else -CENTS
    order = sorted(range(len(amounts)), key=lambda i: -amounts[i])
    while remainder and order:
        for i in order:
            if remainder and amounts[i] + step >= 0 and score.criteria[i].points < score.criteria[i].max_points:
                amounts[i] += step
                remainder -= step
        order = [i for i in order if amounts[i] + step >= 0 and score.criteria[i].points < score.criteria[i].max_points]
    losses = [
        Loss(c.element, _cause(c.reason, c.element, evidence_elements), amount)
        for c, amount in zip(score.criteria, amounts, strict=True)
        if amount
    ]
    if remainder:
        losses.append(Loss("", PARTIAL, remainder))
    return losses


def explain_indicator(
    score: IndicatorScore,
    *,
    points: Decimal | None = None,
    comment: str = "",
    evidence_elements: Collection[str] = (),
) -> IndicatorExplanation:
    """Explains one indicator; `points` is a reviewer's score (None keeps the rubric's), `comment` their reason.

    `evidence_elements` names the indicator's document elements, whose missing answers mean missing evidence.
    """
    earned = score.points if points is None else Decimal(points)
    losses = _criterion_losses(score, evidence_elements)
    change = score.points - earned
    if change:
        cause = REVIEWER_DOWNGRADE if change > 0 else REVIEWER_UPGRADE
        losses.append(Loss("", cause, change, comment))
    return IndicatorExplanation(
        code=score.code,
        group_code=score.group_code,
        max_points=score.max_points,
        computed_points=score.points,
        earned=earned,
        lost=score.max_points - earned,
        losses=tuple(losses),
    )


def explain(
    scores: Sequence[IndicatorScore],
    *,
    points: Mapping[str, Decimal] | None = None,
    comments: Mapping[str, str] | None = None,
    evidence_elements: Mapping[str, Collection[str]] | None = None,
) -> tuple[IndicatorExplanation, ...]:
    """Explains every indicator; the mappings are keyed by indicator code (reviewer points, their reasons)."""
    points, comments, evidence_elements = points or {}, comments or {}, evidence_elements or {}
    return tuple(
        explain_indicator(
            score,
            points=points.get(score.code),
            comment=comments.get(score.code, ""),
            evidence_elements=evidence_elements.get(score.code, ()),
        )
        for score in scores
    )
