"""Small per-user values every signed-in page shows (role grants, unread count), kept in the shared cache.

Every signed-in page reads the user's role assignments (what they may see) and their unread notifications (the
bell). Both change rarely and only through writes we see: `forget_on_model_changes` drops a user's value after
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


def user_value(name: str, user_id: int, build: Callable[[], T]) -> T:
    """`build()` for this user, from the cache when it holds it (one cache read)."""
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
