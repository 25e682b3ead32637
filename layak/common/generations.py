"""Generation counters: a number in the shared cache that changes whenever some reference data changes.

Pages built from data that changes rarely and has no cheap stamp query (the region tree, indicator frameworks)
cache their rendered fragments under the current generation of that data. Every write path bumps it: the
services that write in bulk call `bump_on_commit`, and `bump_on_model_changes` bumps it after any save or
delete of the data's models (admin edits, one-off changes). A counter lost from the cache (eviction, restart)
starts again from the clock, never from a number an older fragment was stored under.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

T = TypeVar("T")


def _key(name: str) -> str:
    return f"generation:{name}"


def generation_key(name: str) -> str:
    """The cache key of `name`'s counter, for a reader that fetches it together with other keys (`get_many`); a
    missing one is read again through `generation`."""
    return _key(name)


def generation(name: str) -> int:
    """The current generation of `name` (one cache read)."""
    return generations(name)[0]


def generations(*names: str) -> tuple[int, ...]:
    """The current generations of `names`, in their order, in one cache read (a lost one starts again from the
    clock, as in `generation`)."""
    return generations_and_values(names, ())[0]


# Generations a page's panels read, by page (`read_with`): names_of(code of the page's region) -> names.
_COMPANIONS: dict[str, list[Callable[[str], Iterable[str]]]] = {}


def read_with(page: str, names_of: Callable[[str], Iterable[str]]) -> None:
    """Have the generations `names_of(code)` read together with those of `page` (`generations_for`): a panel
    another app puts on that page finds its own generations already read (called once, from an AppConfig.ready;
    the page's app need not know the panel's app)."""
    _COMPANIONS.setdefault(page, []).append(names_of)


def generations_for(request: Any, *names: str, page: str = "", code: str = "") -> dict[str, int]:
    """The generations of `names`, read once per request: what this request read already (kept on it) is not read
    again, and the first reader of a `page` also reads, in the same single cache read, what its panels will ask
    for (`read_with`). Without a request, every name is read."""
    known: dict[str, int] = {} if request is None else request.__dict__.setdefault("_layak_generations", {})
    wanted = [*names, *(name for names_of in _COMPANIONS.get(page, ()) for name in names_of(code))]
    missing = [name for name in dict.fromkeys(wanted) if name not in known]
    if missing:
        known.update(zip(missing, generations(*missing), strict=True))
    return {name: known[name] for name in names}


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


# Rendered fragments last read by this process, by their full key (which holds the data's stamp, so an entry is
# never read after the data changed): a large table or dashboard body is not fetched from the shared cache and
# copied again on every view. Bounded by the number of entries; the oldest read goes first.
_MEMO: OrderedDict[str, Any] = OrderedDict()


def _memo_size() -> int:
    return int(getattr(settings, "LAYAK_FRAGMENT_MEMO_ENTRIES", 64))


def shared_value(key: str, build: Callable[[], T], timeout: int = 3600) -> T:
    """An immutable value (rendered HTML, a tuple of it) under `key`, from this process's memory, else from the
    shared cache, else built and stored in both. `key` must hold the stamp of the data the value is built from."""
    if key in _MEMO:
        _MEMO.move_to_end(key)
        return _MEMO[key]
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    size = _memo_size()
    if size > 0:
        _MEMO[key] = value
        while len(_MEMO) > size:
            _MEMO.popitem(last=False)
    return value


# Many small rendered parts (the questions of an indicator page), kept apart from the large fragments above so
# that a page of 63 parts does not push those out; bounded the same way.
_PARTS: OrderedDict[str, Any] = OrderedDict()


def shared_values(keys: Sequence[str], build: Callable[[list[str]], dict[str, T]], timeout: int = 3600) -> dict[str, T]:
    """Immutable values under `keys`, from this process's memory, else from the shared cache in one `get_many`,
    else `build(missing keys)` (a value for each) stored in both. Each key must hold the stamp or the digest of the
    data its value is built from."""
    found: dict[str, T] = {}
    for key in keys:
        if key in _PARTS:
            _PARTS.move_to_end(key)
            found[key] = _PARTS[key]
    missing = [key for key in keys if key not in found]
    if missing:
        found.update(cache.get_many(missing))
        missing = [key for key in missing if key not in found]
    if missing:
        built = build(missing)
        cache.set_many(built, timeout)
        found.update(built)
    size = int(getattr(settings, "LAYAK_PART_MEMO_ENTRIES", 4000))
    if size > 0:
        for key in keys:
            _PARTS[key] = found[key]
        while len(_PARTS) > size:
            _PARTS.popitem(last=False)
    return found


def forget_memo() -> None:
    """Empties this process's memory of fragments and parts (tests that clear the shared cache call it too)."""
    _MEMO.clear()
    _PARTS.clear()


def cached_fragment(key: str, template: str, build: Callable[[], dict[str, Any]], timeout: int = 3600) -> SafeString:
    """The template rendered with `build()` (no request: nothing of the visitor), cached under `key` and the
    language. Put the data's generation or version stamp in `key`."""
    full = f"fragment:{key}:{get_language()}"
    return mark_safe(shared_value(full, lambda: render_to_string(template, build()), timeout))


def generations_by_name(names: Iterable[str]) -> dict[str, int]:
    """The current generation of each of `names` by name, read in ONE cache round trip (`generations`)."""
    names = list(names)
    return dict(zip(names, generations(*names), strict=True))


def generations_and_values(names: Iterable[str], keys_too: Iterable[str]) -> tuple[tuple[int, ...], dict[str, Any]]:
    """`generations(*names)` and the cached values of `keys_too` (those found), in the same read of the shared
    cache."""
    names = tuple(names)
    keys = [_key(name) for name in names]
    extra = list(keys_too)
    found = cache.get_many(keys + extra)
    values = {key: found.pop(key) for key in extra if key in found}
    for key in keys:
        if key not in found:  # lost (evicted, restarted) or never bumped: starts from the clock, once
            cache.add(key, time.time_ns(), None)
            found[key] = cache.get(key, 0)
    return tuple(int(found.get(key, 0)) for key in keys), values


def bump_many(names: Iterable[str]) -> None:
    """A new generation of each of `names`, in one write: a value from the clock, which no earlier generation
    of them holds (counters start from the clock and move by one per bump)."""
    now = time.time_ns()
    cache.set_many({_key(name): now for name in names}, None)


def bump_many_on_commit(names: Iterable[str]) -> None:
    """`bump_many` now and again once the current transaction commits (see `bump_on_commit`)."""
    names = tuple(dict.fromkeys(names))
    if names:
        bump_many(names)
        transaction.on_commit(lambda: bump_many(names))
