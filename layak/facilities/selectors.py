"""Reads of the facility register, scoped to the user; each runs a fixed number of queries whatever the data.

Coverage and gaps: which kinds each desa/kelurahan (and kecamatan) of a kab/kota has, from two queries (the desa
with their kecamatan, and the facilities counted by desa and kind). Zones: what each zone covers and lacks, and
candidate zones where facilities already cluster (a grid, so 2,000 facilities need no pairwise comparison).
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, FloatField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest
from django.utils import timezone

from layak.accounts.selectors import Viewer
from layak.common.generations import bump_on_commit, generation, generations_by_name, generations_for, shared_value
from layak.regions.choices import RegionLevel
from layak.regions.models import Region
from layak.regions.selectors import REGIONS_GENERATION, region_snapshot
from layak.registers.access import can_read_register

from .choices import SchoolLevel, Status
from .geo import Grid, distance_m
from .kinds import catalogue
from .models import CertificationStep, Facility, FacilityTotal, Zone

EXPIRY_WARNING_DAYS = 90
MAP_GENERATION = "facilities-map"  # a generation counter (layak.common.generations): `map_invalidate`
MAP_GAPS_LISTED = 60  # gap desa listed beside the map; the coverage page lists them all
ENDED = (Status.EXPIRED, Status.REVOKED)


def facility_get_for_user(*, user: Viewer, pk: int) -> Facility:
    """One facility with its region and desa; 404 outside the user's regions."""
    facility = (
        Facility.objects.select_related("region", "desa", "desa__parent", "agency", "decree_file").filter(pk=pk).first()
    )
    if facility is None or not can_read_register(user, facility.region_id):
        raise Http404
    return facility


def zone_get_for_user(*, user: Viewer, pk: int) -> Zone:
    zone = Zone.objects.select_related("region").filter(pk=pk).first()
    if zone is None or not can_read_register(user, zone.region_id):
        raise Http404
    return zone


def facility_list_for_region(*, region: Region, kind: str = "", status: str = "") -> QuerySet[Facility]:
    """The kab/kota's facilities with their desa and kecamatan (one query), filtered by kind and status."""
    facilities = Facility.objects.filter(region=region).select_related("desa", "desa__parent")
    if kind:
        facilities = facilities.filter(kind=kind)
    if status:
        facilities = facilities.filter(status=status)
    return facilities.order_by("kind", "name")


def step_list(*, facility: Facility) -> QuerySet[CertificationStep]:
    return facility.steps.select_related("recorded_by", "evidence").order_by("date", "pk")


def expiring(facility: Facility, today: datetime.date | None = None) -> bool:
    """A certified facility whose certificate ends within 90 days."""
    today = today or timezone.localdate()
    return (
        facility.status == Status.CERTIFIED
        and facility.valid_until is not None
        and facility.valid_until <= today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    )


def certified_on(as_of: datetime.date) -> Q:
    """Facilities whose certificate was in force on the date (decreed by then, not expired or revoked by then)."""
    return (
        Q(status__in=(Status.CERTIFIED, *ENDED), decree_date__lte=as_of)
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=as_of))
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=as_of))
    )


