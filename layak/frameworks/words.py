"""Words for a framework's codes: what people read instead of element keys and choice values."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.utils import translation

from layak.common.numbers import format_number

from .models import DataElement
from .units import unit_label


def choice_options(element: DataElement) -> list[tuple[str, str]]:
    """(value, label) pairs of a choice element in the page's language; the framework lists plain strings or
    {value, label, label_en} mappings."""
    options = []
    for item in element.choices or []:
        if isinstance(item, Mapping):
            value = str(item.get("value", item.get("code", "")))
            label = item.get("label_en") if translation.get_language() == "en" and item.get("label_en") else None
            options.append((value, str(label or item.get("label", value))))
        else:
            options.append((str(item), str(item)))
    return options


def choice_label(element: DataElement, value: object) -> str:
    """A choice's label ("Peraturan daerah") instead of its value ("perda")."""
    return dict(choice_options(element)).get(str(value), str(value))


def threshold_label(element: DataElement | None, target: str) -> str:
    """A threshold such as "12.5" or "80%" in the page's number format, with the element's unit."""
    percent = target.endswith("%")
    try:
        number = Decimal(target.rstrip("%"))
    except InvalidOperation:
        return target
    unit = unit_label(element.unit) if element is not None and element.unit else ""
    unit = "%" if percent or unit.strip() == "%" else (f" {unit}" if unit else "")
    return f"{format_number(number)}{unit}"
