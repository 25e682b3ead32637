"""What of a table of children's figures may be published: small counts hidden, and cells that would give
them away hidden too (complementary suppression). Pure Python, no ORM; `publication.py` feeds it.

The table. Places form a tree (the nation, its provinces, their kab/kota); each place holds the same layout of
cells (a topic's measures, their breakdowns, the quarters of the year), and a parent place holds the sums of
its children. Within a place, a group says that a cell equals the sum of its children (the total = girls + boys;
the year = its quarters). Everything published is linked by these sums.

The rule. A count below the threshold (zero included) is published as "<threshold" (primary suppression). A
reader who knows every published number, every sum and what the labels mean (a hidden small count lies in
0..threshold-1, a complementary one is at least the threshold) must not be able to work out any hidden cell
exactly, nor prove from the numbers alone that a small cell is below the threshold. Every hidden cell gets a
*witness*: another table, equal to the real one on every published cell and consistent with every sum and
label, in which the hidden cell has another value (and, for a small one, a value of at least the threshold
when labels are ignored). A witness is a *move*: +t and -t along a cycle of hidden cells (cells `u` of the
layout that keep the place's own sums, applied with +1/-1 on places `f` that keep the sums between places).
Cells are hidden until every hidden cell has a witness; if that ever fails, the whole table is withheld.

The result is deterministic (places and cells are visited in a fixed order), so every server publishes the
same cells.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

SMALL = "small"  # below the threshold: published as "<threshold"
COMPLEMENT = "complement"  # hidden so that a small count cannot be worked out
COMPLEMENT_MARK = "\N{MULTIPLICATION SIGN}"  # how a public output shows a complement
DOWN_TRIES = 3  # children of a place tried as the start of the path down to a leaf
RING_TRIES = 4  # places of a ring tried as the other side of a move


@dataclass(frozen=True)
class Layout:
    """The cells of one place and the sums between them: each group is (parent cell, its child cells)."""

    cells: tuple[str, ...]
    groups: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Move:
    """A witness: on every place p of `places` (with sign sp) and cell c of `cells` (with sign sc), the cell
    may change by sp*sc*t without changing any published number or breaking any sum."""

    places: tuple[tuple[str, int], ...]
    cells: tuple[tuple[str, int], ...]


@dataclass
class Publication:
    """The outcome for one table: every place's cells with their values and, for hidden ones, why."""

    threshold: int
    values: dict[str, dict[str, int]]
    hidden: dict[tuple[str, str], str] = field(default_factory=dict)
    withheld: bool = False
    witnesses: list[Move] = field(default_factory=list)

    def shown(self, place: str, cell: str) -> int | None:
        """The published value of a cell, or None when it is hidden or absent (or the table is withheld)."""
        if self.withheld or (place, cell) in self.hidden:
            return None
        return self.values.get(place, {}).get(cell)

    def label(self, place: str, cell: str) -> str | int | None:
        """What a public output prints: the number, "<threshold", a mark for a complement, None if absent."""
        if place not in self.values or cell not in self.values[place]:
            return None
        if self.withheld:
            return COMPLEMENT_MARK
        kind = self.hidden.get((place, cell))
        if kind == SMALL:
            return f"<{self.threshold}"
        if kind == COMPLEMENT:
            return COMPLEMENT_MARK
        return self.values[place][cell]


