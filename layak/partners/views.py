"""HTML pages of the partner register: thin wrappers around the selectors and services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from layak.registers.access import can_edit_register, kabkota_get_for_user
from layak.registers.views import DetailPage, form_view, post_on_page

from . import selectors, services
from .forms import CommitmentForm, ContributionForm, PartnerForm


def _region_context(request: HttpRequest, region, **forms) -> dict:
    return {
        "region": region,
        "partners": selectors.partner_list_for_region(region=region),
        "commitments": selectors.commitment_list_for_region(region=region),
        "can_manage": can_edit_register(request.user, region.code),
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
    return post_on_page(
        request,
        PartnerForm(request.POST),
        lambda d: services.partner_create(user=request.user, region=region, **d),
        success=lambda partner: _("%(name)s was added. Record its contributions below.") % {"name": partner},
        redirect_to=lambda partner: partner,
        page=lambda form: render(
            request, "partners/region_partners.html", _region_context(request, region, partner_form=form)
        ),
    )


@login_required
@require_POST
def commitment_create(request: HttpRequest, region_code: str) -> HttpResponse:
    """Records a kesepakatan or deklarasi with its signed document."""
    region = kabkota_get_for_user(user=request.user, code=region_code)
    return post_on_page(
        request,
        CommitmentForm(request.POST, request.FILES),
        lambda d: services.commitment_create(user=request.user, region=region, upload=d.pop("file"), **d),
        success=_("The commitment was recorded."),
        redirect_to=reverse("partners:region_partners", args=[region.code]),
        page=lambda form: render(
            request, "partners/region_partners.html", _region_context(request, region, commitment_form=form)
        ),
    )


def _partner_context(request: HttpRequest, partner, contribution_form=None) -> dict:
    return {
        "partner": partner,
        "region": partner.region,
        "contributions": selectors.contribution_list(partner=partner),
        "can_manage": can_edit_register(request.user, partner.region_id),
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
    if not can_edit_register(request.user, partner.region_id):
        raise PermissionDenied
    form = PartnerForm(request.POST or None, initial=model_to_dict(partner))
    return form_view(
        request,
        form,
        lambda d: services.partner_update(user=request.user, partner=partner, **d),
        template="partners/partner_form.html",
        success=_("The partner was updated."),
        partner=partner,
        region=partner.region,
    )


PARTNER_PAGE = DetailPage("partners/partner_detail.html", "partner", selectors.partner_get_for_user, _partner_context)
contribution_create = PARTNER_PAGE.post_view(
    "contribution_form", ContributionForm, services.contribution_create, gettext_lazy("The contribution was recorded.")
)
