"""Scoped reads of Kelana/Dekela: a kab/kota's kecamatan and desa, one area, its invitations. Bounded queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from layak.accounts.choices import Role
from layak.accounts.models import RoleAssignment, User
from layak.accounts.selectors import Viewer, user_can_see_region
from layak.regions.choices import RegionLevel
from layak.regions.models import Region

from .models import Invitation


def area_get_for_user(*, user: Viewer, code: str) -> Region:
    """A kecamatan or desa/kelurahan the user may see (its operators, the camat above a desa, the kab/kota and
    province people, national roles); 404 otherwise."""
    region = Region.objects.select_related("parent", "parent__parent").filter(code=code).first()
    if region is None or region.level not in (RegionLevel.KECAMATAN, RegionLevel.DESA):
        raise Http404
    if not user_can_see_region(user, region.code):
        raise Http404
    return region


@dataclass(frozen=True)
class AreaRow:
    """One kecamatan (or desa) in a list: how many desa it has, operators and open invitations."""

    region: Region
    desa: int
    operators: int
    invited: int


def _operator_counts(codes_prefix: str, level: int) -> dict[str, int]:
    roles = [Role.KECAMATAN_OPERATOR, Role.DESA_OPERATOR]
    rows = (
        RoleAssignment.objects.filter(role__in=roles, region__level=level, region__code__startswith=f"{codes_prefix}.")
        .values("region_id")
        .annotate(n=Count("id"))
    )
    return {r["region_id"]: r["n"] for r in rows}


def _open_invitations(kabkota: str, level: int) -> dict[str, int]:
    rows = (
        Invitation.objects.filter(
            kabkota_id=kabkota, region__level=level, used_at__isnull=True, expires_at__gt=timezone.now()
        )
        .values("region_id")
        .annotate(n=Count("id"))
    )
    return {r["region_id"]: r["n"] for r in rows}


def kecamatan_list_for_kabkota(*, region: Region) -> list[AreaRow]:
    """The kab/kota's kecamatan with their desa count, operators and open invitations (four queries)."""
    kecamatan = list(Region.objects.filter(parent_id=region.code).order_by("code"))
    desa = dict(
        Region.objects.filter(level=RegionLevel.DESA, code__startswith=f"{region.code}.")
        .values_list("parent_id")
        .annotate(n=Count("code"))
        .values_list("parent_id", "n")
    )
    operators = _operator_counts(region.code, RegionLevel.KECAMATAN)
    invited = _open_invitations(region.code, RegionLevel.KECAMATAN)
    return [AreaRow(k, desa.get(k.code, 0), operators.get(k.code, 0), invited.get(k.code, 0)) for k in kecamatan]


def desa_list_for_kecamatan(*, region: Region) -> list[AreaRow]:
    """The kecamatan's desa/kelurahan with their operators and open invitations (three queries)."""
    desa = list(Region.objects.filter(parent_id=region.code).order_by("code"))
    operators = _operator_counts(region.code, RegionLevel.DESA)
    kabkota = region.code.rsplit(".", 1)[0]
    invited = {
        code: n
        for code, n in _open_invitations(kabkota, RegionLevel.DESA).items()
        if code.startswith(f"{region.code}.")
    }
    return [AreaRow(d, 0, operators.get(d.code, 0), invited.get(d.code, 0)) for d in desa]


@dataclass(frozen=True)
class InvitationSummary:
    issued: int
    used: int
    open: int
    expired: int


def invitation_summary_for_kabkota(*, region: Region) -> InvitationSummary:
    """How many invitations the kab/kota issued, how many were used, are still open, or expired (one query)."""
    now = timezone.now()
    counts = Invitation.objects.filter(kabkota=region).aggregate(
        issued=Count("id"),
        used=Count("id", filter=Q(used_at__isnull=False)),
        open=Count("id", filter=Q(used_at__isnull=True, expires_at__gt=now)),
    )
    return InvitationSummary(
        counts["issued"], counts["used"], counts["open"], counts["issued"] - counts["used"] - counts["open"]
    )


def area_list_for_user(*, user: Viewer) -> list[Region]:
    """The kecamatan and desa/kelurahan the user operates (their kecamatan and desa operator roles)."""
    if not isinstance(user, User) or not user.is_authenticated:
        return []
    return list(
        Region.objects.filter(
            roleassignment__user=user,
            roleassignment__role__in=[Role.KECAMATAN_OPERATOR, Role.DESA_OPERATOR],
        )
        .distinct()
        .order_by("code")
    )
