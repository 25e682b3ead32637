"""Template filters of the review pages: translated names of states, actions, stages and loss causes."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext_lazy as _

from layak.scoring import explain
from layak.scoring.engine import BELOW_THRESHOLD, NOT_APPLICABLE, PARTIAL

from ..choices import ReviewAction, ReviewState, ScoreStage

register = template.Library()
MINUS = "\u2212"

CAUSES = {
    BELOW_THRESHOLD: _("data below the rubric's threshold"),
    PARTIAL: _("data below the rubric's top threshold"),
    explain.MISSING_DATA: _("data missing"),
    explain.MISSING_EVIDENCE: _("evidence missing"),
    NOT_APPLICABLE: _("not applicable (zero denominator)"),
    explain.REVIEWER_DOWNGRADE: _("lowered by the reviewer"),
    explain.REVIEWER_UPGRADE: _("raised by the reviewer"),
}


@register.filter
def cause_label(code: str) -> str:
    return str(CAUSES.get(code, code))


@register.filter
def state_label(code: str) -> str:
    return str(ReviewState(code).label) if code in ReviewState.values else code


@register.filter
def action_label(code: str) -> str:
    return str(ReviewAction(code).label) if code in ReviewAction.values else code


@register.filter
def stage_label(code: str) -> str:
    return str(ScoreStage(code).label) if code in ScoreStage.values else code


@register.filter
def signed(value: Decimal | None) -> str:
    """A change with its sign (+12.50, and a true minus sign for -3.00); empty for None."""
    if value is None:
        return ""
    return f"+{value:.2f}" if value > 0 else f"{MINUS}{abs(value):.2f}" if value < 0 else "0.00"


@register.filter
def points(value: Decimal | None) -> str:
    return "—" if value is None else f"{Decimal(value):.2f}"


@register.filter
def lookup(mapping: dict, key: str):
    """mapping[key], or None (for band names by code)."""
    return mapping.get(key) if mapping else None
