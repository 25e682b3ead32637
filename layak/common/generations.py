"""Generation counters: a number in the shared cache that changes whenever some reference data changes.

Pages built from data that changes rarely and has no cheap stamp query (the region tree, indicator frameworks)
cache their rendered fragments under the current generation of that data. Every write path bumps it: the
services that write in bulk call `bump_on_commit`, and `bump_on_model_changes` bumps it after any save or
delete of the data's models (admin edits, one-off changes). A counter lost from the cache (eviction, restart)
starts again from the clock, never from a number an older fragment was stored under.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


def _key(name: str) -> str:
    return f"generation:{name}"


def generation(name: str) -> int:
    """The current generation of `name` (one cache read)."""
    value = cache.get(_key(name))
    if value is None:
        cache.add(_key(name), time.time_ns(), None)
        value = cache.get(_key(name), 0)
    return int(value)


def bump(name: str) -> None:
    """A new generation of `name`: every fragment cached under the previous one is no longer read."""
    try:
        cache.incr(_key(name))
    except ValueError:
        cache.set(_key(name), time.time_ns(), None)


def bump_on_commit(name: str) -> None:
    """Bump `name` now and again once the current transaction commits: the first bump is seen at once (and in
    tests, whose transactions never commit), the second drops what a reader cached from the data before it was
    committed."""
    bump(name)
    transaction.on_commit(lambda: bump(name))


def bump_on_model_changes(name: str, model_classes: Iterable[type[models.Model]]) -> None:
    """Bump `name` after any save or delete of these models (called once, from an AppConfig.ready)."""
    for model in model_classes:
        for signal in (post_save, post_delete):
            uid = f"generation:{name}:{model._meta.label}:{signal is post_save}"
            signal.connect(_bumper(name), sender=model, weak=False, dispatch_uid=uid)


def _bumper(name: str):
    def receiver(**kwargs) -> None:
        bump_on_commit(name)

    return receiver


def cached_fragment(key: str, template: str, build: Callable[[], dict[str, Any]], timeout: int = 3600) -> SafeString:
    """The template rendered with `build()` (no request: nothing of the visitor), cached under `key` and the
    language. Put the data's generation or version stamp in `key`."""
    full = f"fragment:{key}:{get_language()}"
    html = cache.get(full)
    if html is None:
        html = render_to_string(template, build())
        cache.set(full, html, timeout)
    return mark_safe(html)
