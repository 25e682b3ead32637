"""Deletes unfinished resumable uploads older than LAYAK_UPLOAD_SESSION_HOURS (24 by default) and their bytes.

`--enqueue` hands the sweep to a worker instead (the worker of `make run` does that hourly by itself).
"""

from django.core.management.base import BaseCommand

from layak.evidence.services import run_upload_sessions_sweep
from layak.evidence.tasks import sweep_uploads_task


class Command(BaseCommand):
    help = "Delete abandoned (unfinished) evidence uploads and the bytes they received."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Enqueue the sweep as a job for a worker.")

    def handle(self, *args, enqueue=False, **options) -> None:
        if enqueue:
            result = sweep_uploads_task.enqueue()
            self.stdout.write(f"Upload sweep enqueued ({result.id}).")
            return
        count = run_upload_sessions_sweep()
        self.stdout.write(f"{count} abandoned upload(s) deleted.")
