"""Periodic jobs for a laptop (`make run`): the worker enqueues each task of `LAYAK_PERIODIC_TASKS` when the
queue has not received it within its period. Production runs the same commands from cron or a systemd timer
instead (README, "Workers"), so any number of workers can run without each scheduling.

Tasks are named by dotted path in the settings: this app sits below the apps that own them (decision 0010).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult


def due_periodic_tasks(now=None) -> list[str]:
    """The dotted paths of periodic tasks not enqueued within their period (one query per task)."""
    now = now or timezone.now()
    due = []
    for path, seconds in getattr(settings, "LAYAK_PERIODIC_TASKS", []):
        since = now - timedelta(seconds=seconds)
        if not DBTaskResult.objects.filter(task_path=path, enqueued_at__gte=since).exists():
            due.append(path)
    return due


def enqueue_due_periodic_tasks() -> list[str]:
    """Enqueues every periodic task that is due; returns their paths."""
    due = due_periodic_tasks()
    for path in due:
        import_string(path).enqueue()
    return due
