"""`python manage.py run_worker [--periodic] [--stop-with PID] [db_worker's options]`: a job-queue worker.

It is django-tasks-db's `db_worker` with two additions for `make run`: `--periodic` enqueues the periodic tasks
(reminders daily, the upload sweep hourly) when they are due, and `--stop-with PID` stops the worker when that
process (the shell running the server) is gone, so no worker outlives `make run`. In production run plain
workers (README, "Workers") and schedule the periodic commands with cron or a systemd timer.
"""

from __future__ import annotations

import os
import signal
import threading
import time

from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from layak.jobs.schedule import enqueue_due_periodic_tasks

CHECK_SECONDS = 1.0
SCHEDULE_SECONDS = 60.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Command(DbWorkerCommand):
    help = "Runs background jobs (report bundles, recomputes, large imports, reminders) from the database queue."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--periodic", action="store_true", help="Also enqueue periodic jobs when they are due.")
        parser.add_argument("--stop-with", type=int, default=0, help="Stop when the process with this id ends.")

    def handle(self, *args, periodic=False, stop_with=0, **options):
        if periodic or stop_with:
            threading.Thread(target=self._watch, args=(periodic, stop_with), daemon=True).start()
        super().handle(*args, **options)

    def _watch(self, periodic: bool, stop_with: int) -> None:
        last_schedule = 0.0
        while True:
            if stop_with and not _alive(stop_with):
                os.kill(os.getpid(), signal.SIGTERM)
                return
            if periodic and time.monotonic() - last_schedule >= SCHEDULE_SECONDS:
                last_schedule = time.monotonic()
                try:
                    enqueue_due_periodic_tasks()
                finally:
                    close_old_connections()
            time.sleep(CHECK_SECONDS)
