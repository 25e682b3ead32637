"""The JSON API's one error shape and one rule for error statuses, used by every app's ninja router.

Every error body has `detail`, a sentence for a person (translated). A refused value adds `errors`
({field: [messages]}); a few endpoints add what their caller needs next (`missing`, `expected_offset`,
`current`): those bodies subclass `ErrorOut`, so every declared schema is an `ErrorOut`.

Statuses (the rule; `install_error_handlers` applies it to exceptions a router does not catch itself):

- 400 `BadRequest`: the request cannot be read at all (not JSON, not a multipart form, the body missing);
- 401: not signed in (ninja's authentication);
- 403 `PermissionDenied`: signed in but not allowed;
- 404 `Http404`: nothing there, or outside the caller's regions (the API never reveals which);
- 409: the request conflicts with what is stored now (a newer revision, another upload offset);
- 413: too large;
- 422 `ValidationError`: the request was read but a value is refused. Django's `ValidationError` from a service
  and ninja's own schema validation answer the same way: 422 with `detail` and `errors`.

Routers return `ninja.Status(code, body)`; a `(code, body)` tuple is deprecated by ninja.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema, Status
from ninja import errors as ninja_errors


class ErrorOut(Schema):
    """Every error body: `detail` says what went wrong and what to do, in words."""

    detail: str


class ValidationErrorOut(ErrorOut):
    """A refused value (422): `errors` maps each field (or "__all__") to its messages."""

    errors: dict[str, list[str]] = {}


class BadRequest(ValidationError):
    """The request cannot be read at all (400), as opposed to a value that was read and refused (422)."""


ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ValidationErrorOut,
}


def error_responses(*codes: int) -> dict[int, type[Schema]]:
    """The declared error bodies of an endpoint: `response={200: Out, **error_responses(404, 422)}`."""
    return {code: ERRORS[code] for code in codes}


def validation_body(exc: ValidationError) -> dict[str, Any]:
    """A Django ValidationError as the 422 body."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": list(exc.messages)}
    return {"detail": " ".join(m for messages in errors.values() for m in messages), "errors": errors}


def error_status(exc: ValidationError | PermissionDenied | Http404) -> Status[Any]:
    """The status and body for a refusal a router caught: 400, 403, 404 or 422, by the rule above."""
    if isinstance(exc, PermissionDenied):
        return Status(403, {"detail": str(exc) or _("You are not allowed to do this.")})
    if isinstance(exc, Http404):
        return Status(404, {"detail": str(exc) or _("Not found.")})
    if isinstance(exc, BadRequest):
        return Status(400, {"detail": " ".join(exc.messages)})
    return Status(422, validation_body(exc))


def _schema_errors(exc: ninja_errors.ValidationError) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = ".".join(str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path"))
        errors.setdefault(location or "__all__", []).append(str(error.get("msg", "")))
    detail = _("Some values were refused: %(fields)s.") % {"fields": ", ".join(errors)}
    return {"detail": detail, "errors": errors}


def install_error_handlers(api: NinjaAPI) -> None:
    """Makes the rule above the API's: uncaught refusals and ninja's schema errors answer in the one shape."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(ninja_errors.ValidationError)
    def schema_refused(request: HttpRequest, exc: ninja_errors.ValidationError) -> HttpResponse:
        return respond(request, 422, _schema_errors(exc))

    @api.exception_handler(ValidationError)
    def value_refused(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        status = error_status(exc)
        return respond(request, status.status_code, status.value)

    @api.exception_handler(PermissionDenied)
    def not_allowed(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        status = error_status(exc)
        return respond(request, status.status_code, status.value)
