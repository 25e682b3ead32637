"""A national-scale SYNTHETIC dataset for load tests: every kab/kota x 6 cycles, fully answered, with results.

Never loaded by default (`build_synthetic_dataset --yes`). Every cycle is named "SYNTHETIC ..." and every
narrative says SYNTHETIC, so nobody can take these numbers for real results. Rows are bulk-created.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from layak.evaluations.choices import AssessmentStatus, Stage
from layak.evaluations.models import Answer, Assessment, Cycle
from layak.evaluations.stamps import assessments_changed
from layak.frameworks.models import FrameworkVersion, Indicator
from layak.regions.choices import RegionLevel
from layak.regions.models import Region
from layak.reviews.models import FinalResult, ScoreSnapshot

from .cache import dashboards_invalidate

YEARS = (2019, 2021, 2022, 2023, 2024, 2025)
LABEL = "SYNTHETIC"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class SyntheticBuild:
    cycles: int
    assessments: int
    answers: int


def _value(element, share: float):
    kind = element.type
    if kind == "yes_no":
        return share >= 0.5
    if kind == "document":
        return share >= 0.3
    if kind == "choice":
        choices = element.choices or []
        first = choices[0] if choices else ""
        return first.get("value", "") if isinstance(first, dict) else first
    if kind == "text":
        return LABEL
    return str(round(Decimal(str(share * 100)), 1))


def _windows(year: int) -> dict[str, datetime]:
    start = datetime(year, 1, 15, tzinfo=UTC)
    fields = {}
    for i, stage in enumerate(Stage):
        fields[f"{stage.value}_start"] = start + timedelta(days=30 * i)
        fields[f"{stage.value}_end"] = start + timedelta(days=30 * i + 20)
    return fields


def _band(bands: list, total: Decimal) -> str:
    """The lowest band whose upper bound the total does not exceed, once it reaches the lowest band's lower."""
    if not bands or total < bands[0].lower:
        return ""
    return next((band.code for band in bands if total <= band.upper), bands[-1].code)


def _snapshot(indicators: list[Indicator], shares: dict[int, float]) -> tuple[Decimal, dict, dict]:
    items, groups = {}, {}
    for indicator in indicators:
        points = (indicator.max_points * Decimal(str(shares[indicator.pk]))).quantize(CENT)
        items[indicator.code] = {"group": indicator.group.code, "points": str(points), "max": str(indicator.max_points)}
        group = groups.setdefault(indicator.group.code, [Decimal(0), Decimal(0)])
        group[0] += points
        group[1] += indicator.max_points
    total = sum((g[0] for g in groups.values()), Decimal(0))
    return total, items, {code: {"points": str(p), "max": str(m)} for code, (p, m) in groups.items()}


def synthetic_framework_freeze(framework: FrameworkVersion) -> None:
    """Freezes the version the SYNTHETIC cycles use, as opening a real cycle does (`cycle_create`): pages then read
    it the way they read a real cycle's version (once per process)."""
    if framework.frozen_at is None:
        framework.frozen_at = timezone.now()
        FrameworkVersion.objects.filter(pk=framework.pk).update(frozen_at=framework.frozen_at)


@transaction.atomic
def synthetic_dataset_build(*, framework_slug: str = "kla-2021", seed: int = 2025) -> SyntheticBuild:
    """Creates 6 published SYNTHETIC cycles with an answered assessment, snapshots and a result per kab/kota."""
    rng = random.Random(seed)
    framework = FrameworkVersion.objects.get(slug=framework_slug)
    synthetic_framework_freeze(framework)
    indicators = list(Indicator.objects.filter(version=framework).select_related("group").prefetch_related("elements"))
    bands = list(framework.bands.order_by("order"))
    regions = list(Region.objects.filter(level=RegionLevel.KABKOTA).values_list("code", flat=True))
    quality = {code: rng.uniform(0.35, 0.92) for code in regions}
    answers = 0
    for step, year in enumerate(YEARS):
        cycle = Cycle.objects.create(
            year=year,
            name=f"{LABEL} KLA {year}",
            framework=framework,
            results_published_at=datetime(year, 8, 1, tzinfo=UTC),
            **_windows(year),
        )
        submitted = datetime(year, 2, 1, tzinfo=UTC)
        assessments = Assessment.objects.bulk_create(
            Assessment(cycle=cycle, region_id=code, status=AssessmentStatus.SUBMITTED, submitted_at=submitted)
            for code in regions
        )
        answer_rows, snapshots, finals = [], [], []
        for assessment in assessments:
            base = quality[assessment.region_id] + 0.015 * step
            shares = {i.pk: min(max(base + rng.uniform(-0.25, 0.15), 0.0), 1.0) for i in indicators}
            for indicator in indicators:
                values = {e.code: _value(e, shares[indicator.pk]) for e in indicator.elements.all()}
                answer_rows.append(
                    Answer(assessment=assessment, indicator=indicator, values=values, narrative_done=LABEL)
                )
            total, items, groups = _snapshot(indicators, shares)
            band = _band(bands, total)
            snapshots.append(
                ScoreSnapshot(
                    assessment=assessment,
                    stage="final",
                    total=total,
                    max_total=Decimal(1000),
                    band_code=band,
                    groups=groups,
                    indicators=items,
                )
            )
            finals.append(FinalResult(assessment=assessment, score=total, computed_band_code=band, band_code=band))
        Answer.objects.bulk_create(answer_rows, batch_size=2000)
        ScoreSnapshot.objects.bulk_create(snapshots, batch_size=1000)
        FinalResult.objects.bulk_create(finals, batch_size=1000)
        assessments_changed([a.pk for a in assessments], cycles=[cycle.pk])  # bulk inserts send no model signal
        answers += len(answer_rows)
    dashboards_invalidate()  # bulk writes send no model signal
    return SyntheticBuild(len(YEARS), len(regions) * len(YEARS), answers)
