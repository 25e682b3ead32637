"""Finalising many regions of a cycle at once (the ministry closes a national cycle in one step).

Set-based twin of `services.review_transition(action="finalise")`: the same checks (the ministry's role, own
region, declared conflicts, the finalisation window with each region's extensions, objections decided and the
objection period over), the same final score (`final_fields`: the field stage's question points, carried forward,
with the accepted objections; for an indicator-level framework the field stage's snapshot), the same rows (final
snapshot, final result) and one `review.finalise` audit event per region with the same content. It reads and
writes in a fixed number of queries whatever the number of regions:

- the plan (`finalise_plan`): the cycle's review processes, objection periods, pending objections, extensions and
  the user's conflicts, and says for every region left out why, in words;
- the act (`finalise_bulk`): locks the processes still at the objection stage (PostgreSQL: `FOR UPDATE`, so a
  region someone else moves meanwhile is not returned), reads the answers, evidence links, grades and accepted
  objections of all of them, computes each region's score with the pure engine, upserts the snapshots and results
  (`bulk_create(update_conflicts=True)`), moves the states with one compare-and-set UPDATE and bulk-inserts the
  audit events. A region whose state changed since the confirmation page is left out and reported. On SQLite
  (no row lock) a state changed between the read and the UPDATE makes the UPDATE count differ: everything is
  rolled back and planned again, so the changed region is then reported as left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, JSONField, Max, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from layak.accounts.models import User
from layak.accounts.selectors import user_is_national_admin
from layak.audit.models import AuditEvent
from layak.common.generations import bump_on_commit
from layak.common.numbers import format_datetime
from layak.evaluations.choices import Stage
from layak.evaluations.models import Assessment, Cycle, CycleExtension
from layak.evaluations.publication import RESULTS_GENERATION
from layak.evaluations.scoring_input import instrument_rules_load, question_points_bulk, rules_load
from layak.evaluations.stamps import assessments_changed
from layak.scoring.engine import predicate_for

from . import permissions
from .audit_words import state_words
from .choices import REVIEW_STAGES, ObjectionDecision, ReviewAction, ReviewState, ScoreStage
from .models import (
    ConflictDeclaration,
    FinalResult,
    Objection,
    ObjectionPeriod,
    QuestionGrade,
    ReviewProcess,
    ScoreSnapshot,
)
from .scores import snapshot_fields_of

SNAPSHOT_FIELDS = ["total", "max_total", "band_code", "groups", "indicators", "computed_at"]
RESULT_FIELDS = ["score", "computed_band_code", "band_code", "override_reason", "decided_by", "decided_at"]


@dataclass
class LeftOut:
    """A region that will not be (or was not) finalised, and why, in words."""

    code: str
    name: str
    reason: str


@dataclass
class FinalisePlan:
    """What finalising the cycle would do now: the assessments ready (id -> region name) and those left out."""

    cycle: Cycle
    ready: dict[int, str] = field(default_factory=dict)
    left_out: list[LeftOut] = field(default_factory=list)

    def reasons(self) -> list[tuple[str, list[LeftOut]]]:
        """The regions left out grouped by reason (most regions first), for the confirmation page."""
        grouped: dict[str, list[LeftOut]] = defaultdict(list)
        for item in self.left_out:
            grouped[item.reason].append(item)
        return sorted(grouped.items(), key=lambda pair: (-len(pair[1]), pair[0]))


@dataclass
class FinaliseOutcome:
    """What a bulk finalisation did: the assessments finalised and the regions left out, with the reason."""

    finalised: list[int]
    left_out: list[LeftOut]


def _require_ministry(user: User) -> None:
    if not user_is_national_admin(user):
        raise PermissionDenied(_("Only a national admin can finalise the results of a cycle."))


def _window(cycle: Cycle, codes: Iterable[str], now: datetime) -> dict[str, str]:
    """{region code: why the finalisation window is shut for it} (one query for the extensions)."""
    start, end = cycle.window(Stage.FINALISATION)
    if now < start:
        reason = _("the finalisation window opens on %(when)s") % {"when": format_datetime(start)}
        return dict.fromkeys(codes, reason)
    if now <= end:
        return {}
    extended = dict(
        CycleExtension.objects.filter(cycle=cycle, stage=Stage.FINALISATION, region_id__in=list(codes))
        .values("region_id")
        .annotate(until=Max("extended_until"))
        .values_list("region_id", "until")
    )
    shut = {}
    for code in codes:
        closes = max(end, extended[code]) if extended.get(code) else end
        if now > closes:
            shut[code] = _("the finalisation window closed on %(when)s") % {"when": format_datetime(closes)}
    return shut


def _conflicts(user: User) -> set[str]:
    return set(ConflictDeclaration.objects.filter(reviewer_id=user.pk).values_list("region_id", flat=True))


def _refusal(user: User, code: str, conflicts: set[str]) -> str | None:
    ancestors = {".".join(code.split(".")[:n]) for n in range(1, code.count(".") + 2)}
    if permissions.is_own_region(user, code):
        return _("you work for this region and cannot finalise it")
    if conflicts & ancestors:
        return _("you declared a conflict of interest with this region")
    return None


def _plan(user: User, cycle: Cycle, processes: list[tuple[int, str, str, str]], now: datetime) -> FinalisePlan:
    """Sorts (assessment id, state, region code, region name) into ready and left out, with four queries."""
    plan = FinalisePlan(cycle)
    waiting = [pk for pk, state, _code, _name in processes if state == ReviewState.OBJECTION]
    pending = dict(
        Objection.objects.filter(assessment_id__in=waiting, decision=ObjectionDecision.PENDING)
        .values("assessment_id")
        .annotate(n=Count("id"))
        .values_list("assessment_id", "n")
    )
    periods = {
        pk: (closes, done)
        for pk, closes, done in ObjectionPeriod.objects.filter(assessment_id__in=waiting).values_list(
            "assessment_id", "closes_at", "done_at"
        )
    }
    shut = _window(cycle, [code for pk, state, code, _name in processes if state == ReviewState.OBJECTION], now)
    conflicts = _conflicts(user)
    for pk, state, code, name in processes:
        reason: str | None
        if state == ReviewState.FINALISED:
            reason = _("already finalised")
        elif state == ReviewState.FINALISATION:
            reason = _("the provisional results are not announced yet")
        elif state != ReviewState.OBJECTION:
            reason = _("still at the %(stage)s") % {"stage": state_words(state)}
        elif pending.get(pk):
            reason = _("objections waiting for a decision: %(count)s") % {"count": pending[pk]}
        elif pk in periods and periods[pk][1] is None and now <= periods[pk][0]:
            reason = _("the region may object until %(when)s") % {"when": format_datetime(periods[pk][0])}
        else:
            reason = shut.get(code) or _refusal(user, code, conflicts)
        if reason:
            plan.left_out.append(LeftOut(code, name, str(reason)))
        else:
            plan.ready[pk] = name
    return plan


def _processes(
    cycle: Cycle, *, lock: bool = False, ids: Iterable[int] | None = None
) -> list[tuple[int, str, str, str]]:
    query = ReviewProcess.objects.filter(assessment__cycle=cycle)
    if ids is not None:
        query = query.filter(assessment_id__in=list(ids))
    if lock:
        query = query.select_for_update(of=("self",))
    rows = query.order_by("assessment__region_id").values_list(
        "assessment_id", "state", "assessment__region_id", "assessment__region__name"
    )
    return list(rows)


def finalise_plan(*, user: User, cycle: Cycle) -> FinalisePlan:
    """What finalising every region of the cycle would do now (national admins only): which regions are ready,
    and which are left out and why. A read for the confirmation page."""
    _require_ministry(user)
    return _plan(user, cycle, _processes(cycle), timezone.now())


# --- Scores ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Grade:
    """What a snapshot keeps of a grade (the level and the reason), read lean."""

    level: str
    reason: str


def _question_fields(cycle: Cycle, ids: list[int]) -> tuple[dict[int, dict[str, Any]], tuple[Any, ...]]:
    """`services.final_fields` of many assessments of a question-level cycle, in five queries (seven when the
    framework's questions are not cached), and the framework's bands."""
    rules = instrument_rules_load(cycle.framework)
    selfs = question_points_bulk(ids, rules)
    order = {stage.value: n for n, stage in enumerate(REVIEW_STAGES)}
    carried: dict[int, dict[int, tuple[int, Decimal]]] = defaultdict(dict)
    own: dict[int, dict[int, _Grade]] = defaultdict(dict)
    rows = (
        QuestionGrade.objects.filter(assessment_id__in=ids)
        .order_by()
        .values_list("assessment_id", "question_id", "stage", "points", "level", "reason")
    )
    for assessment_id, question_id, stage, points, level, reason in rows.iterator(chunk_size=5000):
        rank = order.get(stage)
        if rank is None:
            continue
        known = carried[assessment_id].get(question_id)
        if known is None or known[0] < rank:
            carried[assessment_id][question_id] = (rank, points)
        if stage == ScoreStage.FIELD:
            own[assessment_id][question_id] = _Grade(level, reason)
    accepted: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for assessment_id, question_id, points in Objection.objects.filter(
        assessment_id__in=ids, decision=ObjectionDecision.ACCEPTED
    ).values_list("assessment_id", "question_id", "points"):
        if points is not None:
            accepted[assessment_id][question_id] = points
    layout = _Layout(rules)
    fields = {}
    for pk in ids:
        points = selfs[pk]
        points |= {question: p for question, (_rank, p) in carried[pk].items()}
        points |= accepted[pk]
        fields[pk] = layout.fields(points, own[pk])
    return fields, rules.bands


class _Layout:
    """`grading.question_snapshot_fields` for many assessments of one framework: what does not depend on the
    assessment (each question's codes, group and maximum) is laid out once; the result is the same."""

    def __init__(self, rules: Any) -> None:
        self.bands = rules.bands
        self.rows = [
            (q.pk, q.code, q.indicator.code, q.indicator.group.code, q.max_points, f"{q.max_points:.2f}")
            for q in rules.questions
        ]
        self.max_total = sum((q.max_points for q in rules.questions), Decimal(0))
        self.text: dict[Decimal, str] = {}

    def _text(self, value: Decimal) -> str:
        found = self.text.get(value)
        if found is None:
            found = self.text[value] = f"{value:.2f}"
        return found

    def fields(self, points: dict[int, Decimal], grades: dict[int, _Grade]) -> dict[str, Any]:
        zero = Decimal(0)
        groups: dict[str, list[Decimal]] = {}
        indicators: dict[str, dict[str, Any]] = {}
        total = sum(points.values(), zero)
        for pk, code, indicator, group_code, maximum, maximum_text in self.rows:
            given = points.get(pk, zero)
            group = groups.get(group_code)
            if group is None:
                group = groups[group_code] = [zero, zero]
            group[0] += given
            group[1] += maximum
            entry = indicators.get(indicator)
            if entry is None:
                entry = indicators[indicator] = {"group": group_code, "points": zero, "max": zero, "questions": {}}
            entry["points"] += given
            entry["max"] += maximum
            grade = grades.get(pk)
            entry["questions"][code] = (
                {"points": self._text(given), "max": maximum_text, "level": grade.level, "reason": grade.reason}
                if grade
                else {"points": self._text(given), "max": maximum_text}
            )
        for entry in indicators.values():
            entry["points"], entry["max"] = f"{entry['points']:.2f}", f"{entry['max']:.2f}"
        band = predicate_for(total, self.bands)
        return {
            "total": total,
            "max_total": self.max_total,
            "band_code": band.code if band else "",
            "groups": {code: {"points": f"{p:.2f}", "max": f"{m:.2f}"} for code, (p, m) in groups.items()},
            "indicators": indicators,
        }


def _indicator_fields(cycle: Cycle, ids: list[int]) -> tuple[dict[int, dict[str, Any]], tuple[Any, ...]]:
    """`services.final_fields` of an indicator-level cycle: the field stage's snapshot (computed, as the single
    path does, for an assessment that has none)."""
    from .services import _stage_snapshot

    rules = rules_load(cycle.framework)
    found = {s.assessment_id: s for s in ScoreSnapshot.objects.filter(assessment_id__in=ids, stage=ScoreStage.FIELD)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        for assessment in Assessment.objects.filter(pk__in=missing).select_related("cycle__framework", "region"):
            found[assessment.pk] = _stage_snapshot(assessment, ScoreStage.FIELD, rules)
    return {pk: snapshot_fields_of(found[pk]) for pk in ids}, rules.bands


def final_fields_bulk(cycle: Cycle, ids: list[int]) -> tuple[dict[int, dict[str, Any]], tuple[Any, ...]]:
    """The final snapshot fields of many assessments of one cycle, as `services.final_fields` gives each, and
    the framework's bands."""
    if cycle.framework.is_question_level:
        return _question_fields(cycle, ids)
    return _indicator_fields(cycle, ids)


# --- The act ---------------------------------------------------------------------------------------------------


class _Moved(Exception):
    """A state changed between the read and the compare-and-set UPDATE (SQLite): roll back and plan again."""


def _finalise_once(user: User, cycle: Cycle, expected: set[int], now: datetime) -> FinaliseOutcome:
    processes = _processes(cycle, lock=True, ids=expected)
    plan = _plan(user, cycle, processes, now)
    ids = sorted(plan.ready)
    left_out = list(plan.left_out)
    seen = {pk for pk, *_rest in processes}
    left_out += [LeftOut("", str(pk), str(_("no longer in verification"))) for pk in sorted(expected - seen)]
    if not ids:
        return FinaliseOutcome([], left_out)
    fields, bands = final_fields_bulk(cycle, ids)
    snapshots, results, events = [], [], []
    codes = {pk: code for pk, _state, code, _name in processes}
    actor_name = (getattr(user, "display_name", "") or str(user))[:150]
    before, after = ReviewState.OBJECTION, ReviewState.FINALISED
    for pk in ids:
        final = fields[pk]
        band = predicate_for(final["total"], bands)
        code = band.code if band else ""
        snapshots.append(
            ScoreSnapshot(
                assessment_id=pk,
                stage=ScoreStage.FINAL,
                total=final["total"],
                max_total=final["max_total"],
                band_code=final["band_code"],
                # As expressions, the JSON goes as one parameter per row: PostgreSQL's UNNEST insert would quote
                # each document inside a text array (seconds for a national cycle).
                groups=Value(final["groups"], output_field=JSONField()),
                indicators=Value(final["indicators"], output_field=JSONField()),
            )
        )
        results.append(
            FinalResult(
                assessment_id=pk,
                score=final["total"],
                computed_band_code=code,
                band_code=code,
                override_reason="",
                decided_by=user,
            )
        )
        events.append(
            AuditEvent(
                actor=user,
                actor_name=actor_name,
                verb=f"review.{ReviewAction.FINALISE}",
                target_type=Assessment._meta.label_lower,
                target_id=str(pk),
                region_code=codes[pk],
                summary=f"{before} → {after}"[:300],
                before={"state": str(before)},
                after={"state": str(after), "comment": "", "score": str(final["total"]), "band": code},
            )
        )
    ScoreSnapshot.objects.bulk_create(
        snapshots,
        batch_size=200,
        update_conflicts=True,
        unique_fields=["assessment", "stage"],
        update_fields=SNAPSHOT_FIELDS,
    )
    FinalResult.objects.bulk_create(
        results, batch_size=500, update_conflicts=True, unique_fields=["assessment"], update_fields=RESULT_FIELDS
    )
    moved = ReviewProcess.objects.filter(assessment_id__in=ids, state=before).update(state=after, updated_at=now)
    assessments_changed(ids, cycles=[cycle.pk])  # bulk writes and queryset updates send no model signal
    if moved != len(ids):
        raise _Moved
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    bump_on_commit(RESULTS_GENERATION)  # bulk writes send no model signal: the dashboards are told here
    return FinaliseOutcome(ids, left_out)


def finalise_bulk(*, user: User, cycle: Cycle, expected: Iterable[int]) -> FinaliseOutcome:
    """Finalises the assessments of `cycle` listed in `expected` (those the confirmation page showed as ready)
    that are still ready now; every other one is left out with the reason. National admins only.

    The ministry's step after the objection period, for many regions: final snapshot, final result with the
    bands' predicate, state `finalised`, one `review.finalise` audit event each, exactly as the single path."""
    _require_ministry(user)
    wanted = {int(pk) for pk in expected}
    if not wanted:
        raise ValidationError(_("No region is ready to be finalised."))
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return _finalise_once(user, cycle, wanted, timezone.now())
        except _Moved:
            continue
    raise ValidationError(_("The regions kept changing while they were finalised; nothing was changed. Try again."))


__all__ = ["FinaliseOutcome", "FinalisePlan", "LeftOut", "final_fields_bulk", "finalise_bulk", "finalise_plan"]