def status_counts(*, region: Region) -> dict[str, dict[str, int]]:
    """{kind: {status: n}} of the kab/kota (one query)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for kind, status, n in (
        Facility.objects.filter(region=region).values_list("kind", "status").annotate(n=Count("pk")).order_by()
    ):
        counts[kind][status] = n
    return counts


@dataclass
class Share:
    """Certified facilities of a kind (and level) against the kab/kota's total, with the total's source."""

    kind: str
    level: str
    certified: int
    total: int | None
    source: str

    @property
    def percent(self) -> float | None:
        return round(100 * self.certified / self.total, 2) if self.total else None

    @property
    def level_label(self) -> str:
        return str(SchoolLevel(self.level).label) if self.level else ""

    @property
    def kind_name(self) -> str:
        return catalogue().name(self.kind)


def certified_shares(*, region: Region, year: int) -> list[Share]:
    """For each certifiable kind (and school level), certified facilities in force at the end of the year (or today,
    if earlier) against the total recorded for the year (two queries)."""
    as_of = min(datetime.date(year, 12, 31), timezone.localdate())
    counts = {
        (kind, level): n
        for kind, level, n in Facility.objects.filter(certified_on(as_of), region=region)
        .values_list("kind", "school_level")
        .annotate(n=Count("pk"))
        .order_by()
    }
    totals = {(t.kind, t.school_level): t for t in FacilityTotal.objects.filter(region=region, year=year)}
    shares = []
    for kind in catalogue().kinds.values():
        if not kind.certifiable:
            continue
        for level in SchoolLevel.values if kind.school_levels else [""]:
            total = totals.get((kind.code, level))
            shares.append(
                Share(
                    kind.code,
                    level,
                    counts.get((kind.code, level), 0),
                    total.total if total else None,
                    total.source if total else "",
                )
            )
    return shares


@dataclass
class DesaCoverage:
    """A desa/kelurahan: the kinds in it (counts), the kinds it reaches on foot (metres from its point to the
    nearest facility of the kind, for the kinds looked for that are not in it) and the kinds it lacks."""

    code: str
    name: str
    kecamatan: str
    kinds: dict[str, int]
    missing: list[str] = field(default_factory=list)
    near: dict[str, int] = field(default_factory=dict)
    point: tuple[float, float] | None = None

    @property
    def located(self) -> bool:
        return self.point is not None


@dataclass
class KecamatanCoverage:
    code: str
    name: str
    desa: list[DesaCoverage]
    kinds: dict[str, int]
    missing: list[str] = field(default_factory=list)

    @property
    def desa_with_gaps(self) -> int:
        return sum(1 for d in self.desa if d.missing)


@dataclass
class Coverage:
    """Which kinds each desa and kecamatan has (facilities not expired or revoked), which a desa reaches within the
    kind's walking distance of its point, and what is missing."""

    desa_kinds: list[str]
    kecamatan_kinds: list[str]
    kecamatan: list[KecamatanCoverage]

    @property
    def desa_count(self) -> int:
        return sum(len(k.desa) for k in self.kecamatan)

    @property
    def desa_gap_count(self) -> int:
        return sum(k.desa_with_gaps for k in self.kecamatan)

    @property
    def kecamatan_gap_count(self) -> int:
        return sum(1 for k in self.kecamatan if k.missing)

    @property
    def desa_located(self) -> int:
        return sum(1 for k in self.kecamatan for d in k.desa if d.located)

    def gap_desa(self) -> list[DesaCoverage]:
        return [d for k in self.kecamatan for d in k.desa if d.missing]

    def shares(self) -> list[KindShare]:
        """For each kind looked for in every desa: desa with it in them, desa reaching it on foot, and the rest."""
        rows = []
        for kind in self.desa_kinds:
            inside = sum(1 for k in self.kecamatan for d in k.desa if d.kinds.get(kind))
            near = sum(1 for k in self.kecamatan for d in k.desa if kind in d.near)
            rows.append(KindShare(kind, self.desa_count, inside, near))
        return rows


@dataclass(frozen=True)
class KindShare:
    """How many of `desa` desa/kelurahan have a kind in them, and how many more reach one on foot."""

    kind: str
    desa: int
    inside: int
    near: int

    @property
    def covered(self) -> int:
        return self.inside + self.near

    @property
    def percent(self) -> int | None:
        return round(100 * self.covered / self.desa) if self.desa else None

    @property
    def kind_name(self) -> str:
        return catalogue().name(self.kind)


def default_gap_kinds() -> tuple[list[str], list[str]]:
    """The kinds looked for in every desa and in every kecamatan, as the data file sets them."""
    kinds = catalogue().kinds.values()
    return [k.code for k in kinds if k.gap_unit == "desa"], [k.code for k in kinds if k.gap_unit == "kecamatan"]


def walking_distances(kinds: list[str]) -> dict[str, int]:
    """{kind: walking distance in metres} as the data file sets them (a product choice per kind)."""
    known = catalogue().kinds
    return {k: known[k].walking_distance_m for k in kinds if k in known and known[k].walking_distance_m > 0}


Grids = dict[tuple[str, str], Grid]


def _in_prefix(prefix: str) -> Q:
    """Facilities of a kab/kota (a code with a dot) or of a province's kab/kota (a subquery on the region tree)."""
    if "." in prefix:
        return Q(region_id=prefix)
    return Q(region_id__in=Region.objects.filter(parent_id=prefix).values("code"))


