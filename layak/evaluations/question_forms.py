"""Forms of the question-level self-assessment (kla-2024): one answer form per question, shaped by its type."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from layak.accounts.models import Agency
from layak.common.fields import NumberField
from layak.evidence.sniff import ALLOWED_KINDS
from layak.frameworks.choices import AnswerType
from layak.frameworks.models import Question

from .models import QuestionAnswer
from .question_services import NARRATIVE_MAX_LENGTH, TEXT_MAX_LENGTH, percentage_of


class QuestionAnswerForm(forms.Form):
    """The answer to one question: yes/no, numerator and denominator per year (the percentage is computed),
    a count per year or a text, plus the note (catatan). Numbers are read as the page's language writes them
    ("1.234,5"). Each form has the prefix `q<id>` so that many fit on one page."""

    note = forms.CharField(
        label=_("Note (catatan)"),
        required=False,
        max_length=NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    expected_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)

    def __init__(
        self, *args: Any, question: Question, years: list[int], answer: QuestionAnswer | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", f"q{question.pk}")
        super().__init__(*args, **kwargs)
        self.question, self.years, self.answer = question, years, answer
        kind = question.answer_type
        if kind == AnswerType.YES_NO:
            choices = [("true", gettext("Yes")), ("false", gettext("No"))]
            self.fields["yes"] = forms.ChoiceField(
                label=_("Answer"), choices=choices, required=False, widget=forms.RadioSelect
            )
        elif kind == AnswerType.PERCENTAGE:
            for year in years:
                self.fields[f"num_{year}"] = NumberField(
                    label=gettext("Numerator %(year)s") % {"year": year}, min_value=0, required=False
                )
                self.fields[f"den_{year}"] = NumberField(
                    label=gettext("Denominator %(year)s") % {"year": year}, min_value=0, required=False
                )
        elif kind == AnswerType.COUNT:
            for year in years:
                self.fields[f"count_{year}"] = NumberField(
                    label=gettext("Number in %(year)s") % {"year": year}, integer=True, min_value=0, required=False
                )
        elif kind == AnswerType.LIST:
            self.fields["text"] = forms.CharField(
                label=_("Answer"), required=False, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
            )
        self.order_fields([name for name in self.fields if name not in ("note", "expected_revision")])
        if not self.is_bound:
            self.initial.update(self._initial(answer))

    def _initial(self, answer: QuestionAnswer | None) -> dict[str, Any]:
        if answer is None:
            return {"expected_revision": 0}
        initial: dict[str, Any] = {"expected_revision": answer.revision, "note": answer.note, "text": answer.text}
        if answer.yes is not None:
            initial["yes"] = "true" if answer.yes else "false"
        for year, figures in answer.years.items():
            initial[f"num_{year}"] = figures.get("numerator")
            initial[f"den_{year}"] = figures.get("denominator")
            initial[f"count_{year}"] = figures.get("count")
        return initial

    def year_fields(self) -> list[tuple[int, list[forms.BoundField]]]:
        """The number boxes grouped by year, for the template."""
        grouped = []
        for year in self.years:
            names = [f"num_{year}", f"den_{year}", f"count_{year}"]
            grouped.append((year, [self[name] for name in names if name in self.fields]))
        return grouped

    def percentages(self) -> list[tuple[int, Any]]:
        """(year, the saved percentage or None): computed from the saved numerator and denominator."""
        if self.answer is None or self.question.answer_type != AnswerType.PERCENTAGE:
            return []
        shown = []
        for year in self.years:
            figures = self.answer.years.get(str(year)) or {}
            try:
                value = percentage_of(Decimal(figures["numerator"]), Decimal(figures["denominator"]))
            except (KeyError, ArithmeticError, TypeError):
                value = None
            shown.append((year, value))
        return shown

    def service_values(self) -> dict[str, Any]:
        """The cleaned answer as `question_answer_save` takes it."""
        data = self.cleaned_data
        yes_text = data.get("yes") or ""
        years: dict[str, dict[str, Any]] = {}
        for year in self.years:
            if self.question.answer_type == AnswerType.PERCENTAGE:
                years[str(year)] = {"numerator": data.get(f"num_{year}"), "denominator": data.get(f"den_{year}")}
            elif self.question.answer_type == AnswerType.COUNT:
                years[str(year)] = {"count": data.get(f"count_{year}")}
        return {
            "yes": {"true": True, "false": False}.get(yes_text),
            "years": years,
            "text": data.get("text", ""),
            "note": data.get("note", ""),
            "expected_revision": data["expected_revision"],
        }

    def add_service_errors(self, error: Any) -> None:
        """A service's ValidationError shown at the field it concerns (a year's boxes, the text, the note)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            field = None
            if key.startswith("year_"):
                year = key.removeprefix("year_")
                field = next((n for n in (f"num_{year}", f"count_{year}") if n in self.fields), None)
            elif key in self.fields:
                field = key
            for message in messages:
                self.add_error(field, message)


class QuestionEvidenceUploadForm(forms.Form):
    """A file for the region's library, linked to the question at once."""

    file = forms.FileField(label=_("File"), help_text=ALLOWED_KINDS)
    title = forms.CharField(
        label=_("Title"), max_length=300, required=False, help_text=_("Leave empty to use the file name.")
    )


class MatriksUploadForm(forms.Form):
    file = forms.FileField(label=_("Filled MATRIKS (.xlsx)"))


class QuestionAgencyForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency (OPD)"), queryset=Agency.objects.none(), required=False)

    def __init__(self, *args: Any, region_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(region_id=region_code).order_by("name")


class DataSourceMappingForm(forms.Form):
    """One OPD per data source the instrument names ("Dinkes", "DPPPAPPKB", ...)."""

    def __init__(self, *args: Any, sources: list[str], agencies: Any, current: dict[str, Agency], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.sources = sources
        for index, source in enumerate(sources):
            self.fields[f"source_{index}"] = forms.ModelChoiceField(
                label=source,
                queryset=agencies,
                required=False,
                initial=current.get(source),
                empty_label=gettext("— no OPD —"),
            )

    def mapping(self) -> dict[str, Agency | None]:
        return {source: self.cleaned_data.get(f"source_{i}") for i, source in enumerate(self.sources)}
