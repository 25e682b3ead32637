"""Who gets which reminder e-mail, each day: the self-assessment deadline in 7, 3 and 1 days (LAYAK_REMINDER_DAYS)
to the coordinators of regions that have not submitted; a revision requested (once, to everyone the in-app
notification went to); a revision due tomorrow to the region's coordinators. Sending, the opt-out and the
once-per-person-event-and-day record are `layak.notifications.reminders`.

`send_reminders_task` is enqueued daily by the `send_reminders` command (cron or a systemd timer in production)
and by the worker of `make run`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from layak.accounts.choices import Role
from layak.accounts.models import RoleAssignment, User
from layak.common.numbers import format_datetime
from layak.evaluations.choices import AssessmentStatus, Stage
from layak.evaluations.models import Assessment, CycleExtension
from layak.notifications.choices import NotificationKind
from layak.notifications.models import Notification
from layak.notifications.reminders import reminder_send
from layak.notifications.words import notification_text

from .models import RevisionRequest


def _link(path: str) -> str:
    return f"{settings.LAYAK_SITE_URL.rstrip('/')}{path}"


def _coordinators(region_codes: set[str]) -> dict[str, list[User]]:
    rows = RoleAssignment.objects.filter(role=Role.REGION_COORDINATOR, region_id__in=region_codes).select_related(
        "user"
    )
    found: dict[str, list[User]] = defaultdict(list)
    for row in rows.select_related("user"):
        found[row.region_id].append(row.user)
    return found


def _self_deadlines(today: datetime.date) -> list[tuple[Assessment, datetime.datetime]]:
    """Unsubmitted assessments whose self-assessment closes (an extension counted) in one of the reminder days."""
    now = timezone.now()
    extended: dict[tuple[int, str], datetime.datetime] = {}
    for row in CycleExtension.objects.filter(stage=Stage.SELF_ASSESSMENT, extended_until__gte=now):
        key = (row.cycle_id, row.region_id)
        extended[key] = max(extended.get(key, row.extended_until), row.extended_until)
    rows = Assessment.objects.filter(status=AssessmentStatus.DRAFT, cycle__self_assessment_start__lte=now)
    due = []
    for assessment in rows.select_related("cycle", "region"):
        deadline = extended.get((assessment.cycle_id, assessment.region_id), assessment.cycle.self_assessment_end)
        if deadline >= now and (timezone.localdate(deadline) - today).days in settings.LAYAK_REMINDER_DAYS:
            due.append((assessment, deadline))
    return due


def _deadline_letter(assessment: Assessment, deadline: datetime.datetime, days: int):
    def letter() -> tuple[str, str]:
        facts = {"region": assessment.region.name, "cycle": assessment.cycle.name, "days": days}
        subject = (
            ngettext(
                "The self-assessment of %(region)s closes in %(days)s day",
                "The self-assessment of %(region)s closes in %(days)s days",
                days,
            )
            % facts
        )
        body = _(
            "The self-assessment of %(region)s for %(cycle)s closes on %(deadline)s and is not submitted yet. "
            "Open it here: %(link)s"
        ) % {**facts, "deadline": format_datetime(deadline), "link": _link(assessment.get_absolute_url())}
        return subject, body

    return letter


def _revision_letter(notification: Notification):
    def letter() -> tuple[str, str]:
        subject = _("Revision requested for %(region)s") % {"region": notification.params.get("region", "")}
        return subject, f"{notification_text(notification)}\n{_link(notification.url)}"

    return letter


def _due_letter(revision: RevisionRequest):
    def letter() -> tuple[str, str]:
        region = revision.assessment.region.name
        subject = _("The revision of %(region)s is due tomorrow") % {"region": region}
        body = _("The indicators sent back to %(region)s must be fixed and resubmitted by %(deadline)s: %(link)s") % {
            "region": region,
            "deadline": format_datetime(revision.deadline),
            "link": _link(reverse("evaluations:assessment_detail", args=[revision.assessment_id])),
        }
        return subject, body

    return letter


def _send_deadlines(today: datetime.date) -> int:
    sent, deadlines = 0, _self_deadlines(today)
    people = _coordinators({a.region_id for a, _d in deadlines})
    for assessment, deadline in deadlines:
        days = (timezone.localdate(deadline) - today).days
        letter = _deadline_letter(assessment, deadline, days)
        for user in people.get(assessment.region_id, []):
            sent += reminder_send(user=user, event=f"deadline:{days}:{assessment.pk}", day=today, letter=letter)
    return sent


def _send_revisions_requested() -> int:
    """Each revision notification of the last two days, once (its day is the notification's own day)."""
    sent, since = 0, timezone.now() - timedelta(days=2)
    rows = Notification.objects.filter(kind=NotificationKind.REVISION_REQUESTED, created_at__gte=since)
    for n in rows.select_related("user"):
        day = timezone.localdate(n.created_at)
        sent += reminder_send(user=n.user, event=f"revision_requested:{n.pk}", day=day, letter=_revision_letter(n))
    return sent


def _send_revisions_due(today: datetime.date) -> int:
    open_rounds = RevisionRequest.objects.filter(resubmitted_at__isnull=True, deadline__gte=timezone.now())
    tomorrow = today + timedelta(days=1)
    revisions = [
        r for r in open_rounds.select_related("assessment__region") if timezone.localdate(r.deadline) == tomorrow
    ]
    sent, people = 0, _coordinators({r.assessment.region_id for r in revisions})
    for revision in revisions:
        for user in people.get(revision.assessment.region_id, []):
            event = f"revision_due:{revision.pk}"
            sent += reminder_send(user=user, event=event, day=today, letter=_due_letter(revision))
    return sent


def reminders_send(today: datetime.date | None = None) -> dict[str, int]:
    """Sends today's reminders; returns how many of each kind went out (a second run the same day sends none)."""
    today = today or timezone.localdate()
    return {
        "deadline": _send_deadlines(today),
        "revision_requested": _send_revisions_requested(),
        "revision_due": _send_revisions_due(today),
    }


@task()
def send_reminders_task() -> dict[str, int]:
    return reminders_send()