class _Table:
    """Index structures over places and cells (integers for speed), with every place's sums."""

    def __init__(self, layout: Layout, parents: Mapping[str, str | None], leaves: Mapping[str, Mapping[str, int]]):
        self.places = sorted(parents)
        self.pidx = {p: i for i, p in enumerate(self.places)}
        self.parent = [self.pidx[parents[p]] if parents[p] is not None else -1 for p in self.places]
        self.children: list[list[int]] = [[] for _ in self.places]
        for i, par in enumerate(self.parent):
            if par >= 0:
                self.children[par].append(i)
        self.depth = [self._depth(i) for i in range(len(self.places))]
        self.cells = list(layout.cells)
        self.cidx = {c: i for i, c in enumerate(self.cells)}
        self.group_of = [-1] * len(self.cells)  # the group a cell is a child in
        self.groups: list[tuple[int, list[int]]] = []
        self.child_groups: list[list[int]] = [[] for _ in self.cells]
        for g, (parent, kids) in enumerate(layout.groups):
            pi = self.cidx[parent]
            ks = [self.cidx[k] for k in kids]
            self.groups.append((pi, ks))
            self.child_groups[pi].append(g)
            for k in ks:
                self.group_of[k] = g
        self.values: list[dict[int, int]] = [{} for _ in self.places]
        for place, cells in leaves.items():
            if self.children[self.pidx[place]]:
                continue
            self.values[self.pidx[place]] = {self.cidx[c]: int(v) for c, v in cells.items()}
        for i in sorted(range(len(self.places)), key=lambda i: -self.depth[i]):
            if self.children[i]:
                total: dict[int, int] = {}
                for ch in self.children[i]:
                    for c, v in self.values[ch].items():
                        total[c] = total.get(c, 0) + v
                self.values[i] = dict(sorted(total.items()))

    def _depth(self, i: int) -> int:
        d = 0
        while self.parent[i] >= 0:
            i, d = self.parent[i], d + 1
        return d

    def leaf_below(self, i: int, needed: Sequence[int], score) -> int | None:
        """A leaf under place i (i itself if a leaf) having every needed cell, chosen greedily by `score`."""
        while self.children[i]:
            options = [ch for ch in self.children[i] if all(c in self.values[ch] for c in needed)]
            if not options:
                return None
            i = min(options, key=lambda ch: (score(ch), ch))
        return i

    def path_up(self, i: int, stop: int) -> list[int]:
        """Places from i up to (not including) its ancestor `stop` (-1 for the whole way to the root)."""
        out = []
        while i != stop and i >= 0:
            out.append(i)
            i = self.parent[i]
        return out


