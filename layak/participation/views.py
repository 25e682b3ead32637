"""HTML pages of the Forum Anak register: thin wrappers around the selectors and services."""

from __future__ import annotations

import copy

from django.contrib.auth.decorators import login_required
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from layak.registers.access import can_edit_register, check_edit_register, kabkota_get_for_user
from layak.registers.views import DetailPage, form_view

from . import selectors, services
from .forms import ActivityForm, FollowUpForm, ForumForm, InputForm


@login_required
def region_forums(request: HttpRequest, region_code: str) -> HttpResponse:
    """The kab/kota's Forum Anak at every level and the children's inputs with their follow-up."""
    kabkota = kabkota_get_for_user(user=request.user, code=region_code)
    context = {
        "region": kabkota,
        "forums": selectors.forum_list_for_region(kabkota=kabkota),
        "inputs": selectors.input_list_for_region(kabkota=kabkota)[:50],
        "can_manage": can_edit_register(request.user, kabkota.code),
    }
    return render(request, "participation/region_forums.html", context)


@login_required
def forum_create(request: HttpRequest, region_code: str) -> HttpResponse:
    """A new Forum Anak of the kab/kota, a kecamatan or a desa/kelurahan."""
    kabkota = kabkota_get_for_user(user=request.user, code=region_code)
    check_edit_register(request.user, kabkota)
    form = ForumForm(request.POST or None, regions=selectors.kabkota_subregions(kabkota=kabkota))
    return form_view(
        request,
        form,
        lambda d: services.forum_create(user=request.user, kabkota=kabkota, **d),
        template="participation/forum_form.html",
        success=_("The forum was added."),
        region=kabkota,
    )


@login_required
def forum_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Changes a forum's name, SK, status or number of members."""
    forum = selectors.forum_get_for_user(user=request.user, pk=pk)
    check_edit_register(request.user, forum.kabkota)
    regions = selectors.kabkota_subregions(kabkota=forum.kabkota)
    # A copy: validating must not change the forum before the service records what it was.
    form = ForumForm(request.POST or None, instance=copy.copy(forum), regions=regions)
    return form_view(
        request,
        form,
        lambda d: services.forum_update(user=request.user, forum=forum, **d),
        template="participation/forum_form.html",
        success=_("The forum was updated."),
        region=forum.kabkota,
        forum=forum,
    )


def _forum_context(request: HttpRequest, forum, **forms) -> dict:
    return {
        "forum": forum,
        "region": forum.kabkota,
        "activities": selectors.forum_activities(forum=forum),
        "inputs": selectors.forum_inputs(forum=forum),
        "can_manage": can_edit_register(request.user, forum.kabkota_id),
        "activity_form": forms.get("activity_form") or ActivityForm(),
        "input_form": forms.get("input_form") or InputForm(),
    }


@login_required
def forum_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A forum, its activities and its inputs to policies and Musrenbang."""
    forum = selectors.forum_get_for_user(user=request.user, pk=pk)
    return render(request, "participation/forum_detail.html", _forum_context(request, forum))


FORUM_PAGE = DetailPage("participation/forum_detail.html", "forum", selectors.forum_get_for_user, _forum_context)
activity_create = FORUM_PAGE.post_view(
    "activity_form", ActivityForm, services.forum_activity_create, gettext_lazy("The activity was recorded.")
)
input_create = FORUM_PAGE.post_view(
    "input_form", InputForm, services.child_input_create, gettext_lazy("The input was recorded.")
)


@login_required
def input_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """Records what became of an input."""
    child_input = selectors.input_get_for_user(user=request.user, pk=pk)
    check_edit_register(request.user, child_input.forum.kabkota)
    form = FollowUpForm(request.POST or None, initial=model_to_dict(child_input))
    return form_view(
        request,
        form,
        lambda d: services.child_input_follow_up(user=request.user, child_input=child_input, **d),
        template="participation/input_follow_up.html",
        success=_("The follow-up was saved."),
        redirect_to=lambda saved: child_input.forum,
        child_input=child_input,
        forum=child_input.forum,
        region=child_input.forum.kabkota,
    )
