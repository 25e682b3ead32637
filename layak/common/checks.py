"""Deployment checks (`manage.py check --deploy`): what a production site with several app servers needs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

REDIS_CACHE = "layak.common.cache.RedisCache"
REDIS_CACHES = {REDIS_CACHE, "django.core.cache.backends.redis.RedisCache"}
SHARED_SESSIONS = {"django.contrib.sessions.backends.cached_db", "django.contrib.sessions.backends.db"}


@register(Tags.caches, deploy=True)
def shared_state_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Cache, sessions and rate-limit counters must be shared by every app server: Redis, not process memory."""
    errors: list[CheckMessage] = []
    if settings.CACHES["default"]["BACKEND"] not in REDIS_CACHES:
        errors.append(
            Error(
                "The cache is not Redis: sessions, rate-limit counters and cached pages would live in each "
                "process's memory, so a logout or a rate limit on one app server would not hold on another.",
                hint="Set REDIS_URL (for example redis://127.0.0.1:6379/0).",
                id="layak.E001",
            )
        )
    if settings.SESSION_ENGINE not in SHARED_SESSIONS:
        errors.append(
            Error(
                "Sessions must be kept in the database (cached in Redis) so every app server sees a logout.",
                hint="Use SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'.",
                id="layak.E002",
            )
        )
    return errors
