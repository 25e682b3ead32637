"""Who is notified when verification moves, and what they are told (through `notifications.services.notify`).

The review services call `after_transition` and `after_publication` once, after their audit event; a rewrite of
the review services keeps these two calls. Recipients:

- revision requested: the region's coordinators and the OPD contributors of the agencies owning the indicators;
- revision answered (resubmitted): the reviewers assigned to that stage, else the people who may decide it;
- stage passed (approved): the region's coordinators;
- results published: the coordinators of every region with a finalised result in the cycle.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from layak.accounts.choices import Role
from layak.accounts.models import User
from layak.evaluations.models import Assessment, Cycle, IndicatorAssignment
from layak.notifications.choices import NotificationKind
from layak.notifications.services import notify

from . import workflow
from .choices import ReviewAction, ReviewState, ScoreStage
from .models import ReviewerAssignment, ReviewProcess


def _both_languages(label: Any) -> dict[str, str]:
    """A label in both languages, so the notification reads in whichever its reader uses."""
    names = {}
    for code in ("id", "en"):
        with translation.override(code):
            names[code] = str(label)
    return names


def _coordinators(region_codes: list[str]) -> list[int]:
    return list(
        User.objects.filter(roles__role=Role.REGION_COORDINATOR, roles__region_id__in=region_codes)
        .values_list("pk", flat=True)
        .distinct()
    )


def _owners(assessment: Assessment, codes: list[str]) -> list[int]:
    """The OPD contributors of the agencies the indicators are assigned to, and the people named on them."""
    assignments = IndicatorAssignment.objects.filter(assessment=assessment, indicator__code__in=codes)
    agencies = list(assignments.values_list("agency_id", flat=True))
    named = list(assignments.values_list("contributors", flat=True))
    people = User.objects.filter(roles__role=Role.OPD_CONTRIBUTOR, roles__agency_id__in=agencies)
    return [pk for pk in {*people.values_list("pk", flat=True), *named} if pk]


def _deciders(assessment: Assessment, stage: str) -> list[int]:
    """The reviewers assigned to the stage; when none is, everyone whose role may decide it over the region."""
    assigned = list(
        ReviewerAssignment.objects.filter(assessment=assessment, stage=stage).values_list("reviewer_id", flat=True)
    )
    if assigned:
        return assigned
    roles = workflow.PROVINCE_ROLES if stage == ScoreStage.PROVINCE else workflow.CENTRAL_ROLES
    province = assessment.region.parent_id
    scope = Q(roles__region__isnull=True) | Q(roles__region_id=province)
    return list(User.objects.filter(scope, roles__role__in=roles).values_list("pk", flat=True).distinct())


def after_transition(*, assessment: Assessment, action: str, before: str, after: str, extra: dict[str, Any]) -> None:
    """Notifies the people a workflow step concerns (called by `services.review_transition`)."""
    review = reverse("reviews:assessment_review", args=[assessment.pk])
    facts = {"region": assessment.region.name, "stage": _both_languages(ReviewState(before).label)}
    if action == ReviewAction.REQUEST_REVISION:
        codes = list(extra.get("indicators", {}))
        users = _coordinators([assessment.region_id]) + _owners(assessment, codes)
        params = facts | {"indicators": codes, "deadline": extra.get("deadline", "")}
        notify(users=users, kind=NotificationKind.REVISION_REQUESTED, url=review, params=params)
    elif action == ReviewAction.RESUBMIT:
        users = _deciders(assessment, workflow.STATE_STAGE[after])
        params = facts | {"stage": _both_languages(ReviewState(after).label)}
        notify(users=users, kind=NotificationKind.REVISION_ANSWERED, url=review, params=params)
    elif action == ReviewAction.APPROVE:
        params = facts | {"next": _both_languages(ReviewState(after).label)}
        notify(
            users=_coordinators([assessment.region_id]), kind=NotificationKind.STAGE_PASSED, url=review, params=params
        )


def after_publication(*, cycle: Cycle) -> None:
    """Tells the coordinators of every region with a finalised result that the results are public."""
    finalised = ReviewProcess.objects.filter(assessment__cycle=cycle, state=ReviewState.FINALISED)
    for region_code, region_name in finalised.values_list("assessment__region_id", "assessment__region__name"):
        url = reverse("dashboards:region", args=[region_code])
        params = {"region": region_name, "cycle": cycle.name}
        notify(users=_coordinators([region_code]), kind=NotificationKind.RESULTS_PUBLISHED, url=url, params=params)
