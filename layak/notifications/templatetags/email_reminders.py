"""`{% email_reminders_form user %}`: the reminder e-mail switch on the account page (accounts sits below this
app, so its page loads the form through this tag)."""

from __future__ import annotations

from django import template

from ..reminders import reminders_wanted

register = template.Library()


@register.inclusion_tag("notifications/_email_reminders.html")
def email_reminders_form(user) -> dict:
    return {"wanted": reminders_wanted(user), "email": user.email}
