from __future__ import annotations

import hashlib
import io
import tracemalloc

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from layak.evidence import services, storage
from layak.evidence.models import UploadSession
from layak.evidence.services import UploadOffsetMismatch
from layak.evidence.storage import FileTooLarge
from layak.evidence.tests import factories as f


def stored_parts(session) -> list[str]:
    """The names of the objects stored under the session's prefix in the uploads storage (folder or bucket)."""
    try:
        return sorted(storage.parts_storage().listdir(storage.parts_prefix(session.pk))[1])
    except FileNotFoundError:
        return []


def append(user, session, offset: int, data: bytes):
    return services.upload_session_append(user=user, session=session, offset=offset, chunk_stream=io.BytesIO(data))


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
    assert evidence.original_name == "rad.pdf"
    assert stored_parts(session) == [] and not session.parts.exists()


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
    assert session.received == 0 and stored_parts(session) == [] and not session.parts.exists()


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


def _upload_of(user, region, size: int):
    session = services.upload_session_start(user=user, region=region, filename="big.pdf", size=size)
    for offset in range(0, size, 1024 * 1024):
        services.upload_session_append(
            user=user, session=session, offset=offset, chunk_stream=_RepeatingStream(min(1024 * 1024, size - offset))
        )
    return services.upload_session_complete(user=user, session=session, title="Big")


def test_50_mb_upload_keeps_python_memory_flat(settings, evidence_storage, region_coordinator, region):
    """Parts are spooled to scratch files and go to the bucket by path; completion joins them on disk and uploads
    the result by path in 8 MiB parts: the peak is a few MB whatever the file's size (bench/bench_object_storage.py
    shows the same figure for 200 MB). A small upload first loads boto3's service models, a one-time cost of each
    storage instance, not of the file."""
    size = 50 * 1024 * 1024
    settings.LAYAK_EVIDENCE_MAX_BYTES = size
    _upload_of(region_coordinator, region, 100_000)
    tracemalloc.start()
    try:
        evidence = _upload_of(region_coordinator, region, size)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert evidence.current_file.size == size
    limit = (5 if evidence_storage == "filesystem" else 8) * 1024 * 1024  # boto3 keeps two 8 MiB parts at most
    assert peak < limit, f"peak Python memory {peak / 1e6:.1f} MB"


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
    append(region_coordinator, old, 0, b"%PDF-")
    fresh = services.upload_session_start(user=region_coordinator, region=region, filename="new.pdf", size=100)
    append(region_coordinator, fresh, 0, b"%PDF-")
    UploadSession.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    out = io.StringIO()
    call_command("sweep_uploads", stdout=out)
    assert "1 abandoned upload" in out.getvalue()
    assert list(UploadSession.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert stored_parts(old) == [] and len(stored_parts(fresh)) == 1


def test_parts_are_objects_in_the_shared_storage_with_their_offsets_in_the_database(region_coordinator, region):
    session = services.upload_session_start(user=region_coordinator, region=region, filename="a.pdf", size=10)
    append(region_coordinator, session, 0, b"%PDF-")
    append(region_coordinator, session, 5, b"12345")
    parts = list(session.parts.values_list("offset", "size", "storage_name"))
    assert [(offset, size) for offset, size, _name in parts] == [(0, 5), (5, 5)]
    assert all(name.startswith(f"upload-parts/{session.pk.hex}/") for _o, _s, name in parts)
    assert stored_parts(session) == sorted(name.rsplit("/", 1)[1] for _o, _s, name in parts)
    with storage.parts_storage().open(parts[1][2], "rb") as fh:
        assert fh.read() == b"12345"


def test_a_request_racing_for_the_same_offset_is_refused_and_its_part_deleted(region_coordinator, region):
    session = services.upload_session_start(user=region_coordinator, region=region, filename="a.pdf", size=10)
    stale = UploadSession.objects.get(pk=session.pk)  # what a second app server read before the first one wrote
    append(region_coordinator, session, 0, b"%PDF-")
    with pytest.raises(UploadOffsetMismatch) as caught:
        append(region_coordinator, stale, 0, b"%PDF!")
    assert caught.value.expected == 5
    session.refresh_from_db()
    assert session.received == 5 and session.parts.count() == 1 and len(stored_parts(session)) == 1


def test_a_part_lost_from_storage_answers_a_clear_refusal(region_coordinator, region):
    data = f.pdf_of_size(2000)
    session = services.upload_session_start(user=region_coordinator, region=region, filename="a.pdf", size=2000)
    append(region_coordinator, session, 0, data[:1000])
    append(region_coordinator, session, 1000, data[1000:])
    storage.parts_storage().delete(session.parts.get(offset=1000).storage_name)
    with pytest.raises(ValidationError, match="no longer kept"):
        services.upload_session_complete(user=region_coordinator, session=session, title="x")


def test_completing_twice_is_refused_the_second_time(region_coordinator, region):
    session = services.upload_session_start(user=region_coordinator, region=region, filename="a.pdf", size=100)
    append(region_coordinator, session, 0, f.pdf_of_size(100))
    stale = UploadSession.objects.get(pk=session.pk)  # the other app server's view, before the first completion
    services.upload_session_complete(user=region_coordinator, session=session, title="x")
    with pytest.raises(ValidationError, match="already complete"):
        services.upload_session_complete(user=region_coordinator, session=stale, title="x")
    assert session.evidence is not None
