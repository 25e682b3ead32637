"""Form widgets written without their templates, for pages that show many forms at once.

Django renders every widget through the template engine (input.html including attrs.html, one context each):
on a page of 63 answer forms that cost more than everything else. `widget_html` writes the same markup for the
simple widgets (text-like inputs, hidden inputs, an empty file input, textareas) straight from the widget's
context, and falls back to the widget's own template for anything else. `tests/test_widgets.py` in the common
app checks the two give the same HTML.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_INPUT_TEMPLATES = frozenset(
    {
        "django/forms/widgets/text.html",
        "django/forms/widgets/hidden.html",
        "django/forms/widgets/number.html",
        "django/forms/widgets/email.html",
        "django/forms/widgets/url.html",
        "django/forms/widgets/file.html",
        "django/forms/widgets/input.html",
    }
)


def _attrs(attrs: dict[str, Any]) -> str:
    """As django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name alone."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {name}" if value is True else f' {name}="{escape(str(value))}"')
    return "".join(parts)


def _input(context: dict[str, Any]) -> str:
    value = context["value"]
    shown = "" if value is None else f' value="{escape(str(value))}"'
    return f'<input type="{context["type"]}" name="{escape(context["name"])}"{shown}{_attrs(context["attrs"])}>'


def widget_html(bound: BoundField) -> SafeString:
    """The HTML `{{ bound }}` gives, written without the template engine for the simple widgets."""
    widget = bound.field.widget
    if bound.field.localize:
        return bound.as_widget()
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    if isinstance(widget, forms.Textarea) and widget.template_name == "django/forms/widgets/textarea.html":
        context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
        value = context["value"]
        body = escape(str(value)) if value else ""
        return mark_safe(f'<textarea name="{escape(context["name"])}"{_attrs(context["attrs"])}>\n{body}</textarea>')
    if isinstance(widget, forms.ClearableFileInput):
        context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
        if context.get("is_initial"):
            return bound.as_widget()
        return mark_safe(_input(context))
    if isinstance(widget, forms.widgets.Input) and widget.template_name in _INPUT_TEMPLATES:
        return mark_safe(_input(widget.get_context(bound.html_name, bound.value(), attrs)["widget"]))
    return bound.as_widget()


def radio_options(bound: BoundField) -> list[tuple[str, str, str, bool]]:
    """(input id, value, label, checked) of each choice of a radio field, for a page to write the inputs."""
    chosen = bound.value()
    chosen = "" if chosen is None else str(chosen)
    prefix = bound.auto_id or ""
    return [
        (f"{prefix}_{n}", str(value), str(label), str(value) == chosen)
        for n, (value, label) in enumerate(bound.field.choices)
    ]
