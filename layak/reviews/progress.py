"""Progress of a cycle over every regency/city: how much is answered, where each one stands, who is late.

The ministry sees all 514 kab/kota, a province its own, everybody else the regions of their grants. One row per
kab/kota (with or without an assessment): questions answered of the instrument's total (kla-2024; indicators on
the indicator-level kla-2021), a status (no assessment, draft, returned, submitted, every review state by its
label, published), late (self-assessment closed and not submitted, or a revision past its deadline), the last
activity (latest answer, submission or review step), the self-score, the latest verified score (when the user
may see it) and the reviewers.

Everything that is filtered or sorted is an annotation of one query over the regions, so a page costs the same
number of queries whatever the number of regions. The status is derived from `ReviewState` and
`workflow.REVISION_STATES`, so a review state added to the workflow shows up here with its label.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from layak.accounts.selectors import Viewer, user_is_national_admin, user_region_filter
from layak.evaluations.choices import AssessmentStatus, Stage
from layak.evaluations.models import Answer, Cycle, CycleExtension, QuestionAnswer
from layak.evaluations.publication import results_published
from layak.frameworks.models import Indicator, Question
from layak.regions.models import Region

from . import permissions, workflow
from .choices import ReviewState, ScoreStage
from .models import ReviewerAssignment, RevisionRequest, ScoreSnapshot

STAGE_ORDER = [s.value for s in ScoreStage]
PROGRESS_PER_PAGE = 50
# Statuses outside the review workflow; the review states (ReviewState) sit between SUBMITTED and PUBLISHED.
NO_ASSESSMENT = "none"
SUBMITTED = "submitted"
PUBLISHED = "published"
# Filter groups over several statuses.
NOT_SUBMITTED = "not_submitted"
IN_REVIEW = "in_review"
REVISION = "revision"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # "no activity": a NULL would make SQLite's MAX() NULL


def status_order() -> list[str]:
    """Every status, in the order of the work (sorting by status follows it)."""
    return [
        NO_ASSESSMENT,
        AssessmentStatus.DRAFT.value,
        AssessmentStatus.RETURNED.value,
        SUBMITTED,
        *ReviewState.values,
        PUBLISHED,
    ]


def status_labels() -> dict[str, str]:
    """The words of every status (review states by their own labels)."""
    labels = {
        NO_ASSESSMENT: _("No assessment"),
        AssessmentStatus.DRAFT.value: _("Draft (not submitted)"),
        AssessmentStatus.RETURNED.value: str(AssessmentStatus.RETURNED.label),
        SUBMITTED: _("Submitted, verification not started"),
        PUBLISHED: _("Result published"),
    }
    labels.update({value: str(label) for value, label in ReviewState.choices})
    return labels


def status_filters() -> list[tuple[str, str]]:
    """The choices of the status filter: three groups, then every single status."""
    groups = [
        (NOT_SUBMITTED, _("Not submitted yet (all)")),
        (IN_REVIEW, _("In verification (any stage)")),
        (REVISION, _("Revision waiting (any stage)")),
    ]
    return groups + list(status_labels().items())


# Sort keys of the table (the URL's `sort`, "-" for descending) and the annotations they order by.
SORTS = {
    "code": ("code",),
    "name": ("name", "code"),
    "province": ("parent__name", "code"),
    "answered": ("answered", "code"),
    "status": ("status_rank", "code"),
    "late": ("late", "code"),
    "activity": ("last_activity", "code"),
}


@dataclass(frozen=True)
class ProgressFilter:
    """What the table shows: a province, a status (or group), late only, a search text and a sort key."""

    province: str = ""
    status: str = ""
    late: bool = False
    q: str = ""
    sort: str = "code"

    def as_query(self) -> dict[str, str]:
        query = {"province": self.province, "status": self.status, "q": self.q, "sort": self.sort}
        if self.late:
            query["late"] = "1"
        return {k: v for k, v in query.items() if v}


def progress_filter_from(data: Any) -> ProgressFilter:
    """The filter from a GET or POST (unknown values ignored)."""
    sort = str(data.get("sort", "")).strip()
    if sort.lstrip("-") not in SORTS:
        sort = "code"
    status = str(data.get("status", "")).strip()
    if status not in dict(status_filters()):
        status = ""
    return ProgressFilter(
        province=str(data.get("province", "")).strip()[:13],
        status=status,
        late=data.get("late") in ("1", "on", "true"),
        q=str(data.get("q", "")).strip()[:80],
        sort=sort,
    )


def _answered(cycle: Cycle) -> Subquery:
    model = QuestionAnswer if cycle.framework.is_question_level else Answer
    counted = (
        model.objects.filter(assessment__cycle=cycle, assessment__region=OuterRef("pk"))
        .values("assessment__region")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(counted, output_field=IntegerField())


def _last_answer(cycle: Cycle) -> Subquery:
    model = QuestionAnswer if cycle.framework.is_question_level else Answer
    latest = (
        model.objects.filter(assessment__cycle=cycle, assessment__region=OuterRef("pk"))
        .values("assessment__region")
        .annotate(at=Max("updated_at"))
        .values("at")
    )
    return Subquery(latest, output_field=DateTimeField())


def _status_case(published: bool) -> Case:
    """The row's status: published, else the review state, else the assessment's own status, else none."""
    whens = [When(review_state=ReviewState.FINALISED, then=Value(PUBLISHED))] if published else []
    whens.append(When(review_state__isnull=False, then="review_state"))
    whens += [When(assessment_status=s, then=Value(s)) for s in AssessmentStatus.values]
    return Case(*whens, default=Value(NO_ASSESSMENT), output_field=CharField())


def _late_conditions(cycle: Cycle, now: datetime) -> tuple[Q, Q]:
    """(self-assessment closed and not submitted, a revision past its deadline) as conditions on the annotations."""
    if now > cycle.self_assessment_end:
        self_late = (
            Q(review_state__isnull=True)
            & Q(assessment_status__in=[AssessmentStatus.DRAFT, AssessmentStatus.RETURNED])
            & (Q(extended_until__isnull=True) | Q(extended_until__lt=now))
        )
    else:
        self_late = Q(pk__in=[])
    return self_late, Q(revision_overdue=True)


def _progress_regions(cycle: Cycle, user: Viewer, f: ProgressFilter, now: datetime) -> QuerySet[Region]:
    """The user's kab/kota with every column of the table as an annotation, filtered and sorted (one query)."""
    of_region = {"cycle": cycle, "region": OuterRef("pk")}
    regions = (
        Region.objects.filter(user_region_filter(user, "code"), level=2)
        .select_related("parent")
        # One LEFT JOIN to the region's assessment in this cycle (and its review), not a subquery per column.
        .annotate(this=FilteredRelation("assessment", condition=Q(assessment__cycle=cycle)))
        .annotate(
            assessment_id=F("this__pk"),
            assessment_status=F("this__status"),
            submitted_at=F("this__submitted_at"),
            review_state=F("this__review__state"),
            review_updated=F("this__review__updated_at"),
            answered=Coalesce(_answered(cycle), Value(0)),
            last_answer=_last_answer(cycle),
            extended_until=Subquery(
                CycleExtension.objects.filter(**of_region, stage=Stage.SELF_ASSESSMENT)
                .order_by("-extended_until")
                .values("extended_until")[:1]
            ),
            revision_overdue=Exists(
                RevisionRequest.objects.filter(
                    assessment__cycle=cycle,
                    assessment__region=OuterRef("pk"),
                    resubmitted_at__isnull=True,
                    deadline__lt=now,
                )
            ),
        )
    )
    published = results_published(cycle.results_published_at, now)
    self_late, revision_late = _late_conditions(cycle, now)
    order = status_order()
    regions = regions.annotate(
        status=_status_case(published),
        late=Case(When(self_late | revision_late, then=Value(True)), default=Value(False), output_field=BooleanField()),
        late_self=Case(When(self_late, then=Value(True)), default=Value(False), output_field=BooleanField()),
        last_activity=Greatest(
            Coalesce("last_answer", Value(EPOCH)),
            Coalesce("submitted_at", Value(EPOCH)),
            Coalesce("review_updated", Value(EPOCH)),
            output_field=DateTimeField(),
        ),
    ).annotate(
        status_rank=Case(
            *[When(status=key, then=Value(i)) for i, key in enumerate(order)],
            default=Value(len(order)),
            output_field=IntegerField(),
        )
    )
    return _filtered(regions, f)


