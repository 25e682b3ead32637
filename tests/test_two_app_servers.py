"""Two app server processes (gunicorn) on one PostgreSQL database, one Redis and one S3 bucket: nothing lives in
one process or on one machine.

Shows that a logout on one server is honoured by the other, that the anonymous API rate limit is one limit
across both, and that a resumable upload started on one completes on the other, its parts and its file in the
bucket and none in either server's media folder. Needs PostgreSQL (the test database is shared with the servers;
SQLite's in-memory test database cannot be), Redis (REDIS_TEST_URL, redis://127.0.0.1:6379/3 by default) and the
S3 test server (`s3_endpoint` in conftest.py).
"""

from __future__ import annotations

import hashlib
import http.cookiejar
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from layak.accounts.choices import Role
from layak.accounts.services import api_token_create
from layak.accounts.tests.factories import PASSWORD, make_user_with_role
from layak.evidence.models import Evidence
from layak.evidence.tests import factories as evidence_factories

REDIS = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/3")
ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="two servers share a PostgreSQL database"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Browser:
    """A cookie-keeping HTTP client that talks to several servers as one person would (one cookie jar)."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def request(self, url: str, *, data: bytes | None = None, method: str = "GET", headers=None):
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.jar if c.name == name)

    def post_form(self, url: str, fields: dict[str, str]):
        fields = {"csrfmiddlewaretoken": self.cookie("csrftoken"), **fields}
        body = urllib.parse.urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": url}
        return self.request(url, data=body, method="POST", headers=headers)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def servers(transactional_db, tmp_path, s3_endpoint, use_s3, s3_credentials) -> Iterator[list[str]]:
    db = connection.settings_dict
    env = {
        **os.environ,
        "LAYAK_S3_BUCKET": use_s3.bucket,
        "LAYAK_S3_ENDPOINT_URL": s3_endpoint,
        "LAYAK_S3_REGION": s3_credentials["region"],
        "LAYAK_S3_ACCESS_KEY_ID": s3_credentials["access_key"],
        "LAYAK_S3_SECRET_ACCESS_KEY": s3_credentials["secret_key"],
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": REDIS,
        "LAYAK_CACHE_PREFIX": f"two-servers-{uuid.uuid4().hex}",
        "LAYAK_API_ANON_RATE": "4/m",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    urls, processes = [], []
    for server in ("one", "two"):
        port = _free_port()
        command = [gunicorn, "config.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
        # Each server has a media folder of its own, as on separate machines: only scratch files may go there.
        media = {"LAYAK_MEDIA_ROOT": str(tmp_path / f"media-{server}")}
        processes.append(subprocess.Popen(command, env={**env, **media}, cwd=ROOT))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            _wait_for(url)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not start")


def _sign_in(browser: Browser, url: str, username: str) -> None:
    browser.request(f"{url}/accounts/login/")
    status, _headers, _body = browser.post_form(f"{url}/accounts/login/", {"username": username, "password": PASSWORD})
    assert status == 302, "the login was refused"


def test_logout_rate_limit_and_upload_are_shared_by_two_servers(servers, use_s3, tmp_path):
    one, two = servers
    coordinator = make_user_with_role("koordinator_jakpus", Role.REGION_COORDINATOR, "31.71")
    browser = Browser()

    # Signed in on one, the session is known to the other; a logout on one is honoured by the other.
    _sign_in(browser, one, "koordinator_jakpus")
    assert browser.request(f"{two}/accounts/profile/")[0] == 200
    browser.request(f"{two}/accounts/login/")  # a fresh CSRF cookie from the other server, same secret
    assert browser.post_form(f"{two}/accounts/logout/", {})[0] == 302
    status, headers, _ = browser.request(f"{one}/accounts/profile/")
    assert status == 302 and "/accounts/login/" in headers["Location"]

    # The anonymous API limit (4 a minute here) is one count across both servers.
    anonymous = Browser()
    codes = [anonymous.request(f"{server}/api/v1/results")[0] for server in (one, two, one, two, one, two)]
    assert codes == [200, 200, 200, 200, 429, 429]

    # A resumable upload: started on one, parts sent to both, completed on the other.
    _token, token = api_token_create(user=coordinator, name="two servers")
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    data = evidence_factories.pdf_of_size(300_000)
    start = {"region": "31.71", "filename": "rad.pdf", "size": len(data)}
    status, _, body = browser.request(
        f"{one}/api/v1/evidence/uploads", data=json.dumps(start).encode(), method="POST", headers=auth
    )
    assert status == 201, body
    upload = json.loads(body)["id"]
    parts = {**auth, "Content-Type": "application/octet-stream"}
    for server, offset, end in ((one, 0, 100_000), (two, 100_000, 200_000), (one, 200_000, len(data))):
        url = f"{server}/api/v1/evidence/uploads/{upload}?offset={offset}"
        assert browser.request(url, data=data[offset:end], method="PUT", headers=parts)[0] == 200
    done = f"{two}/api/v1/evidence/uploads/{upload}/complete"
    status, _, body = browser.request(done, data=json.dumps({"title": "RAD"}).encode(), method="POST", headers=auth)
    assert status == 201, body
    stored = Evidence.objects.get().current_file
    assert stored.size == len(data)
    # The file is in the bucket under its hash; the parts are gone from it; no server kept a file of its own.
    body = use_s3.client.get_object(Bucket=use_s3.bucket, Key=stored.storage_name)["Body"].read()
    assert hashlib.sha256(body).hexdigest() == stored.sha256 == hashlib.sha256(data).hexdigest()
    listed = use_s3.client.list_objects_v2(Bucket=use_s3.bucket)
    assert [o["Key"] for o in listed.get("Contents", [])] == [stored.storage_name]
    for server in ("one", "two"):
        media = tmp_path / f"media-{server}"
        assert not media.exists() or [p for p in media.rglob("*") if p.is_file()] == []
