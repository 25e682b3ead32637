"""Large cached fragments put into a rendered page as bytes, not through the template engine.

A dashboard's body is a cached fragment of up to a few hundred kilobytes. Rendered into the page as a string, it
is copied by every enclosing block and encoded to UTF-8 again on every view, which costs more than the rest of
the page's own work (decision 0031). Kept as UTF-8 bytes instead (`encoded`), it is rendered as a short marker
and put in place of the marker in the response's bytes: one copy per view.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

# Unguessable, so no text of a page (a name typed by a user) can be taken for a marker.
_TOKEN = secrets.token_hex(8)


def encoded(html: str) -> bytes:
    """A rendered fragment as kept for `render_spliced`."""
    return html.encode("utf-8")


def render_spliced(
    request: HttpRequest, template: str, context: dict[str, Any], fragments: Mapping[str, bytes]
) -> HttpResponse:
    """The template rendered with `context`, each of `fragments` (name -> UTF-8 HTML) shown where the template
    shows the variable of that name (`{{ name }}`, unfiltered)."""
    markers = {name: f"<!--splice:{_TOKEN}:{name}-->" for name in fragments}
    response = render(request, template, {**context, **{name: mark_safe(m) for name, m in markers.items()}})
    content = response.content
    for name, html in fragments.items():
        before, found, after = content.partition(markers[name].encode())
        if found:
            content = b"".join((before, html, after))
    response.content = content
    return response
