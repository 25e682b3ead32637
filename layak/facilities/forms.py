"""Forms of the facility pages: they collect input; the services check and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layak.regions.choices import RegionLevel
from layak.regions.models import Region
from layak.registers.forms import DATE, agency_field

from .choices import SchoolLevel, Status
from .geo import parse_coordinate
from .kinds import catalogue, kind_choices
from .models import Facility


def desa_choices(region: Region) -> list[tuple[str, list[tuple[str, str]]]]:
    """The kab/kota's desa/kelurahan grouped by kecamatan (one query)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    rows = Region.objects.filter(level=RegionLevel.DESA, code__startswith=f"{region.code}.").values_list(
        "code", "name", "parent__name"
    )
    for code, name, kecamatan in rows.order_by("code"):
        groups.setdefault(kecamatan, []).append((code, f"{name} ({code})"))
    return list(groups.items())


class FacilityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=())
    name = forms.CharField(label=_("Name"), max_length=200)
    desa = forms.ChoiceField(label=_("Desa/kelurahan"), choices=())
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    npsn = forms.CharField(
        label=_("NPSN"), max_length=8, required=False, help_text=_("Schools: the national number (8 digits).")
    )
    school_level = forms.ChoiceField(label=_("School level"), choices=[("", "—"), *SchoolLevel.choices], required=False)
    proposed_on = forms.DateField(
        label=_("Proposed on"),
        widget=DATE,
        required=False,
        help_text=_("For a kind with a certificate: when it was proposed (today if empty)."),
    )
    latitude = forms.CharField(
        label=_("Latitude"), required=False, help_text=_("Decimal degrees, like -6.2251; or pick the point on the map.")
    )
    longitude = forms.CharField(label=_("Longitude"), required=False, help_text=_("Decimal degrees, like 106.8712."))

    def __init__(self, *args: Any, region: Region, edit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "—"), *kind_choices()]
        self.fields["desa"].choices = [("", "—"), *desa_choices(region)]
        self.fields["agency"] = agency_field(region.code, label=_("Owner agency (OPD)"), required=False)
        if edit:
            del self.fields["kind"]
            del self.fields["proposed_on"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for key in ("latitude", "longitude"):
            try:
                data[key] = parse_coordinate(data.get(key), key)
            except ValidationError as exc:
                self.add_error(key, exc.message_dict[key])
        return data


def facility_initial(facility: Facility) -> dict[str, Any]:
    return {
        "name": facility.name,
        "desa": facility.desa_id,
        "address": facility.address,
        "npsn": facility.npsn,
        "school_level": facility.school_level,
        "latitude": facility.latitude if facility.latitude is not None else "",
        "longitude": facility.longitude if facility.longitude is not None else "",
        "agency": facility.agency_id,
    }


class StepForm(forms.Form):
    """One certification step; the fields shown depend on the step (a decree for "certified")."""

    date = forms.DateField(label=_("Date"), widget=DATE)
    decree_number = forms.CharField(label=_("Decree (SK) number"), max_length=120, required=False)
    decree_issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    upload = forms.FileField(label=_("Evidence (decree, assessment report)"), required=False)

    def __init__(self, *args: Any, to: str, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).update({"date": timezone.localdate()})
        kwargs.setdefault("prefix", to)
        super().__init__(*args, **kwargs)
        if to != Status.CERTIFIED:
            for key in ("decree_number", "decree_issuer", "valid_until"):
                del self.fields[key]
        if to in (Status.EXPIRED, Status.REVOKED):
            del self.fields["upload"]  # asked on a confirmation page, which carries no file
        if to == Status.REVOKED:
            self.fields["note"].label = _("Reason")
            self.fields["note"].required = True


class RenewForm(forms.Form):
    """The new decree of a certified facility (the old one stays in its history)."""

    date = forms.DateField(label=_("Date of the new decree"), widget=DATE)
    decree_number = forms.CharField(label=_("Decree (SK) number"), max_length=120)
    decree_issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE)
    upload = forms.FileField(label=_("The new decree or certificate"), required=False)
    replace_in_force = forms.BooleanField(label=_("Replace the certificate still in force now"), required=False)

    def __init__(self, *args: Any, early: bool, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).update({"date": timezone.localdate()})
        kwargs.setdefault("prefix", "renew")
        super().__init__(*args, **kwargs)
        if not early:
            del self.fields["replace_in_force"]


class TotalForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), choices=())
    school_level = forms.ChoiceField(label=_("School level"), choices=[("", "—"), *SchoolLevel.choices], required=False)
    total = forms.IntegerField(label=_("Total in the regency/city"), min_value=0, max_value=1_000_000)
    source = forms.CharField(
        label=_("Source"), max_length=300, help_text=_("Dapodik, EMIS, the health office's list...")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.code, k.name) for k in catalogue().kinds.values() if k.certifiable]


class ZoneForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    walking_distance_m = forms.IntegerField(
        label=_("Walking distance (m)"), min_value=50, max_value=20000, initial=1000
    )
    required_kinds = forms.MultipleChoiceField(
        label=_("Required kinds"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    members = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["required_kinds"].choices = kind_choices()

    def clean_members(self) -> list[int]:
        text = self.cleaned_data.get("members") or ""
        try:
            return [int(p) for p in text.split(",") if p.strip()]
        except ValueError:
            raise ValidationError(_("The list of facilities could not be read.")) from None


class MemberForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("Facility"), queryset=Facility.objects.none())

    def __init__(self, *args: Any, zone: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = (
            Facility.objects.filter(region_id=zone.region_id).exclude(zones=zone).order_by("kind", "name")
        )


class GapForm(forms.Form):
    """Which kinds to look for in every desa/kelurahan and in every kecamatan."""

    desa_kinds = forms.MultipleChoiceField(
        label=_("In every desa/kelurahan"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    kecamatan_kinds = forms.MultipleChoiceField(
        label=_("In every kecamatan"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in ("desa_kinds", "kecamatan_kinds"):
            self.fields[key].choices = kind_choices()
