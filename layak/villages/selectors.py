"""Scoped reads of Kelana/Dekela: a kab/kota's kecamatan and desa, one area, its invitations. Bounded queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from layak.accounts.choices import Role
from layak.accounts.models import RoleAssignment, User
from layak.accounts.selectors import Viewer, user_can_see_region, user_has_national_scope
from layak.common.generations import generations_by_name, shared_value
from layak.evaluations.models import Cycle
from layak.evidence.models import Evidence
from layak.frameworks.models import Question
from layak.frameworks.selectors import FRAMEWORKS_GENERATION
from layak.regions.choices import RegionLevel
from layak.regions.models import Region
from layak.regions.selectors import REGIONS_GENERATION, region_snapshot

from .models import Checklist, ChecklistAnswer, Invitation
from .offers import RegisterOffer, register_offers


def area_get_for_user(*, user: Viewer, code: str, with_parents: bool = True) -> Region:
    """A kecamatan or desa/kelurahan the user may see (its operators, the camat above a desa, the kab/kota and
    province people, national roles); 404 otherwise. `with_parents` reads its kecamatan and kab/kota with it."""
    regions = Region.objects.select_related("parent", "parent__parent") if with_parents else Region.objects
    region = regions.filter(code=code).first()
    if region is None or region.level not in (RegionLevel.KECAMATAN, RegionLevel.DESA):
        raise Http404
    if not user_can_see_region(user, region.code):
        raise Http404
    return region


@dataclass(frozen=True)
class AreaRow:
    """One kecamatan (or desa) in a list: how many desa it has, operators and open invitations."""

    region: Region
    desa: int
    operators: int
    invited: int


def _operator_counts(codes_prefix: str, level: int) -> dict[str, int]:
    roles = [Role.KECAMATAN_OPERATOR, Role.DESA_OPERATOR]
    rows = (
        RoleAssignment.objects.filter(role__in=roles, region__level=level, region__code__startswith=f"{codes_prefix}.")
        .values("region_id")
        .annotate(n=Count("id"))
    )
    return {r["region_id"]: r["n"] for r in rows}


def _open_invitations(kabkota: str, level: int) -> dict[str, int]:
    rows = (
        Invitation.objects.filter(
            kabkota_id=kabkota, region__level=level, used_at__isnull=True, expires_at__gt=timezone.now()
        )
        .values("region_id")
        .annotate(n=Count("id"))
    )
    return {r["region_id"]: r["n"] for r in rows}


def kecamatan_list_for_kabkota(*, region: Region) -> list[AreaRow]:
    """The kab/kota's kecamatan with their desa count, operators and open invitations (four queries)."""
    kecamatan = list(Region.objects.filter(parent_id=region.code).order_by("code"))
    desa = dict(
        Region.objects.filter(level=RegionLevel.DESA, code__startswith=f"{region.code}.")
        .values_list("parent_id")
        .annotate(n=Count("code"))
        .values_list("parent_id", "n")
    )
    operators = _operator_counts(region.code, RegionLevel.KECAMATAN)
    invited = _open_invitations(region.code, RegionLevel.KECAMATAN)
    return [AreaRow(k, desa.get(k.code, 0), operators.get(k.code, 0), invited.get(k.code, 0)) for k in kecamatan]


def desa_list_for_kecamatan(*, region: Region) -> list[AreaRow]:
    """The kecamatan's desa/kelurahan with their operators and open invitations (three queries)."""
    desa = list(Region.objects.filter(parent_id=region.code).order_by("code"))
    operators = _operator_counts(region.code, RegionLevel.DESA)
    kabkota = region.code.rsplit(".", 1)[0]
    invited = {
        code: n
        for code, n in _open_invitations(kabkota, RegionLevel.DESA).items()
        if code.startswith(f"{region.code}.")
    }
    return [AreaRow(d, 0, operators.get(d.code, 0), invited.get(d.code, 0)) for d in desa]


@dataclass(frozen=True)
class InvitationSummary:
    issued: int
    used: int
    open: int
    expired: int


def invitation_summary_for_kabkota(*, region: Region) -> InvitationSummary:
    """How many invitations the kab/kota issued, how many were used, are still open, or expired (one query)."""
    now = timezone.now()
    counts = Invitation.objects.filter(kabkota=region).aggregate(
        issued=Count("id"),
        used=Count("id", filter=Q(used_at__isnull=False)),
        open=Count("id", filter=Q(used_at__isnull=True, expires_at__gt=now)),
    )
    return InvitationSummary(
        counts["issued"], counts["used"], counts["open"], counts["issued"] - counts["used"] - counts["open"]
    )


