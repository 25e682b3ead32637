"""Question-level explanation, what-if and report of one kla-2024 region at national scale (issue #10, #15).

Builds the national kla-2024 data of `bench_instrument` (514 kab/kota, every one of the 274 questions answered;
`BENCH_DATABASE_URL` for PostgreSQL, else a temporary SQLite file), then for Jakarta Pusat as its coordinator:
- the interactive what-if: loading the analysis (self-score, grades, plan) cold (built: its cache entry deleted
  first) and as a request finds it (kept under the assessment's data stamp), setting 90 questions' levels, and
  the htmx request that answers a level change (goal: ≤ 50 ms for 274 questions);
- the explanation, what-if and report pages: query counts and median server time against /healthz measured
  in the same run (the analysis and the pages' bodies come from the shared cache, kept by data stamp and shared
  by every session that sees the same stages: decision 0016's fragments; no per-session page cache).
  Their throughput as a share of the floor page: /work/shared/perf/page-throughput with a session cookie.
Run: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/layak_whatif .venv/bin/python bench/run.py question_whatif
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time

from bench_instrument import _median_ms, _setup_django, _world

REPEAT = 30


def _timed_ms(function, repeat: int = REPEAT) -> float:
    timings = []
    for _n in range(repeat):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def run() -> dict[str, tuple[float, str]]:
    with tempfile.TemporaryDirectory(prefix="layak-bench-") as folder:
        _setup_django(folder)
        from django.core.cache import cache
        from django.db import connection, connections
        from django.test import Client
        from django.test.utils import CaptureQueriesContext, setup_test_environment

        from layak.reviews import question_analysis

        setup_test_environment()
        _cycle, jakpus, coordinator = _world()
        found = question_analysis.question_analysis(jakpus, None, coordinator)
        wanted = {item.key: "1/2" for item in found.now[::3]}
        figures: dict[str, tuple[float, str]] = {
            "questions": (len(found.now), "questions"),
            "plan: questions to raise": (len(found.plan.raises), "questions"),
            "analysis built (its cache entry deleted)": (
                _timed_ms(
                    lambda: (cache.delete(found.key), question_analysis.question_analysis(jakpus, None, coordinator))
                ),
                "ms",
            ),
            "analysis read (kept under the data stamp)": (
                _timed_ms(lambda: question_analysis.question_analysis(jakpus, None, coordinator)),
                "ms",
            ),
            "what-if of 92 changed levels (compute)": (
                _timed_ms(lambda: question_analysis.question_whatif(found, wanted), 200),
                "ms",
            ),
        }
        client = Client()
        client.force_login(coordinator)
        base = f"/reviews/assessments/{jakpus.pk}"
        query = "&".join(f"q-{key}={level}" for key, level in wanted.items())
        pages = {
            "explanation": f"{base}/explanation/",
            "what-if": f"{base}/what-if/",
            "report": f"/reports/assessments/{jakpus.pk}/",
        }
        started = time.perf_counter()
        timings = []
        for _n in range(REPEAT):
            started = time.perf_counter()
            assert client.get(f"{base}/what-if/?{query}", HTTP_HX_REQUEST="true").status_code == 200
            timings.append(time.perf_counter() - started)
        figures["what-if level change (htmx request)"] = (statistics.median(timings) * 1000, "ms")
        for name, url in pages.items():
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            figures[f"{name} queries"] = (len(queries), "queries")
            figures[f"{name} median"] = (_median_ms(client, url), "ms")
        healthz = _median_ms(client, "/healthz")
        figures["healthz median"] = (healthz, "ms")
        for name in pages:
            figures[f"{name} / healthz"] = (figures[f"{name} median"][0] / healthz, "ratio")
        connections.close_all()
    print(figures, file=sys.stderr)
    return figures
