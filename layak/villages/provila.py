"""The Provinsi Layak Anak (Provila) condition of a province with Kelana/Dekela taken into account (a selector).

Until 2023 Provila meant "every kab/kota of the province holds a KLA predicate" (REFERENCE §1 row 14, §3); the
issue (and KemenPPPA's plan for qualitative Provila indicators) adds that its kecamatan and desa/kelurahan must
be Kecamatan/Desa Layak Anak as well. No national rule defines when one kecamatan or desa *is* Kelana/Dekela
(REFERENCE §1 row 15: "national rule for Kelana not found"), so Layak reads it as: the area's checklist in the
cycle is verified by its kab/kota and answers yes to every question that counts toward the kab/kota's
percentages. Certainty: unsure — a reading, shown as such on the page (decision record 0017).

Fixed query count: the province's kab/kota, the predicates (the dashboard's cached results), the area totals,
the qualifying areas, and at most NAMED names of areas holding the province back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from layak.evaluations.models import Cycle
from layak.frameworks.models import Question
from layak.regions.choices import RegionLevel
from layak.regions.models import Region

from . import rollup
from .models import Checklist

NAMED = 12
#: The generation counter of what the condition is built from besides results, regions and frameworks: the
#: Kelana/Dekela checklists and their answers, and the cycles (`VillagesConfig.ready` bumps it on their changes).
VILLAGES_GENERATION = "villages"


@dataclass
class KabkotaCondition:
    """One kab/kota of the province: its predicate (if the dashboard cycle has one), its areas and how many
    of them count as Kelana/Dekela."""

    code: str
    name: str
    band: str | None = None
    kecamatan: int = 0
    kecamatan_ok: int = 0
    desa: int = 0
    desa_ok: int = 0

    @property
    def areas_ok(self) -> bool:
        return self.kecamatan_ok == self.kecamatan and self.desa_ok == self.desa


@dataclass
class ProvilaCondition:
    """The province against the Provila condition: what holds it back, by kab/kota, kecamatan and desa."""

    province: Region
    cycle: Cycle | None
    has_predicates: bool
    kabkota: list[KabkotaCondition]
    holding_areas: list[Region] = field(default_factory=list)
    holding_areas_total: int = 0

    @property
    def without_predicate(self) -> list[KabkotaCondition]:
        return [k for k in self.kabkota if self.has_predicates and not k.band]

    @property
    def with_areas_missing(self) -> list[KabkotaCondition]:
        return [k for k in self.kabkota if not k.areas_ok]

    @property
    def met(self) -> bool:
        return bool(self.kabkota) and self.has_predicates and not self.without_predicate and not self.with_areas_missing


def _qualifying(cycle: Cycle, province: Region, needed: dict[int, int]) -> QuerySet[Checklist]:
    """Checklists of the province's areas that count as Kelana/Dekela: verified, yes to every roll-up question
    of their level (`needed` maps the level to its number of such questions)."""
    yes = Count("answers", filter=Q(answers__value=True, answers__question__in=rollup_question_ids(cycle)))
    enough = Q(pk__in=[])
    for level, n in needed.items():
        enough |= Q(level=level, yes__gte=n)
    return (
        Checklist.objects.filter(cycle=cycle, kabkota__code__startswith=f"{province.code}.", verified_at__isnull=False)
        .annotate(yes=yes)
        .filter(enough)
    )


def rollup_question_ids(cycle: Cycle) -> QuerySet[Question]:
    return rollup.rollup_questions_query(cycle=cycle).values("pk")


def provila_condition(*, province: Region, cycle: Cycle | None, bands: dict[str, str] | None) -> ProvilaCondition:
    """The condition for the province in `cycle` (its Kelana/Dekela checklists); `bands` maps kab/kota code to
    predicate in the dashboard's cycle (None when no cycle has final results)."""
    kabkota = {
        k.code: KabkotaCondition(k.code, k.name, (bands or {}).get(k.code))
        for k in Region.objects.filter(parent=province).order_by("code")
    }
    condition = ProvilaCondition(province, cycle, bands is not None, list(kabkota.values()))
    totals = (
        Region.objects.filter(code__startswith=f"{province.code}.", level__in=[RegionLevel.KECAMATAN, RegionLevel.DESA])
        .annotate(k=Substr("code", 1, rollup.KABKOTA_CODE_LENGTH))
        .values("k", "level")
        .annotate(n=Count("code"))
    )
    for t in totals:
        if t["k"] in kabkota:
            setattr(kabkota[t["k"]], "kecamatan" if t["level"] == RegionLevel.KECAMATAN else "desa", t["n"])
    if cycle is None:
        return condition
    levels = rollup.rollup_questions_query(cycle=cycle).aggregate(
        kecamatan=Count("pk", filter=Q(for_kecamatan=True)), desa=Count("pk", filter=Q(for_desa=True))
    )
    qualifying = _qualifying(
        cycle, province, {RegionLevel.KECAMATAN: levels["kecamatan"], RegionLevel.DESA: levels["desa"]}
    )
    for row in qualifying.values("kabkota_id", "level").annotate(n=Count("id", distinct=True)):
        k = kabkota.get(row["kabkota_id"])
        if k is not None:
            setattr(k, "kecamatan_ok" if row["level"] == RegionLevel.KECAMATAN else "desa_ok", row["n"])
    holding = Region.objects.filter(
        code__startswith=f"{province.code}.", level__in=[RegionLevel.KECAMATAN, RegionLevel.DESA]
    ).exclude(code__in=qualifying.values("region_id"))
    condition.holding_areas = list(holding.select_related("parent").order_by("code")[:NAMED])
    condition.holding_areas_total = sum(
        (k.kecamatan - k.kecamatan_ok) + (k.desa - k.desa_ok) for k in condition.kabkota
    )
    return condition
