"""Bearer-token authentication for the JSON API: `Authorization: Bearer <key>` acts as the key's owner."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from .models import ApiToken, TokenScope, User
from .services import api_token_hash

# Writing last_used_at on every request would turn each read into a write; once a minute is enough to show use.
LAST_USED_RESOLUTION = timedelta(minutes=1)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(HttpBearer):
    """Ninja auth for endpoints that need a signed-in caller: a valid, unrevoked, unexpired token of an active user.

    A read-scoped token is refused (403, with the reason) on any request that is not a read.
    """

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token:
            return None
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=api_token_hash(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        now = timezone.now()
        if found is None or (found.expires_at is not None and found.expires_at <= now):
            return None
        if found.scope != TokenScope.WRITE and request.method not in SAFE_METHODS:
            raise PermissionDenied(
                _("This API token may only read. Create a token with the “read and write” scope to change data.")
            )
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user
