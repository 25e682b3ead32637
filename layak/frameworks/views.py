"""Pages of the public framework browser and the national-admin pages (clone a version, edit weights)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from layak.accounts.selectors import user_is_national_admin
from layak.common.generations import cached_fragment, generation
from layak.common.pagecache import anonymous_page

from .forms import VersionCloneForm, WeightsForm
from .rubric_text import rubric_describe
from .selectors import (
    FRAMEWORKS_GENERATION,
    framework_version_get,
    framework_version_list,
    framework_versions_visible,
    indicator_get,
    version_sources_by_ref,
)
from .services import framework_version_clone, indicator_weights_update


def version_list(request: HttpRequest) -> HttpResponse:
    """All framework versions the visitor may see, with their indicator counts."""
    versions = framework_version_list(request.user)
    return render(request, "frameworks/version_list.html", {"versions": versions})


@anonymous_page(lambda request: str(generation(FRAMEWORKS_GENERATION)))
def version_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One version: groups, indicators with their maxima, predicate bands and sources."""
    version = get_object_or_404(framework_versions_visible(request.user), slug=slug)
    can_manage = user_is_national_admin(request.user)
    key = f"frameworks:version:{generation(FRAMEWORKS_GENERATION)}:{version.pk}:{can_manage}"
    body = cached_fragment(
        key,
        "frameworks/_version_detail_body.html",
        lambda: {"version": framework_version_get(request.user, slug), "can_manage": can_manage},
    )
    return render(request, "frameworks/version_detail.html", {"version": version, "body": body})


def indicator_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """One indicator: its data elements, the rubric in plain words and its sources."""
    indicator = indicator_get(request.user, slug, code)
    by_ref = version_sources_by_ref(indicator.version)
    questions = list(indicator.questions.all())
    instrument_total = sum((question.instrument_max_points for question in questions), Decimal(0))
    context = {
        "questions": questions,
        "scaled": any(question.is_scaled for question in questions),
        "instrument_total": instrument_total,
        "indicator": indicator,
        "version": indicator.version,
        "rubric": rubric_describe(indicator),
        "sources": [by_ref[ref] for ref in indicator.sources if ref in by_ref],
    }
    return render(request, "frameworks/indicator_detail.html", context)


def _require_national_admin(request: HttpRequest) -> None:
    if not user_is_national_admin(request.user):
        raise PermissionDenied(_("Only a national admin (KemenPPPA) may change indicator frameworks."))


@login_required
def version_clone(request: HttpRequest, slug: str) -> HttpResponse:
    """National admin: copy a version into a new draft (a new year's guidance)."""
    _require_national_admin(request)
    source = framework_version_get(request.user, slug)
    form = VersionCloneForm(request.POST or None, initial={"year": source.year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            clone = framework_version_clone(user=request.user, source=source, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Version %(slug)s created as a draft.") % {"slug": clone.slug})
            return redirect(clone)
    return render(request, "frameworks/version_clone.html", {"version": source, "form": form})


@login_required
def version_weights(request: HttpRequest, slug: str) -> HttpResponse:
    """National admin: edit every indicator's maximum points (they must sum to 1000)."""
    _require_national_admin(request)
    version = framework_version_get(request.user, slug)
    indicators = [indicator for group in version.groups.all() for indicator in group.indicators.all()]
    initial = {"provisional": version.weights_provisional, "note": version.weights_note}
    form = WeightsForm(request.POST or None, indicators=indicators, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            indicator_weights_update(
                user=request.user,
                version=version,
                weights=form.weights(),
                provisional=data["provisional"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The maximum points were saved."))
            return redirect(version)
    return render(request, "frameworks/version_weights.html", {"version": version, "form": form})
