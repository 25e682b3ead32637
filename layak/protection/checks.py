"""Checks on the figures of one period (pure): breakdowns add up, counts are counts; and jumps over time.

A row whose breakdowns do not add up is refused with the numbers; a sudden jump (more than `factor` times the
mean of the periods before it) is only flagged for the coordinator, because a real rise must be recordable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .categories import Topic

MAX_COUNT = 1_000_000  # more children than any kab/kota has: a typing error (or a NIK in a count column)


@dataclass(frozen=True)
class Problem:
    """Something wrong with the figures of one period, on a cell (`key`) or on a group (`group`)."""

    key: str
    message: str


def fill_unrecorded(topic: Topic, values: Mapping[str, int | None]) -> dict[str, int]:
    """The figures as stored: an empty breakdown that has a "not recorded" category puts its whole count there;
    other empty cells are zero."""
    out = {k: v for k, v in values.items() if v is not None}
    for group in topic.groups:
        if all(values.get(c) is None for c in group.cells) and group.unrecorded and out.get(group.parent):
            out[group.unrecorded] = out[group.parent]
    return {k: int(out.get(k) or 0) for k in topic.keys}


def check_values(topic: Topic, values: Mapping[str, int]) -> list[Problem]:
    """Every problem of one period's figures: negative or absurd counts, and breakdowns that do not add up
    (with both numbers, so the person can find the mistake)."""
    problems = []
    numbers = [values.get(k, 0) for k in topic.keys]
    for cell in topic.cells if min(numbers) < 0 or max(numbers) > MAX_COUNT else ():
        v = values.get(cell.key, 0)
        if v < 0:
            problems.append(Problem(cell.key, _("%(cell)s: a count cannot be negative.") % {"cell": cell.label}))
        elif v > MAX_COUNT:
            problems.append(
                Problem(cell.key, _("%(cell)s: %(n)s is not a plausible count.") % {"cell": cell.label, "n": v})
            )
    for group in topic.groups:
        total = values.get(group.parent, 0)
        added = sum(values.get(c, 0) for c in group.cells)
        if added != total:
            message = _("%(group)s adds up to %(sum)s, but %(parent)s is %(total)s.") % {
                "group": group.label,
                "sum": added,
                "parent": topic.cell(group.parent).label,
                "total": total,
            }
            problems.append(Problem(group.key, message))
    return problems


@dataclass(frozen=True)
class Jump:
    """A period whose count is more than `factor` times the mean of the periods before it."""

    index: int
    value: int
    trailing_mean: float


def detect_jumps(series: Sequence[int | None], *, factor: float, window: int, min_increase: int) -> list[Jump]:
    """The jumps in a series of periods (None: not reported). A period jumps when at least two of the `window`
    periods before it are reported, it exceeds `factor` x their mean, and it rises by at least `min_increase`."""
    jumps = []
    for i, value in enumerate(series):
        if value is None or value < min_increase:
            continue  # a rise of at least min_increase over a mean of counts (>= 0) needs value >= min_increase
        before = [v for v in series[max(0, i - window) : i] if v is not None]
        if len(before) < 2:
            continue
        mean = sum(before) / len(before)
        if value > factor * mean and value - mean >= min_increase:
            jumps.append(Jump(i, value, round(mean, 1)))
    return jumps
