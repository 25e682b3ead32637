"""Reads of the real stages (decision 0022): the stages page of an assessment and the "what to do next" lines
shown on the review page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from layak.accounts.selectors import Viewer, user_is_national_admin
from layak.common.numbers import format_date, format_datetime
from layak.evaluations.models import Assessment
from layak.frameworks.models import Question

from . import grading, permissions, stages
from .choices import ObjectionDecision, ReviewState
from .models import (
    ChildrenHearing,
    CompletionWindow,
    FieldVisit,
    HandoverLetter,
    Objection,
    ObjectionPeriod,
    ReviewProcess,
)


@dataclass
class StagesPage:
    assessment: Assessment
    process: ReviewProcess | None
    is_admin: bool
    is_region: bool
    letter: HandoverLetter | None
    can_attach_letter: bool
    visit: FieldVisit | None
    hearings: list[ChildrenHearing]
    is_field_team: bool
    windows: list[CompletionWindow]
    open_window: CompletionWindow | None
    completable: list[Any]
    period: ObjectionPeriod | None
    objections: list[Objection]
    can_object: bool
    objection_refusal: str | None
    questions: list[Question]
    levels: list[tuple[str, str]]
    next_steps: list[str] = field(default_factory=list)


def _questions(assessment: Assessment) -> list[Question]:
    return list(
        Question.objects.filter(indicator__version_id=assessment.cycle.framework_id)
        .select_related("indicator__group")
        .order_by("indicator__group__order", "indicator__order", "order", "pk")
    )


def stages_page(
    assessment: Assessment, process: ReviewProcess | None, user: Viewer, *, with_questions: bool = True
) -> StagesPage:
    """Everything the stages page shows, scoped by role: the region and its reviewers see it all. Reads only
    what the assessment's route has reached (no visit: no windows; no provisional results: no objections), so
    the review page can show the next steps for a few queries (`with_questions=False`)."""
    state = process.state if process else ""
    is_admin = user_is_national_admin(user)
    is_region = permissions.is_own_region(user, assessment.region_id)
    visit = FieldVisit.objects.filter(assessment=assessment).select_related("selected_by").first()
    windows = (
        list(
            CompletionWindow.objects.filter(assessment=assessment)
            .select_related("opened_by")
            .prefetch_related("items__question")
            .order_by("-round")
        )
        if visit
        else []
    )
    announced = state in (ReviewState.OBJECTION, ReviewState.FINALISED)
    objecting = state == ReviewState.OBJECTION
    now = timezone.now()
    open_window = next((w for w in windows if w.closes_at >= now), None)
    completable = []
    if open_window is not None and is_region:
        completable = [
            item
            for item in open_window.items.all()
            if stages.completion_refusal(user, assessment, item.question) is None
        ]
    question_level = grading.is_question_level(assessment)
    refusal = stages.objection_refusal(user, assessment, process) if is_region and objecting else None
    page = StagesPage(
        assessment=assessment,
        process=process,
        is_admin=is_admin,
        is_region=is_region,
        letter=HandoverLetter.objects.filter(assessment=assessment).select_related("evidence", "version").first(),
        can_attach_letter=state == ReviewState.PROVINCE_VERIFICATION
        and not is_region
        and stages.handover_refusal(user, assessment) is None,
        visit=visit,
        hearings=list(ChildrenHearing.objects.filter(visit=visit))
        if visit and (with_questions or state == ReviewState.FIELD_VERIFICATION)
        else [],
        is_field_team=bool(visit)
        and state == ReviewState.FIELD_VERIFICATION
        and stages.field_team_refusal(user, assessment) is None,
        windows=windows,
        open_window=open_window,
        completable=completable,
        period=ObjectionPeriod.objects.filter(assessment=assessment).first() if announced else None,
        objections=[]
        if not announced
        else list(
            Objection.objects.filter(assessment=assessment).select_related(
                "question__indicator", "evidence", "decided_by"
            )
        ),
        can_object=is_region and objecting and refusal is None,
        objection_refusal=refusal,
        questions=_questions(assessment) if question_level and with_questions else [],
        levels=[(level, grading.level_symbol(level)) for level in grading.levels_for(assessment.cycle.framework)],
    )
    page.next_steps = next_steps(page, user)
    return page


def next_steps(page: StagesPage, user: Viewer) -> list[str]:
    """What the person should do next about the real stages, in plain words (empty when nothing)."""
    state = page.process.state if page.process else ""
    steps: list[str] = []
    if state == ReviewState.PROVINCE_VERIFICATION and page.can_attach_letter and page.letter is None:
        steps.append(
            _(
                "Attach the governor's letter before approving: the province's approval hands the results to the "
                "ministry."
            )
        )
    if page.is_field_team and page.visit and not page.visit.has_agenda:
        steps.append(_("Set the field visit's agenda: date, online or on site, sites and team."))
    if page.is_field_team and page.visit and page.visit.has_agenda and not page.hearings:
        steps.append(_("Record the dialogue with children (Forum Anak) held during the visit."))
    if page.completable and page.open_window:
        steps.append(
            _("The field team asks for documents on %(count)s question(s) until %(when)s: add them on the stages page.")
            % {"count": len(page.completable), "when": format_datetime(page.open_window.closes_at)}
        )
    if page.can_object and page.period:
        steps.append(
            _(
                "The provisional results are announced: object to a question's grade until %(when)s, or say you "
                "have finished."
            )
            % {"when": format_datetime(page.period.closes_at)}
        )
    pending = [o for o in page.objections if o.decision == ObjectionDecision.PENDING]
    if page.is_admin and pending and state == ReviewState.OBJECTION:
        steps.append(_("Decide the region's %(count)s objection(s), each with a reason.") % {"count": len(pending)})
    if page.is_region and state == ReviewState.FIELD_VERIFICATION and page.visit and page.visit.has_agenda:
        steps.append(
            _("Field verification visit on %(date)s: prepare the sites listed on the stages page.")
            % {"date": format_date(page.visit.visit_date)}
        )
    return steps
