"""The attacker of the disclosure tests: from every published number together, the interval each hidden cell
can take (linear programming over the sums between cells and between places).

Two attackers: one knows only the numbers (and that counts are not negative); the other also knows what the
labels mean (a "<5" cell lies in 0..4, a complement is at least 5). A hidden cell fails when either attacker
pins it to one value, or when the numbers alone prove it is below the threshold with an interval narrower than
the threshold.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from scipy.optimize import linprog

from layak.protection.disclosure import COMPLEMENT_MARK, Layout

Published = Mapping[tuple[str, str], int | str]  # (place, cell) -> number, "<5" or the complement mark


def _equations(layout: Layout, parents: Mapping[str, str | None], cells_at: dict[str, set[str]]):
    children: dict[str, list[str]] = {}
    for place, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(place)
    for place, cells in cells_at.items():
        for parent, kids in layout.groups:
            present = [k for k in kids if k in cells]
            if parent in cells and present:
                yield [(place, parent, 1)] + [(place, k, -1) for k in present]
        for cell in cells:
            having = [ch for ch in children.get(place, []) if cell in cells_at.get(ch, set())]
            if having:
                yield [(place, cell, 1)] + [(ch, cell, -1) for ch in having]


def intervals(
    layout: Layout, parents: Mapping[str, str | None], published: Published, threshold: int, *, labels: bool
) -> dict[tuple[str, str], tuple[float, float]]:
    """The feasible interval of every hidden cell under all published numbers and sums (and labels)."""
    cells_at: dict[str, set[str]] = {}
    for place, cell in published:
        cells_at.setdefault(place, set()).add(cell)
    hidden = sorted(k for k, v in published.items() if not isinstance(v, int))
    if not hidden:
        return {}
    index = {k: i for i, k in enumerate(hidden)}
    rows, rhs = [], []
    for eq in _equations(layout, parents, cells_at):
        row = np.zeros(len(hidden))
        constant = 0.0
        for place, cell, sign in eq:
            value = published[(place, cell)]
            if isinstance(value, int):
                constant += sign * value
            else:
                row[index[(place, cell)]] += sign
        if row.any():
            rows.append(row)
            rhs.append(-constant)
        elif abs(constant) > 1e-9:
            raise AssertionError(f"published numbers contradict a sum: {eq}")
    # A finite cap keeps every program bounded; an interval that reaches it is reported as unbounded.
    cap = 10 * (sum(v for v in published.values() if isinstance(v, int)) + threshold * len(hidden)) + 100
    bounds = []
    for key in hidden:
        label = published[key]
        if not labels:
            bounds.append((0, cap))
        elif label == COMPLEMENT_MARK:
            bounds.append((threshold, cap))
        else:
            bounds.append((0, threshold - 1))
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    out = {}
    for key, i in index.items():
        objective = np.zeros(len(hidden))
        objective[i] = 1
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        assert low.status == 0 and high.status == 0, f"the real table should be feasible: {low.message}"
        out[key] = (low.fun, math.inf if -high.fun > cap - 0.5 else -high.fun)
    return out


def disclosures(layout: Layout, parents, published: Published, threshold: int) -> list[str]:
    """Every way a hidden cell is given away, as sentences (empty when the publication is safe)."""
    problems = []
    numbers = intervals(layout, parents, published, threshold, labels=False)
    for key, (lo, hi) in numbers.items():
        if hi - lo < 1e-6:
            problems.append(f"{key} is exactly {lo:g} from the numbers")
        elif hi < threshold - 1e-6 and hi - lo < threshold:
            problems.append(f"{key} is proved below {threshold} by the numbers: [{lo:g}, {hi:g}]")
    for key, (lo, hi) in intervals(layout, parents, published, threshold, labels=True).items():
        if hi != math.inf and math.floor(hi + 1e-6) <= math.ceil(lo - 1e-6):
            problems.append(f"{key} is exactly {math.ceil(lo - 1e-6)} with the labels")
    return problems
