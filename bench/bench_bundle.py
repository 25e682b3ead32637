"""A cycle's report bundle (decision 0010): time and memory of the job that zips every region's PDF and Excel.

Needs a database with SYNTHETIC cycles (`load_regions`, `load_frameworks`, `build_synthetic_dataset --yes`),
named by DATABASE_URL. Runs the bundle job's work (`reports.bundle.build_bundle`) in this process for one
scope, as a national admin, and prints the seconds per region and the process's resident memory (VmRSS)
before, after the first region and at the end, with its peak (VmHWM), so a flat line shows memory does not
grow with the number of regions. Usage:

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/bench_bundle.py [SCOPE] [--limit N]

SCOPE is a province code ("35", Jawa Timur: 38 kab/kota) or "all" for the whole country (514).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _memory_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.core.files.storage import storages

    from layak.accounts.choices import Role
    from layak.accounts.models import RoleAssignment, User
    from layak.evaluations.models import Cycle
    from layak.jobs.choices import JobKind
    from layak.jobs.models import Job
    from layak.reports import bundle

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    scope = "" if not args or args[0] == "all" else args[0]
    limit = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else None
    admin, _ = User.objects.get_or_create(username="bench_admin")
    RoleAssignment.objects.get_or_create(user=admin, role=Role.NATIONAL_ADMIN, region=None)
    cycle = Cycle.objects.filter(name__contains="SYNTHETIC").order_by("-year").first()
    if limit:  # a subset: the first N regions of the scope, by code
        keep = list(bundle._assessments(cycle, scope).values_list("pk", flat=True)[:limit])
        original = bundle._assessments
        bundle._assessments = lambda c, s: original(c, s).filter(pk__in=keep)  # type: ignore[assignment]
    job = Job.objects.create(kind=JobKind.REPORT_BUNDLE, owner=admin, scope=scope, params={"cycle": cycle.pk})
    samples: list[tuple[int, float, float]] = []
    start = time.perf_counter()
    before = _memory_mb("VmRSS:")

    def progress(done: int, total: int) -> None:
        samples.append((done, time.perf_counter() - start, _memory_mb("VmRSS:")))

    result = bundle.build_bundle(job, progress)
    elapsed = time.perf_counter() - start
    job.refresh_from_db()
    size = storages["exports"].size(job.file_name) / 1024 / 1024
    regions = result["regions"]
    each = elapsed / regions
    print(f"cycle {cycle.name}, scope {scope or 'all'}: {regions} regions in {elapsed:.1f} s ({each:.2f} s each)")
    print(f"zip {size:.1f} MB; RSS before {before:.0f} MB", end="")
    for done, at, rss in samples:
        if done in (1, regions // 4, regions // 2, 3 * regions // 4, regions):
            print(f"; after {done}: {rss:.0f} MB at {at:.0f} s", end="")
    print(f"; peak (VmHWM) {_memory_mb('VmHWM:'):.0f} MB")
    print(f"extrapolated to 514 regions at this rate: {514 * elapsed / regions / 60:.1f} min")
    storages["exports"].delete(job.file_name)
    job.delete()


if __name__ == "__main__":
    main()
