from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils import translation

#: What is worth compressing: pages, JSON, CSV and SVG. Evidence files, PDFs, zips and workbooks are either
#: compressed already or streamed with their length (a download's progress bar and resumption need it).
COMPRESSED_TYPES = ("text/", "application/json", "application/javascript", "application/xml", "image/svg+xml")
#: Below this a body reaches the browser in the first round trip anyway (TCP's initial window: 10 segments of
#: ~1,460 bytes), so compressing it would cost the server time and save the reader none.
COMPRESSED_MIN_BYTES = 14_000


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


class CompressedTextMiddleware(GZipMiddleware):
    """Pages, JSON and CSV compressed with gzip for browsers that accept it (Django's GZipMiddleware, with its
    BREACH mitigation: CSRF tokens are masked per response and each compressed body carries random padding).

    A 63-question indicator page is about 230 KB of HTML and travels as 13 KB, which is what a DP3A officer on a
    slow connection waits for. Left alone: streamed responses (files, exports), so downloads keep their length;
    types that are compressed already; bodies that reach the browser in the first round trip anyway. Behind a
    proxy that compresses too, the proxy sees `Content-Encoding` and leaves the body as it is.
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if (
            not isinstance(response, HttpResponse)  # streamed: a FileResponse or a StreamingHttpResponse
            or len(response.content) < COMPRESSED_MIN_BYTES
            or not response.get("Content-Type", "").startswith(COMPRESSED_TYPES)
        ):
            return response
        return super().process_response(request, response)
