"""Times `regions_load` on a fresh temporary SQLite database: a full load of all four levels, then a no-op re-run.

Never touches db.sqlite3: DATABASE_URL points at a file in a temporary folder that is deleted afterwards.
Peak memory is the process's maximum resident set size (Django, the parsed source data and the load).
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def _setup_django(folder: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run() -> dict[str, tuple[float, str]]:
    with tempfile.TemporaryDirectory(prefix="layak-bench-") as folder:
        _setup_django(folder)
        from layak.regions.services import regions_load

        rss_before = _peak_rss_mib()
        started = time.perf_counter()
        full = regions_load()
        full_seconds = time.perf_counter() - started
        rss_after = _peak_rss_mib()
        started = time.perf_counter()
        again = regions_load()
        noop_seconds = time.perf_counter() - started
        assert again.skipped, "the second run should find nothing to do"
        from django.db import connections

        connections.close_all()
    return {
        "rows": (full.total, "rows"),
        "full load": (full_seconds, "s"),
        "full load rate": (full.total / full_seconds, "rows/s"),
        "no-op re-run": (noop_seconds, "s"),
        "no-op / full": (noop_seconds / full_seconds, "ratio"),
        "points applied": (full.points_applied, "rows"),
        "peak RSS before load": (rss_before, "MiB"),
        "peak RSS after load": (rss_after, "MiB"),
    }
