"""Reads of Forum Anak, scoped to the user; a fixed number of queries whatever the number of forums."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from layak.accounts.selectors import Viewer
from layak.regions.models import Region
from layak.registers.access import can_read_register

from .models import ChildInput, Forum, ForumActivity


def forum_list_for_region(*, kabkota: Region) -> QuerySet[Forum]:
    """The kab/kota's forums at every level with their region and numbers of activities and inputs."""
    return (
        Forum.objects.filter(kabkota=kabkota)
        .select_related("region")
        .annotate(activity_count=Count("activities", distinct=True), input_count=Count("inputs", distinct=True))
        .order_by("level", "region_id", "name")
    )


def forum_get_for_user(*, user: Viewer, pk: int) -> Forum:
    """One forum with its regions; 404 outside the user's regions."""
    forum = Forum.objects.select_related("kabkota", "region").filter(pk=pk).first()
    if forum is None or not can_read_register(user, forum.kabkota_id):
        raise Http404
    return forum


def forum_activities(*, forum: Forum) -> QuerySet[ForumActivity]:
    return ForumActivity.objects.filter(forum=forum).order_by("-date", "-pk")


def forum_inputs(*, forum: Forum) -> QuerySet[ChildInput]:
    return ChildInput.objects.filter(forum=forum).order_by("-date", "-pk")


def input_list_for_region(*, kabkota: Region) -> QuerySet[ChildInput]:
    """Every input of the kab/kota's forums, newest first, with its forum."""
    return ChildInput.objects.filter(forum__kabkota=kabkota).select_related("forum").order_by("-date", "-pk")


def input_get_for_user(*, user: Viewer, pk: int) -> ChildInput:
    child_input = ChildInput.objects.select_related("forum__kabkota").filter(pk=pk).first()
    if child_input is None or not can_read_register(user, child_input.forum.kabkota_id):
        raise Http404
    return child_input


def kabkota_subregions(*, kabkota: Region) -> QuerySet[Region]:
    """The kab/kota itself, its kecamatan and its desa/kelurahan, in tree order (a few hundred at most)."""
    return Region.objects.in_subtree(kabkota.code).order_by("code")
