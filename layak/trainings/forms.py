"""Forms of the training pages. They only collect input; the services validate it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from layak.regions.models import Region
from layak.registers.forms import DATE, agency_field
from layak.taskforces.models import Member

from .choices import TrainingKind


class TrainingForm(forms.Form):
    """A training: type, title, dates, organiser, trainers, materials and notes."""

    kind = forms.ChoiceField(label=_("Type"), choices=TrainingKind.choices, initial=TrainingKind.BIMTEK_KHA)
    title = forms.CharField(label=_("Title"), max_length=300)
    starts_on = forms.DateField(label=_("First day"), widget=DATE)
    ends_on = forms.DateField(label=_("Last day"), widget=DATE)
    organiser = forms.CharField(
        label=_("Organiser"), max_length=200, required=False, help_text=_("For example “DP3A Kota Banjarmasin”.")
    )
    trainers = forms.CharField(
        label=_("Trainers"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("One per line.")
    )
    materials = forms.CharField(label=_("Materials"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    upload = forms.FileField(label=_("Materials file"), required=False, help_text=_("Kept in the evidence library."))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ParticipantForm(forms.Form):
    """A participant: name, OPD or organisation, position, Gugus Tugas membership and certificate."""

    name = forms.CharField(label=_("Name"), max_length=150)
    organisation = forms.CharField(
        label=_("Organisation"), max_length=200, required=False, help_text=_("For participants outside the government.")
    )
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    is_taskforce_member = forms.BooleanField(label=_("Gugus Tugas member"), required=False)
    certificate_issued = forms.BooleanField(label=_("Certificate issued"), required=False)
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=120, required=False)

    def __init__(self, *args, region: Region, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"] = agency_field(region.code, label=_("Agency (OPD)"), required=False)
        self.fields["taskforce_member"] = forms.ModelChoiceField(
            label=_("Gugus Tugas member record"),
            required=False,
            queryset=Member.objects.filter(decree__region=region, left_on__isnull=True).order_by("name"),
            help_text=_("Optional: left empty, a member with the same name is linked."),
        )
        order = ["name", "agency", "organisation", "position", "is_taskforce_member", "taskforce_member"]
        self.order_fields([*order, "certificate_issued", "certificate_number"])