def area_list_for_user(*, user: Viewer) -> list[Region]:
    """The kecamatan and desa/kelurahan the user operates (their kecamatan and desa operator roles)."""
    if not isinstance(user, User) or not user.is_authenticated:
        return []
    return list(
        Region.objects.filter(
            roleassignment__user=user,
            roleassignment__role__in=[Role.KECAMATAN_OPERATOR, Role.DESA_OPERATOR],
        )
        .distinct()
        .order_by("code")
    )


# --- Checklists -----------------------------------------------------------------------------------------------


def village_cycle_current() -> Cycle | None:
    """The newest cycle whose framework has questions for kecamatan or desa (kla-2024 and later)."""
    flagged = Question.objects.filter(indicator__version=OuterRef("framework")).filter(
        Q(for_kecamatan=True) | Q(for_desa=True)
    )
    return Cycle.objects.select_related("framework").filter(Exists(flagged)).order_by("-year", "-pk").first()


def village_cycle_for_year(*, year: int) -> Cycle | None:
    """The year's newest cycle whose framework has questions for kecamatan or desa."""
    flagged = Question.objects.filter(indicator__version=OuterRef("framework")).filter(
        Q(for_kecamatan=True) | Q(for_desa=True)
    )
    return Cycle.objects.filter(Exists(flagged), year=year).order_by("-pk").first()


def cycle_get(*, pk: int) -> Cycle:
    """A cycle with Kelana/Dekela questions, or 404."""
    cycle = Cycle.objects.filter(pk=pk).first()
    if cycle is None:
        raise Http404
    return cycle


def checklist_questions(*, cycle: Cycle, level: int) -> list[Question]:
    """The cycle's questions that every area of this level answers, in the instrument's order (one query)."""
    flag = Q(for_kecamatan=True) if level == RegionLevel.KECAMATAN else Q(for_desa=True)
    return list(
        Question.objects.filter(flag, indicator__version_id=cycle.framework_id)
        .select_related("indicator")
        .order_by("indicator__order", "order")
    )


def checklist_find(*, cycle: Cycle, region: Region) -> Checklist | None:
    return Checklist.objects.select_related("reopened_by").filter(cycle=cycle, region=region).first()


def checklist_and_cycle(*, cycle_pk: int, region: Region) -> tuple[Cycle, Checklist | None]:
    """The cycle and the area's checklist in it (one query when the checklist exists), or 404 for no cycle. Who
    reopened it is read only when a page shows it (a reopened checklist)."""
    found = Checklist.objects.select_related("cycle").filter(cycle_id=cycle_pk, region=region).first()
    if found is not None:
        return found.cycle, found
    return cycle_get(pk=cycle_pk), None


@dataclass(frozen=True)
class QuestionRow:
    """One question of an area's checklist with its answer (None when unanswered) and the register's offer."""

    question: Question
    answer: ChecklistAnswer | None
    offer: RegisterOffer | None


def checklist_rows(*, cycle: Cycle, region: Region, checklist: Checklist | None) -> list[QuestionRow]:
    """Every question of the area's checklist with its answer and offer (three queries at most)."""
    questions = checklist_questions(cycle=cycle, level=region.level)
    answers: dict[int, ChecklistAnswer] = {}
    if checklist is not None:
        answers = {
            a.question_id: a for a in ChecklistAnswer.objects.filter(checklist=checklist).select_related("evidence")
        }
    offers = register_offers(region=region, year=cycle.year)
    return [QuestionRow(q, answers.get(q.pk), offers.get(q.full_code)) for q in questions]


#: Bumped after any save or delete of a cycle (`apps.py`): the pages read a cycle's name and framework from memory.
CYCLES_GENERATION = "villages.cycles"


def checklist_generation(cycle_id: int, code: str) -> str:
    """The generation counter of one area's checklist in one cycle: bumped after any save or delete of the checklist
    or of one of its answers (`apps.py`: services, reopening, deletions alike), so the operator's own answer shows on
    the next view."""
    return f"villages.checklist:{cycle_id}:{code}"


def cycle_snapshot(pk: int, cycles_generation: int) -> Cycle | None:
    """The cycle as it is in this generation of the cycles, from process memory or the shared cache (read-only)."""
    return shared_value(f"villages:cycle:{pk}:{cycles_generation}", lambda: (Cycle.objects.filter(pk=pk).first(),))[0]


@dataclass(frozen=True)
class ChecklistPage:
    """What the checklist page reads, with no query on a warm view: the area and the cycle (immutable facts in
    memory), the checklist as it is now (None before the first answer) and the stamp of its cached list."""

    area: Region
    cycle: Cycle
    checklist: Checklist | None
    stamp: str


