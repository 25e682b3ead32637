"""Benchmark: 20 MB and 200 MB evidence files through the resumable upload on S3 object storage, with memory.

Each file goes in 1 MiB parts (one object each in the bucket), is completed (parts joined in a scratch file,
sniffed, hashed, uploaded to the bucket in 8 MiB parts) and read back through the storage, as a download does.
The bucket is on a moto server started here (or LAYAK_TEST_S3_ENDPOINT); the database is a throw-away SQLite
file. Memory: Python's peak (tracemalloc) per file, after one small upload has loaded boto3's models, and the
process's peak RSS growth over each file (ru_maxrss). Flat means the 200 MB file costs what the 20 MB one does.
`run()` returns figure name -> (value, unit), as bench/run.py expects.
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

MIB = 1024 * 1024
SIZES = (20 * MIB, 200 * MIB)


class _Body:
    """One part of a request body, produced 64 KiB at a time like a WSGI input stream."""

    def __init__(self, size: int, seed: int):
        self.left = size
        self.block = (b"%PDF-1.7\n" if seed == 0 else b"") + bytes([seed % 251]) * 65536

    def read(self, n: int) -> bytes:
        take = min(n, self.left, len(self.block))
        self.left -= take
        return self.block[:take]


def _moto() -> tuple[str, subprocess.Popen | None]:
    endpoint = os.environ.get("LAYAK_TEST_S3_ENDPOINT", "")
    if endpoint:
        return endpoint, None
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = Path(sys.executable).parent / "moto_server"
    process = subprocess.Popen(
        [str(server), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    return f"http://127.0.0.1:{port}", process


def _setup(folder: str, endpoint: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    bucket = f"layak-bench-{uuid.uuid4().hex[:8]}"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
            "LAYAK_MEDIA_ROOT": str(Path(folder) / "scratch"),
            "LAYAK_EVIDENCE_MAX_BYTES": str(max(SIZES)),
            "LAYAK_S3_BUCKET": bucket,
            "LAYAK_S3_ENDPOINT_URL": endpoint,
            "LAYAK_S3_REGION": "us-east-1",
            "LAYAK_S3_ACCESS_KEY_ID": "bench",
            "LAYAK_S3_SECRET_ACCESS_KEY": "bench-secret",
        }
    )
    import boto3
    import django

    boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="bench", aws_secret_access_key="bench", region_name="us-east-1"
    ).create_bucket(Bucket=bucket)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _upload_and_read(user, region, size: int) -> int:
    from django.core.files.storage import default_storage

    from layak.evidence import services

    session = services.upload_session_start(user=user, region=region, filename="big.pdf", size=size)
    for i, offset in enumerate(range(0, size, MIB)):
        part = min(MIB, size - offset)
        services.upload_session_append(user=user, session=session, offset=offset, chunk_stream=_Body(part, i))
    evidence = services.upload_session_complete(user=user, session=session, title=f"Bench {size}")
    read = 0
    with default_storage.open(evidence.current_file.storage_name, "rb") as fh:
        while chunk := fh.read(64 * 1024):
            read += len(chunk)
    return read


def run() -> dict[str, tuple[float, str]]:
    endpoint, server = _moto()
    try:
        with tempfile.TemporaryDirectory(prefix="layak-bench-s3-") as folder:
            _setup(folder, endpoint)
            return _measure()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)


def _measure() -> dict[str, tuple[float, str]]:
    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_user_with_role
    from layak.regions.models import Region

    user = make_user_with_role("bench_koordinator", Role.REGION_COORDINATOR, "31.71")
    region = Region.objects.get(code="31.71")
    _upload_and_read(user, region, 300_000)  # loads boto3's service models once
    figures: dict[str, tuple[float, str]] = {}
    for size in SIZES:
        label = f"{size // MIB} MB"
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        started = time.perf_counter()
        read = _upload_and_read(user, region, size)
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert read == size
        rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
        figures[f"{label}: upload + complete + read back"] = (round(seconds, 2), "s")
        figures[f"{label}: tracemalloc peak"] = (round(peak / MIB, 2), "MB")
        figures[f"{label}: peak RSS growth"] = (round(rss_growth, 2), "MB")
    return figures


if __name__ == "__main__":
    print(run())
