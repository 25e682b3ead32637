from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import NotificationKind


class Notification(models.Model):
    """Something a person should know about their work (a revision asked of their region, their review answered,
    a stage passed, results published), shown under the bell in the header until they read it.

    `params` hold the facts the sentence needs (region name, indicator codes, deadline as ISO text); the sentence
    itself is written when it is read, in the reader's language (`words.notification_text`).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    params = models.JSONField(_("details"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailPreference(models.Model):
    """A person's choice about reminder e-mails (deadlines, revisions); without a row they are sent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="email_preference"
    )
    reminders = models.BooleanField(_("send me reminder e-mails"), default=True)

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")

    def __str__(self) -> str:
        return f"{self.user_id} reminders={self.reminders}"


class ReminderSent(models.Model):
    """One reminder e-mail sent: at most one per person, event and day (the unique constraint makes sending
    idempotent, however often the daily job runs). `event` names what it was about, e.g. "deadline:7:42"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    event = models.CharField(_("event"), max_length=80)
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event", "day"],
                name="reminder_once_per_day",
                violation_error_message=_("This reminder has already been sent to this person today."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.event} {self.day}"
