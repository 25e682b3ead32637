"""HTML pages of the Forum Anak register: thin wrappers around the selectors and services."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from layak.common.forms import save_form
from layak.plans.access import can_manage_region, kabkota_get_for_user

from . import selectors, services
from .forms import ActivityForm, FollowUpForm, ForumForm, InputForm


def _require_manage(user, kabkota) -> None:
    if not can_manage_region(user, kabkota.code):
        raise PermissionDenied


@login_required
def region_forums(request: HttpRequest, region_code: str) -> HttpResponse:
    """The kab/kota's Forum Anak at every level and the children's inputs with their follow-up."""
    kabkota = kabkota_get_for_user(user=request.user, code=region_code)
    context = {
        "region": kabkota,
        "forums": selectors.forum_list_for_region(kabkota=kabkota),
        "inputs": selectors.input_list_for_region(kabkota=kabkota)[:50],
        "can_manage": can_manage_region(request.user, kabkota.code),
    }
    return render(request, "participation/region_forums.html", context)


@login_required
def forum_create(request: HttpRequest, region_code: str) -> HttpResponse:
    """A new Forum Anak of the kab/kota, a kecamatan or a desa/kelurahan."""
    kabkota = kabkota_get_for_user(user=request.user, code=region_code)
    _require_manage(request.user, kabkota)
    form = ForumForm(request.POST or None, regions=selectors.kabkota_subregions(kabkota=kabkota))
    if request.method == "POST":
        forum = save_form(form, lambda d: services.forum_create(user=request.user, kabkota=kabkota, **d))
        if forum:
            messages.success(request, _("The forum was added."))
            return redirect(forum)
    context = {"form": form, "region": kabkota}
    return render(request, "participation/forum_form.html", context, status=400 if form.errors else 200)


@login_required
def forum_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Changes a forum's name, SK, status or number of members."""
    forum = selectors.forum_get_for_user(user=request.user, pk=pk)
    _require_manage(request.user, forum.kabkota)
    regions = selectors.kabkota_subregions(kabkota=forum.kabkota)
    # A copy: validating must not change the forum before the service records what it was.
    form = ForumForm(request.POST or None, instance=copy.copy(forum), regions=regions)
    if request.method == "POST":
        saved = save_form(form, lambda d: services.forum_update(user=request.user, forum=forum, **d))
        if saved:
            messages.success(request, _("The forum was updated."))
            return redirect(saved)
    context = {"form": form, "region": forum.kabkota, "forum": forum}
    return render(request, "participation/forum_form.html", context, status=400 if form.errors else 200)


def _forum_context(request: HttpRequest, forum, **forms) -> dict:
    return {
        "forum": forum,
        "region": forum.kabkota,
        "activities": selectors.forum_activities(forum=forum),
        "inputs": selectors.forum_inputs(forum=forum),
        "can_manage": can_manage_region(request.user, forum.kabkota_id),
        "activity_form": forms.get("activity_form") or ActivityForm(),
        "input_form": forms.get("input_form") or InputForm(),
    }


@login_required
def forum_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A forum, its activities and its inputs to policies and Musrenbang."""
    forum = selectors.forum_get_for_user(user=request.user, pk=pk)
    return render(request, "participation/forum_detail.html", _forum_context(request, forum))


@login_required
@require_POST
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Records an activity of the forum."""
    forum = selectors.forum_get_for_user(user=request.user, pk=pk)
    form = ActivityForm(request.POST)
    if save_form(form, lambda d: services.forum_activity_create(user=request.user, forum=forum, **d)):
        messages.success(request, _("The activity was recorded."))
        return redirect(forum)
    context = _forum_context(request, forum, activity_form=form)
    return render(request, "participation/forum_detail.html", context, status=400)


@login_required
@require_POST
def input_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Records children's input to a policy or a Musrenbang."""
    forum = selectors.forum_get_for_user(user=request.user, pk=pk)
    form = InputForm(request.POST)
    if save_form(form, lambda d: services.child_input_create(user=request.user, forum=forum, **d)):
        messages.success(request, _("The input was recorded."))
        return redirect(forum)
    context = _forum_context(request, forum, input_form=form)
    return render(request, "participation/forum_detail.html", context, status=400)


@login_required
def input_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """Records what became of an input."""
    child_input = selectors.input_get_for_user(user=request.user, pk=pk)
    _require_manage(request.user, child_input.forum.kabkota)
    form = FollowUpForm(request.POST or None, initial=model_to_dict(child_input))
    if request.method == "POST":
        call = save_form(
            form, lambda d: services.child_input_follow_up(user=request.user, child_input=child_input, **d)
        )
        if call:
            messages.success(request, _("The follow-up was saved."))
            return redirect(child_input.forum)
    context = {
        "form": form,
        "child_input": child_input,
        "forum": child_input.forum,
        "region": child_input.forum.kabkota,
    }
    return render(request, "participation/input_follow_up.html", context, status=400 if form.errors else 200)
