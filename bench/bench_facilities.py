"""Facility coverage, gaps and zone suggestions at national scale (SYNTHETIC facilities), and the map's throughput.

Uses DATABASE_URL (PostgreSQL for the official figures; a temporary SQLite database otherwise): migrates, loads
every region down to desa/kelurahan (83,762), then writes 100,000 synthetic facilities (bulk, spread over every
desa, RBRA and PATBM among them, 40% with a point near their kab/kota) and times:
- the national gap summary (every desa against every facility, `gap_summary`): a desa has a kind when one is in it
  or, where the desa and the facility have points, within the kind's walking distance (synthetic points lie within
  about 450 m of their desa's point);
- coverage of the kab/kota with the most desa (`coverage_for_region`, what a save or the coverage page runs), and
  the dashboards' facility panels (`region_panel`, `province_panel`, built once per province generation);
- zone suggestions for a kota with 2,000 facilities (`zone_suggestions`);
- with gunicorn and wrk (/work/shared/perf/page-throughput): the facility map page and its data endpoint of that
  kota, signed in as a national admin, as a share of the floor page (first view: no page cached per session; the
  map data is cached per data version for everyone). Each path is run twice and the second run is reported: the
  first warms the fresh gunicorn workers (imports, templates, the data cache), which otherwise cost the first
  path measured several seconds of a six-second run (BENCH_SKIP_THROUGHPUT=1 leaves it out).
The synthetic facilities are deleted at the end. Benchmarks report, they do not assert.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
import zlib
from decimal import Decimal
from pathlib import Path

import throughput  # bench/throughput.py: bench/ is on the path of a bench run

ROOT = Path(__file__).resolve().parents[1]
FACILITIES = 100_000
KOTA_FACILITIES = 2_000
KINDS = ["sra", "prap", "rbra", "pisa", "patbm", "rptra", "ila", "pka"]


def _setup(folder: str) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _timed(function, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _facilities(kota: str) -> None:
    """100,000 synthetic facilities over every desa, 2,000 of them in one kota clustered around its desa."""
    from layak.facilities.models import Facility
    from layak.regions.models import Region

    rng = random.Random(14)
    points = {
        code: (float(lat), float(lon)) if lat is not None else None
        for code, lat, lon in Region.objects.filter(level=4).values_list("code", "latitude", "longitude")
    }
    desa = sorted(points)
    kota_desa = [c for c in desa if c.startswith(f"{kota}.")]
    rows = []
    for n in range(FACILITIES):
        code = kota_desa[n % len(kota_desa)] if n < KOTA_FACILITIES else rng.choice(desa)
        kind = KINDS[n % len(KINDS)]
        point = n < KOTA_FACILITIES or rng.random() < 0.4
        # Within about 450 m of the desa's point (its boundary's centre) when it has one, so the walking distance
        # finds neighbours as it would in real data; otherwise near Jakarta, as before desa had points.
        base = points[code] or (
            -6.2 + (zlib.crc32(code.encode()) % 1000) / 10000,
            106.85 + (zlib.crc32(code[::-1].encode()) % 1000) / 10000,
        )
        lat = Decimal(f"{base[0] + rng.uniform(-0.004, 0.004):.6f}") if point else None
        lon = Decimal(f"{base[1] + rng.uniform(-0.004, 0.004):.6f}") if point else None
        rows.append(
            Facility(
                region_id=code[:5],
                desa_id=code,
                kind=kind,
                name=f"Fasilitas sintetis {n}",
                school_level="sd" if kind == "sra" else "",
                status="certified" if n % 3 == 0 and kind in ("sra", "prap", "rbra", "pisa", "pka") else "listed",
                decree_number="1" if n % 3 == 0 and kind in ("sra", "prap", "rbra", "pisa", "pka") else "",
                decree_date="2025-01-01" if n % 3 == 0 and kind in ("sra", "prap", "rbra", "pisa", "pka") else None,
                latitude=lat,
                longitude=lon,
                is_demo=True,
            )
        )
    Facility.objects.bulk_create(rows, batch_size=5000)


def _throughput(kota: str) -> dict[str, tuple[float, str]]:
    if os.environ.get("BENCH_SKIP_THROUGHPUT") or not throughput.available():
        return {}
    from django.db import connections
    from django.test import Client

    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_user_with_role

    user = make_user_with_role("bench_admin_facilities", Role.NATIONAL_ADMIN)
    client = Client()
    client.force_login(user)  # a session as a sign-in makes it (the backend the settings name)
    paths = [f"/facilities/region/{kota}/map", f"/facilities/region/{kota}/map.json"]
    for path in paths:  # wrk does not count redirects as failures: a page that is not served is not measured
        status = client.get(path).status_code
        if status != 200:
            raise RuntimeError(f"{path} answered {status} to the bench's session")
    connections.close_all()
    floor, measured = throughput.measure(paths, cookie=client.cookies["sessionid"].value)
    figures = {}
    if floor is not None:
        figures["floor page throughput"] = (floor, "req/s")
    for m in measured:
        figures[f"{m.path} throughput"] = (m.rate, "req/s")
        figures[f"{m.path} share of the floor page (signed in; non-2xx {m.non2xx})"] = (m.share, "%")
    return figures


def run() -> dict[str, tuple[float, str]]:
    with tempfile.TemporaryDirectory(prefix="layak-bench-") as folder:
        _setup(folder)
        from django.conf import settings
        from django.db import connection
        from django.db.models import Count

        from layak.facilities import selectors
        from layak.facilities.models import Facility
        from layak.regions.models import Region
        from layak.regions.services import regions_load

        regions_load()
        Facility.objects.filter(name__startswith="Fasilitas sintetis").delete()
        largest = (
            Region.objects.filter(level=4).values("parent__parent_id").annotate(n=Count("code")).order_by("-n").first()
        )
        big = Region.objects.get(code=largest["parent__parent_id"])
        kota = "31.75"  # Kota Administrasi Jakarta Timur
        figures = {"database": (0.0 if "sqlite" in settings.DATABASES["default"]["ENGINE"] else 1.0, "1 = PostgreSQL")}
        started = time.perf_counter()
        _facilities(kota)
        figures["writing 100,000 synthetic facilities (bulk)"] = (round(time.perf_counter() - started, 2), "s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE facilities_facility")
        figures["desa/kelurahan"] = (float(Region.objects.filter(level=4).count()), "rows")
        figures["facilities"] = (float(Facility.objects.count()), "rows")
        summary = selectors.gap_summary()
        figures["national gap summary: kab/kota"] = (float(len(summary)), "rows")
        figures["national gap summary (every desa x every facility), median of 3"] = (
            round(_timed(selectors.gap_summary, 3), 3),
            "s",
        )
        figures[f"largest kab/kota by desa: {big.name} ({largest['n']} desa)"] = (float(largest["n"]), "desa")
        figures["coverage of that kab/kota (what a save recomputes), median of 5"] = (
            round(1000 * _timed(lambda: selectors.coverage_for_region(region=big)), 1),
            "ms",
        )
        desa_kinds = selectors.default_gap_kinds()[0]
        figures["desa/kelurahan with a point"] = (
            float(Region.objects.filter(level=4, latitude__isnull=False).count()),
            "rows",
        )
        figures["kinds looked for in every desa (walking distance, m)"] = (
            float(len(desa_kinds)),
            " ".join(f"{k}={d}" for k, d in selectors.walking_distances(desa_kinds).items()),
        )
        inside = sum(sum(g.inside.values()) for g in summary.values())
        near = sum(sum(g.near.values()) for g in summary.values())
        figures["national: (desa, kind) pairs covered by a facility in the desa"] = (float(inside), "pairs")
        figures["national: (desa, kind) pairs covered only on foot (walking distance)"] = (float(near), "pairs")
        figures["national: desa with a gap"] = (float(sum(g.with_gaps for g in summary.values())), "desa")
        figures["largest kab/kota: its panel on the region dashboard (coverage + zones), median of 5"] = (
            round(1000 * _timed(lambda: selectors.region_panel(region=big)), 1),
            "ms",
        )
        figures["largest kab/kota: its register stamp (one query, read when its panel is built), median of 5"] = (
            round(1000 * _timed(lambda: selectors.data_version(big.code)), 2),
            "ms",
        )
        province = big.parent
        figures[f"its province {province.name}: the province panel, median of 3"] = (
            round(1000 * _timed(lambda: selectors.province_panel(province=province), 3), 1),
            "ms",
        )
        figures["its province: register stamp (one query, read when the province panel is built), median of 5"] = (
            round(1000 * _timed(lambda: selectors.data_version(province.code)), 2),
            "ms",
        )
        jaktim = Region.objects.get(code=kota)
        figures["Jakarta Timur: its panel on the region dashboard (2,000 facilities), median of 5"] = (
            round(1000 * _timed(lambda: selectors.region_panel(region=jaktim)), 1),
            "ms",
        )
        figures["DKI Jakarta: the province panel, median of 5"] = (
            round(1000 * _timed(lambda: selectors.province_panel(province=jaktim.parent)), 1),
            "ms",
        )
        figures["Jakarta Timur facilities"] = (float(Facility.objects.filter(region=jaktim).count()), "rows")
        figures["zone suggestions for Jakarta Timur, median of 5"] = (
            round(1000 * _timed(lambda: selectors.zone_suggestions(region=jaktim)), 1),
            "ms",
        )
        figures |= _throughput(kota)
        Facility.objects.filter(name__startswith="Fasilitas sintetis").delete()
        return figures


if __name__ == "__main__":
    for name, (value, unit) in run().items():
        print(f"{name}: {value} {unit}")
