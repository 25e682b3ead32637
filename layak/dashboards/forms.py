"""The province target form: a predicate every kab/kota should reach, and by which year."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from layak.common.fields import LocalNumbersMixin
from layak.frameworks.models import PredicateBand

from .models import ProvinceTarget
from .services import MAX_TARGET_YEAR, MIN_TARGET_YEAR


def _band_choices() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for code, name in PredicateBand.objects.order_by("order").values_list("code", "name"):
        seen.setdefault(code, name)
    return list(seen.items())


class ProvinceTargetForm(LocalNumbersMixin, forms.ModelForm):
    """Every kab/kota of the province at `band_code` or above by `year`."""

    band_code = forms.ChoiceField(label=_("Every kab/kota at least at"), choices=_band_choices)
    year = forms.IntegerField(label=_("By the year"), min_value=MIN_TARGET_YEAR, max_value=MAX_TARGET_YEAR)

    class Meta:
        model = ProvinceTarget
        fields = ["band_code", "year"]
