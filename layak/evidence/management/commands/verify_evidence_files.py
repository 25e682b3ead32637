"""Checks every stored evidence file: present in storage and with the SHA-256 Layak recorded (after a restore)."""

import hashlib

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from layak.evidence.models import StoredFile
from layak.evidence.sniff import CHUNK


class Command(BaseCommand):
    help = "Check that every evidence file is in storage with the hash recorded in the database."

    def handle(self, *args, **options) -> None:
        problems, count = [], 0
        for stored in StoredFile.objects.order_by("pk").iterator():
            count += 1
            digest = hashlib.sha256()
            try:
                with default_storage.open(stored.storage_name, "rb") as fh:
                    while chunk := fh.read(CHUNK):
                        digest.update(chunk)
            except OSError:
                problems.append(f"missing: {stored.storage_name}")
                continue
            if digest.hexdigest() != stored.sha256:
                problems.append(f"changed: {stored.storage_name}")
        if problems:
            raise CommandError(
                f"{len(problems)} of {count} evidence files are missing or changed:\n" + "\n".join(problems)
            )
        self.stdout.write(f"All {count} evidence files are present with their recorded hashes.")
