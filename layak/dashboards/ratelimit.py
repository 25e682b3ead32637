"""A small cache-based limiter for anonymous use of the open-data API (fixed one-period windows per client IP).

The client's IP is the real one behind the trusted proxies (`layak.common.net.client_ip`); the counters live in
the shared cache (Redis in production), so every app server counts against one limit.

The rate is `settings.LAYAK_API_ANON_RATE` ("60/m" by default: 60 requests a minute; units s, m, h, d),
read on every request so tests and operators can change it.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from layak.common.net import client_ip

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "60/m" -> (60, 60): requests allowed per period of that many seconds."""
    count, _sep, unit = rate.partition("/")
    return int(count), PERIODS[unit.strip()[:1] or "m"]


def anonymous_limit_response(request: HttpRequest) -> JsonResponse | None:
    """None when the caller may go on; a 429 JSON response (with Retry-After) when an anonymous IP is over."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return None
    limit, period = parse_rate(getattr(settings, "LAYAK_API_ANON_RATE", "60/m"))
    now = int(time.time())
    window = now // period
    key = f"dashboards:api-rate:{client_ip(request)}:{window}"
    cache.add(key, 0, period + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.set(key, 1, period + 1)
        used = 1
    if used <= limit:
        return None
    retry = period - now % period
    message = _(
        "Too many requests: anonymous use of the open-data API is limited to %(limit)s requests per %(period)s "
        "seconds. Try again in %(retry)s seconds, or sign in with an API token."
    ) % {"limit": limit, "period": period, "retry": retry}
    response = JsonResponse({"detail": message, "retry_after": retry}, status=429)
    response["Retry-After"] = str(retry)
    return response
