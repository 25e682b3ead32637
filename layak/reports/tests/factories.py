"""Score snapshots and final results written directly, the way the review workflow stores them."""

from __future__ import annotations

from decimal import Decimal

from layak.evaluations.models import Answer, Assessment, IndicatorAssignment
from layak.reviews.models import FinalResult, ScoreSnapshot

# Points per indicator of the evaluations tests' SMALL framework (K1 max 400, I1 and I2 max 300).
STAGE_POINTS = {
    "self": {"K1": 380, "I1": 280, "I2": 290},
    "province": {"K1": 340, "I1": 250, "I2": 260},
    "central": {"K1": 300, "I1": 220, "I2": 230},
    "field": {"K1": 290, "I1": 210, "I2": 200},
    "final": {"K1": 290, "I1": 210, "I2": 200},
}
MAXIMA = {"K1": 400, "I1": 300, "I2": 300}
GROUP_OF = {"K1": "K", "I1": "I", "I2": "I"}


def band_for(total: Decimal) -> str:
    for code, lower, upper in (("kla", 901, 1000), ("utama", 801, 900), ("nindya", 701, 800), ("madya", 601, 700)):
        if lower <= total <= upper:
            return code
    return "pratama" if total >= 500 else ""


def make_snapshot(assessment: Assessment, stage: str, points: dict[str, int] | None = None) -> ScoreSnapshot:
    """A snapshot of `stage` with the given points per indicator (STAGE_POINTS by default)."""
    points = points or STAGE_POINTS[stage]
    groups: dict[str, dict[str, str]] = {}
    for code, value in points.items():
        group = groups.setdefault(GROUP_OF[code], {"points": "0", "max": "0"})
        group["points"] = str(Decimal(group["points"]) + value)
        group["max"] = str(Decimal(group["max"]) + MAXIMA[code])
    total = Decimal(sum(points.values()))
    return ScoreSnapshot.objects.create(
        assessment=assessment,
        stage=stage,
        total=total,
        max_total=Decimal(1000),
        band_code=band_for(total),
        groups=groups,
        indicators={
            code: {"group": GROUP_OF[code], "points": str(value), "max": str(MAXIMA[code]), "criteria": []}
            for code, value in points.items()
        },
    )


def make_final(assessment: Assessment, *, band_code: str = "", reason: str = "") -> FinalResult:
    """The final snapshot and result; `band_code` other than the computed one needs a `reason`."""
    snapshot = make_snapshot(assessment, "final")
    computed = snapshot.band_code
    return FinalResult.objects.create(
        assessment=assessment,
        score=snapshot.total,
        computed_band_code=computed,
        band_code=band_code or computed,
        override_reason=reason,
    )


def make_answers(assessment: Assessment, indicators: dict, agency=None) -> None:
    """Narratives for K1 and I1 (I1 left without its document evidence); K1 assigned to `agency`."""
    Answer.objects.create(
        assessment=assessment,
        indicator=indicators["K1"],
        values={"perda_kla": True, "policy_count": "4", "policy_docs": True},
        narrative_done="Perda KLA No. 3/2022 disahkan; Gugus Tugas rapat 5 kali.",
        narrative_todo='=HYPERLINK("http://evil") RAD belum terintegrasi RPJMD',
    )
    Answer.objects.create(
        assessment=assessment,
        indicator=indicators["I1"],
        values={"children_total": "1000", "children_with_akta": "900"},
        narrative_done="Akta kelahiran gratis di 8 kecamatan.",
        narrative_todo="<script>alert(1)</script> Belum ada layanan jemput bola.",
    )
    if agency is not None:
        IndicatorAssignment.objects.create(assessment=assessment, indicator=indicators["K1"], agency=agency)
