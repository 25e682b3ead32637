from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class LanguageCookieMiddleware:
    """Bahasa Indonesia unless the user picked another language with the switch (stored in a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language and show English to most browsers;
    Layak's users expect Indonesian first, so only an explicit choice changes the language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers["Vary"] = ", ".join(filter(None, [response.headers.get("Vary"), "Cookie"]))
        return response


class ContentSecurityPolicyMiddleware:
    """A strict Content-Security-Policy on every response: scripts and styles only from Layak's own static files.

    No inline script, no inline style, no eval: page behaviour lives in static/js (data attributes switch it
    on), charts use SVG presentation attributes. The map's tiles are the one outside source
    (`settings.LAYAK_CSP`, an operator may change it). A response that set its own policy keeps it (evidence
    downloads are sandboxed).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "LAYAK_CSP", "")
        if policy:
            response.headers.setdefault("Content-Security-Policy", policy)
        return response
