"""Random tables of children's figures for the property-based disclosure tests (hypothesis)."""

from __future__ import annotations

from hypothesis import strategies as st

from layak.protection.disclosure import Layout

QUARTERS = ("q1", "q2", "q3", "q4")
# Three shapes that occur in the real categories: a total with two breakdowns, a nested breakdown (ABH's
# diversion), and several independent measures (UPTD PPA services); every measure has its quarters.
LAYOUTS = {
    "breakdowns": (
        ("total",),
        {"total": [("sex", ("girls", "boys")), ("type", ("physical", "sexual", "other"))]},
    ),
    "nested": (
        ("total",),
        {"total": [("role", ("perpetrator", "victim"))], "perpetrator": [("div", ("attempted", "none"))]},
    ),
    "measures": (("reported", "closed"), {}),
}


def layout_of(name: str) -> Layout:
    roots, groups = LAYOUTS[name]
    cells, pairs = [], []

    def walk(cell: str) -> None:
        cells.append(cell)
        for _key, kids in groups.get(cell, []):
            pairs.append((cell, kids))
            for kid in kids:
                walk(kid)

    for root in roots:
        walk(root)
        quarters = tuple(f"{root}@{q}" for q in QUARTERS)
        cells.extend(quarters)
        pairs.append((root, quarters))
    return Layout(tuple(cells), tuple(pairs))


@st.composite
def partition(draw, total: int, parts: int) -> list[int]:
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *cuts, total]
    return [bounds[i + 1] - bounds[i] for i in range(parts)]


@st.composite
def leaf_values(draw, name: str, big: int) -> dict[str, int]:
    roots, groups = LAYOUTS[name]
    values: dict[str, int] = {}
    present = draw(st.lists(st.sampled_from(QUARTERS), min_size=1, max_size=4, unique=True))
    for root in roots:
        quarters = {q: draw(st.integers(0, big)) for q in sorted(present)}
        values[root] = sum(quarters.values())
        values.update({f"{root}@{q}": v for q, v in quarters.items()})

        def split(cell: str) -> None:
            for _key, kids in groups.get(cell, []):
                for kid, v in zip(kids, draw(partition(values[cell], len(kids))), strict=True):
                    values[kid] = v
                    split(kid)

        split(root)
    return values


@st.composite
def tables(draw, max_provinces: int = 3, max_regions: int = 4):
    """(layout, parents, leaves): a nation, 1-3 provinces of 1-4 kab/kota, figures mostly small."""
    name = draw(st.sampled_from(sorted(LAYOUTS)))
    big = draw(st.sampled_from([6, 12, 30]))
    parents: dict[str, str | None] = {"00": None}
    leaves = {}
    for p in range(draw(st.integers(1, max_provinces))):
        province = f"{p + 11}"
        parents[province] = "00"
        for k in range(draw(st.integers(1, max_regions))):
            region = f"{province}.{k + 1:02d}"
            parents[region] = province
            leaves[region] = draw(leaf_values(name, big))
    return layout_of(name), parents, leaves
