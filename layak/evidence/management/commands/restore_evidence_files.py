"""Puts the evidence files of a backup (FOLDER/evidence.tar.gz from backup_evidence_files or an older
scripts/backup.sh) into the configured storage: the media folder, or the bucket when LAYAK_S3_BUCKET is set.

Each file is checked against the backup's hash list and against its own name (evidence is stored under its
SHA-256) before it is stored; a file already in storage with that name is left as it is. scripts/restore.sh runs it
after restoring the database, then `verify_evidence_files`.
"""

from __future__ import annotations

import hashlib
import tarfile
from pathlib import Path, PurePosixPath

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from layak.evidence import storage


def _hash_list(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    listed = {}
    for line in path.read_text().splitlines():
        if line.strip():
            sha, name = line.split(maxsplit=1)
            listed[name.strip()] = sha
    return listed


class Command(BaseCommand):
    help = "Store the evidence files of a backup folder (evidence.tar.gz) in the configured storage."

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", help="The backup folder written by scripts/backup.sh")

    def handle(self, *args, folder: str, **options) -> None:
        source = Path(folder)
        listed = _hash_list(source / "evidence.sha256")
        problems, count = [], 0
        with tarfile.open(source / "evidence.tar.gz", "r:gz") as archive:
            for member in archive:
                if not member.isfile():
                    continue
                name = PurePosixPath(member.name)
                if name.is_absolute() or ".." in name.parts or name.parts[:1] != ("evidence",):
                    problems.append(f"not an evidence file: {member.name}")
                    continue
                scratch = storage.new_temp_path()
                try:
                    digest = hashlib.sha256()
                    reader = archive.extractfile(member)
                    assert reader is not None  # a regular file
                    with reader, open(scratch, "wb") as copy:
                        for chunk in storage.read_stream(reader):
                            digest.update(chunk)
                            copy.write(chunk)
                    sha = digest.hexdigest()
                    if sha != name.name or listed.get(str(name), sha) != sha:
                        problems.append(f"changed: {name}")
                        continue
                    if not default_storage.exists(str(name)):
                        with open(scratch, "rb") as fh:
                            default_storage.save(str(name), storage.TempFile(fh, name=str(scratch)))
                    count += 1
                finally:
                    storage.discard(scratch)
        if problems:
            raise CommandError(f"{len(problems)} files of the backup were not restored:\n" + "\n".join(problems))
        self.stdout.write(f"{count} evidence files restored into storage.")
