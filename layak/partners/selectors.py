"""Reads of a region's partners, scoped to the user; a fixed number of queries whatever their number."""

from __future__ import annotations

from django.db.models import Count, Max, QuerySet
from django.http import Http404

from layak.accounts.selectors import Viewer
from layak.regions.models import Region
from layak.registers.access import can_read_register

from .models import Commitment, Contribution, Partner


def partner_list_for_region(*, region: Region) -> QuerySet[Partner]:
    """The region's partners with their number of contributions and the date of the latest (one query)."""
    return (
        Partner.objects.filter(region=region)
        .annotate(contribution_count=Count("contributions"), last_contribution=Max("contributions__date"))
        .order_by("kind", "name")
    )


def partner_get_for_user(*, user: Viewer, pk: int) -> Partner:
    """One partner with its region; 404 outside the user's regions."""
    partner = Partner.objects.select_related("region").filter(pk=pk).first()
    if partner is None or not can_read_register(user, partner.region_id):
        raise Http404
    return partner


def contribution_list(*, partner: Partner) -> QuerySet[Contribution]:
    return Contribution.objects.filter(partner=partner).select_related("indicator").order_by("-date", "-pk")


def commitment_list_for_region(*, region: Region) -> QuerySet[Commitment]:
    return Commitment.objects.filter(region=region).select_related("document").order_by("-date", "-pk")


def contributions_for_region(*, region: Region) -> QuerySet[Contribution]:
    """Every contribution of the region's partners, newest first (for the API)."""
    return Contribution.objects.filter(partner__region=region).select_related("indicator").order_by("-date", "-pk")
