"""Words for the codes of a framework: a data element's label instead of its key, a choice's label instead of
its value, a threshold in the page's number format.

    {% load framework_words %}
    {% element_label a.rules.indicators x.code loss.element %}           "Persalinan di fasilitas kesehatan"
    {% target_label a.rules.indicators item.indicator_code item.element item.target %}   "Perda" / "80%"

The first argument is an Indicator or a list of them (with their elements prefetched, as the review and
evaluation selectors load them). The lookup is built once per rendering.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from layak.frameworks.choices import ElementType
from layak.frameworks.models import DataElement, Indicator
from layak.frameworks.words import choice_label, threshold_label

register = template.Library()


def _elements(context, indicators: Indicator | Iterable[Indicator]) -> dict[tuple[str, str], DataElement]:
    cache = context.render_context.setdefault("framework_words", {})
    key = id(indicators)
    if key not in cache:
        items = [indicators] if isinstance(indicators, Indicator) else list(indicators or [])
        cache[key] = {(i.code, e.code): e for i in items for e in i.elements.all()}
    return cache[key]


@register.simple_tag(takes_context=True)
def element_label(context, indicators, indicator_code: str, element_code: str) -> str:
    """The element's label in the page's language; "" for no element (the indicator as a whole)."""
    if not element_code:
        return ""
    element = _elements(context, indicators).get((indicator_code, element_code))
    return element.display_label if element else element_code


@register.simple_tag(takes_context=True)
def target_label(context, indicators, indicator_code: str, element_code: str, target: str) -> str:
    """What the data must reach, in words: a choice's label or a threshold in the page's number format."""
    if not target:
        return ""
    element = _elements(context, indicators).get((indicator_code, element_code))
    if element is not None and element.type == ElementType.CHOICE:
        return choice_label(element, target)
    return threshold_label(element, target)
