"""Small per-user values every signed-in page needs (the user's row, role grants, unread count), in the shared cache.

Every signed-in page loads its user (`user_row`, for `accounts.backends.CachedModelBackend`) and reads the
user's role assignments (what they may see) and their unread notifications (the bell), all three in one cache
read. They change rarely and only through writes we see: `forget_on_model_changes` drops a user's value after
any save or delete of the rows it is built from (and of the user: a new account never meets a value left by an
older one with the same id), and services that write in bulk call `forget`. A value is dropped at once and
again after the commit, so a reader that filled it from the data before the commit does not keep it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")
TIMEOUT = 3600


def _key(name: str, user_id: int) -> str:
    return f"user:{name}:{user_id}"


#: The user's row, cached for the authentication backend (`layak.accounts.backends`).
ROW = "row"
# The values read together with the row, in the same round trip (registered by the apps that own them).
_WITH_ROW: list[str] = []
# Where the values read with the row wait on the user object for the rest of the request.
_PREFETCHED = "_layak_usercache"


def read_with_row(name: str) -> None:
    """Read the user's value of `name` together with their row when a request loads the user (from ready())."""
    if name not in _WITH_ROW:
        _WITH_ROW.append(name)


def user_row(user_id: int, build: Callable[[], Any]) -> Any:
    """The user object for a request: the cached row (else `build()`, stored when not None), read in one round
    trip with the values registered by `read_with_row`, which wait on the object for `user_value`."""
    names = [ROW, *_WITH_ROW]
    found = cache.get_many([_key(name, user_id) for name in names])
    user = found.get(_key(ROW, user_id))
    if user is None:
        user = build()
        if user is None:
            return None
        cache.set(_key(ROW, user_id), user, TIMEOUT)
    prefetched = {name: found[_key(name, user_id)] for name in _WITH_ROW if _key(name, user_id) in found}
    setattr(user, _PREFETCHED, prefetched)
    return user


def user_value(name: str, user_id: int, build: Callable[[], T], owner: Any = None) -> T:
    """`build()` for this user, from the cache when it holds it (one cache read; none when `owner`, the user
    object of the request, already holds the value read with its row)."""
    prefetched = getattr(owner, _PREFETCHED, None)
    if prefetched is not None and name in prefetched:
        return prefetched.pop(name)
    key = _key(name, user_id)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value


def forget(name: str, user_ids: Iterable[int]) -> None:
    """Drops the users' value of `name` now and again once the current transaction commits."""
    keys = [_key(name, pk) for pk in set(user_ids)]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def forget_on_model_changes(name: str, model: type[models.Model], user_field: str = "user_id") -> None:
    """Forget the value of `name` of the row's user after any save or delete of `model` (once, from ready())."""

    def receiver(instance: Any, **kwargs: Any) -> None:
        user_id = instance.pk if user_field == "pk" else getattr(instance, user_field)
        if user_id is not None:
            forget(name, [user_id])

    for signal in (post_save, post_delete):
        uid = f"usercache:{name}:{model._meta.label}:{signal is post_save}"
        signal.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
