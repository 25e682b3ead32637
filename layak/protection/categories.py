"""The categories of the child-protection figures, read from the versioned files in data/protection/.

A topic (violence, bullying, ABH, ...) has measures (the counts a region reports) and groups that break a count
down (by sex, age group, type ...); a group's cells add up to the count above it. Each file names its sources
and a confidence mark per topic and group, and the first year it applies to. Keys never change meaning: stored
figures use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import yaml
from django.conf import settings
from django.utils.translation import get_language


def _pick(data: dict, key: str) -> str:
    lang = (get_language() or "id").split("-")[0]
    return data.get(f"{key}_en") or data.get(key, "") if lang == "en" else data.get(key, "")


class _Worded:
    """`label` and `note` in the current language, from the Indonesian and English texts of the file."""

    texts: tuple[tuple[str, str], ...]

    @property
    def label(self) -> str:
        return _pick(dict(self.texts), "label")

    @property
    def note(self) -> str:
        return _pick(dict(self.texts), "note")


@dataclass(frozen=True)
class Cell(_Worded):
    """One count of a topic: a measure (`parent` empty) or a category of a group under another cell."""

    key: str
    texts: tuple[tuple[str, str], ...]
    parent: str = ""
    group: str = ""
    unrecorded: bool = False


@dataclass(frozen=True)
class Group(_Worded):
    """A breakdown of one cell into categories that add up to it, with its source and confidence."""

    key: str
    parent: str
    cells: tuple[str, ...]
    texts: tuple[tuple[str, str], ...]
    source: str
    confidence: str

    @property
    def unrecorded(self) -> str:
        """The key of the "not recorded" cell that takes a whole count when the breakdown is left empty."""
        return next((c for c in self.cells if c.endswith("_unrecorded")), "")


@dataclass(frozen=True)
class Topic(_Worded):
    """A kind of figures (child victims of violence, ...): its measures, cells in form order, and groups."""

    key: str
    texts: tuple[tuple[str, str], ...]
    source: str
    confidence: str
    measures: tuple[str, ...]
    cells: tuple[Cell, ...]
    groups: tuple[Group, ...]

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.cells)

    def cell(self, key: str) -> Cell:
        return next(c for c in self.cells if c.key == key)

    def groups_of(self, key: str) -> tuple[Group, ...]:
        return tuple(g for g in self.groups if g.parent == key)


@dataclass(frozen=True)
class Catalogue:
    """One version of the categories file."""

    version: str
    applies_from_year: int
    sources: tuple[tuple[str, str, str], ...]  # key, title, url
    topics: tuple[Topic, ...]

    def topic(self, key: str) -> Topic | None:
        return next((t for t in self.topics if t.key == key), None)

    def source_title(self, key: str) -> str:
        return next((title for k, title, _ in self.sources if k == key), key)


def _texts(data: dict) -> tuple[tuple[str, str], ...]:
    return tuple((k, str(data[k]).strip()) for k in ("label", "label_en", "note", "note_en") if data.get(k))


def _walk(data: dict, parent: str, group: str, cells: list[Cell], groups: list[Group]) -> None:
    cells.append(Cell(data["key"], _texts(data), parent, group, bool(data.get("unrecorded"))))
    for g in data.get("groups", []):
        key = g["key"]
        groups.append(
            Group(key, data["key"], tuple(c["key"] for c in g["cells"]), _texts(g), g["source"], g["confidence"])
        )
        for c in g["cells"]:
            _walk(c, data["key"], key, cells, groups)


def parse(data: dict) -> Catalogue:
    """A catalogue from a parsed categories file; raises ValueError when keys repeat within a topic."""
    topics = []
    for t in data["topics"]:
        cells: list[Cell] = []
        groups: list[Group] = []
        for m in t["measures"]:
            _walk(m, "", "", cells, groups)
        keys = [c.key for c in cells]
        if len(set(keys)) != len(keys):
            raise ValueError(f"topic {t['key']}: a cell key repeats")
        measures = tuple(m["key"] for m in t["measures"])
        topics.append(Topic(t["key"], _texts(t), t["source"], t["confidence"], measures, tuple(cells), tuple(groups)))
    sources = tuple((k, v["title"], v.get("url", "")) for k, v in data["sources"].items())
    return Catalogue(str(data["version"]), int(data["applies_from_year"]), sources, tuple(topics))


def data_dir() -> Path:
    return Path(getattr(settings, "LAYAK_PROTECTION_DIR", settings.BASE_DIR / "data" / "protection"))


@cache
def catalogues() -> tuple[Catalogue, ...]:
    """Every version in data/protection/, oldest first (read once per process)."""
    found = [parse(yaml.safe_load(p.read_text(encoding="utf-8"))) for p in sorted(data_dir().glob("categories-*.yaml"))]
    return tuple(sorted(found, key=lambda c: c.applies_from_year))


def catalogue_for_year(year: int) -> Catalogue:
    """The version that applies to a year: the newest whose first year is not after it (else the oldest)."""
    versions = catalogues()
    applying = [c for c in versions if c.applies_from_year <= year]
    return applying[-1] if applying else versions[0]


def topic_for_year(key: str, year: int) -> Topic | None:
    return catalogue_for_year(year).topic(key)