def facility_grids(*, prefix: str, kinds: list[str]) -> Grids:
    """The located facilities in service of these kinds, in a grid per kab/kota and kind whose cells are as wide as
    the kind's walking distance (one query; `prefix` "" for the nation, a province or a kab/kota code). A facility
    covers the desa of its own kab/kota only: the register and its data version are per kab/kota."""
    distances = walking_distances(kinds)
    if not distances:
        return {}
    rows = (
        Facility.objects.filter(kind__in=list(distances), latitude__isnull=False, longitude__isnull=False)
        .exclude(status__in=ENDED)
        .annotate(lat=Cast("latitude", FloatField()), lon=Cast("longitude", FloatField()))
        .values_list("region_id", "kind", "lat", "lon")
        .order_by()
    )
    if prefix:
        rows = rows.filter(_in_prefix(prefix))
    points: dict[tuple[str, str], list[tuple[int, float, float]]] = defaultdict(list)
    for n, (region, kind, lat, lon) in enumerate(rows.iterator(chunk_size=10_000)):
        points[(region, kind)].append((n, lat, lon))
    return {key: Grid(located, distances[key[1]]) for key, located in points.items()}


def walking_reach(grids: Grids, region: str, lat: float | None, lon: float | None, kinds: list[str]) -> dict[str, int]:
    """{kind: metres to the nearest facility of the kind} for the kinds one of the kab/kota's facilities offers
    within the kind's walking distance of the point (a box, then the great-circle distance)."""
    if lat is None or lon is None:
        return {}
    reach = {}
    distances = walking_distances(kinds)
    for kind in kinds:
        grid = grids.get((region, kind))
        if grid is None:
            continue
        d = grid.nearest(lat, lon, distances[kind])
        if d is not None:
            reach[kind] = round(d)
    return reach


