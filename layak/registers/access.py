"""Who may read and change a kab/kota's KLA registers (Gugus Tugas, trainings, RAD KLA, partners, Forum Anak,
the OPD list of the self-assessment).

The region coordinator (DP3A) of the kab/kota and national admins change them; everyone whose grants cover the
region (its OPD contributors, its province's users, national roles) reads them; anyone else finds nothing: the
pages answer 404, never revealing that the region's register exists.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from layak.accounts.choices import Role
from layak.accounts.selectors import Viewer, user_can_see_region, user_has_role, user_is_national_admin
from layak.regions.choices import RegionLevel
from layak.regions.models import Region


def can_read_register(user: Viewer, region_code: str) -> bool:
    """True for anyone whose grants cover the region (its own people, its province, national roles)."""
    return user_can_see_region(user, region_code)


def can_edit_register(user: Viewer, region_code: str) -> bool:
    """True for the kab/kota's coordinator and for national admins."""
    return user_is_national_admin(user) or user_has_role(user, [Role.REGION_COORDINATOR], region_code)


def check_edit_register(user: Viewer, region: Region) -> None:
    """Raises PermissionDenied (saying whom to ask) unless the user may change the region's registers."""
    if not can_edit_register(user, region.code):
        raise PermissionDenied(
            _("Only the KLA coordinator of %(region)s can change this register; ask them to make the change.")
            % {"region": region.name}
        )


def kabkota_get_for_user(*, user: Viewer, code: str) -> Region:
    """The kab/kota whose registers the user asks for; 404 when it is not a kab/kota or is out of their scope."""
    region = Region.objects.filter(code=code, level=RegionLevel.KABKOTA).first()
    if region is None or not can_read_register(user, region.code):
        raise Http404
    return region
