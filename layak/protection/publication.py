"""The figures as the public may see them, and as the region's own users see them (exact).

Every public output (the public page, its chart, the CSV file, the API) reads `figures_for(..., exact=False)`,
which reads one `Publication` per topic and year computed by `disclosure.publish` over the whole country, so
all outputs hide the same cells. Tables are cached by a data stamp (one query), so a public page costs the
stamp and cache reads until a figure changes.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from layak.common.generations import bump_on_commit, generation

from .categories import Topic, catalogue_for_year
from .disclosure import COMPLEMENT, SMALL, Layout, Publication, publish
from .models import ChildPopulation, PublishedTable, Report

NATION = "ID"
GENERATION_KEY = "protection:generation"
#: The generation counter (layak.common.generations) of the recorded figures, for what is read on signed-in pages
#: without the stamp query (the region dashboard's summary): bumped by the services' bulk write, `invalidate()`
#: and any save or delete of a report or a population figure (ProtectionConfig.ready).
PROTECTION_GENERATION = "protection"
QUARTERS = (1, 2, 3, 4)


def threshold() -> int:
    return int(getattr(settings, "LAYAK_PROTECTION_THRESHOLD", 5))


def quarter_key(measure: str, quarter: int) -> str:
    return f"{measure}@q{quarter}"


_recent: dict[str, tuple[float, str]] = {}


def recent_stamp() -> str:
    """The data stamp as read at most LAYAK_PROTECTION_STAMP_SECONDS (2 s) ago by this process: public pages
    show a change within that time and skip the stamp query (its planning costs more than the page) meanwhile."""
    now = time.monotonic()
    seen = _recent.get("stamp")
    if seen is None or now - seen[0] > getattr(settings, "LAYAK_PROTECTION_STAMP_SECONDS", 2):
        seen = _recent["stamp"] = (now, stamp())
    return seen[1]


def stamp() -> str:
    """The data stamp: changes whenever a figure or a population figure is added or changed (one query over
    indexed columns). Services never delete figures; after a deletion elsewhere call `invalidate()`."""
    q = connection.ops.quote_name
    report, population = Report._meta.db_table, ChildPopulation._meta.db_table
    sql = (
        f"SELECT (SELECT MAX({q('updated_at')}) FROM {q(report)}), (SELECT MAX({q('id')}) FROM {q(report)}), "
        f"(SELECT MAX({q('updated_at')}) FROM {q(population)}), (SELECT MAX({q('id')}) FROM {q(population)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    raw = "|".join(str(v) for v in (*row, cache.get(GENERATION_KEY, 0), threshold()))
    return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:16]


def forget_recent() -> None:
    """This process reads the stamp again at the next public page (called after every change of figures)."""
    _recent.clear()


def invalidate() -> None:
    """Forget every cached table (after a change the stamp cannot see, such as a deleted report)."""
    forget_recent()
    bump_on_commit(PROTECTION_GENERATION)
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def layout_for(topic: Topic) -> Layout:
    """The topic's cells plus the four quarters of each measure (published as the trend within the year)."""
    cells = list(topic.keys)
    groups = [(g.parent, g.cells) for g in topic.groups]
    for m in topic.measures:
        quarters = tuple(quarter_key(m, q) for q in QUARTERS)
        cells += quarters
        groups.append((m, quarters))
    return Layout(tuple(cells), tuple(groups))


def parent_of(code: str) -> str:
    return NATION if "." not in code else code.rsplit(".", 1)[0]


@dataclass
class Table:
    """One topic in one year over the whole country: the publication and the child population per place."""

    topic: Topic
    year: int
    publication: Publication
    population: dict[str, int]
    months: dict[str, int]  # kab/kota -> months of the year covered by its reports


def _leaves(topic: Topic, year: int) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    leaves: dict[str, dict[str, int]] = defaultdict(dict)
    covered: dict[str, int] = defaultdict(int)
    rows = Report.objects.filter(topic=topic.key, year=year).values_list("region_id", "month", "months", "values")
    for region, month, months, values in rows.iterator(chunk_size=5000):
        code = ".".join(region.split(".")[:2])
        cells = leaves[code]
        quarter = (month - 1) // 3 + 1
        for key in topic.keys:
            cells[key] = cells.get(key, 0) + values.get(key, 0)
        for m in topic.measures:
            qk = quarter_key(m, quarter)
            cells[qk] = cells.get(qk, 0) + values.get(m, 0)
        covered[code] += months
    return dict(leaves), dict(covered)


def _population(year: int, places: list[str], version: str) -> dict[str, int]:
    """Children per place: as entered, else summed from every kab/kota of a province (or of the nation). Read
    apart from the suppression (a population figure changes rates, never which cells are hidden)."""
    key = f"protection:population:{year}:{version}"
    entered = cache.get(key)
    if entered is None:
        entered = dict(ChildPopulation.objects.filter(year=year).values_list("region_id", "children"))
        cache.set(key, entered, getattr(settings, "LAYAK_PROTECTION_CACHE_SECONDS", 24 * 3600))
    out = {p: entered[p] for p in places if p in entered}
    parents = {p: (parent_of(p) if p != NATION else None) for p in places}
    for level in (1, 0):  # provinces, then the nation, from their kab/kota when not entered
        for place in [p for p in places if p.count(".") + (p != NATION) == level]:
            if place in out:
                continue
            kids = [p for p, parent in parents.items() if parent == place]
            if kids and all(k in out for k in kids):
                out[place] = sum(out[k] for k in kids)
    return out


