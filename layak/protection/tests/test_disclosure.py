"""Small-cell suppression: a property-based attack on everything published.

`tables()` builds random figure sets (a nation, 1-3 provinces of 1-4 kab/kota, three shapes of categories,
quarters missing at random, counts mostly small); the attacker (tests/attack.py) takes every published number
together and computes, by linear programming, the interval each hidden cell can take. No hidden cell may be
pinned to one value (with or without knowing what "<5" and the cross mean), nor proved below the threshold by
the numbers alone. The end-to-end test does the same from the public pages, CSV files and API of a database.
"""

from __future__ import annotations

import html
import json
import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layak.protection import publication
from layak.protection.categories import catalogue_for_year
from layak.protection.disclosure import COMPLEMENT, SMALL, publish
from layak.protection.services import Entry, reports_save
from layak.protection.tests.attack import disclosures
from layak.protection.tests.strategies import layout_of, partition, tables
from layak.regions.tests.factories import make_region

THRESHOLD = 5


def _published(pub) -> dict:
    return {(p, c): pub.label(p, c) for p, cells in pub.values.items() for c in cells}


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(tables())
def test_no_hidden_cell_can_be_recovered_from_all_published_numbers(table):
    layout, parents, leaves = table
    pub = publish(layout, parents, leaves, THRESHOLD)
    if pub.withheld:  # nothing of the table is published: nothing to recover
        assert all(not isinstance(v, int) for v in _published(pub).values())
        return
    assert all(pub.hidden.get((p, c)) == SMALL for (p, c), v in _values(pub) if v < THRESHOLD)
    assert not disclosures(layout, parents, _published(pub), THRESHOLD)


def _values(pub):
    return [((p, c), v) for p, cells in pub.values.items() for c, v in cells.items()]


def test_the_attacker_recovers_a_cell_when_only_small_counts_are_hidden():
    """The test can fail: hiding the small cells alone gives them away through the totals."""
    layout = layout_of("breakdowns")
    parents = {"00": None, "11": "00", "11.01": "11", "11.02": "11"}
    row = {"total": 12, "girls": 3, "boys": 9, "physical": 6, "sexual": 4, "other": 2, "total@q1": 12}
    leaves = {"11.01": row, "11.02": {**row, "girls": 9, "boys": 3}}
    pub = publish(layout, parents, leaves, THRESHOLD)
    naive = {k: (f"<{THRESHOLD}" if v < THRESHOLD else v) for k, v in _values(pub)}
    assert any("exactly 3" in p for p in disclosures(layout, parents, naive, THRESHOLD))
    assert not disclosures(layout, parents, _published(pub), THRESHOLD)
    assert any(kind == COMPLEMENT for kind in pub.hidden.values())


def test_the_same_figures_give_the_same_publication_in_any_order():
    layout = layout_of("nested")
    rng = random.Random(7)
    parents = {"00": None, **{f"{p}": "00" for p in (11, 12)}}
    leaves = {}
    for p in (11, 12):
        for k in range(1, 5):
            code = f"{p}.{k:02d}"
            parents[code] = f"{p}"
            t = rng.randint(0, 14)
            perp = rng.randint(0, t)
            att = rng.randint(0, perp)
            leaves[code] = {"total": t, "total@q2": t, "perpetrator": perp, "victim": t - perp, "attempted": att,
                            "none": perp - att}  # fmt: skip
    first = publish(layout, parents, leaves, THRESHOLD)
    shuffled = dict(reversed(list(leaves.items())))
    again = publish(layout, dict(reversed(list(parents.items()))), shuffled, THRESHOLD)
    assert first.hidden == again.hidden


# --- End to end: every public output of a database ----------------------------------------------------------

KABKOTA = ["31.71", "31.72", "31.73", "63.71", "63.72"]


@st.composite
def labour_months(draw):
    """child_labour figures (children withdrawn, by sex) for some months of 2025 in some kab/kota."""
    out = []
    for code in draw(st.lists(st.sampled_from(KABKOTA), min_size=2, max_size=5, unique=True)):
        for month in draw(st.lists(st.integers(1, 12), min_size=1, max_size=4, unique=True)):
            total = draw(st.integers(0, 9))
            male, female = draw(partition(total, 2))
            out.append(Entry(code, "child_labour", 2025, month, {"freed": total, "male": male, "female": female}))
    return out


def _harvest(client, places: list[str]) -> dict:
    """Every number the public outputs show, from the API, the CSV files and the pages, checked to agree."""
    seen: dict = {}

    def note(place: str, cell: str, shown: str) -> None:
        if shown in ("", "—"):  # no figures for that period: not a cell
            return
        value: int | str = int(shown) if re.fullmatch(r"\d+", shown) else shown
        assert seen.setdefault((place, cell), value) == value, f"outputs disagree on {place} {cell}"

    for place in places:
        data = client.get(f"/api/v1/protection/public/{place}?year=2025").json()
        for topic in data["topics"]:
            for f in topic["figures"] + topic["quarters"]:
                note(place, f["key"], f["shown"])
                assert (f["rate_per_10000"] is None) or f["value"] is not None, "a rate of a hidden count"
        page = client.get(f"/protection/public/{place}/?year=2025").content.decode()
        for topic_cell, shown in re.findall(r'data-cell="child_labour\.([^"]+)">(?:<span[^>]*>)?([^<\s]+)', page):
            note(place, topic_cell, html.unescape(shown))
        csv = client.get(f"/protection/public/{place}/?year=2025&format=csv").content.decode("utf-8-sig")
        assert csv.count("\n") > 1
    return seen


@pytest.mark.django_db(transaction=False)
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(entries=labour_months())
def test_no_public_output_lets_a_hidden_count_be_recovered(client, national_admin, entries):
    from layak.protection.models import Report

    Report.objects.all().delete()
    publication.invalidate()
    for code in KABKOTA:
        make_region(code)
    reports_save(user=national_admin, entries=entries)
    codes = sorted({e.region_code for e in entries})
    places = [publication.NATION, *sorted({c.split(".")[0] for c in codes}), *codes]
    seen = _harvest(client, places)
    topic = catalogue_for_year(2025).topic("child_labour")
    layout = publication.layout_for(topic)
    parents = {c: publication.parent_of(c) for c in places if c != publication.NATION} | {publication.NATION: None}
    published = {k: v for k, v in seen.items() if k[1] in layout.cells}
    assert not disclosures(layout, parents, published, THRESHOLD)
    json.dumps(list(published.items()))  # the harvest is plain data
