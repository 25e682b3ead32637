"""Form helpers shared by the register apps' views."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.forms import Form


def save_form(form: Form, action: Callable[[dict], object]) -> object | None:
    """Runs the service with the form's data; its ValidationError lands on the form. None when it failed."""
    if not form.is_valid():
        return None
    try:
        return action(dict(form.cleaned_data))
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