def _build(topic: Topic, year: int) -> tuple[Publication, dict[str, int]]:
    leaves, covered = _leaves(topic, year)
    if not leaves:
        return Publication(threshold(), {}), covered
    places: dict[str, str | None] = {}
    for code in leaves:
        places[code] = parent_of(code)
        places[parent_of(code)] = NATION
    places[NATION] = None
    return publish(layout_for(topic), places, leaves, threshold()), covered


def table_stamp(topic_key: str, year: int) -> str:
    """The data stamp of one topic in one year: its latest change, highest id and count (one query on the
    topic-year index). A change of other topics, years or population figures leaves it as it is, so their
    suppression, the costly part, is not computed again."""
    q = connection.ops.quote_name
    sql = (
        f"SELECT MAX({q('updated_at')}), MAX({q('id')}), COUNT(*) FROM {q(Report._meta.db_table)} "
        f"WHERE {q('topic')} = %s AND {q('year')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [topic_key, year])
        row = cursor.fetchone()
    raw = "|".join(str(v) for v in (*row, cache.get(GENERATION_KEY, 0), threshold()))
    return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:16]


def _suppressed(topic: Topic, year: int) -> tuple[Publication, dict[str, int]]:
    """The publication of one topic and year and the months each kab/kota covered, for its own data stamp:
    from this process's cache, else from the stored table every server shares, else computed and stored."""
    version = table_stamp(topic.key, year)
    key = f"protection:suppressed:{topic.key}:{year}:{version}"
    found = cache.get(key)
    if found is None:
        found = _stored(topic, year, version)
        if found is None:
            found = _build(topic, year)
            _store(topic, year, version, *found)
        cache.set(key, found, getattr(settings, "LAYAK_PROTECTION_CACHE_SECONDS", 24 * 3600))
    return found


def table(topic_key: str, year: int, version: str | None = None) -> Table | None:
    """The table of one topic and year (None for an unknown topic), cached by the data stamp."""
    topic = catalogue_for_year(year).topic(topic_key)
    if topic is None:
        return None
    version = version or stamp()
    key = f"protection:table:{topic_key}:{year}:{version}"
    found = cache.get(key)
    if found is None:
        pub, months = _suppressed(topic, year)
        found = Table(topic, year, pub, _population(year, list(pub.values), version), months)
        cache.set(key, found, getattr(settings, "LAYAK_PROTECTION_CACHE_SECONDS", 24 * 3600))
    return found


def run_publication_build(pairs: list[tuple[str, int]]) -> None:
    """Computes and stores the public tables of these (topic, year) pairs for their current figures, so that
    no visitor waits for them. Slow at national scale (the suppression covers the whole country): a job calls
    it after figures change (`build_after_commit`)."""
    for topic_key, year in sorted(set(pairs)):
        topic = catalogue_for_year(year).topic(topic_key)
        if topic is not None:
            _suppressed(topic, year)


def build_after_commit(pairs: list[tuple[str, int]]) -> None:
    """Builds the public tables of the changed (topic, year) pairs once the change is committed."""
    wanted = sorted(set(pairs))
    transaction.on_commit(lambda: run_publication_build(wanted))


def _stored(topic: Topic, year: int, version: str) -> tuple[Publication, dict[str, int]] | None:
    row = PublishedTable.objects.filter(topic=topic.key, year=year, stamp=version).values_list("payload").first()
    if row is None:
        return None
    data = row[0]
    hidden = {(p, c): kind for p, c, kind in data["hidden"]}
    return Publication(data["threshold"], data["values"], hidden, withheld=data["withheld"]), data["months"]


def _store(topic: Topic, year: int, version: str, pub: Publication, months: dict[str, int]) -> None:
    payload = {
        "threshold": pub.threshold,
        "values": pub.values,
        "hidden": [[p, c, kind] for (p, c), kind in sorted(pub.hidden.items())],
        "withheld": pub.withheld,
        "months": months,
    }
    PublishedTable.objects.update_or_create(topic=topic.key, year=year, defaults={"stamp": version, "payload": payload})


# --- What a page, file or API shows --------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One count as shown: the number (None when hidden or absent), why it is hidden, and the rate."""

    key: str
    label: str
    depth: int
    value: int | None
    hidden: str  # "", SMALL or COMPLEMENT
    rate: Decimal | None

    @property
    def display(self) -> str:
        if self.hidden == SMALL:
            return f"<{threshold()}"
        if self.hidden == COMPLEMENT:
            return "\N{MULTIPLICATION SIGN}"
        return "" if self.value is None else str(self.value)


