"""One rendering of a public page shared by every anonymous visitor, keyed by the data it shows.

A newcomer has no session: the page they get differs from the next newcomer's only by the CSRF token of the
language switcher. `anonymous_page(stamp)` keeps the rendered page per data stamp (the caller's: a results
version, a generation counter), language and full address, with the token taken out, and puts each visitor's own
token back in. Signed-in visitors, requests with a session (messages may be pending), non-GET requests and
downloads always go through the view. This is not the per-session page cache decision 0016 removed: nothing of a
visitor is ever stored, and an entry is never served after the data changes (the stamp is part of its key).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

PLACEHOLDER = "__layak_csrf_token__"
_TOKEN = re.compile(r'(?:name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]{32,})"')
DOWNLOAD_PARAMETERS = ("export", "format")


def _timeout() -> int:
    return getattr(settings, "LAYAK_PUBLIC_PAGE_SECONDS", 3600)


def _shared(request: HttpRequest) -> bool:
    """Only a first view: GET, no cookie but the CSRF and language ones (no session, no messages), no download."""
    return (
        request.method == "GET"
        and set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
        and not any(p in request.GET for p in DOWNLOAD_PARAMETERS)
    )


def _without_token(html: str) -> str | None:
    """The page with its CSRF token replaced by the placeholder; None when it holds something else unsafe."""
    tokens = set(_TOKEN.findall(html))
    if len(tokens) > 1:
        return None
    return html.replace(tokens.pop(), PLACEHOLDER) if tokens else html


def anonymous_page(stamp: Callable[[HttpRequest], str]) -> Callable:
    """Decorates a public view: anonymous first views are served from one shared rendering per `stamp(request)`."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _shared(request):
                return view(request, *args, **kwargs)
            where = f"{view.__module__}.{view.__name__}:{stamp(request)}:{get_language()}:{request.get_full_path()}"
            key = f"publicpage:{where}"
            page = cache.get(key)
            if page is None:
                response = view(request, *args, **kwargs)
                if (
                    response.status_code != 200
                    or response.streaming
                    or response.cookies.get(settings.SESSION_COOKIE_NAME)
                ):
                    return response
                page = _without_token(response.content.decode(response.charset))
                if page is None:
                    return response
                cache.set(key, page, _timeout())
            response = HttpResponse(page.replace(PLACEHOLDER, get_token(request)))
            patch_vary_headers(response, ["Cookie", "Accept-Language"])
            return response

        return wrapper

    return decorate