def _filtered(regions: QuerySet[Region], f: ProgressFilter) -> QuerySet[Region]:
    if f.province:
        regions = regions.filter(parent_id=f.province)
    if f.q:
        regions = regions.filter(Q(name__icontains=f.q) | Q(code__startswith=f.q))
    if f.status == NOT_SUBMITTED:
        regions = regions.filter(review_state__isnull=True)
    elif f.status == IN_REVIEW:
        regions = regions.filter(review_state__isnull=False).exclude(review_state=ReviewState.FINALISED)
    elif f.status == REVISION:
        regions = regions.filter(review_state__in=list(workflow.REVISION_STATES))
    elif f.status:
        regions = regions.filter(status=f.status)
    if f.late:
        regions = regions.filter(late=True)
    descending = f.sort.startswith("-")
    fields = SORTS[f.sort.lstrip("-")]
    first = f"-{fields[0]}" if descending else fields[0]
    return regions.order_by(first, *fields[1:])


@dataclass
class ProgressRow:
    """One regency/city in a cycle: answered, status, late, last activity, self-score, the latest verified score
    (when the user may see it) and who reviews it at each stage."""

    region: Region
    assessment_id: int | None
    status: str
    status_label: str
    state: str | None
    answered: int
    total: int
    late: bool
    late_reason: str
    last_activity: datetime | None
    self_total: Decimal | None
    verified_total: Decimal | None
    verified_stage: str | None
    reviewers: list[ReviewerAssignment]

    @property
    def answered_share(self) -> Decimal:
        """Answered as a percentage of the instrument (0-100)."""
        return Decimal(self.answered * 100) / self.total if self.total else Decimal(0)


