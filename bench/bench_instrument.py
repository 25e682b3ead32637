"""The kla-2024 instrument at national scale: recomputing 514 self-scores, and the overview and indicator pages.

A database (`BENCH_DATABASE_URL`, else a temporary SQLite file) gets 514 kab/kota assessments in one kla-2024
cycle, every one of the 274 questions answered (bulk-inserted: this measures reads, not the services), assigned
to an OPD and, where the question asks for documents, linked to an evidence item. Then:
- reading every answer (one query, 140 736 rows) and recomputing all 514 self-scores (`instrument_scores_bulk`),
  with the ratio of the two;
- the overview page and the 63-question indicator page of one region as its coordinator: query counts and the
  median server time against /healthz measured in the same run.
Run with PostgreSQL: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/layak_bench python bench/run.py ...
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REGIONS = 514
REQUESTS = 30


def answers_bulk_create(assessments, questions, agency_of, evidence_of) -> None:
    """Every question of every assessment answered, assigned to its region's OPD and, where it asks for documents,
    linked to the region's evidence (bulk; shared with bench_review_pages)."""
    from layak.evaluations.models import QuestionAnswer, QuestionAssignment, QuestionEvidence

    for assessment in assessments:
        answers, assigned, links = [], [], []
        for n, q in enumerate(questions):
            years = {}
            if q.answer_type == "percentage":
                years = {
                    str(2024 - i): {"numerator": str(800 + n), "denominator": "1000"} for i in range(q.years_asked)
                }
            elif q.answer_type == "count":
                years = {str(2024 - i): {"count": str(10 + i)} for i in range(q.years_asked)}
            matriks = (
                [{"item": "x", "agency": "y", "role": "", "year": "2024", "document": ""}]
                if q.answer_type == "matriks"
                else []
            )
            answers.append(
                QuestionAnswer(
                    assessment=assessment, question=q, yes=True, years=years, text="x", matriks=matriks, note="bench"
                )
            )
            assigned.append(
                QuestionAssignment(assessment=assessment, question=q, agency=agency_of[assessment.region_id])
            )
            if q.asks_evidence:
                links.append(
                    QuestionEvidence(assessment=assessment, question=q, evidence=evidence_of[assessment.region_id])
                )
        QuestionAnswer.objects.bulk_create(answers, batch_size=2000)
        QuestionAssignment.objects.bulk_create(assigned, batch_size=2000)
        QuestionEvidence.objects.bulk_create(links, batch_size=2000)


def _setup_django(folder: str) -> None:
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(folder) / 'b.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["LAYAK_MEDIA_ROOT"] = str(Path(folder) / "media")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    if "postgres" in os.environ["DATABASE_URL"]:
        call_command("flush", interactive=False, verbosity=0)  # a database of its own: start empty


def _world():
    from django.conf import settings
    from django.utils import timezone

    from layak.accounts.choices import Role
    from layak.accounts.models import Agency
    from layak.accounts.tests.factories import make_user_with_role
    from layak.evaluations.models import Assessment, Cycle
    from layak.evidence.models import Evidence, EvidenceKind
    from layak.frameworks.models import FrameworkVersion, Question
    from layak.frameworks.services import framework_load_file
    from layak.regions.models import Region
    from layak.regions.tests.factories import make_region

    framework_load_file(Path(settings.LAYAK_FRAMEWORKS_DIR) / "kla-2024.yaml")
    framework = FrameworkVersion.objects.get(slug="kla-2024")
    now = timezone.now()
    framework.frozen_at = now
    framework.save(update_fields=["frozen_at"])
    make_region("31.71")
    province = Region.objects.get(code="31")
    Region.objects.bulk_create(
        [
            Region(code=f"31.{n:02d}", name=f"Kab Bench {n}", level=2, parent=province)
            for n in range(80, 80 + REGIONS - 1)
        ],
        ignore_conflicts=True,
    )
    codes = ["31.71", *[f"31.{n:02d}" for n in range(80, 80 + REGIONS - 1)]]
    windows = {}
    for i, stage in enumerate(
        ["self_assessment", "province_verification", "central_review", "field_verification", "finalisation"]
    ):
        windows[f"{stage}_start"] = now - timedelta(days=1) + timedelta(days=40 * i)
        windows[f"{stage}_end"] = now + timedelta(days=10 + 40 * i)
    cycle = Cycle.objects.create(year=2024, name="Bench 2024", framework=framework, **windows)
    Assessment.objects.bulk_create([Assessment(cycle=cycle, region_id=code) for code in codes])
    assessments = list(Assessment.objects.filter(cycle=cycle))
    questions = list(Question.objects.filter(indicator__version=framework))
    agencies = Agency.objects.bulk_create([Agency(region_id=code, name="DP3A", short_name="DP3A") for code in codes])
    agency_of = {a.region_id: a for a in agencies}
    evidence = Evidence.objects.bulk_create(
        [
            Evidence(region_id=code, title="Bukti", kind=EvidenceKind.LINK, url="https://example.org/b.pdf")
            for code in codes
        ]
    )
    evidence_of = {e.region_id: e for e in evidence}
    answers_bulk_create(assessments, questions, agency_of, evidence_of)
    coordinator = make_user_with_role("koordinator_bench", Role.REGION_COORDINATOR, "31.71")
    jakpus = next(a for a in assessments if a.region_id == "31.71")
    return cycle, jakpus, coordinator


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

        from layak.evaluations.models import QuestionAnswer
        from layak.evaluations.scoring_input import instrument_rules_load, instrument_scores_bulk

        setup_test_environment()
        started = time.perf_counter()
        cycle, jakpus, coordinator = _world()
        build_s = time.perf_counter() - started
        ids = list(cycle.assessments.values_list("pk", flat=True))
        rules = instrument_rules_load(cycle.framework)
        started = time.perf_counter()
        rows = list(
            QuestionAnswer.objects.filter(assessment__cycle=cycle).values_list(
                "assessment_id", "question_id", "yes", "years", "text", "matriks"
            )
        )
        read_s = time.perf_counter() - started
        started = time.perf_counter()
        scores = instrument_scores_bulk(ids, rules)
        score_s = time.perf_counter() - started
        assert len(scores) == REGIONS and len(rows) == REGIONS * 274
        total = scores[jakpus.pk].total
        client = Client()
        client.force_login(coordinator)
        pages = {
            "overview": jakpus.get_absolute_url(),
            "indicator 1": f"/evaluations/assessments/{jakpus.pk}/instrument/1/",
        }
        figures: dict[str, tuple[float, str]] = {
            "answers": (len(rows), "rows"),
            "build (bulk insert)": (build_s, "s"),
            "read every answer": (read_s, "s"),
            "recompute 514 self-scores": (score_s, "s"),
            "recompute / read": (score_s / read_s, "ratio"),
            "self-score of 31.71": (float(total), "points"),
        }
        for name, url in pages.items():
            client.get(url)
            reset_queries()
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
