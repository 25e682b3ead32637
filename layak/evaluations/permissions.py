"""Who may do what with an assessment, on top of the region scoping in `layak.accounts.selectors`.

The region coordinator (DP3A of the kab/kota) runs the assessment: sees and edits every indicator, assigns
indicators to OPDs and submits. An OPD contributor sees and edits only the indicators assigned to their
agency (or naming them). Province, national and independent reviewers see everything and edit nothing.
"""

from __future__ import annotations

from layak.accounts.choices import Role
from layak.accounts.selectors import user_grants, user_has_role, user_is_national_admin

from .models import Assessment, IndicatorAssignment


def is_region_coordinator(user, assessment: Assessment) -> bool:
    return user_has_role(user, [Role.REGION_COORDINATOR], assessment.region_id)


def contributor_agency_ids(user, region_code: str) -> set[int]:
    """The agencies (OPD) for which the user contributes in this kab/kota."""
    return {
        g.agency_id
        for g in user_grants(user)
        if g.role == Role.OPD_CONTRIBUTOR and g.agency_id is not None and g.covers(region_code)
    }


def sees_all_indicators(user, assessment: Assessment) -> bool:
    """False for someone whose only link to the region is as an OPD contributor."""
    return user_is_national_admin(user) or any(
        g.role != Role.OPD_CONTRIBUTOR and g.covers(assessment.region_id) for g in user_grants(user)
    )


def is_assigned_contributor(user, assessment: Assessment, assignment: IndicatorAssignment | None) -> bool:
    """True if the indicator is assigned to the user's agency or names the user (uses prefetched contributors)."""
    if assignment is None:
        return False
    if assignment.agency_id in contributor_agency_ids(user, assessment.region_id):
        return True
    return any(person.pk == user.pk for person in assignment.contributors.all())


def can_edit_indicator(user, assessment: Assessment, assignment: IndicatorAssignment | None) -> bool:
    """May this user change the answer to the indicator (leaving windows and submission aside)?"""
    return is_region_coordinator(user, assessment) or is_assigned_contributor(user, assessment, assignment)


def can_see_indicator(user, assessment: Assessment, assignment: IndicatorAssignment | None) -> bool:
    return sees_all_indicators(user, assessment) or is_assigned_contributor(user, assessment, assignment)


def may_contribute(user, assessment: Assessment) -> bool:
    """The region coordinator or an OPD contributor of the region (which indicators they may edit is separate)."""
    return is_region_coordinator(user, assessment) or bool(contributor_agency_ids(user, assessment.region_id))