@dataclass
class CycleProgress:
    """A page of the cycle's progress table with its filters."""

    cycle: Cycle
    page: Page[Any]
    rows: list[ProgressRow]
    provinces: list[Region]
    filter: ProgressFilter
    statuses: list[tuple[str, str]]
    total: int  # questions (or indicators) of the cycle's instrument
    by_question: bool


def _instrument_total(cycle: Cycle) -> int:
    if cycle.framework.is_question_level:
        return Question.objects.filter(indicator__version_id=cycle.framework_id).count()
    return Indicator.objects.filter(version_id=cycle.framework_id).count()


def _rows(cycle: Cycle, user: Viewer, regions: list[Region], total: int, *, reviewers: bool) -> list[ProgressRow]:
    """The rows of these annotated regions: two more queries (snapshots, reviewers) whatever their number."""
    ids = [r.assessment_id for r in regions if r.assessment_id]
    totals: dict[int, dict[str, Decimal]] = {}
    for assessment_id, stage, score in ScoreSnapshot.objects.filter(assessment_id__in=ids).values_list(
        "assessment_id", "stage", "total"
    ):
        totals.setdefault(assessment_id, {})[stage] = score
    duties: dict[int, list[ReviewerAssignment]] = {}
    if reviewers:
        for duty in ReviewerAssignment.objects.filter(assessment_id__in=ids).select_related("reviewer"):
            duties.setdefault(duty.assessment_id, []).append(duty)
    is_admin = user_is_national_admin(user)
    published = results_published(cycle.results_published_at)
    labels = status_labels()
    rows = []
    for region in regions:
        stages = totals.get(region.assessment_id, {})
        mine = duties.get(region.assessment_id, [])
        verified = next((s for s in reversed(STAGE_ORDER) if s != ScoreStage.SELF and s in stages), None)
        sees = (
            is_admin
            or any(d.reviewer_id == user.pk for d in mine)
            or permissions.is_own_region(user, region.code)
            or (published and region.review_state == ReviewState.FINALISED)
        )
        rows.append(
            ProgressRow(
                region=region,
                assessment_id=region.assessment_id,
                status=region.status,
                status_label=labels.get(region.status, region.status),
                state=region.review_state,
                answered=region.answered,
                total=total,
                late=region.late,
                late_reason=_late_reason(region),
                last_activity=region.last_activity if region.last_activity and region.last_activity > EPOCH else None,
                self_total=stages.get(ScoreStage.SELF),
                verified_total=stages[verified] if verified and sees else None,
                verified_stage=verified if sees else None,
                reviewers=sorted(mine, key=lambda d: STAGE_ORDER.index(d.stage)),
            )
        )
    return rows


def _late_reason(region: Region) -> str:
    if not region.late:
        return ""
    if region.late_self:
        return _("Self-assessment closed and not submitted")
    return _("Revision past its deadline")


def _provinces(user: Viewer) -> list[Region]:
    scope = user_region_filter(user, "code")
    return list(
        Region.objects.filter(level=1, code__in=Region.objects.filter(scope, level=2).values("parent_id")).order_by(
            "code"
        )
    )


def cycle_progress(
    cycle: Cycle, user: Viewer, f: ProgressFilter | None = None, *, page: Any = None, per_page: int = 0
) -> CycleProgress:
    """One page of every regency/city of the cycle in the user's regions, filtered and sorted. Seven queries
    whatever the number of regions."""
    f = f or ProgressFilter()
    total = _instrument_total(cycle)
    regions = _progress_regions(cycle, user, f, timezone.now())
    shown = Paginator(regions, per_page or PROGRESS_PER_PAGE).get_page(page)
    rows = _rows(cycle, user, list(shown), total, reviewers=True)
    return CycleProgress(
        cycle, shown, rows, _provinces(user), f, status_filters(), total, cycle.framework.is_question_level
    )


def cycle_progress_all(cycle: Cycle, user: Viewer, f: ProgressFilter) -> list[ProgressRow]:
    """Every row matching the filter (for an export): four queries whatever the number of regions."""
    total = _instrument_total(cycle)
    regions = list(_progress_regions(cycle, user, f, timezone.now()))
    return _rows(cycle, user, regions, total, reviewers=False)


def cycle_progress_codes(cycle: Cycle, user: Viewer, f: ProgressFilter) -> list[str]:
    """The codes of every regency/city matching the filter (one query), for a bulk action."""
    return list(_progress_regions(cycle, user, f, timezone.now()).values_list("code", flat=True))
