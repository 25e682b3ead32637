"""Forms of the national-admin pages: cloning a version and editing its provisional weights."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from layak.common.fields import LocalNumbersMixin, NumberField, NumberInput
from layak.scoring.engine import MAX_SCORE

from .models import Indicator


class VersionCloneForm(LocalNumbersMixin, forms.Form):
    """The new version's identity; everything else is copied from the source version."""

    slug = forms.SlugField(
        label=_("Slug"), max_length=50, help_text=_("Short identifier used in addresses, e.g. kla-2026.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)


class WeightsForm(forms.Form):
    """One maximum per indicator (they must sum to 1000), plus whether the weights are still provisional."""

    provisional = forms.BooleanField(
        label=_("These weights are provisional (not the official table)"), required=False, initial=True
    )
    note = forms.CharField(
        label=_("Note on the weights"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you untick 'provisional': say where the official weights come from."),
    )

    def __init__(self, *args, indicators: list[Indicator], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            self.fields[self.field_name(indicator)] = NumberField(
                label=f"{indicator.code}. {indicator.display_name}",
                min_value=Decimal(0),
                max_value=MAX_SCORE,
                decimal_places=2,
                initial=indicator.max_points,
                widget=NumberInput({"class": "weight-input"}),
            )

    @staticmethod
    def field_name(indicator: Indicator) -> str:
        return f"max_{indicator.code}"

    def weight_fields(self):
        return [self[self.field_name(indicator)] for indicator in self.indicators]

    def clean(self):
        data = super().clean()
        values = [data.get(self.field_name(indicator)) for indicator in self.indicators]
        if all(value is not None for value in values) and sum(values, Decimal(0)) != MAX_SCORE:
            raise forms.ValidationError(
                _("The maxima must sum to exactly %(max)s; they sum to %(total)s.")
                % {"max": MAX_SCORE, "total": sum(values, Decimal(0))}
            )
        if not data.get("provisional") and not (data.get("note") or "").strip():
            self.add_error("note", _("Explain why the weights are no longer provisional (for example the source)."))
        return data

    def weights(self) -> dict[str, Decimal]:
        return {indicator.code: self.cleaned_data[self.field_name(indicator)] for indicator in self.indicators}
