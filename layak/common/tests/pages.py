"""Helpers for tests that read pages."""

import re

_TOKENS = re.compile(r'(name="csrfmiddlewaretoken" value=|"X-CSRFToken": )"[A-Za-z0-9]+"')


def without_csrf_tokens(html: str) -> str:
    """The page without its CSRF tokens, which are random per response: what is left can be compared, or searched
    for a figure that a token could hold by chance."""
    return _TOKENS.sub("", html)
