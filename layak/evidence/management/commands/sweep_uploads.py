"""Deletes unfinished resumable uploads older than LAYAK_UPLOAD_SESSION_HOURS (24 by default) and their bytes."""

from django.core.management.base import BaseCommand

from layak.evidence.services import run_upload_sessions_sweep


class Command(BaseCommand):
    help = "Delete abandoned (unfinished) evidence uploads and the bytes they received."

    def handle(self, *args, **options) -> None:
        count = run_upload_sessions_sweep()
        self.stdout.write(f"{count} abandoned upload(s) deleted.")
