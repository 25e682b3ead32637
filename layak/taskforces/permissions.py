"""Who may read and change a kab/kota's KLA registers (Gugus Tugas, meetings, trainings).

The region coordinator (DP3A) of the kab/kota and national admins change them; anyone else whose grants cover
the region (its OPD contributors, its province's users, national reviewers) reads them; everyone else gets 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from layak.accounts.choices import Role
from layak.accounts.selectors import user_can_see_region, user_has_role, user_is_national_admin
from layak.regions.models import Region


def can_edit_register(user, region_code: str) -> bool:
    """True for the region's coordinator and national admins."""
    return user_is_national_admin(user) or user_has_role(user, [Role.REGION_COORDINATOR], region_code)


def can_read_register(user, region_code: str) -> bool:
    """True for anyone whose grants cover the region."""
    return user_can_see_region(user, region_code)


def check_edit_register(user, region: Region) -> None:
    """Raises PermissionDenied (with what to do) unless the user may change the region's registers."""
    if not can_edit_register(user, region.code):
        raise PermissionDenied(
            _("Only the KLA coordinator of %(region)s can change this register; ask them to make the change.")
            % {"region": region.name}
        )