def coverage_for_region(
    *, region: Region, desa_kinds: list[str] | None = None, kecamatan_kinds: list[str] | None = None
) -> Coverage:
    """Coverage and gaps of one kab/kota in three queries: its desa with their points, its facilities in service
    counted by desa and kind, and the points of those of the kinds looked for in every desa (for the walking
    distance)."""
    default_desa, default_kecamatan = default_gap_kinds()
    desa_kinds = default_desa if desa_kinds is None else desa_kinds
    kecamatan_kinds = default_kecamatan if kecamatan_kinds is None else kecamatan_kinds
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for desa, kind, n in (
        Facility.objects.filter(region=region)
        .exclude(status__in=ENDED)
        .values_list("desa_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[desa][kind] = n
    rows = (
        Region.objects.filter(level=RegionLevel.DESA, code__startswith=f"{region.code}.")
        .annotate(lat=Cast("latitude", FloatField()), lon=Cast("longitude", FloatField()))
        .values_list("code", "name", "parent_id", "parent__name", "lat", "lon")
        .order_by("code")
    )
    grids = facility_grids(prefix=region.code, kinds=desa_kinds) if desa_kinds else {}
    return build_coverage(rows, counts, desa_kinds, kecamatan_kinds, grids)


def build_coverage(
    rows: object,
    counts: dict[str, dict[str, int]],
    desa_kinds: list[str],
    kecamatan_kinds: list[str],
    grids: Grids | None = None,
) -> Coverage:
    """Coverage from the desa rows (code, name, kecamatan code, kecamatan name, latitude, longitude), counts by desa
    and kind, and the facility grids: a desa lacks a kind when none is in it nor within walking distance."""
    kecamatan: dict[str, KecamatanCoverage] = {}
    for code, name, parent, parent_name, lat, lon in rows:  # type: ignore[attr-defined]
        kinds = counts.get(code, {})
        absent = [k for k in desa_kinds if not kinds.get(k)]
        near = walking_reach(grids or {}, code[:5], lat, lon, absent) if absent else {}
        point = (lat, lon) if lat is not None and lon is not None else None
        desa = DesaCoverage(code, name, parent_name, kinds, [k for k in absent if k not in near], near, point)
        group = kecamatan.get(parent)
        if group is None:
            group = kecamatan[parent] = KecamatanCoverage(parent, parent_name, [], defaultdict(int))
        group.desa.append(desa)
        for kind, n in kinds.items():
            group.kinds[kind] += n
    for group in kecamatan.values():
        group.missing = [k for k in kecamatan_kinds if not group.kinds.get(k)]
    return Coverage(desa_kinds, kecamatan_kinds, list(kecamatan.values()))


@dataclass
class ZoneReport:
    """A zone's members, the kinds they cover, the required kinds they lack, and members too far apart."""

    zone: Zone
    members: list[Facility]
    covered: list[str]
    missing: list[str]
    too_far: list[tuple[Facility, Facility, int]]
    without_point: list[Facility]

    @property
    def complete(self) -> bool:
        return not self.missing and not self.too_far


def zone_report(*, zone: Zone, members: list[Facility] | None = None) -> ZoneReport:
    """Checks a zone: every required kind present among members in service, members within walking distance."""
    if members is None:
        members = list(zone.members.select_related("desa").order_by("kind", "name"))
    in_service = [m for m in members if m.status not in ENDED]
    covered = sorted({m.kind for m in in_service})
    missing = [k for k in zone.required_kinds if k not in covered]
    located = [m for m in members if m.has_point]
    too_far = []
    for i, a in enumerate(located):
        for b in located[i + 1 :]:
            d = distance_m(float(a.latitude), float(a.longitude), float(b.latitude), float(b.longitude))  # type: ignore[arg-type]
            if d > zone.walking_distance_m:
                too_far.append((a, b, round(d)))
    return ZoneReport(zone, members, covered, missing, too_far, [m for m in members if not m.has_point])


def zone_reports_for_region(*, region: Region) -> list[ZoneReport]:
    """Every zone of the kab/kota with its check (two queries)."""
    zones = list(Zone.objects.filter(region=region).order_by("name"))
    members: dict[int, list[Facility]] = defaultdict(list)
    through = Zone.members.through.objects.filter(zone__region=region).select_related("facility", "facility__desa")
    for link in through:
        members[link.zone_id].append(link.facility)
    return [zone_report(zone=z, members=sorted(members[z.pk], key=lambda f: (f.kind, f.name))) for z in zones]


@dataclass
class Suggestion:
    """A candidate zone: an anchor (a certified playground or other play space) and the facilities near it or in
    its desa, with the required kinds they cover and lack."""

    anchor: Facility
    members: list[Facility]
    covered: list[str]
    missing: list[str]

    @property
    def name(self) -> str:
        return f"Kaltara {self.anchor.desa.name}"


PLAY_KINDS = ("rbra", "rptra")


def zone_suggestions(
    *, region: Region, required_kinds: list[str] | None = None, walking_distance_m: int = 1000, limit: int = 10
) -> list[Suggestion]:
    """Candidate zones around each play space not yet in a zone: facilities within walking distance (points) or in
    the same desa (no point), best coverage first. One query for the facilities, one for zone membership."""
    required = required_kinds if required_kinds is not None else default_zone_kinds()
    facilities = list(
        Facility.objects.filter(region=region)
        .exclude(status__in=ENDED)
        .select_related("desa")
        .only("pk", "name", "kind", "status", "region_id", "desa_id", "latitude", "longitude", "desa__name")
        .order_by("pk")
    )
    zoned = set(Zone.members.through.objects.filter(zone__region=region).values_list("facility_id", flat=True))
    by_pk = {f.pk: f for f in facilities}
    grid = Grid(
        ((f.pk, float(f.latitude), float(f.longitude)) for f in facilities if f.has_point),  # type: ignore[arg-type]
        walking_distance_m,
    )
    by_desa: dict[str, list[Facility]] = defaultdict(list)
    for f in facilities:
        by_desa[f.desa_id].append(f)
    anchors = [f for f in facilities if f.kind in PLAY_KINDS and f.pk not in zoned]
    anchors.sort(key=lambda f: (f.status != Status.CERTIFIED, f.pk))
    suggestions: list[Suggestion] = []
    used: set[int] = set()
    for anchor in anchors:
        if anchor.pk in used:
            continue
        near: dict[int, Facility] = {}
        if anchor.has_point:
            for pk, _d in grid.near(float(anchor.latitude), float(anchor.longitude), walking_distance_m):  # type: ignore[arg-type]
                near[pk] = by_pk[pk]
        for f in by_desa[anchor.desa_id]:
            if not f.has_point or not anchor.has_point:
                near[f.pk] = f
        members = [f for f in near.values() if f.pk not in zoned]
        covered = sorted({f.kind for f in members})
        if len(covered) < 2:
            continue
        used.update(f.pk for f in members if f.kind in PLAY_KINDS)
        suggestions.append(
            Suggestion(
                anchor,
                sorted(members, key=lambda f: (f.kind, f.name)),
                covered,
                [k for k in required if k not in covered],
            )
        )
    suggestions.sort(key=lambda s: (len(s.missing), -len(s.members), s.anchor.pk))
    return suggestions[:limit]


def default_zone_kinds() -> list[str]:
    """The services a Kaltara zone brings together (health, school, play, information, protection) [111]."""
    return ["sra", "prap", "rbra", "pisa", "patbm"]


def totals_for_region(*, region: Region) -> QuerySet[FacilityTotal]:
    return FacilityTotal.objects.filter(region=region).order_by("-year", "kind", "school_level")


def public_facilities(*, region: Region) -> list[Facility]:
    """Facilities whose certificate is in force today (no personal data: names of institutions, desa, decree)."""
    today = timezone.localdate()
    return list(
        Facility.objects.filter(certified_on(today), region=region, status=Status.CERTIFIED)
        .select_related("desa", "desa__parent")
        .order_by("kind", "name")
    )


@dataclass(frozen=True)
class GapSummary:
    """One kab/kota: how many desa/kelurahan it has, how many lack a kind looked for in every desa (none in them nor
    within walking distance), and per kind how many have it in them and how many more reach it on foot."""

    desa: int
    with_gaps: int
    inside: dict[str, int] = field(default_factory=dict)
    near: dict[str, int] = field(default_factory=dict)

    def shares(self, kinds: list[str]) -> list[KindShare]:
        return [KindShare(k, self.desa, self.inside.get(k, 0), self.near.get(k, 0)) for k in kinds]


def gap_summary(*, prefix: str = "", desa_kinds: list[str] | None = None) -> dict[str, GapSummary]:
    """Desa with service gaps per kab/kota for the nation (prefix ""), a province or a kab/kota, with the walking
    distance where desa and facilities have points: three queries (the kinds present by desa, the desa with their
    points, the located facilities of the kinds)."""
    kinds = default_gap_kinds()[0] if desa_kinds is None else desa_kinds
    desa = Region.objects.filter(level=RegionLevel.DESA)
    facilities = Facility.objects.filter(kind__in=kinds).exclude(status__in=ENDED)
    if prefix:
        desa = desa.filter(code__startswith=f"{prefix}.")
        facilities = facilities.filter(_in_prefix(prefix))
    present: dict[str, set[str]] = defaultdict(set)
    for code, kind in facilities.values_list("desa_id", "kind").distinct().order_by():
        present[code].add(kind)
    grids = facility_grids(prefix=prefix, kinds=kinds)
    distances = walking_distances(kinds)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    inside: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    near: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    empty: set[str] = set()
    rows = (
        desa.annotate(lat=Cast("latitude", FloatField()), lon=Cast("longitude", FloatField()))
        .values_list("code", "lat", "lon")
        .order_by()
    )
    for code, lat, lon in rows.iterator(chunk_size=10_000):
        region = code[:5]
        row = counts[region]
        row[0] += 1
        has = present.get(code, empty)
        gap = False
        for kind in kinds:
            if kind in has:
                inside[region][kind] += 1
                continue
            grid = grids.get((region, kind)) if lat is not None else None
            if grid is not None and any(True for _hit in grid.near(lat, lon, distances[kind])):
                near[region][kind] += 1
            else:
                gap = True
        if gap:
            row[1] += 1
    return {
        code: GapSummary(n, gaps, dict(inside[code]), dict(near[code])) for code, (n, gaps) in sorted(counts.items())
    }


def map_generation_name(code: str) -> str:
    """The generation counter of one kab/kota's map: bumped with the province's panels (`panel_generation_bump`:
    every save or delete of a facility, a zone, a zone's members or a certification step, and the import's bulk
    write), so the map and its data change on the next view, with no stamp query."""
    return f"facilities:map:{code}"


def _map_version_of(code: str, gen: dict[str, int]) -> str:
    """The map's version from the counters already read: the kab/kota's register, every map (`map_invalidate`),
    the region tree (desa names and points), the kinds file and the day (a certificate expiring within 90 days is
    drawn as expiring from the day it enters that window)."""
    parts = (
        gen[map_generation_name(code)],
        gen[MAP_GENERATION],
        gen[REGIONS_GENERATION],
        catalogue().version,
        timezone.localdate().isoformat(),
    )
    return hashlib.sha1("|".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()[:20]


def map_version(region: Region) -> str:
    """The data version of a kab/kota's map, from generation counters (one cache round trip, no query)."""
    names = [map_generation_name(region.code), MAP_GENERATION, REGIONS_GENERATION]
    return _map_version_of(region.code, generations_by_name(names))


def map_region_get_for_user(*, user: Viewer, code: str) -> tuple[Region, str]:
    """The kab/kota whose map the user asks for (404 when it is not a kab/kota or is out of their scope, as
    `kabkota_get_for_user`) and its map's version: one cache round trip for every counter, the region from memory,
    the permission from the user's cached grants; no query on a warm view."""
    names = [map_generation_name(code), MAP_GENERATION, REGIONS_GENERATION]
    gen = generations_by_name(names)
    region = region_snapshot(code, gen[REGIONS_GENERATION])
    if region is None or region.level != RegionLevel.KABKOTA or not can_read_register(user, region.code):
        raise Http404
    return region, _map_version_of(region.code, gen)


def data_version(code: str) -> str:
    """The data version of a kab/kota's or a province's register, in one query (see `data_stamp`; the map reads
    generation counters instead, `map_version`)."""
    return data_stamp(code)[0]


def data_stamp(code: str) -> tuple[str, bool]:
    """(version, empty) of a kab/kota's register (or of a province's, the code without a dot), in one query (one
    pass over each table): the version changes whenever a facility, a zone or a zone's membership of the region is
    added, changed or deleted, and with the generation counter bumped by `map_invalidate()` (for changes the stamp
    cannot see, e.g. region points reloaded); `empty` when the region has no facility and no zone."""
    q = connection.ops.quote_name
    facility, zone, link = (q(m._meta.db_table) for m in (Facility, Zone, Zone.members.through))
    if "." in code:
        where = f"{q('region_id')} = %s"
    else:
        where = f"{q('region_id')} IN (SELECT {q('code')} FROM {q(Region._meta.db_table)} WHERE {q('parent_id')} = %s)"
    sql = (
        f"SELECT f.n, f.u, f.m, z.n, z.m, l.n, l.m FROM "
        f"(SELECT COUNT(*) AS n, MAX({q('updated_at')}) AS u, MAX({q('id')}) AS m FROM {facility} WHERE {where}) f, "
        f"(SELECT COUNT(*) AS n, MAX({q('id')}) AS m FROM {zone} WHERE {where}) z, "
        f"(SELECT COUNT(*) AS n, MAX({link}.{q('id')}) AS m FROM {link} "
        f"JOIN {zone} ON {zone}.{q('id')} = {link}.{q('zone_id')} WHERE {zone}.{where}) l"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [code] * 3)
        row = cursor.fetchone()
    stamp = "|".join(str(part) for part in (*row, generation(MAP_GENERATION), catalogue().version))
    empty = not row[0] and not row[3]  # no facility and no zone
    return hashlib.sha1(stamp.encode(), usedforsecurity=False).hexdigest()[:20], empty


def panel_generation_name(code: str) -> str:
    """The generation counter (layak.common.generations) of a province's registers: bumped after any save or delete
    of a facility, a zone or a zone's members in the province (signals, so admin and one-off edits count too) and
    by the import's bulk write. The dashboards' panels are cached under it, so a repeat view costs no query."""
    return f"facilities:{code[:2]}"


def panel_generation_bump(code: str) -> None:
    """A change of the register of `code` (a kab/kota): its province's panels and its map."""
    bump_on_commit(panel_generation_name(code))
    if "." in code:
        bump_on_commit(map_generation_name(code[:5]))


def panel_version(code: str, request: HttpRequest | None = None) -> str:
    """The version the dashboards' facility panels of a kab/kota or province are cached under (cache reads only):
    the province's generation, the map generation (`map_invalidate`, e.g. desa points reloaded) and the kinds file."""
    names = panel_generations(code)
    values = generations_for(request, *names)
    return f"{values[names[0]]}-{values[names[1]]}-{catalogue().version}"


def panel_generations(code: str) -> tuple[str, str]:
    """The generations the panels of a kab/kota or province are cached under: its province's and the map's (the
    dashboards read them together with their own: `FacilitiesConfig.ready`)."""
    return panel_generation_name(code), MAP_GENERATION


def map_invalidate() -> None:
    """Forget every cached map and dashboard panel (call after a change the version stamp cannot see, like
    reloaded desa points, or a bulk write that bypasses the services)."""
    bump_on_commit(MAP_GENERATION)


@dataclass(frozen=True)
class MapGap:
    """A desa/kelurahan lacking a service kind, for the list beside the map; `located` when it has a point."""

    name: str
    kecamatan: str
    located: bool


@dataclass(frozen=True)
class MapSummary:
    """What the map page shows beside the map (cached by data version): counts and the first gap desa."""

    total: int
    located: int
    gap_count: int
    gaps_located: int
    gaps: list[MapGap]


def _gap_rows(region: Region) -> list[list[object]]:
    """[code, name, kecamatan, lat or None, lon or None, missing kinds] of each desa lacking a kind (three queries)."""
    coverage = coverage_for_region(region=region)
    rows: list[list[object]] = []
    for kecamatan in coverage.kecamatan:
        for desa in kecamatan.desa:
            if desa.missing:
                lat, lon = desa.point or (None, None)
                rows.append([desa.code, desa.name, desa.kecamatan, lat, lon, desa.missing])
    return rows


def _map_data(region: Region) -> tuple[dict[str, object], MapSummary]:
    from django.urls import reverse

    today = timezone.localdate()
    soon = today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    rows = (
        Facility.objects.filter(region=region)
        .values_list("pk", "name", "kind", "status", "latitude", "longitude", "valid_until", "desa__name")
        .order_by("pk")
    )
    facilities = []
    total = 0
    for pk, name, kind, status, lat, lon, valid_until, desa in rows:
        total += 1
        if lat is None or lon is None:
            continue
        expiring = status == Status.CERTIFIED and valid_until is not None and valid_until <= soon
        facilities.append([pk, name, kind, status, float(lat), float(lon), expiring, desa])
    zones: dict[int, dict[str, object]] = {}
    for zone_id, zone_name, facility_id in Zone.members.through.objects.filter(zone__region=region).values_list(
        "zone_id", "zone__name", "facility_id"
    ):
        entry = zones.setdefault(zone_id, {"id": zone_id, "name": zone_name, "members": []})
        entry["members"].append(facility_id)  # type: ignore[attr-defined]
    gaps = _gap_rows(region)
    payload: dict[str, object] = {
        "region": region.code,
        "fields": ["id", "name", "kind", "status", "lat", "lon", "expiring", "desa"],
        "facilities": facilities,
        "kinds": {k.code: k.name for k in catalogue().kinds.values()},
        "statuses": {value: str(label) for value, label in Status.choices},
        "url": reverse("facilities:facility_detail", args=[0]).replace("/0/", "/{id}/"),
        "zones": list(zones.values()),
        "gap_fields": ["code", "name", "kecamatan", "lat", "lon", "missing"],
        "gaps": [row for row in gaps if row[3] is not None],
    }
    summary = MapSummary(
        total=total,
        located=len(facilities),
        gap_count=len(gaps),
        gaps_located=len(payload["gaps"]),  # type: ignore[arg-type]
        gaps=[MapGap(str(r[1]), str(r[2]), r[3] is not None) for r in gaps[:MAP_GAPS_LISTED]],
    )
    return payload, summary


def _map_cached(region: Region, version: str) -> tuple[bytes, bytes, MapSummary]:
    """The map's JSON, plain and gzipped, and the page's summary, built once per region, language and data
    version."""
    from django.utils.translation import get_language

    def build() -> tuple[bytes, bytes, MapSummary]:
        payload, summary = _map_data(region)
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        return (body, gzip.compress(body, compresslevel=6, mtime=0), summary)

    # In this process's memory in front of the shared cache: a warm view copies nothing out of Redis.
    return shared_value(f"facilities:map:{region.code}:{get_language()}:{version}", build)


def map_body(*, region: Region, version: str, gzipped: bool) -> bytes:
    """The map's data as compact JSON (gzipped or not): facilities with a point as lists in the order of `fields`,
    the words for kinds and statuses once, zones with their members, and gap desa with a point (`gap_fields`)."""
    plain, zipped, _summary = _map_cached(region, version)
    return zipped if gzipped else plain


def map_summary(*, region: Region, version: str) -> MapSummary:
    return _map_cached(region, version)[2]


def map_payload(*, region: Region) -> dict[str, object]:
    """The map's data as a dict (tests and other callers); the view serves `map_body`."""
    return json.loads(map_body(region=region, version=map_version(region), gzipped=False))  # type: ignore[no-any-return]


# --- Panels of the region and province dashboards ---------------------------------------------------------------


@dataclass(frozen=True)
class ZoneLine:
    """A zone as the dashboards show it: complete or not, the required kinds it lacks, members too far apart."""

    pk: int
    name: str
    missing: tuple[str, ...]
    too_far: int

    @property
    def complete(self) -> bool:
        return not self.missing and not self.too_far


@dataclass(frozen=True)
class RegionPanel:
    """What a kab/kota's dashboard shows of its facility register: facilities, zones (complete or what they lack),
    the share of desa/kelurahan covered per kind looked for in every desa (in it or within walking distance) and
    how many desa lack one. Counts and institution names only: no person."""

    code: str
    name: str
    facilities: int
    zones: tuple[ZoneLine, ...]
    shares: tuple[KindShare, ...]
    desa: int
    gap_desa: int
    desa_located: int | None  # the region panel only

    @property
    def complete_zones(self) -> int:
        return sum(1 for z in self.zones if z.complete)

    @property
    def incomplete_zones(self) -> int:
        return len(self.zones) - self.complete_zones


def _zone_lines(reports: list[ZoneReport]) -> tuple[ZoneLine, ...]:
    return tuple(ZoneLine(r.zone.pk, r.zone.name, tuple(r.missing), len(r.too_far)) for r in reports)


def region_panel(*, region: Region) -> RegionPanel:
    """A kab/kota's panel: coverage (three queries), zones with their checks (two), the facilities (one)."""
    coverage = coverage_for_region(region=region)
    return RegionPanel(
        code=region.code,
        name=region.name,
        facilities=Facility.objects.filter(region=region).count(),
        zones=_zone_lines(zone_reports_for_region(region=region)),
        shares=tuple(coverage.shares()),
        desa=coverage.desa_count,
        gap_desa=coverage.desa_gap_count,
        desa_located=coverage.desa_located,
    )


def province_panel(*, province: Region) -> list[RegionPanel]:
    """The panel of each kab/kota of a province, in a fixed number of queries whatever the province's size: its
    kab/kota, the gap summary (three), the facilities counted by kab/kota, the zones and their members."""
    kinds = default_gap_kinds()[0]
    kabkota = list(
        Region.objects.filter(parent=province, level=RegionLevel.KABKOTA).values_list("code", "name").order_by("code")
    )
    summary = gap_summary(prefix=province.code, desa_kinds=kinds)
    counts = dict(
        Facility.objects.filter(_in_prefix(province.code))
        .values_list("region_id")
        .annotate(n=Count("pk"))
        .values_list("region_id", "n")
        .order_by()
    )
    zones = list(Zone.objects.filter(_in_prefix(province.code)).order_by("name"))
    members: dict[int, list[Facility]] = defaultdict(list)
    for link in Zone.members.through.objects.filter(zone__in=[z.pk for z in zones]).select_related("facility"):
        members[link.zone_id].append(link.facility)
    by_region: dict[str, list[ZoneReport]] = defaultdict(list)
    for zone in zones:
        by_region[zone.region_id].append(zone_report(zone=zone, members=members[zone.pk]))
    panels = []
    for code, name in kabkota:
        gaps = summary.get(code, GapSummary(0, 0))
        panels.append(
            RegionPanel(
                code=code,
                name=name,
                facilities=counts.get(code, 0),
                zones=_zone_lines(by_region[code]),
                shares=tuple(gaps.shares(kinds)),
                desa=gaps.desa,
                gap_desa=gaps.with_gaps,
                desa_located=None,
            )
        )
    return panels
