"""Recomputing score snapshots in bulk (after a framework correction or a scoring fix).

Every submitted assessment gets its self snapshot, and every stage that already has a snapshot or reviewer scores
gets it again, from the current answers, evidence and reviewer scores (each stage carrying the verified scores of
the stages before it); the final snapshot is the field stage's,
and the final result follows it (an awarded predicate set by the ministry is kept). Work goes in batches with a
fixed number of queries per batch, never per assessment.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from layak.audit.services import audit_record
from layak.common.generations import bump_on_commit
from layak.evaluations.choices import AssessmentStatus
from layak.evaluations.models import Answer, AnswerEvidence, Assessment, Cycle
from layak.evaluations.publication import RESULTS_GENERATION
from layak.evaluations.scoring_input import FrameworkRules, Inputs, rules_load, supported_elements
from layak.evaluations.stamps import assessments_changed
from layak.frameworks.models import FrameworkVersion, Question
from layak.scoring.engine import predicate_for

from .choices import REVIEW_STAGES, ScoreStage
from .models import FinalResult, IndicatorReview, ScoreSnapshot
from .scores import stage_score

SNAPSHOT_FIELDS = ["total", "max_total", "band_code", "groups", "indicators", "computed_at"]


@dataclass
class RecomputeReport:
    """What a recomputation did (or would do, in a dry run)."""

    assessments: int = 0
    created: int = 0
    updated: int = 0  # snapshots rewritten because their scores differed
    changed: int = 0
    finals: int = 0
    dry_run: bool = False


@dataclass
class _Batch:
    """One batch's data, each loaded in one query."""

    stored: dict[int, dict[int, dict]]
    links: dict[int, list[tuple[int, str]]]
    reviews: dict[int, dict[str, list[IndicatorReview]]]
    snapshots: dict[int, dict[str, ScoreSnapshot]]
    finals: dict[int, FinalResult]


def _load(ids: list[int]) -> _Batch:
    stored: dict[int, dict[int, dict]] = defaultdict(dict)
    for assessment_id, indicator_id, values in Answer.objects.filter(assessment_id__in=ids).values_list(
        "assessment_id", "indicator_id", "values"
    ):
        stored[assessment_id][indicator_id] = values
    links: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for assessment_id, indicator_id, code in AnswerEvidence.objects.filter(assessment_id__in=ids).values_list(
        "assessment_id", "indicator_id", "element_code"
    ):
        links[assessment_id].append((indicator_id, code))
    reviews: dict[int, dict[str, list[IndicatorReview]]] = defaultdict(lambda: defaultdict(list))
    for review in IndicatorReview.objects.filter(assessment_id__in=ids):
        reviews[review.assessment_id][review.stage].append(review)
    snapshots: dict[int, dict[str, ScoreSnapshot]] = defaultdict(dict)
    for snapshot in ScoreSnapshot.objects.filter(assessment_id__in=ids):
        snapshots[snapshot.assessment_id][snapshot.stage] = snapshot
    finals = {result.assessment_id: result for result in FinalResult.objects.filter(assessment_id__in=ids)}
    return _Batch(stored, links, reviews, snapshots, finals)


def _stage_fields(rules: FrameworkRules, batch: _Batch, assessment_id: int) -> dict[str, dict]:
    """{stage: snapshot fields} to write for one assessment."""
    inputs = Inputs(
        batch.stored.get(assessment_id, {}), supported_elements(rules.documents, batch.links.get(assessment_id, []))
    )
    existing, reviews = batch.snapshots.get(assessment_id, {}), batch.reviews.get(assessment_id, {})
    stages = [ScoreStage.SELF] + [s for s in REVIEW_STAGES if s in existing or s in reviews]
    every = [review for stage_reviews in reviews.values() for review in stage_reviews]
    fields = {stage: stage_score(rules, inputs, every, stage).snapshot_fields() for stage in stages}
    if ScoreStage.FINAL in existing:
        # The final score is the field stage's, which carries the earlier stages' verified points.
        fields[ScoreStage.FINAL] = (
            fields.get(ScoreStage.FIELD) or stage_score(rules, inputs, every, ScoreStage.FIELD).snapshot_fields()
        )
    return fields


