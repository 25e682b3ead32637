"""View pieces the register pages share: a form page, a form posted from a detail page, an import.

Each register view stays a few lines: find the object for the user (404 outside their regions), check who may
change it, then hand the form and the one service call to one of these.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from layak.common.spreadsheets import ImportRejected

from .forms import ImportForm, save_form

Message = str | Callable[[Any], str]


def form_page(request: HttpRequest, template: str, **context: Any) -> HttpResponse:
    """Renders a form page; a POST that reached it failed validation, so it answers 400."""
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def _text(message: Message, result: Any) -> str:
    return message(result) if callable(message) else message


def form_view(
    request: HttpRequest,
    form: forms.Form,
    run: Callable[[dict[str, Any]], Any],
    /,
    *,
    template: str,
    success: Message,
    redirect_to: Callable[[Any], Any] | None = None,
    **context: Any,
) -> HttpResponse:
    """A create or edit page: on a valid POST the service runs, a message says so and the browser goes to the
    saved object (or `redirect_to(saved)`); otherwise the form again (400 after a failed POST)."""
    if request.method == "POST":
        saved = save_form(form, run)
        if saved:
            messages.success(request, _text(success, saved))
            return redirect(redirect_to(saved) if redirect_to else saved)
    return form_page(request, template, form=form, **context)


def post_on_page(
    request: HttpRequest,
    form: forms.Form,
    run: Callable[[dict[str, Any]], Any],
    /,
    *,
    success: Message,
    redirect_to: Any,
    page: Callable[[forms.Form], HttpResponse],
) -> HttpResponse:
    """A form that sits on a detail page: on success a message and a redirect to `redirect_to` (a URL or an
    object, or a function of the saved object giving one); on a refusal the page again with the form's errors,
    answering 400."""
    saved = save_form(form, run)
    if saved:
        messages.success(request, _text(success, saved))
        return redirect(redirect_to(saved) if callable(redirect_to) else redirect_to)
    response = page(form)
    response.status_code = 400
    return response


def import_view(
    request: HttpRequest,
    run: Callable[[Any], list[Any]],
    /,
    *,
    success: Callable[[int], str],
    redirect_to: Any,
    page: Callable[[ImportForm, list[Any]], HttpResponse],
) -> HttpResponse:
    """An all-or-nothing import from an uploaded sheet: `run(upload)` returns what it created or raises
    ImportRejected (every row error is listed on the page) or ValidationError (about the file)."""
    form, errors = ImportForm(request.POST or None, request.FILES or None), []
    if request.method == "POST" and form.is_valid():
        try:
            created = run(form.cleaned_data["upload"])
        except ImportRejected as exc:
            errors = exc.row_errors
            if not errors:
                form.add_error("upload", exc)
        except ValidationError as exc:
            form.add_error("upload", exc)
        else:
            messages.success(request, success(len(created)))
            return redirect(redirect_to)
    response = page(form, errors)
    if request.method == "POST":
        response.status_code = 400
    return response
