"""The trainings app's panels on the Gugus Tugas pages (taskforces sits below trainings and never imports it)."""

from __future__ import annotations

from django import template

from layak.regions.models import Region
from layak.trainings.selectors import trained_members_who_left

register = template.Library()


@register.inclusion_tag("trainings/_left_warning.html")
def left_trained_warning(region: Region) -> dict[str, object]:
    """Warns that KHA-trained members have left the region's Gugus Tugas (one query)."""
    return {"left_trained": trained_members_who_left(region=region)}
