"""Template questions about the signed-in user, for pages of apps below `accounts` (the region tree) that must
not import it (docs/decisions/0007-evaluations-hooks.md: Python imports follow the layers; a page composes)."""

from __future__ import annotations

from django import template

from layak.accounts.selectors import user_can_see_region

register = template.Library()


@register.simple_tag
def region_visible(user, region_code: str) -> bool:
    """`{% region_visible request.user region.code as can_see_work %}`: do the user's grants cover the region?"""
    return user_can_see_region(user, region_code)
