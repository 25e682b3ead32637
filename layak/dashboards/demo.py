"""Demo data of the dashboards (run by seed_demo): one finished, published demo cycle, so that a newcomer sees
filled dashboards (national, province, region, public pages, the map) right after `make run`.

Every figure of it is invented: the cycle is flagged `is_demo`, its name says "data contoh", and every page that
shows it says so. It is never mixed with the published KLA history (`load_history`), which stays as published.
It is made only on a demo site (no real cycle yet) and only once.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from decimal import Decimal

from django.db import transaction

from layak.evaluations.choices import AssessmentStatus, CycleStatus
from layak.evaluations.models import Answer, Assessment, Cycle
from layak.evaluations.stamps import assessments_changed
from layak.frameworks.models import FrameworkVersion, Indicator
from layak.regions.choices import RegionLevel
from layak.regions.models import Region
from layak.reviews.choices import ReviewState, ScoreStage
from layak.reviews.models import FinalResult, ReviewProcess, ScoreSnapshot

from .cache import dashboards_invalidate
from .synthetic import _band, _snapshot, _value, _windows

YEAR = 2025
NAME = "Siklus demo 2025 \N{EN DASH} selesai (data contoh)"
FRAMEWORK = "kla-2021"
LABEL = "Data contoh"
SHARE_WITH_RESULT = 0.7  # about as many kab/kota as won a predicate in 2025 (355 of 514)
ALWAYS = ("31.71", "63.71")  # the demo users' regions always have a result
SEED = 2025


def _demo_value(element, share: float) -> object:
    return LABEL if element.type == "text" else _value(element, share)


def _shares(rng: random.Random, indicators: list[Indicator], base: float, lift: float = 0.0) -> dict[int, float]:
    return {i.pk: min(max(base + lift + rng.uniform(-0.2, 0.12), 0.0), 1.0) for i in indicators}


@transaction.atomic
def finished_demo_cycle_build() -> Cycle | None:
    """Creates the finished 2025 demo cycle: every kab/kota has an assessment, about 70% submitted, verified,
    finalised and published with a result; the rest stayed drafts. None when it exists or a real cycle exists."""
    if Cycle.objects.filter(is_demo=False).exists() or Cycle.objects.filter(is_demo=True, year=YEAR).exists():
        return None
    framework = FrameworkVersion.objects.get(slug=FRAMEWORK)
    rng = random.Random(SEED)
    indicators = list(Indicator.objects.filter(version=framework).select_related("group").prefetch_related("elements"))
    bands = list(framework.bands.order_by("order"))
    regions = list(Region.objects.filter(level=RegionLevel.KABKOTA).order_by("code").values_list("code", flat=True))
    cycle = Cycle.objects.create(
        year=YEAR,
        name=NAME,
        framework=framework,
        status=CycleStatus.CLOSED,
        is_demo=True,
        award_date=datetime(YEAR, 8, 8, tzinfo=UTC).date(),
        results_published_at=datetime(YEAR, 8, 8, 9, tzinfo=UTC),
        **_windows(YEAR),
    )
    with_result = {code for code in regions if code in ALWAYS or rng.random() < SHARE_WITH_RESULT}
    submitted_at = datetime(YEAR, 2, 1, tzinfo=UTC)
    assessments = Assessment.objects.bulk_create(
        Assessment(cycle=cycle, region_id=code, status=AssessmentStatus.SUBMITTED, submitted_at=submitted_at)
        if code in with_result
        else Assessment(cycle=cycle, region_id=code, status=AssessmentStatus.DRAFT)
        for code in regions
    )
    answers, snapshots, finals, reviews = [], [], [], []
    for assessment in assessments:
        if assessment.region_id not in with_result:
            continue
        base = rng.uniform(0.45, 0.9)
        shares = _shares(rng, indicators, base)
        for indicator in indicators:
            values = {e.code: _demo_value(e, shares[indicator.pk]) for e in indicator.elements.all()}
            answers.append(Answer(assessment=assessment, indicator=indicator, values=values, narrative_done=LABEL))
        total, items, groups = _snapshot(indicators, shares)
        own, own_items, own_groups = _snapshot(indicators, _shares(rng, indicators, base, lift=0.06))
        band = _band(bands, total)
        for stage, score, its, grp in ((ScoreStage.SELF, own, own_items, own_groups), ("final", total, items, groups)):
            snapshots.append(
                ScoreSnapshot(
                    assessment=assessment,
                    stage=stage,
                    total=score,
                    max_total=Decimal(1000),
                    band_code=_band(bands, score),
                    groups=grp,
                    indicators=its,
                )
            )
        finals.append(FinalResult(assessment=assessment, score=total, computed_band_code=band, band_code=band))
        reviews.append(ReviewProcess(assessment=assessment, state=ReviewState.FINALISED))
    Answer.objects.bulk_create(answers, batch_size=2000)
    ScoreSnapshot.objects.bulk_create(snapshots, batch_size=1000)
    FinalResult.objects.bulk_create(finals, batch_size=1000)
    ReviewProcess.objects.bulk_create(reviews, batch_size=1000)
    dashboards_invalidate()  # bulk writes send no model signal
    assessments_changed([a.pk for a in assessments], cycles=[cycle.pk])  # bulk inserts send no model signal
    return cycle


def seed_demo_data(*, stdout) -> None:
    """Adds the finished demo cycle (idempotent); the published history comes from `load_history`, never invented."""
    cycle = finished_demo_cycle_build()
    if cycle is None:
        stdout.write("Dashboards: the finished demo cycle exists already (or this site has real cycles).")
        return
    results = FinalResult.objects.filter(assessment__cycle=cycle).count()
    stdout.write(f"Dashboards: finished demo cycle {cycle.year} with {results} published results (data contoh).")
