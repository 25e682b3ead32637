"""The roll-up of Kelana/Dekela answers into the kab/kota's percentages, and progress tables (selectors).

Each kla-2024 percentage question of indicators 25-26 flagged for kecamatan or desa asks the kab/kota "what
percentage of kecamatan / desa-kelurahan have X". The roll-up counts, per kab/kota and question:

- numerator: the areas whose *submitted* checklist answers yes;
- denominator: every area of that level of the kab/kota in the Kemendagri data (not only those that answered);
- the date: the newest submission counted.

Every function runs a fixed number of queries, whatever the number of kab/kota, kecamatan or desa.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Substr

from layak.evaluations.models import Cycle
from layak.frameworks.choices import AnswerType
from layak.frameworks.models import Question
from layak.regions.choices import RegionLevel
from layak.regions.models import Region
from layak.regions.selectors import REGIONS_GENERATION

from .models import Checklist, ChecklistAnswer

CENTS = Decimal("0.01")
KABKOTA_CODE_LENGTH = 5  # "63.71": a kecamatan's or desa's kab/kota is the first five characters of its code


def computed_key(question: Question) -> str:
    """The prefill key of a rolled-up question, as the kla-2024 file names it (`villages.26.4`)."""
    return f"villages.{question.indicator.code}.{question.code}"


def rollup_questions_query(*, cycle: Cycle) -> QuerySet[Question]:
    """The cycle's percentage questions answered by kecamatan or desa."""
    return Question.objects.filter(indicator__version_id=cycle.framework_id, answer_type=AnswerType.PERCENTAGE).filter(
        Q(for_kecamatan=True) | Q(for_desa=True)
    )


def rollup_questions(*, cycle: Cycle) -> list[Question]:
    """The cycle's percentage questions answered by kecamatan or desa, in the instrument's order (one query)."""
    return list(rollup_questions_query(cycle=cycle).select_related("indicator").order_by("indicator__order", "order"))


def _level(question: Question) -> int:
    return RegionLevel.KECAMATAN if question.for_kecamatan else RegionLevel.DESA


