"""Reading a person's notifications (always their own)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from layak.accounts.models import User
from layak.common.usercache import user_value

from .models import Notification

#: The name of the unread count in the per-user cache (`layak.common.usercache`).
UNREAD = "unread-notifications"


def unread_count(user: User) -> int:
    """How many notifications the user has not read (one cache read, or one indexed query); 0 for an anonymous
    visitor. The cached count is dropped by every write of the user's notifications (`NotificationsConfig`,
    and the bulk writes of `services`)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return user_value(
        UNREAD,
        user.pk,
        lambda: Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count(),
        owner=user,
    )


def notification_list_for_user(user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first (unread and read)."""
    return Notification.objects.filter(user_id=user.pk)


def notification_get_for_user(user: User, pk: int) -> Notification:
    """One of the user's own notifications; 404 for anyone else's."""
    return get_object_or_404(Notification, pk=pk, user_id=user.pk)
