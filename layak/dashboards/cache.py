"""Caching of dashboard aggregates, keyed by a version stamp that changes whenever results change.

The stamp is read in one cheap query (the latest decision time and row count of final results, the latest
publication time and number of published cycles), so every process sees a change at once, whatever cache
backend is used. Score snapshots are left out of the stamp on purpose (their rows carry large JSON, and
scanning them costs more than the page); the final snapshot is written together with the final result.
`dashboards_invalidate()` bumps a generation counter in the cache: call it after a change the stamp cannot see
(a history reload, a snapshot rewritten alone, a bulk update without auto_now).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from layak.common.generations import shared_value
from layak.evaluations.models import Cycle
from layak.reviews.models import FinalResult

T = TypeVar("T")
GENERATION_KEY = "dashboards:generation"


def _timeout() -> int:
    return getattr(settings, "LAYAK_DASHBOARDS_CACHE_SECONDS", 3600)


def _stamp_sql() -> str:
    q = connection.ops.quote_name
    final, cycle = (q(m._meta.db_table) for m in (FinalResult, Cycle))
    return (
        f"SELECT (SELECT MAX({q('decided_at')}) FROM {final}), (SELECT COUNT(*) FROM {final}), "
        f"(SELECT MAX({q('results_published_at')}) FROM {cycle}), (SELECT COUNT({q('results_published_at')}) "
        f"FROM {cycle})"
    )


def dashboards_version() -> str:
    """The current version stamp of all results (one query) plus the explicit generation counter."""
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql())
        row = cursor.fetchone()
    stamp = "|".join(str(part) for part in (*row, cache.get(GENERATION_KEY, 0)))
    return hashlib.sha1(stamp.encode(), usedforsecurity=False).hexdigest()[:16]


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
    """Forget every cached dashboard aggregate (call after results, publication or history change)."""
    _recent.clear()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


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