@dataclass(frozen=True)
class TopicFigures:
    """A topic's figures at one place in one year, in form order, with the quarters of each measure."""

    topic: Topic
    year: int
    figures: tuple[Figure, ...]
    quarters: tuple[tuple[str, tuple[Figure, ...]], ...]
    population: int | None
    months_reported: int | None
    withheld: bool

    @property
    def source(self) -> str:
        """Where the categories come from and how sure that is, in words."""
        confidence = {"sure": _("sure"), "likely": _("likely"), "unsure": _("unsure")}
        title = catalogue_for_year(self.year).source_title(self.topic.source)
        return f"{title} ({confidence.get(self.topic.confidence, self.topic.confidence)})"


def _rate(value: int | None, children: int | None) -> Decimal | None:
    if value is None or not children:
        return None
    return (Decimal(value) * 10000 / Decimal(children)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _figure(t: Table, place: str, key: str, label: str, depth: int, exact: bool) -> Figure:
    pub = t.publication
    value = pub.values.get(place, {}).get(key)
    hidden = "" if exact else pub.hidden.get((place, key), "")
    if not exact and pub.withheld and value is not None:
        hidden = COMPLEMENT
    shown = value if not hidden else None
    return Figure(key, label, depth, shown, hidden, _rate(shown, t.population.get(place)))


def _depth(topic: Topic, key: str) -> int:
    depth, cell = 0, topic.cell(key)
    while cell.parent:
        depth, cell = depth + 1, topic.cell(cell.parent)
    return depth


def figures_for(place: str, year: int, *, exact: bool, version: str | None = None) -> list[TopicFigures]:
    """Every topic's figures at a place (NATION, a province or a kab/kota code) in a year. With `exact`
    False this is THE public view: hidden cells have no number, and every public output must come from it."""
    version = version or stamp()
    out = []
    for topic in catalogue_for_year(year).topics:
        t = table(topic.key, year, version)
        if t is None or place not in t.publication.values:
            continue
        figures = tuple(_figure(t, place, c.key, c.label, _depth(topic, c.key), exact) for c in topic.cells)
        quarters = tuple(
            (
                topic.cell(m).label,
                tuple(_figure(t, place, quarter_key(m, q), _("Q%(n)s") % {"n": q}, 0, exact) for q in QUARTERS),
            )
            for m in topic.measures
        )
        months = t.months.get(place) if exact or "." in place else None
        out.append(
            TopicFigures(topic, year, figures, quarters, t.population.get(place), months, t.publication.withheld)
        )
    return out


def years_with_figures(version: str | None = None) -> list[int]:
    """The years for which any figures are recorded, newest first (one query, cached by the data stamp)."""
    key = f"protection:years:{version or stamp()}"
    years = cache.get(key)
    if years is None:
        years = sorted(set(Report.objects.order_by().values_list("year", flat=True).distinct()), reverse=True)
        cache.set(key, years, 3600)
    return years


def trend(place: str, years: list[int], *, exact: bool, version: str | None = None) -> list[tuple[str, list]]:
    """Each measure's yearly count at a place over the years, as shown (hidden where the table hides it)."""
    version = version or stamp()
    series: dict[str, list] = {}
    for year in sorted(years):
        for tf in figures_for(place, year, exact=exact, version=version):
            for f in tf.figures:
                if f.key in tf.topic.measures:
                    series.setdefault(f"{tf.topic.label}: {f.label}", []).append((year, f))
    out = []
    for name, points in sorted(series.items()):
        top = max((f.value for _, f in points if f.value is not None), default=0) or 1
        out.append((name, [(year, f, h, 44 - h) for year, f in points for h in [round(40 * (f.value or 0) / top)]]))
    return out


def has_demo() -> bool:
    """True when any recorded figure is demo data, so pages say "data contoh" (one query)."""
    return Report.objects.filter(is_demo=True).exists()


def region_summary(code: str) -> dict | None:
    """For the region dashboard: the newest year's exact count of each measure and the link to the figures
    (the dashboard is shown to people who cover the region). None when nothing is recorded. Cached under the
    figures' generation (a cache read, no query); built from the tables of the current data stamp."""
    key = f"protection:regionsummary:{generation(PROTECTION_GENERATION)}:{get_language()}:{code}"
    summary = cache.get(key, False)
    if summary is False:  # None (nothing recorded) is cached too
        summary = _region_summary(code, stamp())
        cache.set(key, summary, 3600)
    return summary


def _region_summary(code: str, version: str) -> dict | None:
    # Reading the year's national tables costs far more than the page (they are large): done once per stamp.
    from django.urls import reverse

    years = years_with_figures(version)
    if not years:
        return None
    blocks = figures_for(code, years[0], exact=True, version=version)
    if not blocks:
        return None
    counts = [(f"{b.topic.label}: {f.label}", f.value) for b in blocks for f in b.figures if f.key in b.topic.measures]
    return {"year": years[0], "counts": counts, "url": reverse("protection:region_figures", args=[code])}
