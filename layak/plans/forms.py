"""Forms of the RAD KLA pages; they only clean input, the services decide and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from layak.accounts.models import Agency
from layak.common.fields import LocalNumbersMixin
from layak.frameworks.models import FrameworkVersion, Indicator
from layak.protection.selectors import figure_choices

from .models import Action, ActionPlan, ActionYear, MonitoringReport, Realisation, RegionBudget

DATE = forms.DateInput(attrs={"type": "date"})


class PlanForm(LocalNumbersMixin, forms.ModelForm):
    file = forms.FileField(label=_("Document (PDF of the Perwali/Perbup)"), required=False)

    class Meta:
        model = ActionPlan
        fields = ["title", "start_year", "end_year", "legal_basis", "status", "integrated_in_rpjmd", "framework"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        versions = FrameworkVersion.objects.order_by("-year", "slug")
        self.fields["framework"].queryset = versions
        self.fields["framework"].initial = self.initial.get("framework") or versions.filter(status="published").first()


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["title", "programme", "indicators", "rights_group", "agency", "status", "figure", "figure_goal"]
        widgets = {"indicators": forms.CheckboxSelectMultiple}

    def __init__(self, *args, plan: ActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figure"] = forms.ChoiceField(
            label=Action._meta.get_field("figure").verbose_name,
            help_text=Action._meta.get_field("figure").help_text,
            choices=[("", "—"), *figure_choices()],
            required=False,
        )
        self.fields["indicators"].queryset = Indicator.objects.filter(version_id=plan.framework_id).order_by("order")
        self.fields["indicators"].label_from_instance = lambda i: f"{i.code}. {i.display_name}"
        self.fields["agency"].queryset = Agency.objects.filter(region_id=plan.region_id)


class ActionEditForm(ActionForm):
    class Meta(ActionForm.Meta):
        fields = [*ActionForm.Meta.fields, "is_draft"]


class ActionYearForm(LocalNumbersMixin, forms.ModelForm):
    money_fields = ("budget",)

    class Meta:
        model = ActionYear
        fields = ["year", "target", "target_value", "budget"]


class RealisationForm(LocalNumbersMixin, forms.ModelForm):
    money_fields = ("financial",)
    percent_fields = ("physical_pct",)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)])

    class Meta:
        model = Realisation
        fields = ["year", "quarter", "physical_pct", "financial", "note"]


class ReportForm(LocalNumbersMixin, forms.ModelForm):
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)])
    file = forms.FileField(label=_("Signed report (optional)"), required=False)

    class Meta:
        model = MonitoringReport
        fields = ["year", "quarter", "summary", "issues"]


class RegionBudgetForm(LocalNumbersMixin, forms.ModelForm):
    money_fields = ("apbd_total",)

    class Meta:
        model = RegionBudget
        fields = ["year", "apbd_total"]


class DraftsForm(forms.Form):
    """The coordinator's choice of lost indicators and of the plan that receives the draft actions."""

    plan = forms.ModelChoiceField(label=_("Add the draft actions to"), queryset=ActionPlan.objects.none())
    indicators = forms.MultipleChoiceField(label=_("Indicators"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, plans, codes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["indicators"].choices = [(c, c) for c in codes]
