"""Form pieces the register pages share. Forms only collect input; the services validate it, so pages and the
API agree."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from layak.accounts.models import Agency

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def agency_field(region_code: str, *, label: Any, required: bool) -> forms.ModelChoiceField[Agency]:
    """A choice of the region's OPDs, shown by full name with the short name people use."""
    return AgencyChoiceField(
        label=label, required=required, queryset=Agency.objects.filter(region_id=region_code).order_by("name")
    )


if TYPE_CHECKING:
    _AgencyField = forms.ModelChoiceField[Agency]
else:  # Django's field classes are not subscriptable at run time
    _AgencyField = forms.ModelChoiceField


class AgencyChoiceField(_AgencyField):
    """An OPD shown by full name with the short name people use."""

    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} ({obj.short_name})" if obj.short_name else obj.name


class ImportForm(forms.Form):
    """An Excel (.xlsx) file filled in from the register's template."""

    upload = forms.FileField(label=_("Excel file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


def save_form(form: forms.Form, action: Callable[[dict[str, Any]], object]) -> Any:
    """Runs the service with the form's data; its ValidationError lands on the form. None when it failed."""
    if not form.is_valid():
        return None
    try:
        return action(dict(form.cleaned_data))
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
