from __future__ import annotations

import hashlib
import io
import tracemalloc

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from layak.evidence import services, storage
from layak.evidence.services import UploadOffsetMismatch
from layak.evidence.storage import FileTooLarge
from layak.evidence.tests import factories as f


def test_interrupted_upload_resumes_from_the_received_offset(region_coordinator, region):
    data = f.pdf_of_size(300_000)
    session = services.upload_session_start(user=region_coordinator, region=region, filename="rad.pdf", size=len(data))
    for start in (0, 100_000):
        services.upload_session_append(
            user=region_coordinator,
            session=session,
            offset=start,
            chunk_stream=io.BytesIO(data[start : start + 100_000]),
        )
    # The connection drops here; the client reloads the session and sends only what is missing.
    session.refresh_from_db()
    assert session.received == 200_000
    services.upload_session_append(
        user=region_coordinator, session=session, offset=session.received, chunk_stream=io.BytesIO(data[200_000:])
    )
    evidence = services.upload_session_complete(user=region_coordinator, session=session, title="RAD KLA 2025")
    assert evidence.current_file.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.original_name == "rad.pdf" and not storage.part_path(session.temp_path).exists()


def test_wrong_offset_is_refused_with_the_expected_offset(region_coordinator, region):
    session = services.upload_session_start(user=region_coordinator, region=region, filename="a.pdf", size=10)
    services.upload_session_append(
        user=region_coordinator, session=session, offset=0, chunk_stream=io.BytesIO(b"%PDF-")
    )
    with pytest.raises(UploadOffsetMismatch) as caught:
        services.upload_session_append(
            user=region_coordinator, session=session, offset=0, chunk_stream=io.BytesIO(b"x")
        )
    assert caught.value.expected == 5
    assert "Continue from byte 5" in caught.value.messages[0]


def test_incomplete_upload_cannot_be_completed(region_coordinator, region):
    session = services.upload_session_start(user=region_coordinator, region=region, filename="a.pdf", size=10)
    with pytest.raises(ValidationError, match="0 of 10 bytes"):
        services.upload_session_complete(user=region_coordinator, session=session, title="x")


def test_more_bytes_than_declared_are_cut_off(region_coordinator, region):
    session = services.upload_session_start(user=region_coordinator, region=region, filename="a.pdf", size=10)
    with pytest.raises(FileTooLarge):
        services.upload_session_append(
            user=region_coordinator, session=session, offset=0, chunk_stream=io.BytesIO(b"%PDF-" + b"x" * 20)
        )
    session.refresh_from_db()
    assert session.received == 0 and storage.part_path(session.temp_path).stat().st_size == 0


def test_declared_size_over_the_limit_is_refused_at_start(settings, region_coordinator, region):
    settings.LAYAK_EVIDENCE_MAX_BYTES = 2 * 1024 * 1024
    with pytest.raises(FileTooLarge, match="limit of 2 MB"):
        services.upload_session_start(user=region_coordinator, region=region, filename="a.pdf", size=3 * 1024 * 1024)


def test_someone_elses_session_is_refused(region_coordinator, opd_contributor, region):
    session = services.upload_session_start(user=region_coordinator, region=region, filename="a.pdf", size=10)
    with pytest.raises(PermissionDenied):
        services.upload_session_append(user=opd_contributor, session=session, offset=0, chunk_stream=io.BytesIO(b"x"))


class _RepeatingStream:
    """A request body of `size` bytes that exists nowhere in memory at once."""

    def __init__(self, size: int):
        self.left = size
        self.block = b"%PDF-1.7\n" + b"0" * (64 * 1024 - 9)

    def read(self, n: int) -> bytes:
        take = min(n, self.left, len(self.block))
        self.left -= take
        return self.block[:take]


def test_50_mb_upload_keeps_python_memory_flat(settings, region_coordinator, region):
    size = 50 * 1024 * 1024
    settings.LAYAK_EVIDENCE_MAX_BYTES = size
    session = services.upload_session_start(user=region_coordinator, region=region, filename="big.pdf", size=size)
    tracemalloc.start()
    try:
        for offset in range(0, size, 1024 * 1024):
            services.upload_session_append(
                user=region_coordinator, session=session, offset=offset, chunk_stream=_RepeatingStream(1024 * 1024)
            )
        evidence = services.upload_session_complete(user=region_coordinator, session=session, title="Big")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert evidence.current_file.size == size
    assert peak < 5 * 1024 * 1024, f"peak Python memory {peak / 1e6:.1f} MB"


def test_upload_sessions_are_capped_per_user(settings, region_coordinator, region):
    settings.LAYAK_UPLOAD_SESSIONS_PER_USER = 2
    for name in ("a.pdf", "b.pdf"):
        services.upload_session_start(user=region_coordinator, region=region, filename=name, size=100)
    with pytest.raises(ValidationError, match="already have 2 unfinished uploads"):
        services.upload_session_start(user=region_coordinator, region=region, filename="c.pdf", size=100)


def test_abandoned_uploads_are_swept_with_their_bytes_and_fresh_ones_kept(settings, region_coordinator, region):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from layak.evidence.models import UploadSession

    old = services.upload_session_start(user=region_coordinator, region=region, filename="old.pdf", size=100)
    services.upload_session_append(user=region_coordinator, session=old, offset=0, chunk_stream=io.BytesIO(b"%PDF-"))
    fresh = services.upload_session_start(user=region_coordinator, region=region, filename="new.pdf", size=100)
    UploadSession.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    out = io.StringIO()
    call_command("sweep_uploads", stdout=out)
    assert "1 abandoned upload" in out.getvalue()
    assert list(UploadSession.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not storage.part_path(old.temp_path).exists() and storage.part_path(fresh.temp_path).exists()


def test_the_database_keeps_no_absolute_path_of_an_upload(region_coordinator, region):
    session = services.upload_session_start(user=region_coordinator, region=region, filename="a.pdf", size=10)
    assert "/" not in session.temp_path and session.temp_path.endswith(".part")
