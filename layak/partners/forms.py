"""Forms of the partner pages; they only clean input, the services decide and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from layak.common.fields import LocalNumbersMixin
from layak.frameworks.models import Indicator

from .models import Commitment, Contribution, Partner

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "apsai_member", "apsai_since", "description"]
        widgets = {"apsai_since": DATE, "description": forms.Textarea(attrs={"rows": 3})}


class ContributionForm(LocalNumbersMixin, forms.ModelForm):
    money_fields = ("value",)

    class Meta:
        model = Contribution
        fields = ["date", "type", "description", "facility_count", "value", "indicator"]
        widgets = {"date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        indicators = Indicator.objects.select_related("version").order_by("-version__year", "order")
        self.fields["indicator"].queryset = indicators
        self.fields["indicator"].label_from_instance = lambda i: f"{i.version.slug} {i.code}. {i.display_name}"[:90]


class CommitmentForm(forms.ModelForm):
    file = forms.FileField(label=_("Signed document (PDF or photo)"), required=False)

    class Meta:
        model = Commitment
        fields = ["kind", "date", "title", "signatories"]
        widgets = {"date": DATE, "signatories": forms.Textarea(attrs={"rows": 3})}
