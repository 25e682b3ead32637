"""The OPDs (agencies) of a kab/kota as its region coordinator manages them for the self-assessment.

Agencies are `accounts.Agency`; these services and selectors live here because the coordinator adds and
renames them while organising the evaluation (assigning indicators to OPDs and naming their contributors).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from layak.accounts.choices import Role
from layak.accounts.models import Agency, User
from layak.accounts.selectors import user_can_see_region
from layak.audit.services import active_set, audit_record
from layak.regions.choices import RegionLevel
from layak.regions.models import Region
from layak.registers.access import can_edit_register

NAME_MAX_LENGTH = 200
SHORT_NAME_MAX_LENGTH = 40


def agency_list_for_region(*, region: Region) -> QuerySet[Agency]:
    """The region's OPDs by name, each with how many contributors it has (one query)."""
    return (
        Agency.objects.filter(region=region)
        .annotate(contributor_count=Count("roleassignment", filter=Q(roleassignment__role=Role.OPD_CONTRIBUTOR)))
        .order_by("name")
    )


def agency_get_for_user(*, user, pk: int) -> Agency:
    """One OPD of a region the user may see; 404 otherwise."""
    agency = Agency.objects.select_related("region").filter(pk=pk).first()
    if agency is None or not user_can_see_region(user, agency.region_id):
        raise Http404
    return agency


def contributor_choices(*, region_code: str) -> QuerySet[User]:
    """People who can be named on an assignment: the OPD contributors of the kab/kota (one query)."""
    return (
        User.objects.filter(roles__role=Role.OPD_CONTRIBUTOR, roles__region_id=region_code)
        .distinct()
        .order_by("full_name", "username")
    )


def _clean_names(region: Region, name: str, short_name: str, exclude: int | None = None) -> tuple[str, str]:
    name, short_name = name.strip(), short_name.strip()
    if not name:
        raise ValidationError(_("Give the OPD's full name, for example “Dinas Kesehatan”."))
    if len(name) > NAME_MAX_LENGTH or len(short_name) > SHORT_NAME_MAX_LENGTH:
        raise ValidationError(
            _("Keep the name under %(name)s and the short name under %(short)s characters.")
            % {"name": NAME_MAX_LENGTH, "short": SHORT_NAME_MAX_LENGTH}
        )
    if Agency.objects.filter(region=region, name__iexact=name).exclude(pk=exclude).exists():
        raise ValidationError(
            _("%(region)s already has an OPD named “%(name)s”.") % {"region": region.name, "name": name}
        )
    return name, short_name


def _check_manage(user, region: Region) -> None:
    if not can_edit_register(user, region.code):
        raise PermissionDenied(_("Only the region coordinator can manage the OPDs of %(region)s.") % {"region": region})
    if region.level != RegionLevel.KABKOTA:
        raise ValidationError(_("OPDs are managed per regency/city."))


@transaction.atomic
def agency_create(*, user: User, region: Region, name: str, short_name: str = "") -> Agency:
    """Adds an OPD to a kab/kota (for example Dinas Sosial) so indicators can be assigned to it."""
    _check_manage(user, region)
    name, short_name = _clean_names(region, name, short_name)
    agency = Agency.objects.create(region=region, name=name, short_name=short_name)
    audit_record(
        actor=user,
        verb="agency.created",
        target=agency,
        region_code=region.code,
        summary=name,
        after={"name": name, "short_name": short_name},
    )
    return agency


@transaction.atomic
def agency_update(*, user: User, agency: Agency, name: str, short_name: str = "") -> Agency:
    """Renames an OPD (for example after a reorganisation); its assignments and contributors stay."""
    _check_manage(user, agency.region)
    before = {"name": agency.name, "short_name": agency.short_name}
    agency.name, agency.short_name = _clean_names(agency.region, name, short_name, exclude=agency.pk)
    agency.save(update_fields=["name", "short_name"])
    audit_record(
        actor=user,
        verb="agency.updated",
        target=agency,
        region_code=agency.region_id,
        summary=agency.name,
        before=before,
        after={"name": agency.name, "short_name": agency.short_name},
    )
    return agency


@transaction.atomic
def agency_set_active(*, user: User, agency: Agency, active: bool) -> Agency:
    """Deactivates an OPD (no longer offered for new assignments or accounts; its assignments, answers,
    evidence and people's accounts stay as they are) or reactivates it. Nothing is deleted."""
    _check_manage(user, agency.region)
    active_set(
        actor=user, target=agency, active=active, noun="agency", region_code=agency.region_id, summary=agency.name
    )
    return agency
    agency.is_active = active
    agency.save(update_fields=["is_active"])
    audit_record(
        actor=user,
        verb="agency.reactivated" if active else "agency.deactivated",
        target=agency,
        region_code=agency.region_id,
        summary=agency.name,
        before={"active": not active},
        after={"active": active},
    )
    return agency


def agency_choices(*, region_code: str, keep: Iterable[int | None] = ()) -> QuerySet[Agency]:
    """The OPDs offered on a form: the active ones of the kab/kota, plus those already chosen (`keep`), so an
    existing choice of a deactivated OPD stays as it is."""
    kept = [pk for pk in keep if pk]
    return Agency.objects.filter(Q(is_active=True) | Q(pk__in=kept), region_id=region_code).order_by("name")
