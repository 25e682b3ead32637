"""Forms of the evaluation pages. They only collect input: the services validate it, so pages and API agree."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from layak.accounts.models import Agency
from layak.common.fields import LocalNumbersMixin
from layak.common.numbers import format_number
from layak.evidence.models import Evidence
from layak.evidence.sniff import ALLOWED_KINDS
from layak.frameworks.choices import ElementType
from layak.frameworks.models import DataElement, FrameworkVersion
from layak.frameworks.selectors import framework_default_for_new_cycles
from layak.regions.models import Region

from .choices import Stage
from .models import Cycle
from .validation import NUMERIC, Invalid, choice_options, clean_value

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CycleForm(LocalNumbersMixin, forms.Form):
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
        if not self.is_bound and "framework" not in self.initial:
            # The ministry's current instrument (kla-2024) unless the coordinator picks a past one.
            self.initial["framework"] = framework_default_for_new_cycles()
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
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)


def _initial(element: DataElement, value: Any) -> Any:
    if isinstance(value, bool) and element.type == ElementType.YES_NO:
        return "true" if value else "false"
    if element.type in NUMERIC and value not in (None, ""):
        return _shown_number(value)
    return value


def _shown_number(value: Any) -> Any:
    """A stored number as the page's language writes it (12.5 -> "12,5" in Indonesian); a draft stays as typed."""
    try:
        return format_number(Decimal(str(value)))
    except ArithmeticError:
        return value


class AnswerForm(forms.Form):
    """The indicator form generated from its data elements (fields `v_<element code>`) and the narratives.

    Document elements have no field: evidence linked to them is their answer.
    """

    narrative_done = forms.CharField(
        label=_("What has been done"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    narrative_todo = forms.CharField(
        label=_("What has not been done yet"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    expected_revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(
        self, elements: list[DataElement], *args, values: dict | None = None, draft: bool = False, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.elements = typed_elements(elements)
        for element in self.elements:
            self.fields[f"v_{element.code}"] = _element_field(element)
            if values and element.code in values:  # a draft holds what was typed; show it as it was typed
                value = values[element.code]
                self.initial[f"v_{element.code}"] = value if draft else _initial(element, value)

    def field_for(self, element: DataElement) -> forms.BoundField | None:
        name = f"v_{element.code}"
        return self[name] if name in self.fields else None

    def values(self) -> dict[str, Any]:
        """Typed input for `answer_save`."""
        return {e.code: self.cleaned_data[f"v_{e.code}"] or "" for e in self.elements}

    def add_service_errors(self, exc: ValidationError) -> None:
        """Puts the service's per-element messages on the matching fields."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc.messages)
            return
        for key, messages in exc.message_dict.items():
            field = key if key in ("narrative_done", "narrative_todo") else f"v_{key}"
            self.add_error(field if field in self.fields else None, messages)


def typed_elements(elements: list[DataElement]) -> list[DataElement]:
    """The elements a person types a value into (all but documents)."""
    return [e for e in elements if e.type != ElementType.DOCUMENT]


def raw_values(elements: list[DataElement], data) -> dict[str, str]:
    """What the user typed into the element fields, untouched (for drafts)."""
    return {e.code: data.get(f"v_{e.code}", "") for e in typed_elements(elements) if data.get(f"v_{e.code}", "") != ""}


def display_value(element: DataElement, value: Any) -> str:
    """A stored value as a person reads it (Yes/No, the choice label, the number with its unit)."""
    if value in (None, ""):
        return "—"
    if element.type == ElementType.YES_NO:
        return gettext("Yes") if value in (True, "true") else gettext("No")
    if element.type == ElementType.CHOICE:
        return dict(choice_options(element)).get(str(value), str(value))
    return f"{_shown_number(value)} {element.display_unit}".strip() if element.type in NUMERIC else str(value)


def prefill_input(element: DataElement, value: Any) -> str | None:
    """A register's value as the element's field expects it ("true"/"false", "12.5"), None if it does not fit."""
    try:
        cleaned = clean_value(element, value)
    except Invalid:
        return None
    return str(_initial(element, cleaned))


def _element_choices(elements: list[DataElement]) -> list[tuple[str, str]]:
    return [("", gettext("The indicator as a whole")), *((e.code, e.display_label) for e in elements)]


def _default_element(elements: list[DataElement]) -> str:
    documents = [e.code for e in elements if e.type == ElementType.DOCUMENT]
    return documents[0] if len(documents) == 1 else ""


class _EvidenceTarget(forms.Form):
    """Which element of the indicator the evidence supports (blank: the indicator as a whole)."""

    element = forms.ChoiceField(label=_("Supports"), required=False)

    def __init__(self, *args, elements: list[DataElement], **kwargs) -> None:
        kwargs.setdefault("initial", {"element": _default_element(elements)})
        super().__init__(*args, **kwargs)
        self.fields["element"].choices = _element_choices(elements)


class EvidenceUploadToAnswerForm(_EvidenceTarget):
    """A new file for the region's library, linked to the indicator at once."""

    file = forms.FileField(label=_("File"), help_text=ALLOWED_KINDS)
    title = forms.CharField(
        label=_("Title"), max_length=300, required=False, help_text=_("Leave empty to use the file name.")
    )

    field_order = ["file", "title", "element"]


class EvidencePickForm(_EvidenceTarget):
    """An item already in the region's library."""

    evidence = forms.ModelChoiceField(label=_("Evidence from the library"), queryset=Evidence.objects.none())

    field_order = ["evidence", "element"]

    def __init__(self, *args, region_code: str, **kwargs) -> None:
        kwargs.setdefault("auto_id", "pick_%s")
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = Evidence.objects.filter(region_id=region_code)


class EvidenceUrlForm(_EvidenceTarget):
    """A link to a document published elsewhere."""

    url = forms.URLField(
        label=_("Web address"), max_length=1000, assume_scheme="https", help_text=_("Starts with http:// or https://.")
    )
    title = forms.CharField(label=_("Title"), max_length=300)

    field_order = ["url", "title", "element"]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "url_%s")
        super().__init__(*args, **kwargs)


class AgencyForm(forms.Form):
    """An OPD of the kab/kota: its full and short name."""

    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("For example “Dinas Kesehatan”."))
    short_name = forms.CharField(
        label=_("Short name"), max_length=40, required=False, help_text=_("For example “Dinkes”.")
    )


class IndicatorAssignmentForm(forms.Form):
    """One indicator's OPD and, optionally, the people of the region who fill it in."""

    agency = forms.ModelChoiceField(label=_("Agency (OPD)"), queryset=Agency.objects.none())
    contributors = forms.ModelMultipleChoiceField(
        label=_("Contributors"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional: people who may fill this indicator in besides everyone of the chosen OPD."),
    )

    def __init__(self, *args, agencies, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["contributors"].queryset = people


class ExcelUploadForm(forms.Form):
    """A filled instrument workbook."""

    file = forms.FileField(
        label=_("Filled workbook (.xlsx)"),
        help_text=_("The file downloaded from this page, filled in. Nothing is imported if any cell is wrong."),
    )
