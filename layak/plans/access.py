"""Who may read and change a kab/kota's KLA registers: the RAD KLA, partners and Forum Anak.

The region coordinator (DP3A) of the kab/kota and national admins change them; an OPD contributor may change
the RAD actions its agency owns; everyone whose grants cover the region (province verifiers, national roles,
the region's own people) reads them. Anyone else finds nothing: the pages answer 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from layak.accounts.choices import Role
from layak.accounts.selectors import user_can_see_region, user_has_role, user_is_national_admin
from layak.regions.choices import RegionLevel
from layak.regions.models import Region


def can_read_region(user, region_code: str) -> bool:
    """True if the user's grants cover the kab/kota (its own people, its province, national roles)."""
    return user_can_see_region(user, region_code)


def can_manage_region(user, region_code: str) -> bool:
    """True for the kab/kota's coordinator and for national admins."""
    return user_is_national_admin(user) or user_has_role(user, [Role.REGION_COORDINATOR], region_code)


def check_manage_region(user, region: Region) -> None:
    """Raises PermissionDenied unless the user may change the region's registers."""
    if not can_manage_region(user, region.code):
        raise PermissionDenied(
            _("Only the coordinator of %(region)s may change this. Ask your DP3A coordinator.") % {"region": region}
        )


def kabkota_get_for_user(*, user, code: str) -> Region:
    """The kab/kota whose registers the user asks for; 404 when it is not a kab/kota or out of the user's scope."""
    region = Region.objects.filter(code=code, level=RegionLevel.KABKOTA).first()
    if region is None or not can_read_region(user, region.code):
        raise Http404
    return region
