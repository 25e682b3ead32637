"""The documented backup and restore (scripts/backup.sh, scripts/restore.sh): a database and its evidence files
restored into a new, empty database and media folder (or bucket) give the same scores and the same file hashes.

Runs twice: evidence in the media folder, and evidence in an S3 bucket restored into another bucket. PostgreSQL
only (pg_dump / pg_restore); on SQLite it is skipped, CI runs it on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from layak.accounts.choices import Role
from layak.accounts.tests.factories import make_user_with_role
from layak.dashboards.tests.factories import cycle, make_result
from layak.evidence import services
from layak.evidence.tests import factories as evidence_factories
from layak.regions.tests.factories import make_region

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore need PostgreSQL"),
]


def _url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _rows(url: str) -> tuple[list, list]:
    with psycopg.connect(url) as conn:
        scores = conn.execute(
            "SELECT a.region_id, f.score, f.band_code FROM reviews_finalresult f "
            "JOIN evaluations_assessment a ON a.id = f.assessment_id ORDER BY a.region_id"
        ).fetchall()
        files = conn.execute("SELECT storage_name, sha256 FROM evidence_storedfile ORDER BY storage_name").fetchall()
    return scores, files


@pytest.fixture(params=["filesystem", "s3"])
def evidence_place(request, tmp_path, settings):
    """Where the evidence lives before the backup and where it is restored to: (environment of the backup,
    environment of the restore, a function reading a restored file's bytes by its storage name)."""
    test_settings = {"DJANGO_SETTINGS_MODULE": "config.settings.test"}
    if request.param == "filesystem":
        restored = tmp_path / "restored-media"
        return (
            {**test_settings, "LAYAK_MEDIA_ROOT": str(settings.MEDIA_ROOT)},
            {**test_settings, "LAYAK_MEDIA_ROOT": str(restored)},
            lambda name: (restored / name).read_bytes(),
        )
    s3 = request.getfixturevalue("use_s3")
    keys = request.getfixturevalue("s3_credentials")
    target = f"{s3.bucket}-restored"
    s3.client.create_bucket(Bucket=target)
    bucket_env = {
        **test_settings,
        "LAYAK_S3_ENDPOINT_URL": request.getfixturevalue("s3_endpoint"),
        "LAYAK_S3_REGION": keys["region"],
        "LAYAK_S3_ACCESS_KEY_ID": keys["access_key"],
        "LAYAK_S3_SECRET_ACCESS_KEY": keys["secret_key"],
        # Both media folders empty: every file must come from, and go to, a bucket.
        "LAYAK_MEDIA_ROOT": str(tmp_path / "scratch"),
    }
    return (
        {**bucket_env, "LAYAK_S3_BUCKET": s3.bucket},
        {**bucket_env, "LAYAK_S3_BUCKET": target},
        lambda name: s3.client.get_object(Bucket=target, Key=name)["Body"].read(),
    )


def test_backup_then_restore_gives_the_same_scores_and_file_hashes(transactional_db, tmp_path, evidence_place):
    backup_env, restore_env, read_restored = evidence_place
    make_region("31")
    published = cycle(2025)
    for code, score in (("31.71", 812.5), ("31.72", 655.25), ("31.73", 901)):
        make_result(published, code, score)
    coordinator = make_user_with_role("koordinator_jakpus", Role.REGION_COORDINATOR, "31.71")
    for name, data in (
        ("perda.pdf", evidence_factories.PDF_BYTES),
        ("rad.pdf", evidence_factories.pdf_of_size(70_000)),
    ):
        services.evidence_create_from_upload(
            user=coordinator, region=make_region("31.71"), upload=SimpleUploadedFile(name, data), title=name
        )
    source = _url(connection.settings_dict["NAME"])
    before = _rows(source)
    assert len(before[0]) == 3 and len(before[1]) == 2

    backup = tmp_path / "backup"
    target_name = f"layak_restore_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, **backup_env, "DATABASE_URL": source}
    done = subprocess.run([ROOT / "scripts/backup.sh", backup], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "2 evidence files written" in done.stdout
    with psycopg.connect(_url("postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{target_name}"')
    try:
        env = {**os.environ, **restore_env, "DATABASE_URL": _url(target_name)}
        done = subprocess.run([ROOT / "scripts/restore.sh", backup], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert "2 evidence files restored" in done.stdout
        assert "All 2 evidence files are present" in done.stdout
        after = _rows(_url(target_name))
        assert after == before
        for storage_name, sha in after[1]:
            assert hashlib.sha256(read_restored(storage_name)).hexdigest() == sha
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')
