"""Template filters that show numbers and dates as the page's language writes them (`layak.common.numbers`).

{% load layak_format %}
{{ total|score }}               806,66        (806.66 in English)
{{ change|delta }}              +14,00 / -6,00 (a true minus sign)
{{ points|out_of:maximum }}     164,53 / 200
{{ count|number }}              250.000       {{ value|number:1 }} one decimal
{{ pct|percent }}               13,5%         (a value of 0-100; |share for a value of 0-1)
{{ size|filesize }}             1,0 MB        {{ done|size_of:total }} 1,0 MB dari 3,0 MB
{{ moment|when }}               3 Des 2026 14.02
{{ day|day }}                   3 Des 2026
"""

from __future__ import annotations

from django import template

from layak.common import numbers

register = template.Library()


def _safe(function, *args, **kwargs) -> str:
    """Templates show "" rather than an error page for a value that is not a number (a page must render)."""
    try:
        return function(*args, **kwargs)
    except (ArithmeticError, ValueError, TypeError):
        return ""


@register.filter
def number(value, places=None) -> str:
    places = None if places in (None, "") else int(places)
    return _safe(numbers.format_number, value, places)


@register.filter
def score(value) -> str:
    return _safe(numbers.format_score, value)


@register.filter
def delta(value, places=2) -> str:
    return _safe(numbers.format_delta, value, int(places))


@register.filter
def loss(value, places=2) -> str:
    """Points lost as a change: 6 lost -> "-6,00" (a true minus sign), -3 (gained) -> "+3,00"."""
    return _safe(lambda v: numbers.format_delta(-numbers.parse_number(v), int(places)), value)


@register.filter
def out_of(value, maximum) -> str:
    return _safe(numbers.format_fraction, value, maximum)


@register.filter
def percent(value, places=1) -> str:
    return _safe(numbers.format_percent, value, int(places))


@register.filter
def share(value, places=1) -> str:
    return _safe(numbers.format_share, value, int(places))


@register.filter
def filesize(value) -> str:
    return _safe(numbers.format_filesize, value)


@register.filter
def size_of(value, total) -> str:
    return _safe(numbers.format_size_progress, value, total)


@register.filter
def when(value) -> str:
    return _safe(numbers.format_datetime, value)


@register.filter
def day(value) -> str:
    return _safe(numbers.format_date, value)
