"""Checks typed answers against an indicator's data elements; the single source of the messages users see.

Pages, the API and (later) the Excel import all call `values_clean`, so a value is judged the same way
everywhere. Required elements are not checked here: incomplete work may always be saved, and
`values_missing` lists what is still needed when the coordinator submits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from layak.common.numbers import NumberError, format_number, parse_number, with_reading
from layak.frameworks.choices import ElementType
from layak.frameworks.models import DataElement
from layak.frameworks.words import choice_options

NUMERIC = frozenset({ElementType.PERCENTAGE, ElementType.COUNT, ElementType.RATE})
TEXT_MAX_LENGTH = 5000
TRUE_WORDS = frozenset({"true", "yes", "ya", "1", "on"})
FALSE_WORDS = frozenset({"false", "no", "tidak", "0", "off"})


class Invalid(Exception):
    """One value that does not fit its element; the message says what to enter instead."""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _decimal(value: Any, *, integer: bool = False) -> Decimal:
    """A typed number read as people write it in the page's language (layak.common.numbers)."""
    try:
        return parse_number(value, integer=integer)
    except NumberError as exc:
        raise Invalid(exc.message) from None


def _number(element: DataElement, value: Any) -> Decimal:
    try:
        return _number_in_range(element, _decimal(value, integer=element.type == ElementType.COUNT))
    except Invalid as exc:
        raise Invalid(with_reading(str(exc), value)) from None


def _number_in_range(element: DataElement, number: Decimal) -> Decimal:
    if element.type == ElementType.PERCENTAGE and not Decimal(0) <= number <= Decimal(100):
        raise Invalid(_("Enter a percentage between 0 and 100."))
    if element.type == ElementType.COUNT and (number < 0 or number != number.to_integral_value()):
        raise Invalid(_("Enter a whole number of 0 or more."))
    if number < 0:
        raise Invalid(_("Enter a number of 0 or more."))
    if element.min_value is not None and number < element.min_value:
        raise Invalid(_("Enter a value of at least %(min)s.") % {"min": format_number(element.min_value)})
    if element.max_value is not None and number > element.max_value:
        raise Invalid(_("Enter a value of at most %(max)s.") % {"max": format_number(element.max_value)})
    return number


def _plain(number: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 100.0000 -> "100", 12.50 -> "12.5"."""
    return format(number.normalize(), "f")


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise Invalid(_("Choose yes or no."))


def _clean_one(element: DataElement, value: Any) -> Any:
    """The value as stored in `Answer.values`: decimal string, boolean or text."""
    if element.type in NUMERIC:
        return _plain(_number(element, value))
    if element.type == ElementType.DOCUMENT:
        raise Invalid(_("A document is proven by evidence, not typed: attach a file or a link to this element."))
    if element.type == ElementType.YES_NO:
        return _boolean(value)
    text = str(value).strip()
    if element.type == ElementType.CHOICE and text not in {v for v, _label in choice_options(element)}:
        raise Invalid(_("Choose one of the listed options."))
    if len(text) > TEXT_MAX_LENGTH:
        raise Invalid(_("Keep this under %(limit)s characters.") % {"limit": TEXT_MAX_LENGTH})
    return text


def values_clean(elements: Iterable[DataElement], raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """(cleaned values, {element code: message}) for the values of one indicator; blanks are left out."""
    by_code = {element.code: element for element in elements}
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for code, value in raw.items():
        element = by_code.get(code)
        if element is None:
            errors[code] = _("Unknown data element “%(code)s”; reload the form and try again.") % {"code": code}
        elif not is_blank(value):
            try:
                cleaned[code] = _clean_one(element, value)
            except Invalid as exc:
                errors[code] = str(exc)
    errors.update(_denominator_errors(by_code, cleaned, errors))
    return cleaned, errors


def _denominator_errors(by_code: Mapping[str, DataElement], cleaned: Mapping[str, Any], errors) -> dict[str, str]:
    """A numerator (for example children with a birth certificate) may never exceed its denominator."""
    found = {}
    for code, element in by_code.items():
        denominator = by_code.get(element.denominator) if element.denominator else None
        if denominator is None or code in errors or code not in cleaned or denominator.code not in cleaned:
            continue
        if Decimal(cleaned[code]) > Decimal(cleaned[denominator.code]):
            found[code] = _("This cannot be more than “%(label)s” (%(value)s); check both numbers.") % {
                "label": denominator.display_label,
                "value": cleaned[denominator.code],
            }
    return found


def clean_value(element: DataElement, value: Any) -> Any:
    """One value as `values_clean` would store it; raises Invalid with the message users see."""
    return _clean_one(element, value)


def values_missing(
    elements: Iterable[DataElement], stored: Mapping[str, Any], evidence: Iterable[str]
) -> list[tuple[DataElement, str]]:
    """Required elements still empty and document elements without evidence, each with what to do.

    Every document element needs evidence: the document is the proof the verifiers check.
    """
    attached = set(evidence)
    missing = []
    for element in elements:
        if element.type == ElementType.DOCUMENT:
            if element.code not in attached:
                missing.append((element, _("attach the evidence")))
        elif element.required and is_blank(stored.get(element.code)):
            missing.append((element, _("enter the data")))
    return missing
