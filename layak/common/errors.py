"""Error pages in the product's layout and language: 400, 403, 404, 405 and 500.

The 500 page is rendered without a request context, so it needs neither the database nor the session (the
error may be that the database is down). A GET to an address that only takes a form (its POST re-renders the
page with errors, so a reload from the address bar would answer 405) is sent to the page the form sits on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _page(request: HttpRequest, status: int, title: str, text: str, detail: str = "") -> HttpResponse:
    context = {"status": status, "title": title, "text": text, "detail": detail}
    return render(request, "errors/error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400, _("This request could not be read"), _("Go back, reload the page and try again."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403, with the reason when the code gave one (every PermissionDenied in Layak carries a sentence)."""
    detail = str(exception) if isinstance(exception, PermissionDenied) and exception.args else ""
    return _page(
        request,
        403,
        _("You may not do this"),
        _("Your role does not allow this page or action. Ask your coordinator if you think you need it."),
        detail,
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: the page does not exist, or it belongs to regions outside the user's (which Layak does not reveal)."""
    return _page(
        request,
        404,
        _("This page is not here"),
        _("The address may be mistyped, the item may have been removed, or it belongs to a region you do not work on."),
    )


def file_missing(request: HttpRequest) -> HttpResponse:
    """410: the record of a stored file is there but its bytes are not (lost from the media folder or bucket)."""
    logger.error("Stored file missing for %s", request.path)
    return _page(
        request,
        410,
        _("This file is missing from storage"),
        _(
            "The record of this file is kept, but the file itself cannot be found in storage. Tell your "
            "administrator the address of this page so the file can be restored from a backup, or upload it again."
        ),
    )


def too_many_attempts(request: HttpRequest, minutes: int) -> HttpResponse:
    """429 for a sign-in locked after too many wrong passwords."""
    return _page(
        request,
        429,
        _("Too many wrong passwords"),
        _(
            "This account is locked for %(minutes)s minutes after too many wrong passwords. Wait, then try again, "
            "or ask a national admin to unlock it. Forgot your password? Reset it from the sign-in page."
        )
        % {"minutes": minutes},
    )


def method_not_allowed(request: HttpRequest) -> HttpResponse:
    return _page(request, 405, _("This address does not take that request"), _("Open the page from the menu."))


def server_error(request: HttpRequest) -> HttpResponse:
    """500, rendered without the database, the session or the user (any of them may be what failed)."""
    context = {
        "status": 500,
        "title": _("Something went wrong on our side"),
        "text": _(
            "Your last action may not have been saved. Wait a moment, then reload the page; if it happens again, "
            "tell your coordinator the time it happened."
        ),
        "LAYAK_LANGUAGES": settings.LANGUAGES,
        "standalone": True,
    }
    return HttpResponse(render_to_string("errors/error.html", context), status=500)


def _form_page(path: str) -> str | None:
    """The nearest address above `path` that resolves (the page a POST-only form sits on), or None."""
    parts = path.rstrip("/").split("/")
    while len(parts) > 1:
        parts.pop()
        candidate = "/".join(parts) + "/"
        for option in (candidate, candidate.rstrip("/")):
            try:
                resolve(option or "/")
            except Resolver404:
                continue
            return option or "/"
    return None


class MethodNotAllowedMiddleware:
    """Turns Django's empty 405 into the product's page; a GET to a form-only address goes to the form's page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not isinstance(response, HttpResponseNotAllowed) or request.path.startswith("/api/"):
            return response
        if request.method in ("GET", "HEAD"):
            target = _form_page(request.path)
            if target and target != request.path:
                return HttpResponseRedirect(target)
        page = method_not_allowed(request)
        page["Allow"] = response["Allow"]
        return page
