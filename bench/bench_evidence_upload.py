"""Benchmark: a 50 MB evidence file through the resumable (chunked) upload services, with its peak memory.

Runs against a throw-away SQLite database and MEDIA_ROOT in a temporary folder that is deleted afterwards;
db.sqlite3 is never touched. `run()` returns figure name -> (value, unit), as bench/run.py expects.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

SIZE = 50 * 1024 * 1024
PART = 1024 * 1024


def _setup_django(folder: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = Path(folder) / "media"
    settings.LAYAK_EVIDENCE_MAX_BYTES = SIZE
    call_command("migrate", verbosity=0)


class _Body:
    """One part of a request body, produced 64 KiB at a time like a WSGI input stream."""

    def __init__(self, size: int, seed: int):
        self.left = size
        self.block = (b"%PDF-1.7\n" if seed == 0 else b"") + bytes([seed % 251]) * 65536

    def read(self, n: int) -> bytes:
        take = min(n, self.left, len(self.block))
        self.left -= take
        return self.block[:take]


def _coordinator():
    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_user_with_role

    return make_user_with_role("bench_koordinator", Role.REGION_COORDINATOR, "31.71")


def run() -> dict[str, tuple[float, str]]:
    """Uploads 50 MB in 1 MiB parts and completes it; reports seconds, MB/s and peak memory."""
    with tempfile.TemporaryDirectory(prefix="layak-bench-evidence-") as folder:
        _setup_django(folder)
        return _upload()


def _upload() -> dict[str, tuple[float, str]]:
    from layak.evidence import services
    from layak.regions.models import Region

    user = _coordinator()
    region = Region.objects.get(code="31.71")
    session = services.upload_session_start(user=user, region=region, filename="big.pdf", size=SIZE)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    for i, offset in enumerate(range(0, SIZE, PART)):
        services.upload_session_append(user=user, session=session, offset=offset, chunk_stream=_Body(PART, i))
    evidence = services.upload_session_complete(user=user, session=session, title="Bench")
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_delta_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    return {
        "file size": (evidence.current_file.size / 1024 / 1024, "MB"),
        "parts of 1 MiB": (SIZE // PART, ""),
        "upload + complete": (round(seconds, 3), "s"),
        "throughput": (round(SIZE / 1024 / 1024 / seconds, 1), "MB/s"),
        "tracemalloc peak": (round(peak / 1024 / 1024, 2), "MB"),
        "ru_maxrss growth": (round(rss_delta_kib / 1024, 2), "MB"),
    }


if __name__ == "__main__":
    print(run())
