"""The stamp of an assessment's score pages, read from generation counters (decision 0032, replacing 0028's query).

The report page (`layak.reports`), the what-if, the scores per stage and the question pages are rendered once per
stamp and shared by everyone with the same view of them. The stamp is the assessment's generation, its cycle's,
and the generations of regions, frameworks and agencies, read in one `cache.get_many`
(`layak.evaluations.stamps`). Every write of the review's rows bumps the assessment's generation: model saves and
deletes through the signals connected here (`connect_reviews`), bulk writes and queryset updates by calling
`assessments_changed` where they happen.

`assessment_facts` keeps, under that stamp, what a page needs to decide who may see what: the assessment with its
cycle, framework, region, review and final result, its reviewers per stage and the stages with a stored score.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_delete
from django.http import Http404

from layak.accounts.selectors import Viewer, user_can_see_region
from layak.common.generations import bump_on_commit, generations, shared_value
from layak.evaluations.models import Assessment
from layak.evaluations.stamps import (
    assessment_generation,
    assessment_place,
    assessments_changed,
    connect_bumps,
    cycle_generation,
    on_evidence_linked,
)
from layak.frameworks.selectors import FRAMEWORKS_GENERATION
from layak.regions.selectors import REGIONS_GENERATION

from . import models as m
from .permissions import DUTIES_ATTRIBUTE, Duties

#: Bumped on any save or delete of an agency (OPD): the score pages name the agency of each indicator or question.
AGENCIES_GENERATION = "agencies"
#: Bumped on any save or delete of a conflict-of-interest declaration (who may review a region).
CONFLICTS_GENERATION = "review-conflicts"

#: The review's rows that belong to one assessment (an `assessment` foreign key).
_ASSESSMENT_ROWS = (
    m.ScoreSnapshot,
    m.FinalResult,
    m.ReviewProcess,
    m.ReviewerAssignment,
    m.IndicatorReview,
    m.RevisionRequest,
    m.EvidencePin,
    m.QuestionGrade,
    m.FieldVisit,
    m.CompletionWindow,
    m.HandoverLetter,
    m.ObjectionPeriod,
    m.Objection,
)


def _names(pk: int, cycle_id: int) -> list[str]:
    return [
        assessment_generation(pk),
        cycle_generation(cycle_id),
        REGIONS_GENERATION,
        FRAMEWORKS_GENERATION,
        AGENCIES_GENERATION,
    ]


def _digest(parts: tuple[int, ...]) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()[:16]


def assessment_stamp(assessment: Assessment) -> str:
    """What the score pages of one assessment show, as a short string (one read of the shared cache): the
    generations of the assessment (its rows, its review's rows and its linked evidence), of its cycle, and of
    regions, frameworks and agencies."""
    return _digest(generations(*_names(assessment.pk, assessment.cycle_id)))


@dataclass(frozen=True)
class AssessmentFacts:
    """What a page of one assessment needs to decide who may see what, kept under the assessment's stamp: the
    assessment (cycle, framework, region and province, review and final result read with it), its reviewers as
    (user id, stage), and the stages with a stored score."""

    assessment: Assessment
    reviewers: frozenset[tuple[int, str]]
    stored: frozenset[str]
    stamp: str
    conflicts_generation: int

    @property
    def process(self) -> m.ReviewProcess | None:
        try:
            return self.assessment.review
        except m.ReviewProcess.DoesNotExist:
            return None


def _build_facts(pk: int) -> tuple[Assessment, frozenset[tuple[int, str]], frozenset[str]]:
    rows = Assessment.objects.select_related("cycle__framework", "region__parent", "review", "final_result")
    assessment = rows.filter(pk=pk).first()
    if assessment is None:
        raise Http404
    reviewers = frozenset(m.ReviewerAssignment.objects.filter(assessment_id=pk).values_list("reviewer_id", "stage"))
    stored = frozenset(m.ScoreSnapshot.objects.filter(assessment_id=pk).values_list("stage", flat=True))
    return assessment, reviewers, stored


def assessment_facts(user: Viewer, pk: int) -> AssessmentFacts:
    """The assessment's facts if the user's grants cover its region (404 otherwise, as `assessment_get_for_user`),
    from this process's memory while its stamp holds: one read of the shared cache on a warm view."""
    place = assessment_place(pk)
    if place is None or not user_can_see_region(user, place[0]):
        raise Http404
    *found, conflicts = generations(*_names(pk, place[1]), CONFLICTS_GENERATION)
    stamp = _digest(tuple(found))
    assessment, reviewers, stored = shared_value(f"reviews:facts:{pk}:{stamp}", lambda: _build_facts(pk))
    return AssessmentFacts(assessment, reviewers, stored, stamp, conflicts)


def _conflicts(generation_now: int) -> dict[int, tuple[str, ...]]:
    def build() -> dict[int, tuple[str, ...]]:
        found: dict[int, list[str]] = {}
        for reviewer, region in m.ConflictDeclaration.objects.values_list("reviewer_id", "region_id"):
            found.setdefault(reviewer, []).append(region)
        return {reviewer: tuple(regions) for reviewer, regions in found.items()}

    return shared_value(f"reviews:conflicts:{generation_now}", build)


def viewer_assessment(user: Viewer, facts: AssessmentFacts) -> Assessment:
    """A copy of the facts' assessment carrying the user's review duties (stages assigned, a declared conflict), so
    the permission checks of this request ask no table (`permissions.remember_duties`). The shared object is
    never changed."""
    assessment = copy.copy(facts.assessment)
    if user.is_authenticated:
        region = assessment.region_id
        declared = _conflicts(facts.conflicts_generation).get(user.pk, ()) if facts.conflicts_generation else ()
        conflict = any(region == code or region.startswith(f"{code}.") for code in declared)
        stages = frozenset(stage for reviewer, stage in facts.reviewers if reviewer == user.pk)
        setattr(assessment, DUTIES_ATTRIBUTE, Duties(user.pk, stages, conflict))
    return assessment


# --- What bumps the generations ------------------------------------------------------------------------------


def _by_child(parent_field: str):
    def receiver(sender, instance, **kwargs) -> None:
        parent_id = getattr(instance, f"{parent_field}_id")
        parent_model = sender._meta.get_field(parent_field).related_model
        found = parent_model._base_manager.filter(pk=parent_id).values_list("assessment_id", flat=True).first()
        if found is not None:
            assessments_changed([found])

    return receiver


def _by_result(sender, instance, **kwargs) -> None:
    assessments_changed([instance.assessment_id], results=True)


def _by_conflict(sender, instance, **kwargs) -> None:
    bump_on_commit(CONFLICTS_GENERATION)


def _reviewer_changed(sender, instance, update_fields=None, **kwargs) -> None:
    """A reviewer's name shows beside their grades and scores: a change of the account (not a sign-in's
    `last_login`) or its deletion bumps the assessments they graded or scored."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    graded = m.QuestionGrade.objects.filter(reviewer_id=instance.pk).values_list("assessment_id", flat=True)
    scored = m.IndicatorReview.objects.filter(reviewer_id=instance.pk).values_list("assessment_id", flat=True)
    assessments_changed({*graded.distinct(), *scored.distinct()})


def _pinned(evidence_id: int) -> list[int]:
    return list(m.EvidencePin.objects.filter(evidence_id=evidence_id).values_list("assessment_id", flat=True))


def connect_reviews() -> None:
    """Every save or delete of the review's rows bumps its assessment (stage scores and final results the cycle's
    results too); a conflict declaration bumps the conflicts (called from ReviewsConfig.ready)."""
    connect_bumps([model for model in _ASSESSMENT_ROWS if model not in (m.ScoreSnapshot, m.FinalResult)], label="rv")
    children = [(m.RevisionItem, "request"), (m.ChildrenHearing, "visit"), (m.CompletionItem, "window")]
    for signal in (post_save, post_delete):
        for model in (m.ScoreSnapshot, m.FinalResult):
            signal.connect(_by_result, sender=model, weak=False, dispatch_uid=f"rv-result:{model.__name__}")
        for model, parent in children:
            signal.connect(_by_child(parent), sender=model, weak=False, dispatch_uid=f"rv-child:{model.__name__}")
        signal.connect(_by_conflict, sender=m.ConflictDeclaration, weak=False, dispatch_uid="rv-conflicts")
    on_evidence_linked(_pinned)
    user_model = get_user_model()
    post_save.connect(_reviewer_changed, sender=user_model, weak=False, dispatch_uid="rv-reviewer")
    pre_delete.connect(_reviewer_changed, sender=user_model, weak=False, dispatch_uid="rv-reviewer")
