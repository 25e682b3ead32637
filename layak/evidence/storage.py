"""Streaming file plumbing for evidence: scratch files, the size limit, hashing, the content-addressed store and
the parts of resumable uploads.

Every read and write goes through 64 KiB chunks (and boto3's tuned transfer settings when the storage is a bucket,
see config/settings/object_storage.py), so memory does not grow with the size of the file.

Two kinds of place: the *storages* (`default` for evidence, `uploads` for upload parts) are shared by every app
server, a folder under MEDIA_ROOT or a bucket (decision 0011); the *scratch folder* is local to one app server
and holds a file only while one request works on it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage, storages
from django.utils.translation import gettext as _

from .models import StoredFile
from .sniff import ALLOWED_KINDS, CHUNK, sniff_content_type

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# The STORAGES alias of upload parts (config/settings/object_storage.py); evidence files use "default".
UPLOADS = "uploads"


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
    """The local scratch folder of this app server: a file lives here only during the request that made it.

    Beside the media files by default, so storing an evidence file on the filesystem is a rename, not a copy.
    """
    path = Path(getattr(settings, "LAYAK_EVIDENCE_TEMP_DIR", None) or Path(settings.MEDIA_ROOT) / "evidence-tmp")
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_temp_path() -> Path:
    path = temp_dir() / f"{uuid.uuid4().hex}.part"
    path.touch()
    return path


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


class TempFile(File):
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
                saved = default_storage.save(name, TempFile(fh, name=str(path)))
            if saved != name:  # another request stored the same bytes in between: keep theirs
                default_storage.delete(saved)
        stored = StoredFile.objects.create(
            sha256=sha, size=default_storage.size(name), content_type=content_type, storage_name=name
        )
        return stored, True
    finally:
        if os.path.exists(path):
            discard(path)


# --- Parts of resumable uploads ---------------------------------------------------------------------------------


class PartMissing(Exception):
    """A part recorded in the database is not in the uploads storage (refused, swept, or lost)."""


def parts_storage() -> Storage:
    """The shared storage of upload parts (the `uploads` alias): every app server reads and writes the same."""
    return storages[UPLOADS]


def parts_prefix(session_id: uuid.UUID) -> str:
    return f"upload-parts/{session_id.hex}"


def receive_part(session_id: uuid.UUID, offset: int, chunks: Iterable[bytes], *, limit: int) -> tuple[str, int]:
    """Stores the bytes of one part as a new object and returns (its storage name, its size).

    The bytes go through a scratch file (cut off with FileTooLarge past `limit` bytes) and then to the shared
    storage in the transfer's parts, so neither a large request body nor a slow client holds memory. The name is
    unique to this attempt: two racing requests for one offset never overwrite each other; the caller keeps one.
    """
    path = new_temp_path()
    try:
        size = write_chunks(path, chunks, limit=limit)
        name = f"{parts_prefix(session_id)}/{offset:015d}-{uuid.uuid4().hex[:12]}"
        if size:
            with open(path, "rb") as fh:
                name = parts_storage().save(name, TempFile(fh, name=str(path)))
        return name, size
    finally:
        discard(path)


def assemble_parts(names: Iterable[str]) -> Path:
    """Joins the parts, in order, into a new scratch file and returns its path; PartMissing if one is gone."""
    path = new_temp_path()
    store = parts_storage()
    try:
        with open(path, "wb") as out:
            for name in names:
                try:
                    part = store.open(name, "rb")
                except FileNotFoundError:
                    raise PartMissing(name) from None
                with part:
                    for chunk in read_stream(part):
                        out.write(chunk)
    except BaseException:
        discard(path)
        raise
    return path


def delete_parts(session_id: uuid.UUID, names: Iterable[str] = ()) -> None:
    """Deletes the named parts and anything else stored under the session's prefix (a part whose request died
    between storing it and recording it)."""
    store = parts_storage()
    for name in names:
        store.delete(name)
    prefix = parts_prefix(session_id)
    try:
        _folders, files = store.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        store.delete(f"{prefix}/{name}")
    if isinstance(store, FileSystemStorage):  # a bucket has no folders; a file system keeps the empty one
        with contextlib.suppress(OSError):
            os.rmdir(store.path(prefix))
