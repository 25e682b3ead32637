"""Bearer-token authentication for the JSON API: `Authorization: Bearer <key>` acts as the key's owner."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from .models import ApiToken, User
from .services import api_token_hash

# Writing last_used_at on every request would turn each read into a write; once a minute is enough to show use.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """Ninja auth for endpoints that need a signed-in caller: a valid, unrevoked token of an active user."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token:
            return None
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=api_token_hash(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user
