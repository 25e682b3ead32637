"""Small helpers the register views share: run a service from a form, render a form page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render


def form_page(request, template: str, **context) -> HttpResponse:
    """Renders a form page; a POST that reached it failed validation, so it answers 400."""
    status = 400 if request.method == "POST" else 200
    return render(request, template, context, status=status)
