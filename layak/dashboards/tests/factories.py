"""Final results for dashboard tests, built on the evaluations test framework (K1 400, I1 300, I2 300 points)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from layak.evaluations.models import Assessment, Cycle
from layak.evaluations.tests.factories import make_cycle, make_framework
from layak.frameworks.models import FrameworkVersion
from layak.regions.tests.factories import make_region
from layak.reviews.models import FinalResult, ScoreSnapshot

MAXIMA = {"K1": ("K", Decimal(400)), "I1": ("I", Decimal(300)), "I2": ("I", Decimal(300))}


def band_for(score: Decimal) -> str:
    for code, upper in (("", 499.99), ("pratama", 600), ("madya", 700), ("nindya", 800), ("utama", 900)):
        if score <= Decimal(str(upper)):
            return code
    return "kla"


def framework() -> FrameworkVersion:
    return FrameworkVersion.objects.filter(slug="test-fw").first() or make_framework()


def cycle(year: int, *, published: bool = True) -> Cycle:
    """A cycle of the test framework; published a day ago unless `published` is False."""
    made = make_cycle(framework(), year=year)
    if published:
        made.results_published_at = timezone.now() - timedelta(days=1)
        made.save(update_fields=["results_published_at"])
    return made


def make_result(cycle: Cycle, code: str, score: float, shares: dict[str, float] | None = None) -> FinalResult:
    """A final result and final snapshot of the kab/kota `code`; `shares` gives each indicator's share of its
    maximum (default: the score's share of 1000 for every indicator)."""
    score = Decimal(str(score))
    shares = shares or {}
    default = score / 1000
    indicators = {
        ind: {
            "group": group,
            "points": str((maximum * Decimal(str(shares.get(ind, default)))).quantize(Decimal("0.01"))),
            "max": str(maximum),
        }
        for ind, (group, maximum) in MAXIMA.items()
    }
    groups: dict[str, dict[str, str]] = {}
    for item in indicators.values():
        entry = groups.setdefault(item["group"], {"points": "0", "max": "0"})
        entry["points"] = str(Decimal(entry["points"]) + Decimal(item["points"]))
        entry["max"] = str(Decimal(entry["max"]) + Decimal(item["max"]))
    assessment, _ = Assessment.objects.get_or_create(cycle=cycle, region=make_region(code))
    band = band_for(score)
    ScoreSnapshot.objects.create(
        assessment=assessment,
        stage="final",
        total=score,
        max_total=1000,
        band_code=band,
        groups=groups,
        indicators=indicators,
    )
    return FinalResult.objects.create(assessment=assessment, score=score, computed_band_code=band, band_code=band)
