"""Readiness panels other apps' pages show without importing this app (loaded in their templates):

{% readiness_panel assessment %}             self-score, likely verified score, points at risk, a link
{% readiness_flags assessment indicator %}   the flags of one indicator, with "mark as wrong" for verifiers
"""

from __future__ import annotations

from typing import Any

from django import template

from layak.readiness import permissions, selectors

register = template.Library()


@register.inclusion_tag("readiness/_panel.html", takes_context=True)
def readiness_panel(context, assessment, score=None) -> dict[str, Any]:
    """With the self-score shown (the region's coordinator), the likely verified score; otherwise only the link."""
    if score is None:
        return {"assessment": assessment, "request": context["request"]}
    at_risk = selectors.points_at_risk(assessment)
    return {
        "assessment": assessment,
        "shown": True,
        "self_total": score.total,
        "at_risk": at_risk,
        "likely": max(score.total - at_risk, 0),
        "request": context["request"],
    }


@register.inclusion_tag("readiness/_flags.html", takes_context=True)
def readiness_flags(context, assessment, indicator) -> dict[str, Any]:
    request = context["request"]
    return {
        "flags": selectors.flags_for_indicator(user=request.user, assessment=assessment, indicator=indicator),
        "assessment": assessment,
        "indicator": indicator,
        "can_mark": permissions.can_mark_wrong(request.user, assessment),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
