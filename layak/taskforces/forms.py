"""Forms of the Gugus Tugas pages. They only collect input; the services validate it, so pages and API agree."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layak.common.fields import LocalNumbersMixin
from layak.regions.models import Region
from layak.registers.forms import DATE, agency_field

from .choices import DecisionStatus, MemberArea, MemberRole, Sector
from .models import KLA, Member, TaskforceKind

YEAR = {"min_value": 1990, "max_value": 2100}


def _kind_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Task force"), queryset=TaskforceKind.objects.all(), empty_label=None, required=False,
        help_text=_("The Gugus Tugas KLA, or another task force of the region (PP-TPPO, PAUD-HI ...)."),
    )  # fmt: skip


class DecreeForm(LocalNumbersMixin, forms.Form):
    """The SK of a task force (the Gugus Tugas KLA or another kind): number, date, period, signatory, file, notes."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"] = _kind_field()
        self.fields["kind"].initial = TaskforceKind.objects.filter(code=KLA).first()
        self.order_fields(["kind"])

    number = forms.CharField(label=_("Decree number"), max_length=120, help_text=_("As printed on the SK."))
    decree_date = forms.DateField(label=_("Decree date"), widget=DATE)
    period_start = forms.IntegerField(label=_("First year"), **YEAR)
    period_end = forms.IntegerField(label=_("Last year"), **YEAR)
    signatory = forms.CharField(
        label=_("Signed by"), max_length=200, required=False, help_text=_("For example “Wali Kota Banjarmasin”.")
    )
    upload = forms.FileField(
        label=_("Decree file"),
        required=False,
        help_text=_("The signed SK (PDF or a scan). It is kept in the region's evidence library."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MemberForm(forms.Form):
    """A person named in the decree; only their name and position, no other personal data."""

    name = forms.CharField(label=_("Name"), max_length=150)
    position = forms.CharField(
        label=_("Position"), max_length=200, required=False, help_text=_("For example “Kepala Bappeda”.")
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("For members outside the government: the NGO, company or media outlet."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.ANGGOTA)
    area = forms.ChoiceField(
        label=_("Sub-group"),
        choices=[("", "—"), *MemberArea.choices],
        required=False,
        help_text=_("Required for a coordinator."),
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices, initial=Sector.PEMERINTAH)

    def __init__(self, *args, region_code: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"] = agency_field(region_code, label=_("Agency (OPD)"), required=False)
        self.order_fields(["name", "position", "agency", "organisation", "role", "area", "sector"])


class MemberEditForm(MemberForm):
    """A member's facts, and the date they left the Gugus Tugas (empty while they are in it)."""

    left_on = forms.DateField(
        label=_("Left the Gugus Tugas on"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty while the person is still a member."),
    )


class MeetingForm(LocalNumbersMixin, forms.Form):
    """A coordination meeting: when, where, agenda, who came, the minutes."""

    held_on = forms.DateField(label=_("Date"), widget=DATE)
    agenda = forms.CharField(label=_("Agenda"), max_length=300)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    attendee_count = forms.IntegerField(
        label=_("Number of attendees"),
        min_value=0,
        required=False,
        help_text=_("Everyone present, including people who are not members."),
    )
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    upload = forms.FileField(
        label=_("Minutes file"), required=False, help_text=_("Signed minutes or attendance list (kept as evidence).")
    )

    def __init__(self, *args, region: Region, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        members = Member.objects.filter(decree__region=region, left_on__isnull=True).order_by("name")
        self.fields["attendees"] = forms.ModelMultipleChoiceField(
            label=_("Members present"), queryset=members, required=False, widget=forms.CheckboxSelectMultiple
        )
        self.fields["kinds"] = forms.ModelMultipleChoiceField(
            label=_("Task forces meeting"), queryset=TaskforceKind.objects.all(), widget=forms.CheckboxSelectMultiple,
            required=False,
            initial=list(TaskforceKind.objects.filter(code=KLA)),
            help_text=_("Tick several for a joint meeting."),
        )  # fmt: skip
        self.fields["guests"] = forms.CharField(
            label=_("Guests from outside"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("One per line: name — organisation; start the line with * for a speaker."),
        )  # fmt: skip
        self.order_fields(
            ["held_on", "agenda", "place", "kinds", "attendee_count", "attendees", "guests", "minutes", "upload"]
        )

    def clean_guests(self) -> list[tuple[str, str, bool]]:
        guests = []
        for line in self.cleaned_data.get("guests", "").splitlines():
            if not line.strip():
                continue
            speaker = line.strip().startswith("*")
            name, _sep, organisation = line.strip().lstrip("*").partition("—")
            if not _sep:
                name, _sep, organisation = line.strip().lstrip("*").partition(" - ")
            guests.append((name.strip(), organisation.strip(), speaker))
        return guests


class DecisionForm(forms.Form):
    """A decision of the meeting with the OPD that owns it and its due date."""

    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label=_("Due date"), widget=DATE)

    def __init__(self, *args, region_code: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"] = agency_field(region_code, label=_("Owner OPD"), required=True)
        self.order_fields(["text", "owner_agency", "due_on"])


class FollowUpForm(forms.Form):
    """A follow-up note on a decision and the status it leaves the decision in."""

    status = forms.ChoiceField(label=_("Status"), choices=DecisionStatus.choices)
    note = forms.CharField(label=_("Follow-up"), widget=forms.Textarea(attrs={"rows": 3}))
    noted_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
