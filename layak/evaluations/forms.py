"""Forms of the evaluation pages. They only collect input: the services validate it, so pages and API agree."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from layak.accounts.models import Agency
from layak.frameworks.choices import ElementType
from layak.frameworks.models import DataElement, FrameworkVersion
from layak.regions.models import Region

from .choices import Stage
from .models import Cycle
from .validation import NUMERIC, choice_options

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CycleForm(forms.Form):
    """A new cycle: year, name, framework version, the five stage windows and the award date."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("For example “KLA 2025”."))
    framework = forms.ModelChoiceField(
        label=_("Framework version"),
        queryset=FrameworkVersion.objects.all(),
        help_text=_("The version is frozen when the cycle opens; later edits go into a new version."),
    )
    award_date = forms.DateField(label=_("Award date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for stage in Stage:
            self.fields[f"{stage}_start"] = forms.DateTimeField(
                label=_("%(stage)s opens") % {"stage": stage.label}, widget=DATETIME
            )
            self.fields[f"{stage}_end"] = forms.DateTimeField(
                label=_("%(stage)s closes") % {"stage": stage.label}, widget=DATETIME
            )

    def windows(self) -> dict[str, tuple]:
        data = self.cleaned_data
        return {stage.value: (data[f"{stage}_start"], data[f"{stage}_end"]) for stage in Stage}


class ExtensionForm(forms.Form):
    """More time for one kab/kota in one stage, with the reason kept in the audit log."""

    region = forms.ModelChoiceField(label=_("Regency/city"), queryset=Region.objects.none())
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    extended_until = forms.DateTimeField(label=_("Extended until"), widget=DATETIME)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)

    def __init__(self, *args, cycle: Cycle, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(assessment__cycle=cycle).order_by("code")


class AssignmentForm(forms.Form):
    """One agency (OPD) choice per indicator, for the coordinator."""

    def __init__(self, *args, indicators, agencies, current: dict[int, int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for indicator in indicators:
            self.fields[f"agency_{indicator.pk}"] = forms.ModelChoiceField(
                label=f"{indicator.code}. {indicator.display_name}",
                queryset=agencies,
                required=False,
                initial=current.get(indicator.pk),
                empty_label=gettext("— not assigned —"),
            )

    def changed_assignments(self) -> list[tuple[int, Agency]]:
        """(indicator id, agency) for every indicator whose agency was chosen or changed."""
        return [
            (int(name.removeprefix("agency_")), self.cleaned_data[name])
            for name in self.changed_data
            if self.cleaned_data.get(name) is not None
        ]


def _element_field(element: DataElement) -> forms.Field:
    help_text = element.help_text
    common = {"label": element.display_label, "required": False, "help_text": help_text}
    if element.type in NUMERIC:
        mode = "numeric" if element.type == ElementType.COUNT else "decimal"
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": mode, "autocomplete": "off"}), **common)
    if element.type == ElementType.YES_NO:
        choices = [("", "—"), ("true", gettext("Yes")), ("false", gettext("No"))]
        return forms.ChoiceField(choices=choices, **common)
    if element.type == ElementType.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *choice_options(element)], **common)
    if element.type == ElementType.DOCUMENT:
        return forms.BooleanField(**{**common, "label": gettext("Evidence attached")})
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)


def _initial(element: DataElement, value: Any) -> Any:
    if isinstance(value, bool) and element.type == ElementType.YES_NO:
        return "true" if value else "false"
    return value


class AnswerForm(forms.Form):
    """The indicator form generated from its data elements (fields `v_<element code>`) and the narratives."""

    narrative_done = forms.CharField(
        label=_("What has been done"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    narrative_todo = forms.CharField(
        label=_("What has not been done yet"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    expected_revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, elements: list[DataElement], *args, values: dict | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.elements = elements
        for element in elements:
            self.fields[f"v_{element.code}"] = _element_field(element)
            if values and element.code in values:
                self.initial[f"v_{element.code}"] = _initial(element, values[element.code])

    def element_fields(self) -> list[tuple[DataElement, forms.BoundField]]:
        return [(element, self[f"v_{element.code}"]) for element in self.elements]

    def values(self) -> dict[str, Any]:
        """Typed input for `answer_save`; an unticked evidence box means nothing was said (blank)."""
        return {e.code: self.cleaned_data[f"v_{e.code}"] or "" for e in self.elements}

    def add_service_errors(self, exc: ValidationError) -> None:
        """Puts the service's per-element messages on the matching fields."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc.messages)
            return
        for key, messages in exc.message_dict.items():
            field = key if key in ("narrative_done", "narrative_todo") else f"v_{key}"
            self.add_error(field if field in self.fields else None, messages)


def raw_values(elements: list[DataElement], data) -> dict[str, str]:
    """What the user typed into the element fields, untouched (for drafts)."""
    return {e.code: data.get(f"v_{e.code}", "") for e in elements if data.get(f"v_{e.code}", "") != ""}


def display_value(element: DataElement, value: Any) -> str:
    """A stored value as a person reads it (Yes/No, the choice label, the number with its unit)."""
    if value in (None, ""):
        return "—"
    if element.type == ElementType.DOCUMENT:
        return gettext("Evidence attached") if value in (True, "True", "true", "on") else "—"
    if element.type == ElementType.YES_NO:
        return gettext("Yes") if value in (True, "true") else gettext("No")
    if element.type == ElementType.CHOICE:
        return dict(choice_options(element)).get(str(value), str(value))
    return f"{value} {element.unit}".strip() if element.type in NUMERIC else str(value)