def _visible_region(user: Viewer, code: str, gen: dict[str, int], levels: tuple[int, ...]) -> Region:
    """The region of `code` from memory (under the region tree's generation in `gen`) when it is of one of
    `levels` and the user may see it; 404 otherwise."""
    region = region_snapshot(code, gen[REGIONS_GENERATION])
    if region is None or region.level not in levels or not user_can_see_region(user, region.code):
        raise Http404
    return region


def _cycle_or_404(pk: int, gen: dict[str, int]) -> Cycle:
    """The cycle from memory, under the cycles' generation in `gen`; 404 when there is none."""
    cycle = cycle_snapshot(pk, gen[CYCLES_GENERATION])
    if cycle is None:
        raise Http404
    return cycle


def checklist_page_get(*, user: Viewer, code: str, cycle_pk: int) -> ChecklistPage:
    """The checklist page's data for a user who may see the area (404 otherwise), from the generation counters of
    the region tree, the cycles, the frameworks and the area's checklist, read in one cache round trip."""
    names = [REGIONS_GENERATION, CYCLES_GENERATION, FRAMEWORKS_GENERATION, checklist_generation(cycle_pk, code)]
    gen = generations_by_name(names)
    area = _visible_region(user, code, gen, (RegionLevel.KECAMATAN, RegionLevel.DESA))
    cycle = _cycle_or_404(cycle_pk, gen)
    version = gen[names[3]]
    found = shared_value(
        f"villages:checklist-row:{cycle.pk}:{code}:{version}", lambda: (checklist_find(cycle=cycle, region=area),)
    )[0]
    stamp = f"{cycle.pk}:{cycle.framework_id}:{code}:{version}:{gen[FRAMEWORKS_GENERATION]}:{gen[CYCLES_GENERATION]}"
    return ChecklistPage(area, cycle, found, stamp)


def checklist_list_context(*, cycle: Cycle, region: Region, checklist: Checklist | None) -> dict[str, object]:
    """The questions with their answers (two queries; the register's offers are for the question pages)."""
    questions = checklist_questions(cycle=cycle, level=region.level)
    answers: dict[int, ChecklistAnswer] = {}
    if checklist is not None:
        answers = {a.question_id: a for a in ChecklistAnswer.objects.filter(checklist=checklist)}
    rows = [QuestionRow(q, answers.get(q.pk), None) for q in questions]
    return {
        "area": region,
        "cycle": cycle,
        "checklist": checklist,
        "rows": rows,
        "open_count": sum(1 for r in rows if r.answer is None or r.answer.value is None),
    }


def checklist_question_get(*, cycle: Cycle, region: Region, pk: int) -> Question:
    """A question of the area's checklist in this cycle, or 404."""
    for question in checklist_questions(cycle=cycle, level=region.level):
        if question.pk == pk:
            return question
    raise Http404


def area_evidence_get(*, region: Region, pk: int | None) -> Evidence | None:
    """A document of the area's own evidence library."""
    return Evidence.objects.filter(region=region, pk=pk).first() if pk else None


@dataclass(frozen=True)
class ProgressPage:
    """What the progress page reads, with no query on a warm view: the cycle, the place (None: the country) and the
    stamp of its cached table."""

    cycle: Cycle
    parent: Region | None
    stamp: str


def progress_page_get(*, user: Viewer, cycle_pk: int, code: str) -> ProgressPage:
    """The progress page's data (and the progress map's scope) for a user who may see the place: the country for
    national roles, a province or a kab/kota they may see; 404 otherwise. From the generations of the region tree,
    the cycles and the place's checklists, read in one cache round trip."""
    from .rollup import progress_generation, progress_stamp_of

    place = code or "id"
    names = [REGIONS_GENERATION, CYCLES_GENERATION, progress_generation(cycle_pk, place)]
    gen = generations_by_name(names)
    parent = None
    if not code:
        if not user_has_national_scope(user):
            raise Http404
    else:
        parent = _visible_region(user, code, gen, (RegionLevel.PROVINCE, RegionLevel.KABKOTA))
    cycle = _cycle_or_404(cycle_pk, gen)
    return ProgressPage(cycle, parent, f"{progress_stamp_of(cycle_pk, place, gen)}:{gen[CYCLES_GENERATION]}")


def checklist_states(*, cycle: Cycle, parent: Region) -> dict[str, Checklist]:
    """The checklists of an area and of the areas right below it in the cycle, by region code (one query)."""
    rows = (
        Checklist.objects.filter(cycle=cycle)
        .filter(Q(region=parent) | Q(region__parent=parent))
        .select_related("reopened_by")
    )
    return {c.region_id: c for c in rows}


def checklists_of(*, cycle: Cycle, codes: list[str]) -> dict[str, Checklist]:
    """The checklists of these areas in the cycle, by region code (one query)."""
    return {c.region_id: c for c in Checklist.objects.filter(cycle=cycle, region_id__in=codes)}
