"""Form fields for numbers typed in the user's language (see `layak.common.numbers` for the reading rule).

`NumberField` reads "1.234,5", "1234.5" and "250.000" as `numbers.read_number` does, refuses what is not a number
with a message saying how it was read, and shows a stored value back in the page's language ("250.000" stays
"250.000"). `LocalNumbersMixin` puts it in place of every IntegerField, DecimalField and FloatField of a form
(ModelForms included), keeping each field's label, help text, bounds and decimal places: one line per form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.utils.translation import gettext as _

from . import numbers

YEAR_NAME = re.compile(r"(^|_)year($|_)|^period_(start|end)$")


class NumberInput(forms.TextInput):
    """A text box for a number (not type=number, which refuses "1.234,5"), showing the value in the page's
    language; a value the user typed and that came back with an error is shown exactly as typed."""

    def __init__(self, attrs: dict | None = None, *, integer: bool = False, grouping: bool = True) -> None:
        base = {"inputmode": "numeric" if integer else "decimal", "autocomplete": "off", "class": "num-input"}
        super().__init__({**base, **(attrs or {})})
        self.grouping = grouping

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return numbers.format_number(value, grouping=self.grouping)
        return super().format_value(value)


class NumberField(forms.Field):
    """A number typed as people write it in the page's language; cleaned to int (`integer`) or Decimal.

    `money` also accepts a leading "Rp", `percent` a trailing "%"; `min_value`/`max_value` refuse with a message
    that says how an ambiguous text was read. `decimal_places` refuses more decimals than the field stores
    (never rounds silently).
    """

    def __init__(
        self,
        *,
        integer: bool = False,
        min_value: Decimal | int | None = None,
        max_value: Decimal | int | None = None,
        decimal_places: int | None = None,
        max_digits: int | None = None,
        money: bool = False,
        percent: bool = False,
        grouping: bool = True,
        **kwargs: Any,
    ) -> None:
        self.integer, self.money, self.percent = integer, money, percent
        self.min_value, self.max_value = min_value, max_value
        self.decimal_places, self.max_digits = decimal_places, max_digits
        kwargs.setdefault("widget", NumberInput(integer=integer, grouping=grouping))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | Decimal | None:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            number = numbers.parse_number(value, integer=self.integer, money=self.money, percent=self.percent)
        except numbers.NumberError as exc:
            raise ValidationError(exc.message, code=exc.code) from None
        return int(number) if self.integer else number

    def clean(self, value: Any) -> int | Decimal | None:
        number = self.to_python(value)
        self.validate(number)
        self.run_validators(number)
        if number is not None:
            problem = self._range_problem(number) or self._digits_problem(number)
            if problem:
                raise ValidationError(
                    numbers.with_reading(problem, value, money=self.money, percent=self.percent), code="range"
                )
        return number

    def _range_problem(self, value: Decimal | int) -> str:
        if self.min_value is not None and value < self.min_value:
            return _("Enter %(limit)s or more.") % {"limit": numbers.format_number(self.min_value)}
        if self.max_value is not None and value > self.max_value:
            return _("Enter %(limit)s or less.") % {"limit": numbers.format_number(self.max_value)}
        return ""

    def _digits_problem(self, value: Decimal | int) -> str:
        if self.integer or self.decimal_places is None:
            return ""
        exponent = Decimal(value).normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.decimal_places:
            return _("Use at most %(places)s decimals.") % {"places": self.decimal_places}
        whole_digits = len(str(abs(int(value))))
        if self.max_digits is not None and whole_digits > self.max_digits - self.decimal_places:
            return _("This number is too large for this field; check it.")
        return ""


BOUND_CODES = {"min_value", "max_value"}


def number_field_from(name: str, field: forms.Field, *, money: bool = False, percent: bool = False) -> NumberField:
    """A NumberField with the label, help text, bounds and decimal places of a Django number field."""
    integer = isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField | forms.FloatField)
    bounds = {"min_value": getattr(field, "min_value", None), "max_value": getattr(field, "max_value", None)}
    others = []
    for validator in field.validators:  # model fields bring their bounds as validators
        code = getattr(validator, "code", None)
        if code in BOUND_CODES:
            key = code
            bounds[key] = bounds[key] if bounds[key] is not None else validator.limit_value
        elif not isinstance(validator, DecimalValidator):  # NumberField checks digits itself, in words
            others.append(validator)
    kept = {k: v for k, v in field.widget.attrs.items() if k not in {"step", "min", "max", "type", "inputmode"}}
    widget = NumberInput(kept, integer=integer, grouping=not YEAR_NAME.search(name))
    return NumberField(
        widget=widget,
        integer=integer,
        decimal_places=getattr(field, "decimal_places", None),
        max_digits=getattr(field, "max_digits", None),
        money=money,
        percent=percent,
        required=field.required,
        label=field.label,
        help_text=field.help_text,
        initial=field.initial,
        disabled=field.disabled,
        validators=others,
        **bounds,
    )


def localize_number_fields(form: forms.BaseForm, *, money: Iterable[str] = (), percent: Iterable[str] = ()) -> None:
    """Replaces every number field of the form (not hidden ones) with a NumberField read in the page's language.

    Fields named in `money` also accept a leading "Rp", those in `percent` a trailing "%".
    """
    money, percent = set(money), set(percent)
    for name, field in list(form.fields.items()):
        is_number = isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField)
        if is_number and not isinstance(field.widget, forms.HiddenInput):
            form.fields[name] = number_field_from(name, field, money=name in money, percent=name in percent)


class LocalNumbersMixin:
    """Put first in a form's bases: its number fields read and show numbers as the page's language writes them.

    `money_fields` and `percent_fields` (class attributes) name the fields that take "Rp 250.000" or "12,5 %".
    """

    money_fields: tuple[str, ...] = ()
    percent_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localize_number_fields(self, money=self.money_fields, percent=self.percent_fields)
