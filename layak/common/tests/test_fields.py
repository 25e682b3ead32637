"""The number form fields: what a person types comes back as they typed it, or is refused in words."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from layak.common.fields import LocalNumbersMixin, NumberField


class Budget(LocalNumbersMixin, forms.Form):
    money_fields = ("budget",)
    percent_fields = ("physical",)

    year = forms.IntegerField(min_value=1990, max_value=2100)
    members = forms.IntegerField(min_value=0, required=False)
    budget = forms.DecimalField(max_digits=18, decimal_places=2, required=False)
    physical = forms.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False)


def _clean(data: dict, lang: str = "id") -> Budget:
    with translation.override(lang):
        form = Budget({"year": "2026", **data})
        form.is_valid()
        return form


def test_every_number_field_of_the_form_is_replaced():
    form = Budget()
    assert all(isinstance(f, NumberField) for f in form.fields.values())
    assert form.fields["members"].integer and not form.fields["budget"].integer


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"members": "250.000"}, {"members": 250000}),
        ({"members": "12.500"}, {"members": 12500}),
        ({"budget": "Rp 1.234.567,50"}, {"budget": Decimal("1234567.50")}),
        ({"budget": "1234.5"}, {"budget": Decimal("1234.5")}),
        ({"physical": "12,5 %"}, {"physical": Decimal("12.5")}),
    ],
)
def test_indonesian_numbers_are_read_as_meant(data, expected):
    form = _clean(data)
    assert form.is_valid(), form.errors
    assert {k: form.cleaned_data[k] for k in expected} == expected


def test_a_value_is_shown_back_in_the_language_it_was_typed_in():
    with translation.override("id"):
        html = str(Budget(initial={"year": 2026, "members": 250000, "budget": Decimal("1234.50")}))
    assert 'value="250.000"' in html and 'value="1.234,5"' in html and 'value="2026"' in html
    with translation.override("en"):
        html = str(Budget(initial={"members": 250000, "budget": Decimal("1234.50")}))
    assert 'value="250,000"' in html and 'value="1,234.5"' in html


def test_a_value_with_errors_is_shown_exactly_as_typed():
    form = _clean({"members": "1,000"})
    assert 'value="1,000"' in str(form["members"])


def test_an_out_of_range_ambiguous_value_says_how_it_was_read():
    message = _clean({"physical": "12.500"}).errors["physical"][0]
    assert message.startswith("Masukkan 100 atau kurang.")
    assert "dibaca sebagai 12500" in message and "Jika yang Anda maksud 12,5, tulis 12,5." in message


def test_a_count_with_a_decimal_comma_is_refused_with_the_reading():
    message = _clean({"members": "1,000"}).errors["members"][0]
    assert "bilangan bulat" in message and "dibaca sebagai 1:" in message


def test_more_decimals_than_stored_are_refused_not_rounded():
    form = _clean({"budget": "12,345"}, lang="en")
    assert form.is_valid() and form.cleaned_data["budget"] == 12345
    assert "paling banyak 2 angka desimal" in _clean({"physical": "12,345"}).errors["physical"][0]


def test_english_mode_reads_english_formats():
    form = _clean({"members": "12,500", "budget": "1,234.5"}, lang="en")
    assert form.is_valid()
    assert form.cleaned_data["members"] == 12500 and form.cleaned_data["budget"] == Decimal("1234.5")
