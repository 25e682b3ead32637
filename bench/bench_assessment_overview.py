"""Times the assessment overview of a fully answered kla-2021 self-assessment against the trivial /healthz view.

A temporary SQLite database gets Kota Administrasi Jakarta Pusat, the kla-2021 framework, an open cycle and an
assessment in which every indicator is assigned to an OPD, answered and (where the framework asks for a
document) supported by an uploaded PDF, all through the services. The overview page is then requested through
the Django test client: its query count, and its median server time over N requests as a ratio to the median
of /healthz measured in the same run (so the figure does not depend on the machine's speed).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REQUESTS = 50
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _setup_django(folder: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["LAYAK_MEDIA_ROOT"] = str(Path(folder) / "media")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _value(element) -> object:
    """A valid, full value for one data element (counts at their bound or 100, so a part equals its total)."""
    from layak.evaluations.validation import choice_options

    if element.type == "choice":
        return choice_options(element)[0][0]
    if element.type == "count":
        return str(int(min(element.max_value or 100, 100)))
    return {"percentage": "95", "count": "100", "rate": "1", "yes_no": True, "text": "Sudah"}[element.type]


def _world():
    """Jakarta Pusat's fully answered assessment and its coordinator."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_agency, make_user_with_role
    from layak.evaluations import services
    from layak.evaluations.choices import Stage
    from layak.frameworks.models import FrameworkVersion
    from layak.frameworks.selectors import framework_indicators
    from layak.frameworks.services import frameworks_load_all
    from layak.regions.tests.factories import make_region

    make_region("31.71")
    frameworks_load_all()
    framework = FrameworkVersion.objects.get(slug="kla-2021")
    admin = make_user_with_role("admin_bench", Role.NATIONAL_ADMIN)
    coordinator = make_user_with_role("koordinator_bench", Role.REGION_COORDINATOR, "31.71")
    now = timezone.now()
    windows = {
        stage: (now - timedelta(days=1 - 40 * i), now + timedelta(days=10 + 40 * i))
        for i, stage in enumerate(Stage.values)
    }
    cycle = services.cycle_open(user=admin, year=2025, name="Bench 2025", framework=framework, windows=windows)
    assessment = cycle.assessments.select_related("cycle__framework", "region").get()
    agencies = [
        make_agency("31.71", name, short)
        for name, short in (("Dinas Kesehatan", "Dinkes"), ("Dinas Pendidikan", "Disdik"))
    ]
    for n, indicator in enumerate(framework_indicators(framework)):
        services.indicator_assign(user=coordinator, assessment=assessment, indicator=indicator, agency=agencies[n % 2])
        values = {e.code: _value(e) for e in indicator.elements.all() if e.type != "document"}
        services.answer_save(
            user=coordinator,
            assessment=assessment,
            indicator=indicator,
            values=values,
            narrative_done="Bench",
            expected_revision=0,
        )
        if any(e.type == "document" for e in indicator.elements.all()):
            upload = ContentFile(PDF + indicator.code.encode(), name=f"{indicator.code}.pdf")
            services.answer_evidence_upload(user=coordinator, assessment=assessment, indicator=indicator, upload=upload)
    return assessment, coordinator


def _median_ms(client, url: str) -> float:
    timings = []
    for _n in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings) * 1000


def run() -> dict[str, tuple[float, str]]:
    with tempfile.TemporaryDirectory(prefix="layak-bench-") as folder:
        _setup_django(folder)
        from django.db import connection, connections, reset_queries
        from django.test import Client
        from django.test.utils import CaptureQueriesContext, setup_test_environment

        setup_test_environment()
        assessment, coordinator = _world()
        client = Client()
        client.force_login(coordinator)
        url = assessment.get_absolute_url()
        client.get(url)  # warm up templates and caches
        reset_queries()  # each request resets the log; start the capture from an empty one
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).content.decode()
        query_count = len(queries)  # read now: later requests reset the query log the capture points into
        assert "24 of 24 indicators answered" in body or "24 dari 24" in body, "the assessment should be complete"
        overview_ms = _median_ms(client, url)
        healthz_ms = _median_ms(client, "/healthz")
        connections.close_all()
    print(f"overview: {query_count} queries, {overview_ms:.1f} ms; healthz {healthz_ms:.2f} ms", file=sys.stderr)
    return {
        "overview queries": (query_count, "queries"),
        "overview median": (overview_ms, "ms"),
        "healthz median": (healthz_ms, "ms"),
        "overview / healthz": (overview_ms / healthz_ms, "ratio"),
        "requests each": (REQUESTS, "requests"),
    }
