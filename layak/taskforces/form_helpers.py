"""Small helpers the register views share: run a service from a form, render a form page."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import render


def save_form(form: Form, action: Callable[[dict], object]) -> object | None:
    """Runs the service with the form's data; its ValidationError lands on the form. None when it failed."""
    if not form.is_valid():
        return None
    try:
        return action(dict(form.cleaned_data))
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


def form_page(request, template: str, **context) -> HttpResponse:
    """Renders a form page; a POST that reached it failed validation, so it answers 400."""
    status = 400 if request.method == "POST" else 200
    return render(request, template, context, status=status)