class _Suppressor:
    def __init__(self, table: _Table, threshold: int):
        self.t = table
        self.threshold = threshold
        self.kind: dict[tuple[int, int], str] = {}
        self.not_exact: set[tuple[int, int]] = set()  # hidden cells another value of which fits every label
        self.reached: set[tuple[int, int]] = set()  # hidden cells the numbers alone allow at the threshold
        self.witnesses: list[tuple[list[tuple[int, int]], list[tuple[int, int]]]] = []
        for p, cells in enumerate(table.values):
            for c, v in cells.items():
                if v < threshold:
                    self.kind[(p, c)] = SMALL

    # --- moves ----------------------------------------------------------------------------------------------

    def _bases(self, c0: int, exists) -> list[list[dict[int, int]]]:
        """The starts of kernel vectors of the layout that change cell c0: c0 and its ancestor cells up to a
        pivot, which is swapped with a sibling in its group (-1) or, at a top cell, shifted alone."""
        t = self.t
        tiers = []
        chain = [c0]
        while True:
            pivot = chain[-1]
            g = t.group_of[pivot]
            base = dict.fromkeys(chain, 1)
            if g < 0:
                tiers.append([base])
                return tiers
            tiers.append([{**base, sib: -1} for sib in t.groups[g][1] if sib != pivot and exists(sib)])
            chain.append(t.groups[g][0])

    def _complete(self, u: dict[int, int], flow: dict[int, int], direction: int) -> dict[int, int] | None:
        """Adds, for every changed cell, one changed child in each of its groups that has none yet, preferring
        children that can move in `direction` on every place of the flow, then those already hidden."""
        t = self.t
        todo = list(u)
        while todo:
            c = todo.pop()
            for g in t.child_groups[c]:
                kids = [k for k in t.groups[g][1] if all(k in t.values[p] for p in flow)]
                if any(k in u for k in kids):
                    continue
                if not kids:
                    return None
                pick = min(kids, key=lambda k, s=u[c]: self._child_rank(k, s * direction, flow))
                u[pick] = u[c]
                todo.append(pick)
        return u

    def _child_rank(self, k: int, change: int, flow: dict[int, int]) -> tuple[int, int, int]:
        blocked = hidden = 0
        for p, sp in flow.items():
            v = self.t.values[p][k]
            kind = self.kind.get((p, k)) or (SMALL if v < self.threshold else COMPLEMENT)
            nv = v + sp * change
            if nv < 0 or (kind == SMALL and nv >= self.threshold) or (kind == COMPLEMENT and nv < self.threshold):
                blocked = 1
            hidden += (p, k) not in self.kind
        return (blocked, hidden, k)

    def _flows(self, p0: int, cells: Sequence[int]):
        """Sign patterns over places that keep every sum between places, by widening rings: p0 (with a leaf
        under it) against a sibling subtree, then a cousin subtree, ...; last the vertical path from the root
        through p0 down to a leaf. Yields one list of patterns per ring."""
        t = self.t

        def score(i):  # fewest cells to hide, then the most room to move down
            return (sum((i, c) not in self.kind for c in cells), -sum(t.values[i].get(c, 0) for c in cells))

        starts = [p0] if not t.children[p0] else sorted(t.children[p0], key=lambda ch: (score(ch), ch))[:DOWN_TRIES]
        downs = [d for d in (t.leaf_below(s, cells, score) for s in starts) if d is not None]
        mines = [{i: 1 for i in t.path_up(d, t.parent[p0])} for d in downs]
        anc, prev = t.parent[p0], p0
        while anc >= 0:
            ring = []
            up = {i: 1 for i in t.path_up(prev, anc)}
            sibs = [s for s in t.children[anc] if s != prev and all(c in t.values[s] for c in cells)]
            for sib in sorted(sibs, key=lambda s: (score(s), s))[:RING_TRIES]:
                leaf = t.leaf_below(sib, cells, score)
                if leaf is not None:
                    other = {i: -1 for i in t.path_up(leaf, anc)}
                    ring += [{**mine, **up, **other} for mine in mines]
            yield ring
            anc, prev = t.parent[anc], anc
        yield [{**{i: 1 for i in t.path_up(p0, -1)}, **mine} for mine in mines]

    def _evaluate(self, changes: list[tuple[int, int, int]], target: tuple[int, int], need: str):
        """(cost, support, label-feasible, reach) of a candidate move, or None when it gives the target no
        witness of what it needs: "exact" (another value within every label) or "reach" (numbers alone allow
        the threshold)."""
        t, thr = self.t, self.threshold
        support = []
        for p, c, k in changes:
            if c not in t.values[p]:
                return None
            support.append((p, c, k, t.values[p][c]))
        up_ok = down_ok = True
        low = high = None  # numbers-only slack of t downwards and upwards
        new_cells = new_value = 0
        for p, c, k, v in support:
            kind = self.kind.get((p, c))
            if kind is None:
                if v < thr:
                    return None
                kind = COMPLEMENT
                new_cells += 1
                new_value += v
            lo_bound, hi_bound = (0, thr - 1) if kind == SMALL else (thr, None)
            for sign in (1, -1):
                nv = v + sign * k
                if nv < lo_bound or (hi_bound is not None and nv > hi_bound):
                    if sign == 1:
                        up_ok = False
                    else:
                        down_ok = False
            if k > 0:
                low = v if low is None else min(low, v)
            else:
                high = v if high is None else min(high, v)
        reach = {}
        for p, c, k, v in support:
            if self.kind.get((p, c)) == SMALL or v < thr:
                slack = high if k > 0 else low
                reach[(p, c)] = slack is None or v + slack >= thr
        feasible = up_ok or down_ok
        if not (feasible if need == "exact" else reach.get(target, True)):
            return None
        return (new_cells, new_value, len(support)), support, feasible, reach

    def _candidates(self, base: dict[int, int], flow: dict[int, int], split: bool):
        """Moves built on a flow: the same layout vector on every place, or (for a flow between two subtrees)
        one vector per side, their difference then moving on the meeting place and every place above it."""
        t = self.t
        seen = []
        for direction in (1, -1) if not split else ():
            u = self._complete(dict(base), flow, direction)
            if u is not None and u not in seen:
                seen.append(u)
                yield [(p, c, sp * sc) for p, sp in flow.items() for c, sc in u.items()], (flow, u)
        plus = {p: s for p, s in flow.items() if s > 0}
        minus = {p: s for p, s in flow.items() if s < 0}
        if not minus or not split:
            return
        top = max(plus, key=lambda p: -t.depth[p])
        above = t.path_up(t.parent[top], -1)
        for direction in (1, -1):
            ua = self._complete(dict(base), plus, direction)
            roots = {c: v for c, v in base.items() if t.group_of[c] < 0}
            ub = self._complete(roots, minus, direction) if roots else None
            if ua is None or ub is None:
                continue
            diff = {c: ua.get(c, 0) - ub.get(c, 0) for c in sorted(set(ua) | set(ub))}
            diff = {c: v for c, v in diff.items() if v}
            if not diff or any(abs(v) > 1 for v in diff.values()):
                continue
            changes = [(p, c, sc) for p in plus for c, sc in ua.items()]
            changes += [(p, c, -sc) for p in minus for c, sc in ub.items()]
            changes += [(p, c, sc) for p in above for c, sc in diff.items()]
            yield changes, ({**flow, **dict.fromkeys(above, 0)}, diff)

    def _search(self, target: tuple[int, int], need: str, tiers: list[list[dict[int, int]]]):
        """The cheapest witness among moves built on the layout starts (tiers: the cell itself, then its
        ancestors), widening the ring of places step by step for every tier together until one is found."""
        p0 = target[0]
        rings = [[(base, self._flows(p0, list(base))) for base in tier] for tier in tiers]
        while rings:
            for tier in rings:
                flows = [(base, list(next(ring, []))) for base, ring in tier]
                best = None
                for split in (False, True):
                    for base, ring_flows in flows:
                        for flow in ring_flows:
                            for changes, witness in self._candidates(base, flow, split):
                                found = self._evaluate(changes, target, need)
                                if found is not None and (best is None or found[0] < best[0]):
                                    best = (*found, witness)
                    if best is not None:
                        return best
            rings = [[(b, r) for b, r in tier if r.gi_frame is not None] for tier in rings]
            rings = [tier for tier in rings if tier]
        return None

    def _fast_swap(self, target: tuple[int, int], need: str):
        """The common case in a tight loop: a cell without breakdowns of its own, in a lowest place, swapped with
        another cell of its group, against a sibling place (a rectangle of four cells)."""
        t, thr, kind = self.t, self.threshold, self.kind
        a, c0 = target
        g = t.group_of[c0]
        par = t.parent[a]
        if g < 0 or t.child_groups[c0] or t.children[a] or par < 0:
            return None
        va = t.values[a]
        x = va[c0]
        best = None
        for s in t.groups[g][1]:
            if s == c0 or s not in va or t.child_groups[s]:
                continue
            for b in t.children[par]:
                vb = t.values[b]
                if b == a or c0 not in vb or s not in vb:
                    continue
                cells = ((a, c0, 1, x), (a, s, -1, va[s]), (b, c0, -1, vb[c0]), (b, s, 1, vb[s]))
                cost = value = 0
                up = down = True
                for p, c, k, v in cells:
                    kd = kind.get((p, c))
                    if kd is None:
                        cost += 1
                        value += v
                        kd = COMPLEMENT
                    lo, hi = (0, thr - 1) if kd == SMALL else (thr, 1 << 62)
                    if not lo <= v + k <= hi:
                        up = False
                    if not lo <= v - k <= hi:
                        down = False
                if need == "exact" and not (up or down):
                    continue
                if need == "reach" and x + min(va[s], vb[c0]) < thr:
                    continue
                key = (cost, value, 4)
                if best is None or key < best[0]:
                    high, low = min(va[s], vb[c0]), min(x, vb[s])
                    reach = {}
                    for p, c, k, v in cells:
                        if kind.get((p, c)) == SMALL:
                            reach[(p, c)] = v + (high if k > 0 else low) >= thr
                    best = (key, [cell for cell in cells], up or down, reach, ({a: 1, b: -1}, {c0: 1, s: -1}))
                    if cost == 0:
                        return best
        return best

    def _fast_reach(self, target: tuple[int, int]) -> bool:
        """Several rectangles at once, for a small cell whose siblings are all small in its column: the numbers
        alone then let the cell take what each sibling can give (a sum of moves is a move)."""
        t, thr, kind = self.t, self.threshold, self.kind
        a, c0 = target
        g, par = t.group_of[c0], t.parent[a]
        if g < 0 or t.child_groups[c0] or t.children[a] or par < 0:
            return False
        va, x = t.values[a], t.values[a][c0]
        options = []
        for s in t.groups[g][1]:
            if s == c0 or s not in va or t.child_groups[s] or va[s] + x < thr:
                continue
            gives, picked, cost = x, [], int((a, s) not in kind)
            sibs = [b for b in t.children[par] if b != a and c0 in t.values[b] and s in t.values[b]]
            sibs.sort(key=lambda b: ((b, s) not in kind, -t.values[b][c0], b))
            for b in sibs:
                if gives >= thr:
                    break
                if t.values[b][c0] > 0:
                    picked.append(b)
                    gives += t.values[b][c0]
                    cost += (b, s) not in kind
            if min(gives, x + va[s]) >= thr:
                options.append((cost, s, picked))
        if not options:
            return False
        _, s, picked = min(options)
        for b in picked:
            cells = [(a, c0), (a, s), (b, c0), (b, s)]
            for pc in cells:
                kind.setdefault(pc, COMPLEMENT)
            self.witnesses.append(([(a, 1), (b, -1)], [(c0, 1), (s, -1)]))
        self.reached.add(target)
        return True

    def _protect(self, target: tuple[int, int], need: str) -> bool:
        t = self.t
        p0, c0 = target
        best = self._fast_swap(target, need)
        if best is None and need == "reach" and self._fast_reach(target):
            return True
        if best is None:
            best = self._search(target, need, self._bases(c0, lambda c: c in t.values[p0]))
        if best is None:
            return False
        _, support, feasible, reach, (flow, u) = best
        for p, c, _, v in support:
            self.kind.setdefault((p, c), COMPLEMENT)
            if feasible:
                self.not_exact.add((p, c))
            if reach.get((p, c), v >= self.threshold):
                self.reached.add((p, c))
        self.witnesses.append((sorted(flow.items()), sorted(u.items())))
        return True

    def run(self) -> bool:
        pending = sorted(self.kind, key=lambda pc: (self.t.depth[pc[0]], pc))
        while pending:
            for pc in pending:
                for need, done in (("exact", self.not_exact), ("reach", self.reached)):
                    if pc not in done and not self._protect(pc, need):
                        return False
            pending = sorted(
                (pc for pc in self.kind if pc not in self.not_exact or pc not in self.reached),
                key=lambda pc: (self.t.depth[pc[0]], pc),
            )
        return True


def publish(
    layout: Layout,
    parents: Mapping[str, str | None],
    leaves: Mapping[str, Mapping[str, int]],
    threshold: int,
) -> Publication:
    """Decides what of a table may be published. `parents` maps every place to its parent (None for the top);
    `leaves` gives the cells of the lowest places (a missing cell: no data there); the sums above are computed.
    """
    table = _Table(layout, parents, leaves)
    values = {table.places[p]: {table.cells[c]: v for c, v in cells.items()} for p, cells in enumerate(table.values)}
    sup = _Suppressor(table, threshold)
    ok = sup.run()
    hidden = {(table.places[p], table.cells[c]): kind for (p, c), kind in sorted(sup.kind.items())}
    witnesses = [
        Move(tuple((table.places[p], s) for p, s in flow), tuple((table.cells[c], s) for c, s in u))
        for flow, u in sup.witnesses
    ]
    return Publication(threshold, values, hidden, withheld=not ok, witnesses=witnesses)
