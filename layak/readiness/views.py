"""Readiness pages: an assessment's readiness (likely verified score, risks, fixes), running the checks again,
a verifier marking a flag as wrong, and the national admin's list of checks (counts, on/off)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from layak.accounts.selectors import user_is_national_admin
from layak.evaluations.selectors import assessment_get_for_user

from . import permissions, selectors, services
from .models import Flag


@login_required
def assessment_readiness(request: HttpRequest, pk: int) -> HttpResponse:
    """What verifiers will likely mark down: per item status and points at risk, likely score, fixes first."""
    assessment = assessment_get_for_user(request.user, pk)
    readiness = selectors.readiness_for_assessment(user=request.user, assessment=assessment)
    context = {
        "r": readiness,
        "assessment": assessment,
        "can_run": permissions.can_run(request.user, assessment),
        "can_mark": permissions.can_mark_wrong(request.user, assessment),
    }
    return render(request, "readiness/assessment_readiness.html", context)


@login_required
@require_POST
def assessment_run(request: HttpRequest, pk: int) -> HttpResponse:
    """Runs the checks of the assessment now (they also run by themselves after every change)."""
    assessment = assessment_get_for_user(request.user, pk)
    if not permissions.can_run(request.user, assessment):
        raise PermissionDenied(_("Only the region's coordinator can run the checks."))
    result = services.run_readiness(assessment.pk)
    messages.success(
        request,
        _("Checks done: %(items)s items checked, %(flags)s problems found.")
        % {"items": result.items, "flags": result.flags},
    )
    return redirect("readiness:assessment_readiness", pk=assessment.pk)


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@login_required
@require_POST
def flag_mark_wrong(request: HttpRequest, pk: int) -> HttpResponse:
    """A verifier marks a flag as wrong (counted per check)."""
    flag = get_object_or_404(Flag.objects.select_related("indicator"), pk=pk)
    assessment = assessment_get_for_user(request.user, flag.assessment_id)
    flag.assessment = assessment
    try:
        services.flag_mark_wrong(user=request.user, flag=flag, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Marked as wrong; it no longer counts against the likely score."))
    return redirect(_back(request, reverse("readiness:assessment_readiness", args=[assessment.pk])))


@login_required
def check_list(request: HttpRequest) -> HttpResponse:
    """Every check with its flags and the marks "wrong" counted; a national admin turns checks on and off."""
    if not user_is_national_admin(request.user):
        raise PermissionDenied(_("Only a national admin can see and change the readiness checks."))
    if request.method == "POST":
        try:
            services.check_set_enabled(
                user=request.user, check_code=request.POST.get("check", ""), enabled=request.POST.get("enabled") == "1"
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return render(request, "readiness/check_list.html", {"checks": selectors.check_stats()}, status=400)
        messages.success(request, _("Saved."))
        return redirect("readiness:check_list")
    return render(request, "readiness/check_list.html", {"checks": selectors.check_stats()})
