"""Who sees readiness flags and who may mark one as wrong.

The region's own people see the flags of the indicators they may see (an OPD its own, the DP3A coordinator all);
reviewers of the assessment and province verifiers see every flag and may mark one as wrong (a head start for
verification, never a grade); a national admin may also turn a check off.
"""

from __future__ import annotations

from layak.accounts.choices import Role
from layak.accounts.selectors import user_has_role, user_is_national_admin
from layak.evaluations.models import Assessment
from layak.evaluations.permissions import sees_all_indicators
from layak.reviews.permissions import is_reviewer_of

VERIFIER_ROLES = [Role.PROVINCE_VERIFIER, Role.PROVINCE_COORDINATOR, Role.INDEPENDENT_EVALUATOR]


def can_mark_wrong(user, assessment: Assessment) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        user_is_national_admin(user)
        or is_reviewer_of(user, assessment)
        or user_has_role(user, VERIFIER_ROLES, assessment.region_id)
    )


def sees_every_flag(user, assessment: Assessment) -> bool:
    """False for an OPD contributor, who sees only the flags of the indicators assigned to their agency."""
    return sees_all_indicators(user, assessment)


def can_run(user, assessment: Assessment) -> bool:
    """May ask for the checks to run again now: the region's coordinator or a national admin."""
    return user_is_national_admin(user) or user_has_role(user, [Role.REGION_COORDINATOR], assessment.region_id)
