"""Signing in with a username and password, and finding the signed-in user of each request from the shared cache.

Every signed-in request loads its user. `ModelBackend` reads the row from the database each time; this backend
reads it from the shared cache, in the same round trip as the user's grants and unread count
(`layak.common.usercache.user_row`). The cached row is dropped after any save or delete of the user
(`AccountsConfig`): a password change, a deactivation or a deletion is seen by the next request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from layak.common.usercache import user_row

from .models import User


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        user = user_row(pk, lambda: User._default_manager.filter(pk=pk).first())
        return user if user is not None and self.user_can_authenticate(user) else None
