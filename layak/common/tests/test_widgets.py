"""The widgets written without their templates (`layak.common.widgets`) give exactly Django's HTML."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms

from layak.common.fields import NumberField
from layak.common.widgets import radio_options, widget_html


class Sample(forms.Form):
    name = forms.CharField(label="Nama", max_length=30, help_text="Seperti di KTP")
    amount = NumberField(label="Jumlah", min_value=0, required=False)
    count = NumberField(label="Banyaknya", integer=True, required=False)
    note = forms.CharField(required=False, max_length=100, widget=forms.Textarea(attrs={"rows": 2}))
    secret = forms.IntegerField(widget=forms.HiddenInput, initial=3)
    upload = forms.FileField(required=False)
    email = forms.EmailField(required=False, disabled=True)
    choice = forms.ChoiceField(choices=[("true", "Ya"), ("false", "Tidak")], widget=forms.RadioSelect)


@pytest.mark.parametrize(
    "form",
    [
        Sample(prefix="q7", initial={"amount": Decimal("1234.5"), "count": 12, "note": 'a <b> & "c"\n2'}),
        Sample(),
        Sample(data={"q9-name": "", "q9-amount": "1.234,5x", "q9-note": "\nbaris"}, prefix="q9"),
    ],
    ids=["initial", "empty", "bound-with-errors"],
)
def test_each_simple_widget_is_written_as_django_writes_it(form):
    if form.is_bound:
        form.is_valid()
    for name in ("name", "amount", "count", "note", "secret", "upload", "email"):
        assert widget_html(form[name]) == str(form[name]), name


def test_radio_options_say_which_choice_is_checked():
    form = Sample(prefix="q1", initial={"choice": "false"})
    assert radio_options(form["choice"]) == [
        ("id_q1-choice_0", "true", "Ya", False),
        ("id_q1-choice_1", "false", "Tidak", True),
    ]
    rendered = str(form["choice"])
    for input_id, value, _label, checked in radio_options(form["choice"]):
        assert f'value="{value}"' in rendered and f'id="{input_id}"' in rendered
        assert (f'id="{input_id}" checked' in rendered) is checked
