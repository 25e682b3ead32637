"""Reads of the frameworks app. Frameworks are public reference data: anyone may read published versions;
drafts (fresh clones) are visible to national admins only. Query counts do not grow with the data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from layak.accounts.selectors import Viewer, user_is_national_admin

from .choices import VersionStatus
from .models import DataElement, FrameworkVersion, Indicator, IndicatorGroup


def framework_versions_visible(user: Viewer) -> QuerySet[FrameworkVersion]:
    """Published versions for everyone; national admins also see drafts."""
    versions = FrameworkVersion.objects.all()
    if not user_is_national_admin(user):
        versions = versions.filter(status=VersionStatus.PUBLISHED)
    return versions


def framework_version_list(user: Viewer) -> QuerySet[FrameworkVersion]:
    """The versions the user may see, each with `indicator_count`, newest year first."""
    return framework_versions_visible(user).annotate(indicator_count=Count("indicators")).order_by("-year", "slug")


def framework_version_get(user: Viewer, slug: str) -> FrameworkVersion:
    """One version with bands, groups and their indicators (and the indicators' elements) prefetched.

    Each group gets `max_points` (the sum of its indicators' maxima) and the version gets `max_total`;
    404 if the version does not exist or is a draft the user may not see.
    """
    indicators = Indicator.objects.prefetch_related("elements").order_by("order")
    groups = IndicatorGroup.objects.prefetch_related(Prefetch("indicators", queryset=indicators)).order_by("order")
    version = get_object_or_404(
        framework_versions_visible(user)
        .select_related("derived_from")
        .prefetch_related("bands", Prefetch("groups", queryset=groups)),
        slug=slug,
    )
    total = Decimal(0)
    for group in version.groups.all():
        points = sum((indicator.max_points for indicator in group.indicators.all()), Decimal(0))
        setattr(group, "max_points", points)  # noqa: B010 (shown by the page, not a model field)
        total += points
    setattr(version, "max_total", total)  # noqa: B010
    return version


def indicator_get(user: Viewer, slug: str, code: str) -> Indicator:
    """One indicator of a visible version, with its version, group and data elements; 404 otherwise."""
    return get_object_or_404(
        Indicator.objects.select_related("version", "group").prefetch_related("elements"),
        version__in=framework_versions_visible(user),
        version__slug=slug,
        code=code,
    )


def version_sources_by_ref(version: FrameworkVersion) -> dict[str, Any]:
    """The version's sources keyed by reference number, to resolve an indicator's `sources: [55, 56]`."""
    return {source.get("ref"): source for source in version.sources}


# Frozen framework versions never change (cycles freeze them; edits go into a clone), so their indicators are
# read once per process. Keyed by the freezing time too, so a reused primary key never finds a stale entry.
_FROZEN_INDICATORS: dict[tuple[int, object], tuple[Indicator, ...]] = {}
_FROZEN_LIMIT = 32


def framework_indicators(framework: FrameworkVersion) -> list[Indicator]:
    """Indicators in order with their group and data elements (two queries; none again for a frozen version).

    The objects of a frozen version are shared between requests: read them, never change them.
    """
    if framework.frozen_at is None:
        return _indicators_of(framework)
    key = (framework.pk, framework.frozen_at)
    cached = _FROZEN_INDICATORS.get(key)
    if cached is None:
        if len(_FROZEN_INDICATORS) >= _FROZEN_LIMIT:
            _FROZEN_INDICATORS.pop(next(iter(_FROZEN_INDICATORS)))
        cached = _FROZEN_INDICATORS[key] = tuple(_indicators_of(framework))
    return list(cached)


def _indicators_of(framework: FrameworkVersion) -> list[Indicator]:
    return list(
        Indicator.objects.filter(version=framework)
        .select_related("group")
        .prefetch_related(Prefetch("elements", queryset=DataElement.objects.order_by("order", "pk")))
        .order_by("group__order", "order", "pk")
    )
