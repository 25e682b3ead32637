"""Who may act on a review, on top of the workflow table's roles and the region scoping of accounts.

- A reviewer acts only at a stage they were assigned to by a national admin (national admins need no
  assignment: they run the evaluation);
- nobody reviews a region where they declared a conflict of interest, nor their own region (a region
  coordinator or OPD grant covering it);
- scores beyond the region's own self-score are seen, before the cycle's results are published, only by the
  region itself, its assigned reviewers and national admins.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Concat, Left, Length
from django.utils.translation import gettext as _

from layak.accounts.choices import Role
from layak.accounts.selectors import user_grants, user_has_role, user_is_national_admin
from layak.evaluations.models import Assessment
from layak.evaluations.publication import results_published

from .choices import REVIEW_STAGES, ReviewAction, ReviewState
from .models import ConflictDeclaration, ReviewerAssignment, ReviewProcess
from .workflow import SCORING_STATES, STATE_STAGE, Transition, transition_for

REGION_ROLES = frozenset({Role.REGION_COORDINATOR, Role.OPD_CONTRIBUTOR})
REVIEWER_ROLES = frozenset(
    {Role.PROVINCE_VERIFIER, Role.PROVINCE_COORDINATOR, Role.INDEPENDENT_EVALUATOR, Role.NATIONAL_ADMIN}
)


@dataclass(frozen=True)
class Duties:
    """What the database says about one user and one assessment, read with the assessment in one query
    (`duty_annotations`): the stages they are assigned to and whether they declared a conflict with its region."""

    user_id: int
    stages: frozenset[str]
    conflict: bool


DUTIES_ATTRIBUTE = "_layak_duties"


def duty_annotations(user) -> dict[str, Exists]:
    """Annotations of an Assessment queryset saying, for `user`, each stage they are assigned to and whether
    they declared a conflict with the region or a region above it (the code's prefix up to a dot)."""
    assigned = ReviewerAssignment.objects.filter(assessment=OuterRef("pk"), reviewer_id=user.pk)
    conflicts = (
        ConflictDeclaration.objects.filter(reviewer_id=user.pk)
        .annotate(prefix=Concat("region_id", Value(".")))
        .filter(Q(region_id=OuterRef("region_id")) | Q(prefix=Left(OuterRef("region_id"), Length("prefix"))))
    )
    return {f"duty_{stage}": Exists(assigned.filter(stage=stage)) for stage in REVIEW_STAGES} | {
        "duty_conflict": Exists(conflicts)
    }


def remember_duties(user, assessment: Assessment) -> None:
    """Keeps the annotated duties on the assessment object, for the checks of this request (reads only: a
    service that changes assignments calls `forget_duties`)."""
    stages = frozenset(stage for stage in REVIEW_STAGES if getattr(assessment, f"duty_{stage}", False))
    duties = Duties(user.pk, stages, bool(getattr(assessment, "duty_conflict", False)))
    setattr(assessment, DUTIES_ATTRIBUTE, duties)


def forget_duties(assessment: Assessment) -> None:
    assessment.__dict__.pop(DUTIES_ATTRIBUTE, None)


def _duties(user, assessment: Assessment) -> Duties | None:
    duties: Duties | None = getattr(assessment, DUTIES_ATTRIBUTE, None)
    return duties if duties is not None and duties.user_id == user.pk else None


def is_own_region(user, region_code: str) -> bool:
    """True when the user works for the region itself (coordinator or OPD): they cannot review it."""
    return any(g.role in REGION_ROLES and g.covers(region_code) for g in user_grants(user))


def declared_conflict(user, region_code: str) -> ConflictDeclaration | None:
    """The user's conflict declaration covering the region (the region itself or one above it), if any."""
    ancestors = [".".join(region_code.split(".")[:n]) for n in range(1, region_code.count(".") + 2)]
    return ConflictDeclaration.objects.filter(reviewer_id=user.pk, region_id__in=ancestors).first()


def is_assigned(user, assessment: Assessment, stage: str) -> bool:
    duties = _duties(user, assessment)
    if duties is not None:
        return stage in duties.stages
    return ReviewerAssignment.objects.filter(assessment=assessment, stage=stage, reviewer_id=user.pk).exists()


def refusal(user, assessment: Assessment, transition: Transition) -> str | None:
    """Why the user may not make this transition on this assessment (a translated message), or None."""
    if not holds_role(user, transition.roles, assessment.region_id):
        return _("Only these roles can do this at this stage: %(roles)s.") % {"roles": roles_text(transition.roles)}
    if transition.by_region:
        return None
    return reviewer_refusal(user, assessment, transition.state)


def reviewer_refusal(user, assessment: Assessment, state: str) -> str | None:
    """Why the user may not review this assessment in this state (own region, conflict, not assigned), or None."""
    if is_own_region(user, assessment.region_id):
        return _("You cannot review your own region.")
    duties = _duties(user, assessment)
    if duties.conflict if duties is not None else declared_conflict(user, assessment.region_id):
        return _("You declared a conflict of interest with this region, so you cannot review it.")
    stage = STATE_STAGE[state]
    if state in SCORING_STATES and not user_is_national_admin(user) and not is_assigned(user, assessment, stage):
        return _("You are not assigned to review this assessment at this stage. Ask a national admin to assign you.")
    return None


def holds_role(user, roles: frozenset[str], region_code: str) -> bool:
    """True if the user holds one of the roles over the region (national admins via superuser too)."""
    if Role.NATIONAL_ADMIN in roles and user_is_national_admin(user):
        return True
    return user_has_role(user, roles, region_code)


def roles_text(roles: frozenset[str]) -> str:
    """The roles' names, for messages (for example “Province coordinator, Province verifier”)."""
    return ", ".join(sorted(str(Role(role).label) for role in roles))


def can_score(user, assessment: Assessment, process: ReviewProcess | None) -> bool:
    """True when the user may score indicators now: the roles that may approve this state, and no refusal."""
    if process is None or process.state not in SCORING_STATES:
        return False
    approve = transition_for(process.state, ReviewAction.APPROVE)
    return approve is not None and refusal(user, assessment, approve) is None


def is_reviewer_of(user, assessment: Assessment) -> bool:
    """A national admin, or someone assigned to review this assessment at any stage."""
    if user_is_national_admin(user):
        return True
    duties = _duties(user, assessment)
    if duties is not None:
        return bool(duties.stages)
    return ReviewerAssignment.objects.filter(assessment=assessment, reviewer_id=user.pk).exists()


def sees_verified_scores(user, assessment: Assessment, process: ReviewProcess | None) -> bool:
    """May the user see scores beyond the self-score? Region, reviewers, national admins; others after publication."""
    if is_own_region(user, assessment.region_id) or is_reviewer_of(user, assessment):
        return True
    published = results_published(assessment.cycle.results_published_at)
    return published and process is not None and process.state == ReviewState.FINALISED
