"""The Content-Security-Policy is strict (no inline script or style), so no template may need one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Rendered by WeasyPrint into a PDF only, never served to a browser.
PDF_ONLY = {"reports/print_base.html"}
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler"),
    (re.compile(r"javascript:", re.I), "a javascript: address"),
]


def test_no_template_needs_inline_script_or_style():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in PDF_ONLY:
            continue
        text = path.read_text()
        found += [f"{name}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert not found, found


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/regions/", "/dashboards/public/", "/accounts/login/"])
def test_every_page_carries_the_strict_policy(client, url):
    policy = client.get(url)["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy and "unsafe" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


@pytest.mark.django_db
def test_charts_use_no_style_attribute():
    from layak.common import charts

    assert "style=" not in charts._text(1, 2, "label")
