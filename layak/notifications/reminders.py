"""Reminder e-mails: the one way every app e-mails a person about their work (the features decide who and when,
e.g. `layak.reviews.reminders`). Idempotent: one e-mail per person, event and day, recorded in `ReminderSent`;
a person who turned reminders off on their account page gets none. The text is written in the site's language
(Indonesian), from translated strings.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from layak.accounts.models import User

from .models import EmailPreference, ReminderSent

#: Writes (subject, body) in the active language; called inside the person's language.
Letter = Callable[[], tuple[str, str]]


def reminders_wanted(user: User) -> bool:
    preference = EmailPreference.objects.filter(user=user).first()
    return preference is None or preference.reminders


def email_preference_set(*, user: User, reminders: bool) -> EmailPreference:
    """The person's own choice on their account page."""
    preference, _created = EmailPreference.objects.update_or_create(user=user, defaults={"reminders": reminders})
    return preference


def reminder_send(*, user: User, event: str, day: datetime.date, letter: Letter) -> bool:
    """E-mails `letter` to the user once for (event, day); False when already sent, opted out or no address."""
    if not user.is_active or not user.email or not reminders_wanted(user):
        return False
    try:
        with transaction.atomic():
            ReminderSent.objects.create(user=user, event=event[:80], day=day)
            with translation.override(settings.LANGUAGE_CODE):
                subject, body = letter()
            footer = _("You receive this because you work in Layak. Turn reminders off on your account page.")
            send_mail(f"[Layak] {subject}", f"{body}\n\n--\n{footer}\n", None, [user.email])
    except IntegrityError:
        return False
    return True
