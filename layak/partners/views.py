"""HTML pages of the partner register: thin wrappers around the selectors and services."""

from __future__ import annotations

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
from .forms import CommitmentForm, ContributionForm, PartnerForm


def _region_context(request: HttpRequest, region, **forms) -> dict:
    return {
        "region": region,
        "partners": selectors.partner_list_for_region(region=region),
        "commitments": selectors.commitment_list_for_region(region=region),
        "can_manage": can_manage_region(request.user, region.code),
        "partner_form": forms.get("partner_form") or PartnerForm(),
        "commitment_form": forms.get("commitment_form") or CommitmentForm(),
    }


@login_required
def region_partners(request: HttpRequest, region_code: str) -> HttpResponse:
    """The kab/kota's partners (business, NGO, media) and the commitments signed with them."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    return render(request, "partners/region_partners.html", _region_context(request, region))


@login_required
@require_POST
def partner_create(request: HttpRequest, region_code: str) -> HttpResponse:
    """Adds a partner organisation."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    form = PartnerForm(request.POST)
    partner = save_form(form, lambda d: services.partner_create(user=request.user, region=region, **d))
    if partner:
        messages.success(request, _("%(name)s was added. Record its contributions below.") % {"name": partner})
        return redirect(partner)
    context = _region_context(request, region, partner_form=form)
    return render(request, "partners/region_partners.html", context, status=400)


@login_required
@require_POST
def commitment_create(request: HttpRequest, region_code: str) -> HttpResponse:
    """Records a kesepakatan or deklarasi with its signed document."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    form = CommitmentForm(request.POST, request.FILES)
    if save_form(
        form, lambda d: services.commitment_create(user=request.user, region=region, upload=d.pop("file"), **d)
    ):
        messages.success(request, _("The commitment was recorded."))
        return redirect("partners:region_partners", region.code)
    context = _region_context(request, region, commitment_form=form)
    return render(request, "partners/region_partners.html", context, status=400)


def _partner_context(request: HttpRequest, partner, contribution_form=None) -> dict:
    return {
        "partner": partner,
        "region": partner.region,
        "contributions": selectors.contribution_list(partner=partner),
        "can_manage": can_manage_region(request.user, partner.region_id),
        "contribution_form": contribution_form or ContributionForm(),
    }


@login_required
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A partner and everything it contributed, newest first."""
    partner = selectors.partner_get_for_user(user=request.user, pk=pk)
    return render(request, "partners/partner_detail.html", _partner_context(request, partner))


@login_required
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Changes a partner's name, kind or APSAI membership."""
    partner = selectors.partner_get_for_user(user=request.user, pk=pk)
    if not can_manage_region(request.user, partner.region_id):
        raise PermissionDenied
    form = PartnerForm(request.POST or None, initial=model_to_dict(partner))
    if request.method == "POST":
        saved = save_form(form, lambda d: services.partner_update(user=request.user, partner=partner, **d))
        if saved:
            messages.success(request, _("The partner was updated."))
            return redirect(saved)
    context = {"form": form, "partner": partner, "region": partner.region}
    return render(request, "partners/partner_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def contribution_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Records a contribution of the partner."""
    partner = selectors.partner_get_for_user(user=request.user, pk=pk)
    form = ContributionForm(request.POST)
    if save_form(form, lambda d: services.contribution_create(user=request.user, partner=partner, **d)):
        messages.success(request, _("The contribution was recorded."))
        return redirect(partner)
    context = _partner_context(request, partner, form)
    return render(request, "partners/partner_detail.html", context, status=400)