def percentage(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(CENTS, rounding=ROUND_HALF_UP) if whole else None


@dataclass(frozen=True)
class RollupRow:
    """One question's figure for one kab/kota: yes / all areas, how many answered, and when."""

    question: Question
    level: int
    yes: int
    answered: int
    total: int
    as_of: datetime | None

    @property
    def percent(self) -> Decimal | None:
        return percentage(self.yes, self.total)

    @property
    def missing(self) -> int:
        return self.total - self.answered


def _area_totals(code_filter: Q) -> dict[tuple[str, int], int]:
    """{(kab/kota code, level): number of kecamatan or desa} from the region tree (one query)."""
    rows = (
        Region.objects.filter(code_filter, level__in=[RegionLevel.KECAMATAN, RegionLevel.DESA])
        .annotate(kabkota=Substr("code", 1, KABKOTA_CODE_LENGTH))
        .values("kabkota", "level")
        .annotate(n=Count("code"))
    )
    return {(r["kabkota"], r["level"]): r["n"] for r in rows}


def _submitted_counts(cycle: Cycle, kabkota: str | None) -> tuple[dict, dict]:
    """({(kab/kota, level): (submitted, newest)}, {(kab/kota, question id): yes}) in two queries."""
    checklists = Checklist.objects.filter(cycle=cycle, submitted_at__isnull=False)
    answers = ChecklistAnswer.objects.filter(value=True, checklist__cycle=cycle, checklist__submitted_at__isnull=False)
    if kabkota is not None:
        checklists = checklists.filter(kabkota_id=kabkota)
        answers = answers.filter(checklist__kabkota_id=kabkota)
    submitted = checklists.values("kabkota_id", "level").annotate(n=Count("id"), newest=Max("submitted_at"))
    counts = {(r["kabkota_id"], r["level"]): (r["n"], r["newest"]) for r in submitted}
    yes_rows = answers.values("checklist__kabkota_id", "question_id").annotate(n=Count("id"))
    yes = {(r["checklist__kabkota_id"], r["question_id"]): r["n"] for r in yes_rows}
    return counts, yes


def _rows(code: str, questions: list[Question], totals: dict, counts: dict, yes: dict) -> list[RollupRow]:
    rows = []
    for q in questions:
        level = _level(q)
        answered, newest = counts.get((code, level), (0, None))
        rows.append(RollupRow(q, level, yes.get((code, q.pk), 0), answered, totals.get((code, level), 0), newest))
    return rows


def rollup_for_kabkota(*, cycle: Cycle, region: Region) -> list[RollupRow]:
    """Each rolled-up question's figure for one kab/kota (four queries: fast enough to run on every save)."""
    questions = rollup_questions(cycle=cycle)
    totals = _area_totals(Q(code__startswith=f"{region.code}."))
    counts, yes = _submitted_counts(cycle, region.code)
    return _rows(region.code, questions, totals, counts, yes)


def rollup_all(*, cycle: Cycle) -> dict[str, list[RollupRow]]:
    """Every kab/kota's roll-up at once (four queries over all 7,285 kecamatan and 83,762 desa)."""
    questions = rollup_questions(cycle=cycle)
    totals = _area_totals(Q())
    counts, yes = _submitted_counts(cycle, None)
    return {code: _rows(code, questions, totals, counts, yes) for code in sorted({k for k, _level in totals})}


@dataclass(frozen=True)
class AreaAnswer:
    """One area behind a rolled-up figure: its answer (None when its checklist is not submitted)."""

    region: Region
    value: bool | None
    submitted_at: datetime | None
    verified: bool
    is_demo: bool = False


def rollup_areas(*, cycle: Cycle, region: Region, question: Question) -> list[AreaAnswer]:
    """Every kecamatan or desa of the kab/kota (the denominator) with its submitted answer (two queries)."""
    level = _level(question)
    areas = Region.objects.filter(code__startswith=f"{region.code}.", level=level).select_related("parent")
    answers = {
        a["checklist__region_id"]: a
        for a in ChecklistAnswer.objects.filter(
            question=question, checklist__cycle=cycle, checklist__kabkota=region, checklist__submitted_at__isnull=False
        ).values(
            "checklist__region_id", "value", "checklist__submitted_at", "checklist__verified_at", "checklist__is_demo"
        )
    }
    out = []
    for area in areas.order_by("code"):
        a = answers.get(area.code)
        out.append(
            AreaAnswer(
                area,
                a["value"] if a else None,
                a["checklist__submitted_at"] if a else None,
                bool(a and a["checklist__verified_at"]),
                bool(a and a["checklist__is_demo"]),
            )
        )
    return out


def has_demo_data(*, cycle: Cycle, region: Region) -> bool:
    """True when example checklists ("data contoh") of the kab/kota are counted in its figures."""
    return Checklist.objects.filter(cycle=cycle, kabkota=region, is_demo=True, submitted_at__isnull=False).exists()


# --- Progress -------------------------------------------------------------------------------------------------


@dataclass
class Progress:
    """Answered (submitted) and verified kecamatan and desa of one place, out of all of them."""

    code: str
    name: str
    kecamatan: int = 0
    kecamatan_submitted: int = 0
    kecamatan_verified: int = 0
    desa: int = 0
    desa_submitted: int = 0
    desa_verified: int = 0
    holding_back: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every kecamatan and desa has a verified checklist."""
        return self.kecamatan_verified == self.kecamatan and self.desa_verified == self.desa


def progress_children(*, cycle: Cycle, parent: Region | None) -> list[Progress]:
    """Progress per child of `parent` (per kecamatan of a kab/kota, per kab/kota of a province, per province of
    the country when `parent` is None), in three queries."""
    depth = 1 if parent is None else len(parent.code.split(".")) + 1
    length = {1: 2, 2: 5, 3: 8}[depth]
    children = Region.objects.filter(level=depth) if parent is None else Region.objects.filter(parent=parent)
    rows = {c.code: Progress(c.code, c.name) for c in children.order_by("code")}
    scope = Q() if parent is None else Q(code__startswith=f"{parent.code}.")
    totals = (
        Region.objects.filter(scope, level__in=[RegionLevel.KECAMATAN, RegionLevel.DESA])
        .annotate(group=Substr("code", 1, length))
        .values("group", "level")
        .annotate(n=Count("code"))
    )
    for t in totals:
        p = rows.get(t["group"])
        if p is not None:
            setattr(p, "kecamatan" if t["level"] == RegionLevel.KECAMATAN else "desa", t["n"])
    if parent is None:
        region_scope = Q()
    elif parent.level == RegionLevel.KABKOTA:
        region_scope = Q(kabkota_id=parent.code)  # the (cycle, kabkota, level) index
    else:
        region_scope = Q(kabkota__parent_id=parent.code)
    done = (
        Checklist.objects.filter(region_scope, cycle=cycle, submitted_at__isnull=False)
        .annotate(group=Substr("region_id", 1, length))
        .values("group", "level")
        .annotate(n=Count("id"), verified=Count("id", filter=Q(verified_at__isnull=False)))
    )
    for d in done:
        p = rows.get(d["group"])
        if p is None:
            continue
        prefix = "kecamatan" if d["level"] == RegionLevel.KECAMATAN else "desa"
        setattr(p, f"{prefix}_submitted", d["n"])
        setattr(p, f"{prefix}_verified", d["verified"])
    return list(rows.values())


def progress_generation(cycle_id: int, place: str) -> str:
    """The generation counter of the progress of `place` (a kab/kota or province code, "id" for the country)."""
    return f"villages.progress:{cycle_id}:{place}"


def progress_places(kabkota: str) -> list[str]:
    """The places whose progress counts a checklist of this kab/kota: it, its province and the country."""
    return [kabkota, kabkota.split(".")[0], "id"]


def progress_stamp_of(cycle_id: int, place: str, gen: dict[str, int]) -> str:
    """The stamp of a progress table from generations already read (`progress_generation`, the region tree)."""
    return f"{cycle_id}:{place}:{gen[progress_generation(cycle_id, place)]}:{gen[REGIONS_GENERATION]}"


PROGRESS_NONE, PROGRESS_SUBMITTED, PROGRESS_VERIFIED = 0, 1, 2


def progress_points(*, cycle: Cycle, parent: Region | None, rows: list[Progress]) -> dict[str, object]:
    """What the progress map draws, where a point exists (one or two queries whatever the number of places).

    For the country or a province: each child (province, kab/kota) with a point, as [code, name, lat, lon, desa,
    desa answered, desa verified]. For a kab/kota (kecamatan have no points): each desa/kelurahan with a point, as
    [code, name, lat, lon, state] where state is 0 (not answered), 1 (answered) or 2 (verified).
    """
    if parent is not None and parent.level == RegionLevel.KABKOTA:
        states = {
            code: PROGRESS_VERIFIED if verified else PROGRESS_SUBMITTED
            for code, verified in Checklist.objects.filter(
                cycle=cycle,
                level=RegionLevel.DESA,
                region__code__startswith=f"{parent.code}.",
                submitted_at__isnull=False,
            ).values_list("region_id", "verified_at")
        }
        desa = (
            Region.objects.filter(level=RegionLevel.DESA, code__startswith=f"{parent.code}.", latitude__isnull=False)
            .order_by("code")
            .values_list("code", "name", "latitude", "longitude")
        )
        return {
            "fields": ["code", "name", "lat", "lon", "state"],
            "rows": [[c, n, float(lat), float(lon), states.get(c, PROGRESS_NONE)] for c, n, lat, lon in desa],
        }
    points = {
        code: (float(lat), float(lon))
        for code, lat, lon in Region.objects.filter(
            code__in=[p.code for p in rows], latitude__isnull=False
        ).values_list("code", "latitude", "longitude")
    }
    return {
        "fields": ["code", "name", "lat", "lon", "desa", "answered", "verified"],
        "rows": [
            [p.code, p.name, *points[p.code], p.desa, p.desa_submitted, p.desa_verified]
            for p in rows
            if p.code in points
        ],
    }
