"""Writing and reading notifications. Every other app notifies people through `notify`, the one hook."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from layak.accounts.models import User
from layak.common.usercache import forget

from .models import Notification
from .selectors import UNREAD


def notify(*, users: Iterable[User | int], kind: str, url: str = "", params: dict[str, Any] | None = None) -> int:
    """Gives each (active) user, once, a notification of `kind` linking to `url`; returns how many were written.

    Call it inside the service's transaction, after the change it tells about, so both land or neither does.
    `params` are the plain facts the sentence needs (strings and numbers; dates as ISO text).
    """
    ids = {u if isinstance(u, int) else u.pk for u in users}
    active = User.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True)
    rows = [Notification(user_id=pk, kind=kind, url=url, params=params or {}) for pk in sorted(active)]
    Notification.objects.bulk_create(rows)
    forget(UNREAD, [row.user_id for row in rows])
    return len(rows)


@transaction.atomic
def notification_mark_read(*, user: User, notification: Notification | None = None) -> int:
    """Marks one of the user's notifications read, or all of them when none is named; returns how many."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification is not None:
        rows = rows.filter(pk=notification.pk)
    count = rows.update(read_at=timezone.now())
    forget(UNREAD, [user.pk])
    return count
