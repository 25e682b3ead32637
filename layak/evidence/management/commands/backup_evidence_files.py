"""Copies every evidence file out of storage (the media folder or the bucket) into a backup folder.

Writes FOLDER/evidence.tar.gz (members `evidence/<sha[:2]>/<sha256>`, the names Layak stores them under) and
FOLDER/evidence.sha256 (`sha256sum` format). scripts/backup.sh runs it after dumping the database; see README.md,
"Backup and restore". Files are streamed one at a time through a scratch file, so memory stays flat.
"""

from __future__ import annotations

import hashlib
import tarfile
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from layak.evidence import storage
from layak.evidence.models import StoredFile


class Command(BaseCommand):
    help = "Copy every evidence file from storage (media folder or S3 bucket) into FOLDER/evidence.tar.gz."

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", help="The backup folder (created if missing)")

    def handle(self, *args, folder: str, **options) -> None:
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        missing, changed, count = [], [], 0
        with (
            tarfile.open(out / "evidence.tar.gz", "w:gz") as archive,
            open(out / "evidence.sha256", "w") as sums,
        ):
            for stored in StoredFile.objects.order_by("storage_name").iterator():
                scratch = storage.new_temp_path()
                try:
                    digest = hashlib.sha256()
                    try:
                        with default_storage.open(stored.storage_name, "rb") as source, open(scratch, "wb") as copy:
                            for chunk in storage.read_stream(source):
                                digest.update(chunk)
                                copy.write(chunk)
                    except FileNotFoundError:
                        missing.append(stored.storage_name)
                        continue
                    if digest.hexdigest() != stored.sha256:
                        changed.append(stored.storage_name)
                    archive.add(scratch, arcname=stored.storage_name, recursive=False)
                    sums.write(f"{digest.hexdigest()}  {stored.storage_name}\n")
                    count += 1
                finally:
                    storage.discard(scratch)
        problems = [f"missing: {name}" for name in missing] + [f"changed: {name}" for name in changed]
        if problems:
            raise CommandError(
                f"{len(problems)} evidence files could not be backed up as recorded "
                f"({count} written to {out}):\n" + "\n".join(problems)
            )
        self.stdout.write(f"{count} evidence files written to {out / 'evidence.tar.gz'}.")
