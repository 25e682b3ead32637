"""Plausibility rules for what people type into the registers: dates, sizes and budgets that cannot be right
are refused with a message that says why and what to check, never stored silently.

- A date of something that has happened (a decree signed, a forum founded, a meeting held) cannot be later than
  today, and no date is earlier than `EARLIEST_YEAR` (a typo such as 1026).
- A planned date (a training, a decision's due date) may lie ahead, but not beyond `settings.LAYAK_PLAN_HORIZON_DAYS`
  (two years by default): a due date in 2030 is a typo for 2026 far more often than a plan.
- Counts have ceilings that no real case reaches (`LIMITS`), so a count of children typed as the region's population
  is caught.
- A realisation cannot exceed its budget.

Every rule returns {field: message} so a form shows each message at its field, once.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .numbers import format_date, format_number

EARLIEST_YEAR = 1945

#: Largest plausible counts, by what they count.
LIMITS: dict[str, int] = {
    "forum_members": 5_000,  # children in one Forum Anak (a kab/kota forum has tens to a few hundred)
    "children_in_activity": 20_000,  # children taking part in one forum activity
    "meeting_attendees": 1_000,  # people at one coordination meeting
    "facilities": 10_000,  # facilities one partner contributes
}


def horizon_days() -> int:
    return int(getattr(settings, "LAYAK_PLAN_HORIZON_DAYS", 730))


def happened(value: datetime.date | None, field: str) -> dict[str, str]:
    """{field: message} when a date of something that already happened is in the future or implausibly old."""
    if value is None:
        return {}
    today = timezone.localdate()
    if value > today:
        return {
            field: _("%(date)s is in the future; enter the date it happened (today at the latest).")
            % {"date": format_date(value)}
        }
    return _too_old(value, field)


def planned(value: datetime.date | None, field: str) -> dict[str, str]:
    """{field: message} when a planned date lies further ahead than the planning horizon, or is implausibly old."""
    if value is None:
        return {}
    limit = timezone.localdate() + datetime.timedelta(days=horizon_days())
    if value > limit:
        return {
            field: _(
                "%(date)s is more than %(years)s years ahead; check the year (the latest date accepted is %(limit)s)."
            )
            % {"date": format_date(value), "years": format_number(horizon_days() / 365, 0), "limit": format_date(limit)}
        }
    return _too_old(value, field)


def _too_old(value: datetime.date, field: str) -> dict[str, str]:
    if value.year < EARLIEST_YEAR:
        return {field: _("%(date)s is too long ago; check the year.") % {"date": format_date(value)}}
    return {}


def ordered(first: datetime.date | None, then: datetime.date | None, field: str, message: str) -> dict[str, str]:
    """{field: message} when `then` comes before `first` (a founding after the membership, a due date before the
    meeting)."""
    if first is None or then is None or then >= first:
        return {}
    return {field: message}


def at_most(count: int | None, limit_key: str, field: str) -> dict[str, str]:
    """{field: message} when a count is above what any real case reaches."""
    limit = LIMITS[limit_key]
    if count is None or count <= limit:
        return {}
    return {
        field: _("%(count)s is more than any real case (at most %(limit)s); check the number.")
        % {"count": format_number(count), "limit": format_number(limit)}
    }


def within_budget(amount: Decimal | None, budget: Decimal | None, field: str) -> dict[str, str]:
    """{field: message} when a realisation is above the budget it spends."""
    if amount is None or budget is None or amount <= budget:
        return {}
    return {
        field: _("Rp %(amount)s is more than the budget of Rp %(budget)s for that year; check both numbers.")
        % {"amount": format_number(amount), "budget": format_number(budget)}
    }


def check(*problems: Mapping[str, str]) -> None:
    """Raises one ValidationError with every problem found ({field: message}); does nothing when there is none."""
    errors: dict[str, str] = {}
    for found in problems:
        for field, message in found.items():
            errors.setdefault(field, message)
    if errors:
        raise ValidationError(errors)
