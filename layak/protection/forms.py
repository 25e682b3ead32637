"""Forms of the child-protection figures: the monthly form (one count per category, no free text anywhere),
the child population, the import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layak.common.fields import NumberField

from .categories import Topic
from .choices import CorrectionReason

MONTHS = [(m, f"{m:02d}") for m in range(1, 13)]


class FiguresForm(forms.Form):
    """A count per cell of a topic for one period. Fields are named after the cell keys; a breakdown left
    empty goes to its "not recorded" category. `reason` is asked when the period already has figures."""

    year = forms.IntegerField(label=_("Year"), min_value=2010, max_value=2100)
    month = forms.TypedChoiceField(label=_("Month"), choices=MONTHS, coerce=int)
    quarter = forms.BooleanField(
        label=_("These are the figures of the whole quarter starting in this month"), required=False
    )

    def __init__(self, *args: Any, topic: Topic, correcting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.topic = topic
        for cell in topic.cells:
            self.fields[cell.key] = NumberField(
                label=cell.label, integer=True, min_value=0, max_value=1_000_000, required=False
            )
        if correcting:
            self.fields["reason"] = forms.ChoiceField(
                label=_("Reason for the correction"), choices=CorrectionReason.choices
            )
            for name in ("year", "month", "quarter"):
                self.fields[name].disabled = True

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields in groups as the form shows them: the measures, then each breakdown."""
        out = [("", [self[m] for m in self.topic.measures])]
        for group in self.topic.groups:
            label = f"{group.label} ({self.topic.cell(group.parent).label})"
            out.append((label, [self[c] for c in group.cells]))
        return out

    def values(self) -> dict[str, int | None]:
        return {c.key: self.cleaned_data.get(c.key) for c in self.topic.cells}


class PopulationForm(forms.Form):
    """The number of children of the region in a year, with its source."""

    year = forms.IntegerField(
        label=_("Year"), min_value=2010, max_value=2100, initial=lambda: timezone.localdate().year
    )
    children = NumberField(label=_("Children aged 0-17"), integer=True, min_value=1)
    source = forms.CharField(
        label=_("Source"), max_length=300, help_text=_("For example: BPS population projection 2025, or Disdukcapil.")
    )
    source_url = forms.URLField(label=_("Source address (optional)"), required=False, assume_scheme="https")


class FiguresImportForm(forms.Form):
    """A workbook (one sheet per topic) or a CSV file (one topic) of figures."""

    upload = forms.FileField(
        label=_("Excel (.xlsx) or CSV file"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"})
    )
    reason = forms.ChoiceField(
        label=_("Reason, if the file corrects periods already recorded"),
        choices=[("", "—"), *CorrectionReason.choices],
        required=False,
    )