def _apply(rules, batch: _Batch, assessment_id: int, report: RecomputeReport, now) -> tuple[list, list, list]:
    create, update, finals = [], [], []
    for stage, fields in _stage_fields(rules, batch, assessment_id).items():
        result = batch.finals.get(assessment_id)
        if stage == ScoreStage.FINAL and result is not None and result.score != fields["total"]:
            finals.append(_final(result, fields["total"], rules))
        snapshot = batch.snapshots.get(assessment_id, {}).get(stage)
        if snapshot is None:
            create.append(ScoreSnapshot(assessment_id=assessment_id, stage=stage, computed_at=now, **fields))
            continue
        if _same(snapshot, fields):
            continue
        report.changed += Decimal(snapshot.total) != fields["total"]
        for name, value in fields.items():
            setattr(snapshot, name, value)
        snapshot.computed_at = now
        update.append(snapshot)
    return create, update, finals


def _same(snapshot: ScoreSnapshot, fields: dict) -> bool:
    """True when the stored snapshot already holds these scores (nothing to write)."""
    return (
        Decimal(snapshot.total) == fields["total"]
        and snapshot.band_code == fields["band_code"]
        and snapshot.groups == fields["groups"]
        and snapshot.indicators == fields["indicators"]
    )


def _final(result: FinalResult, total: Decimal, rules: FrameworkRules) -> FinalResult:
    band = predicate_for(total, rules.bands)
    code = band.code if band else ""
    if not result.is_overridden:
        result.band_code = code
    result.score, result.computed_band_code = total, code
    if result.band_code == code:
        result.override_reason = ""
    return result


def _batches(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def scores_recompute(
    *,
    cycle: Cycle | None = None,
    dry_run: bool = False,
    batch_size: int = 250,
    user=None,
    progress: Callable[[int, int], None] | None = None,
) -> RecomputeReport:
    """Recomputes the snapshots of every submitted assessment (of one cycle, or all), in batches; a dry run
    computes and counts without writing. One audit event per cycle touched. `progress(done, total)` is told
    after each batch (the recompute job shows it)."""
    # A question-level instrument (kla-2024) is scored from its questions and grades (reviews.grading), not
    # from the element rubrics recomputed here; its snapshots are left as the review services wrote them.
    question_level = Exists(Question.objects.filter(indicator__version_id=OuterRef("cycle__framework_id")))
    query = Assessment.objects.filter(status=AssessmentStatus.SUBMITTED).exclude(question_level).order_by("pk")
    if cycle is not None:
        query = query.filter(cycle=cycle)
    rows = list(query.values_list("pk", "cycle_id", "cycle__framework_id"))
    report = RecomputeReport(assessments=len(rows), dry_run=dry_run)
    frameworks = {fid: rules_load(FrameworkVersion.objects.get(pk=fid)) for fid in {row[2] for row in rows}}
    framework_of = {pk: fid for pk, _cycle, fid in rows}
    cycle_of = {pk: cycle_id for pk, cycle_id, _fid in rows}
    done = 0
    for ids in _batches([row[0] for row in rows], batch_size):
        _recompute_batch(ids, framework_of, frameworks, report)
        if not dry_run:  # bulk writes send no model signal
            assessments_changed(ids, cycles={cycle_of[pk] for pk in ids})
        done += len(ids)
        if progress is not None:
            progress(done, len(rows))
    if not dry_run:
        _audit(user, {row[1] for row in rows}, report)
    return report


def _recompute_batch(ids, framework_of, frameworks, report: RecomputeReport) -> None:
    batch, now = _load(ids), timezone.now()
    create, update, finals = [], [], []
    for assessment_id in ids:
        made = _apply(frameworks[framework_of[assessment_id]], batch, assessment_id, report, now)
        create += made[0]
        update += made[1]
        finals += made[2]
    report.created += len(create)
    report.updated += len(update)
    report.finals += len(finals)
    if report.dry_run:
        return
    with transaction.atomic():
        ScoreSnapshot.objects.bulk_create(create, batch_size=1000)
        # Small update batches: one UPDATE per 50 rows keeps SQLite's CASE expressions short (a fixed count per batch).
        ScoreSnapshot.objects.bulk_update(update, SNAPSHOT_FIELDS, batch_size=50)
        FinalResult.objects.bulk_update(finals, ["score", "computed_band_code", "band_code", "override_reason"])
        bump_on_commit(RESULTS_GENERATION)  # bulk writes send no model signal: the dashboards are told here


def _audit(user, cycle_ids: set[int], report: RecomputeReport) -> None:
    for cycle in Cycle.objects.filter(pk__in=cycle_ids):
        audit_record(
            actor=user,
            verb="scores.recomputed",
            target=cycle,
            summary=f"{cycle.name}: {report.created} created, {report.updated} updated, {report.changed} changed",
            after={"created": report.created, "updated": report.updated, "changed": report.changed},
        )
