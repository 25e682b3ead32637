"""Template filters of the review pages: translated names of states, actions, stages and loss causes."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext_lazy as _

from layak.common.numbers import format_delta, format_score
from layak.scoring import explain, questions
from layak.scoring.engine import BELOW_THRESHOLD, NOT_APPLICABLE, PARTIAL

from ..choices import ReviewAction, ReviewState, ScoreStage

register = template.Library()

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
    """A change with its sign in the page's language (+12,50, and a true minus sign); empty for None."""
    return format_delta(value)


@register.filter
def points(value: Decimal | None) -> str:
    """A score with two decimals in the page's language (806,66); "—" for None."""
    return format_score(value)


@register.filter
def level_symbol(level: str) -> str:
    """A level of the grading scale as a fraction sign (½, ⅔) or as written ("2/5")."""
    return questions.level_symbol(level)


@register.filter
def lookup(mapping: dict, key: str):
    """mapping[key], or None (for band names by code)."""
    return mapping.get(key) if mapping else None
