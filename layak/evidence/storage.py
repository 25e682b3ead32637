"""Streaming file plumbing for evidence: temp files, the size limit, hashing and the content-addressed store.

Every read and write goes through 64 KiB chunks, so memory does not grow with the size of the file.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from .models import StoredFile
from .sniff import ALLOWED_KINDS, CHUNK, sniff_content_type

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class FileTooLarge(ValidationError):
    """The upload passed `LAYAK_EVIDENCE_MAX_BYTES`; the API answers 413."""


def max_bytes() -> int:
    """The evidence size limit in bytes (setting `LAYAK_EVIDENCE_MAX_BYTES`, 20 MB by default)."""
    return int(getattr(settings, "LAYAK_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def too_large_error() -> FileTooLarge:
    limit = max_bytes() / (1024 * 1024)
    return FileTooLarge(
        _("The file is larger than the limit of %(limit)s MB. Compress it or split it into smaller files.")
        % {"limit": f"{limit:g}"},
        code="too_large",
    )


def temp_dir() -> Path:
    """Where partial uploads wait: beside the media files, so finishing one is a rename, not a copy."""
    path = Path(getattr(settings, "LAYAK_EVIDENCE_TEMP_DIR", None) or Path(settings.MEDIA_ROOT) / "evidence-tmp")
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_temp_path() -> Path:
    path = temp_dir() / f"{uuid.uuid4().hex}.part"
    path.touch()
    return path


def part_path(name: str) -> Path:
    """The file of an upload session's received bytes. The database keeps only its name (never an absolute path),
    so the temp folder can move and every app server finds it under its own LAYAK_EVIDENCE_TEMP_DIR."""
    return temp_dir() / Path(name).name


def discard(path: str | Path) -> None:
    Path(path).unlink(missing_ok=True)


def write_chunks(path: Path, chunks: Iterable[bytes], *, start: int = 0, limit: int) -> int:
    """Writes `chunks` into `path` from byte `start` and returns the new end offset.

    Stops as soon as the end would pass `limit`: the bytes of this call are cut off again and
    FileTooLarge is raised, so no partial data beyond the limit stays on disk.
    """
    with open(path, "r+b") as fh:
        fh.seek(start)
        end = start
        for chunk in chunks:
            end += len(chunk)
            if end > limit:
                fh.truncate(start)
                raise too_large_error()
            fh.write(chunk)
        fh.truncate(end)
    return end


def read_stream(stream, size: int = CHUNK) -> Iterable[bytes]:
    """Yields a file-like object's bytes (an HTTP request body, an open file) in chunks of `size`."""
    while chunk := stream.read(size):
        yield chunk


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in read_stream(fh):
            digest.update(chunk)
    return digest.hexdigest()


class _TempFile(File):
    """A File that tells the filesystem storage it may move the temp file instead of copying it."""

    def temporary_file_path(self) -> str:
        return self.name


def store_temp_file(path: Path) -> tuple[StoredFile, bool]:
    """Sniffs, hashes and stores the temp file at `path`; returns (StoredFile, created). The temp file is gone after.

    Bytes already stored (same SHA-256) are not stored again: the existing StoredFile is returned.
    """
    try:
        content_type = sniff_content_type(path)
        if content_type is None:
            raise ValidationError(
                _("This kind of file is not accepted. Allowed are: %(kinds)s.") % {"kinds": ALLOWED_KINDS},
                code="content_type",
            )
        sha = file_sha256(path)
        existing = StoredFile.objects.filter(sha256=sha).first()
        if existing is not None:
            return existing, False
        name = f"evidence/{sha[:2]}/{sha}"
        if not default_storage.exists(name):
            with open(path, "rb") as fh:
                saved = default_storage.save(name, _TempFile(fh, name=str(path)))
            if saved != name:  # another request stored the same bytes in between: keep theirs
                default_storage.delete(saved)
        stored = StoredFile.objects.create(
            sha256=sha, size=default_storage.size(name), content_type=content_type, storage_name=name
        )
        return stored, True
    finally:
        if os.path.exists(path):
            discard(path)
