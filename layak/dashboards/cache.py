"""Caching of dashboard aggregates, keyed by a version that changes whenever results change.

The version is read from generation counters in one cache read, no query (decision 0031): the results
generation (`layak.evaluations.publication.RESULTS_GENERATION`, bumped after any save or delete of a final
result, a final score snapshot, a cycle or a published history row, and by every service that writes them in
bulk or through a queryset update), and the generations of the region tree and the frameworks (names shown on
every page). `dashboards_invalidate()` bumps the results generation: call it after a change nothing else sees
(raw SQL, a bulk write outside the services).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from layak.common.generations import (
    bump_on_commit,
    bump_on_model_changes,
    generations,
    generations_for,
    shared_value,
)
from layak.evaluations.models import AnswerEvidence, Assessment, Cycle
from layak.evaluations.publication import RESULTS_GENERATION
from layak.frameworks.selectors import FRAMEWORKS_GENERATION
from layak.regions.selectors import REGIONS_GENERATION
from layak.reviews.choices import ScoreStage
from layak.reviews.models import FinalResult, RevisionItem, RevisionRequest, ScoreSnapshot

from .models import ProvinceTarget, PublishedNationalCount, PublishedRegionResult

T = TypeVar("T")

#: What every dashboard is built from, read together (`version_and`).
VERSION_GENERATIONS = (RESULTS_GENERATION, REGIONS_GENERATION, FRAMEWORKS_GENERATION)


def _timeout() -> int:
    return getattr(settings, "LAYAK_DASHBOARDS_CACHE_SECONDS", 3600)


def _digest(values: tuple[int, ...]) -> str:
    return hashlib.sha1("|".join(map(str, values)).encode(), usedforsecurity=False).hexdigest()[:16]


def dashboards_version() -> str:
    """The current version of all results, regions and frameworks (one cache read, no query)."""
    return _digest(generations(*VERSION_GENERATIONS))


def version_and(request: Any, *names: str, page: str = "", code: str = "") -> tuple[str, dict[str, int]]:
    """The dashboards' version and the current generations of its parts and of `names` (a region's ongoing work,
    the province targets...) by name, in one cache read with those the panels of `page` for the region `code` will
    ask for (`layak.common.generations.read_with`)."""
    values = generations_for(request, *VERSION_GENERATIONS, *names, page=page, code=code)
    return _digest(tuple(values[name] for name in VERSION_GENERATIONS)), values


_recent: dict[str, tuple[float, str]] = {}


def dashboards_version_recent() -> str:
    """The version stamp as read at most LAYAK_DASHBOARDS_PUBLIC_STAMP_SECONDS (2 s) ago by this process, for
    what every anonymous visitor shares (decision 0016): a newcomer sees a change within that time, and the
    pages they share cost no query meanwhile. Signed-in pages read `dashboards_version()` itself."""
    now = time.monotonic()
    seen = _recent.get("stamp")
    if seen is None or now - seen[0] > getattr(settings, "LAYAK_DASHBOARDS_PUBLIC_STAMP_SECONDS", 2):
        seen = _recent["stamp"] = (now, dashboards_version())
    return seen[1]


def dashboards_invalidate() -> None:
    """Forget every cached dashboard aggregate (call after a change of results, publication or history that no
    model signal saw), now and again once the current transaction commits; this process also reads the version
    again at the next anonymous page."""
    _recent.clear()
    bump_on_commit(RESULTS_GENERATION)


# --- What a region page shows beside results, and the province targets ---------------------------------------

#: Bumped after any save or delete of a province target (the province page shows it).
TARGETS_GENERATION = "province-targets"


def region_generation_name(code: str) -> str:
    """The generation of what the region page shows of a kab/kota's ongoing work: the evidence linked to its
    answers (the completeness figure) and its revision requests; bumped by any save or delete of those rows."""
    return f"dashboards-region:{code}"


def _assessment_region(instance: Any) -> str | None:
    assessment = instance._state.fields_cache.get("assessment")
    if assessment is not None:
        return str(assessment.region_id)
    found = Assessment.objects.filter(pk=instance.assessment_id).values_list("region_id", flat=True).first()
    return None if found is None else str(found)


def _request_region(instance: Any) -> str | None:
    request = instance._state.fields_cache.get("request")
    if request is not None:
        return _assessment_region(request)
    rows = RevisionRequest.objects.filter(pk=instance.request_id).values_list("assessment__region_id", flat=True)
    found = rows.first()
    return None if found is None else str(found)


def _region_bumper(region_of: Callable[[Any], str | None]) -> Callable[..., None]:
    def receiver(instance: Any, **kwargs: Any) -> None:
        code = region_of(instance)
        if code is not None:
            bump_on_commit(region_generation_name(code))

    return receiver


def _final_snapshot_saved(instance: ScoreSnapshot, **kwargs: Any) -> None:
    # Only final snapshots are shown; a self-score saved on every autosave must not drop the dashboards.
    if instance.stage == ScoreStage.FINAL:
        bump_on_commit(RESULTS_GENERATION)


def connect_version_signals() -> None:
    """Bump the generations the dashboards are cached under after any save or delete of what they show (called
    once, from DashboardsConfig.ready). Bulk writes and queryset updates bump in their services."""
    bump_on_model_changes(RESULTS_GENERATION, [FinalResult, Cycle, PublishedNationalCount, PublishedRegionResult])
    # Saves only: a final snapshot is deleted with its final result (a listener would load every snapshot's JSON
    # on a bulk delete).
    post_save.connect(_final_snapshot_saved, sender=ScoreSnapshot, weak=False, dispatch_uid="dashboards.snapshot")
    bump_on_model_changes(TARGETS_GENERATION, [ProvinceTarget])
    for model, region_of in (
        (AnswerEvidence, _assessment_region),
        (RevisionRequest, _assessment_region),
        (RevisionItem, _request_region),
    ):
        for signal in (post_save, post_delete):
            uid = f"dashboards.region:{model._meta.label}:{signal is post_save}"
            signal.connect(_region_bumper(region_of), sender=model, weak=False, dispatch_uid=uid)


def cached_page_part(version: str, name: str, build: Callable[[], T], *parts: object) -> T:
    """Like `cached`, for rendered HTML (a string or a tuple of them): also kept in this process's memory, so a
    large body is not fetched from the shared cache on every view (`layak.common.generations.shared_value`)."""
    key = ":".join(["dashboards", name, *(str(p) for p in parts), version])
    return shared_value(key, build, _timeout())


def cached(version: str, name: str, build: Callable[[], T], *parts: object) -> T:
    """The value of `build()` cached under this version stamp, name and parts (cycle id, province code...)."""
    key = ":".join(["dashboards", name, *(str(p) for p in parts), version])
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, _timeout())
    return value
