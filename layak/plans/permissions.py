"""Who may change a RAD action: the region coordinator, or an OPD contributor of the action's owner agency."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from layak.evaluations.permissions import contributor_agency_ids
from layak.registers.access import can_edit_register

from .models import Action


def can_edit_action(user, action: Action) -> bool:
    """True for the coordinator of the plan's region and for contributors of the agency that owns the action."""
    region_code = action.plan.region_id
    if can_edit_register(user, region_code):
        return True
    return action.agency_id is not None and action.agency_id in contributor_agency_ids(user, region_code)


def check_edit_action(user, action: Action) -> None:
    if not can_edit_action(user, action):
        raise PermissionDenied(
            _("Only the coordinator or the owner OPD of this activity may change it. Ask your DP3A coordinator.")
        )
