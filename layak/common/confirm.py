"""One confirmation step before every action that cannot be undone (submit, approve, publish, delete...).

Without JavaScript and on every device: the action's POST first answers with a page that says what will happen
and what cannot be undone, carrying the same form fields; its "Yes" button posts them again with `confirmed=yes`,
and only then does the view act. "No, go back" returns to the page the action came from.

    @login_required
    @require_POST
    @confirm_first(lambda request, pk: Confirmation(title=..., consequences=[...], button=...))
    def assessment_submit(request, pk): ...

A view that validates a form first (so the person never confirms something that will be refused) calls
`ask_confirmation(request, confirmation)` once the form is valid and returns its answer when it is not None.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

CONFIRMED = "confirmed"
SKIPPED_FIELDS = {"csrfmiddlewaretoken", CONFIRMED}


@dataclass(frozen=True)
class Confirmation:
    """What the confirmation page says: the question, what will happen, what cannot be undone, the button."""

    title: str
    consequences: Sequence[str] = field(default_factory=tuple)
    cannot_undo: str = ""
    button: str = ""
    danger: bool = False
    cancel_url: str = ""


def is_confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRMED) == "yes"


def _back_url(request: HttpRequest, confirmation: Confirmation) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    if confirmation.cancel_url:
        return confirmation.cancel_url
    safe = url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure())
    return referer if referer and safe else "/"


def confirmation_page(request: HttpRequest, confirmation: Confirmation) -> HttpResponse:
    """The page that asks: the same fields as the original form, posted again with confirmed=yes."""
    fields = [(k, v) for k, values in request.POST.lists() if k not in SKIPPED_FIELDS for v in values]
    context = {
        "c": confirmation,
        "cannot_undo": confirmation.cannot_undo or _("This cannot be undone."),
        "button": confirmation.button or _("Yes, go ahead"),
        "fields": fields,
        "action": request.get_full_path(),
        "back": _back_url(request, confirmation),
    }
    return render(request, "confirm.html", context)


def ask_confirmation(request: HttpRequest, confirmation: Confirmation) -> HttpResponse | None:
    """The confirmation page when the POST is not confirmed yet; None when the view may act."""
    return None if is_confirmed(request) else confirmation_page(request, confirmation)


def confirm_first(describe: Callable[..., Confirmation | None]) -> Callable:
    """Decorates a POST view: it acts only on a confirmed POST; otherwise `describe(request, *args, **kwargs)`
    says what to ask. `describe` is scoped like the view (it raises Http404 outside the user's regions) and
    returns None when there is nothing to confirm because the view will refuse (the view then answers)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and not is_confirmed(request):
                confirmation = describe(request, *args, **kwargs)
                if confirmation is not None:
                    return confirmation_page(request, confirmation)
            return view(request, *args, **kwargs)

        wrapper.confirms = True
        return wrapper

    return decorator
