"""When a cycle's results are public, and who sees them before that: the one rule every reader asks.

A cycle's results are public once its `results_published_at` has passed (the ministry publishes them through
`reviews.services.cycle_results_publish`). Before that, only those whose grants cover a region see its results:
the region's own people, its province, and the national roles (`accounts.selectors.user_region_filter`).
Dashboards, reports, the review pages and the open-data API all decide through these functions.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from layak.accounts.selectors import Viewer, user_can_see_region, user_region_filter

#: The generation counter (layak.common.generations) of results as the dashboards and the open data show them:
#: bumped after any save or delete of a final result, a final score snapshot, a cycle or a published history row
#: (model signals, connected by the dashboards app), and by every service that writes them in bulk or through a
#: queryset update (publication and its withdrawal, bulk finalise, recompute, the demo and synthetic builders).
RESULTS_GENERATION = "results"


def results_published(published_at: datetime | None, now: datetime | None = None) -> bool:
    """True once the publication time has passed."""
    return published_at is not None and published_at <= (now or timezone.now())


def published_filter(field: str = "cycle__results_published_at") -> Q:
    """Rows whose cycle's results are published (`field` is the path to `Cycle.results_published_at`)."""
    return Q(**{f"{field}__lte": timezone.now()})


def sees_unpublished(user: Viewer, region_code: str) -> bool:
    """May the user see this region's results before they are published?"""
    return user_can_see_region(user, region_code)


def results_visible_filter(
    user: Viewer | None, *, published: str = "cycle__results_published_at", region: str = "region__code"
) -> Q:
    """Rows the user may see: published ones for everybody, and the unpublished ones of the user's regions."""
    if user is None:
        return published_filter(published)
    scoped = user_region_filter(user, region)
    if not scoped:  # national scope: every row (an empty Q would vanish from the OR below)
        return scoped
    return published_filter(published) | scoped
