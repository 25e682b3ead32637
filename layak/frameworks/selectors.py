"""Reads of the frameworks app. Frameworks are public reference data: anyone may read published versions;
drafts (fresh clones) are visible to national admins only. Query counts do not grow with the data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from layak.accounts.selectors import Viewer, user_is_national_admin

from .choices import VersionStatus
from .models import DataElement, FrameworkVersion, Indicator, IndicatorGroup, Question

# The generation counter (layak.common.generations) of every framework: bumped by the services that write in
# bulk and by any save or delete of a framework model; a version's public page is cached under it.
FRAMEWORKS_GENERATION = "frameworks"


def framework_versions_visible(user: Viewer) -> QuerySet[FrameworkVersion]:
    """Published versions for everyone; national admins also see drafts."""
    versions = FrameworkVersion.objects.all()
    if not user_is_national_admin(user):
        versions = versions.filter(status=VersionStatus.PUBLISHED)
    return versions


def framework_version_list(user: Viewer) -> QuerySet[FrameworkVersion]:
    """The versions the user may see, each with `indicator_count`, `question_count` and `has_questions`, newest
    year first, with the version that supersedes each."""
    questions = Question.objects.filter(indicator__version=OuterRef("pk"))
    question_count = (
        Question.objects.filter(indicator__version=OuterRef("pk"))
        .order_by()
        .values("indicator__version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        framework_versions_visible(user)
        .select_related("superseded_by")
        .annotate(indicator_count=Count("indicators"), has_questions=Exists(questions))
        .annotate(question_count=question_count)
        .order_by("-default_for_new_cycles", "-year", "slug")
    )


def framework_version_get(user: Viewer, slug: str) -> FrameworkVersion:
    """One version with bands, groups and their indicators (and the indicators' elements) prefetched.

    Each group gets `max_points` (the sum of its indicators' maxima) and the version gets `max_total`;
    404 if the version does not exist or is a draft the user may not see.
    """
    questions = Question.objects.order_by("order", "pk")
    indicators = Indicator.objects.prefetch_related("elements", Prefetch("questions", queryset=questions))
    groups = IndicatorGroup.objects.prefetch_related(
        Prefetch("indicators", queryset=indicators.order_by("order"))
    ).order_by("order")
    version = get_object_or_404(
        framework_versions_visible(user)
        .select_related("derived_from", "superseded_by")
        .prefetch_related("bands", Prefetch("groups", queryset=groups)),
        slug=slug,
    )
    total = Decimal(0)
    question_count = 0
    for group in version.groups.all():
        points = sum((indicator.max_points for indicator in group.indicators.all()), Decimal(0))
        setattr(group, "max_points", points)  # noqa: B010 (shown by the page, not a model field)
        total += points
        question_count += sum(len(indicator.questions.all()) for indicator in group.indicators.all())
    setattr(version, "max_total", total)  # noqa: B010
    setattr(version, "question_count", question_count)  # noqa: B010
    setattr(version, "has_questions", question_count > 0)  # noqa: B010
    return version


def indicator_get(user: Viewer, slug: str, code: str) -> Indicator:
    """One indicator of a visible version, with its version, group and data elements; 404 otherwise."""
    return get_object_or_404(
        Indicator.objects.select_related("version", "group").prefetch_related(
            "elements", Prefetch("questions", queryset=Question.objects.order_by("order", "pk"))
        ),
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


def framework_default_for_new_cycles() -> FrameworkVersion | None:
    """The published version a new cycle starts from (kla-2024 once loaded), or None."""
    return (
        FrameworkVersion.objects.filter(status=VersionStatus.PUBLISHED, default_for_new_cycles=True)
        .order_by("-year")
        .first()
    )


# Questions of frozen versions are read once per process, like their indicators.
_FROZEN_QUESTIONS: dict[tuple[int, object], tuple[Question, ...]] = {}


def framework_questions(framework: FrameworkVersion) -> list[Question]:
    """Every question of a question-level version in instrument order, with indicator and group (one query;
    none again for a frozen version). The objects of a frozen version are shared: read them, never change them.
    """
    if framework.frozen_at is None:
        return _questions_of(framework)
    key = (framework.pk, framework.frozen_at)
    cached = _FROZEN_QUESTIONS.get(key)
    if cached is None:
        if len(_FROZEN_QUESTIONS) >= _FROZEN_LIMIT:
            _FROZEN_QUESTIONS.pop(next(iter(_FROZEN_QUESTIONS)))
        cached = _FROZEN_QUESTIONS[key] = tuple(_questions_of(framework))
    return list(cached)


_FROZEN_QUESTION_INDEX: dict[tuple[int, object], dict[int, Question]] = {}


def framework_question_by_id(framework: FrameworkVersion) -> dict[int, Question]:
    """The questions of a frozen version by id (read once per process, as `framework_questions`). Shared: read
    them, never change them."""
    if framework.frozen_at is None:
        return {question.pk: question for question in _questions_of(framework)}
    key = (framework.pk, framework.frozen_at)
    index = _FROZEN_QUESTION_INDEX.get(key)
    if index is None:
        if len(_FROZEN_QUESTION_INDEX) >= _FROZEN_LIMIT:
            _FROZEN_QUESTION_INDEX.pop(next(iter(_FROZEN_QUESTION_INDEX)))
        index = _FROZEN_QUESTION_INDEX[key] = {question.pk: question for question in framework_questions(framework)}
    return index


def _questions_of(framework: FrameworkVersion) -> list[Question]:
    return list(
        Question.objects.filter(indicator__version=framework)
        .select_related("indicator__group")
        .order_by("indicator__group__order", "indicator__order", "order", "pk")
    )
