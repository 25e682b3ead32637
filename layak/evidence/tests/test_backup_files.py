"""The evidence half of the backup (manage.py backup_evidence_files / restore_evidence_files), on the media folder
and on a bucket; tests/test_backup_restore.py runs the whole scripts with the database on PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import tarfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from layak.evidence import services
from layak.evidence.tests import factories as f


def _add(user, region, name: str, data: bytes):
    return services.evidence_create_from_upload(
        user=user, region=region, upload=SimpleUploadedFile(name, data), title=name
    ).current_file


def test_backup_copies_every_file_with_its_hash_and_restore_puts_them_back(tmp_path, region_coordinator, region):
    files = [
        _add(region_coordinator, region, "a.pdf", f.PDF_BYTES),
        _add(region_coordinator, region, "b.csv", f.CSV_BYTES),
    ]
    out = io.StringIO()
    call_command("backup_evidence_files", str(tmp_path / "backup"), stdout=out)
    assert "2 evidence files written" in out.getvalue()
    with tarfile.open(tmp_path / "backup" / "evidence.tar.gz") as archive:
        assert sorted(archive.getnames()) == sorted(s.storage_name for s in files)
    listed = (tmp_path / "backup" / "evidence.sha256").read_text().splitlines()
    assert sorted(listed) == sorted(f"{s.sha256}  {s.storage_name}" for s in files)

    for stored in files:  # the storage is lost
        default_storage.delete(stored.storage_name)
    call_command("restore_evidence_files", str(tmp_path / "backup"), stdout=io.StringIO())
    for stored in files:
        with default_storage.open(stored.storage_name, "rb") as fh:
            assert hashlib.sha256(fh.read()).hexdigest() == stored.sha256
    out = io.StringIO()
    call_command("verify_evidence_files", stdout=out)
    assert "All 2 evidence files are present" in out.getvalue()


def test_backup_fails_loudly_when_a_file_is_missing_from_storage(tmp_path, region_coordinator, region):
    stored = _add(region_coordinator, region, "a.pdf", f.PDF_BYTES)
    default_storage.delete(stored.storage_name)
    with pytest.raises(CommandError, match="missing: " + stored.storage_name):
        call_command("backup_evidence_files", str(tmp_path / "backup"))


def test_a_changed_file_in_a_backup_is_not_restored(tmp_path, db):
    name = "evidence/ab/" + "ab" * 32
    backup = tmp_path / "backup"
    backup.mkdir()
    with tarfile.open(backup / "evidence.tar.gz", "w:gz") as archive:
        info = tarfile.TarInfo(name)
        info.size = 5
        archive.addfile(info, io.BytesIO(b"%PDF-"))
    with pytest.raises(CommandError, match="changed: " + name):
        call_command("restore_evidence_files", str(backup))
    assert not default_storage.exists(name)
