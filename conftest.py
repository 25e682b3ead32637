"""Personas shared by every test: each view and endpoint test uses them, the outsider always included.

Regions are real Kemendagri codes: DKI Jakarta (31), Kota Administrasi Jakarta Pusat (31.71) and, for the
outsider, Kota Banjarmasin (63.71) in Kalimantan Selatan.
"""

from __future__ import annotations

import os
import shutil

import pytest
from hypothesis import settings as hypothesis_settings

from layak.accounts.choices import Role

# Property tests check results, not speed: no per-example deadline (a loaded CI machine or a second pytest-xdist
# worker makes a first example slow, and Hypothesis would call that a flaky failure).
hypothesis_settings.register_profile("layak", deadline=None)
hypothesis_settings.load_profile("layak")

# Playwright's sync API runs an event loop; without this the ORM refuses to run in browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("LAYAK_CHROMIUM", "/usr/bin/chromium")
PROVINCE = "31"
REGION = "31.71"
OTHER_REGION_SAME_PROVINCE = "31.75"
OUTSIDER_REGION = "63.71"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_cached_values_from_earlier_tests():
    """Cached values are keyed by data stamps and generation counters, and a rolled-back test sends no signal:
    the next test's data could repeat a stamp or a generation (a check setting turned off, then rolled back).
    Each test starts with no fragment in process memory and, with the in-memory cache, an empty cache, as a
    fresh server would (a shared Redis is never cleared)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    from layak.common.generations import forget_memo
    from layak.evaluations.stamps import forget_places

    forget_memo()
    forget_places()
    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture(autouse=True)
def _english_in_assertions(request):
    """Tests assert on the English msgids: services run in English and the test client carries the language
    cookie for English. Tests about the Indonesian default remove the cookie (see common/tests/test_language.py).
    """
    from django.conf import settings
    from django.utils import translation

    if "client" in request.fixturenames:
        request.getfixturevalue("client").cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def national_admin(db):
    from layak.accounts.tests.factories import make_user_with_role

    return make_user_with_role("admin_pusat", Role.NATIONAL_ADMIN)


@pytest.fixture
def province_verifier(db):
    from layak.accounts.tests.factories import make_user_with_role

    return make_user_with_role("verifikator_dki", Role.PROVINCE_VERIFIER, PROVINCE)


@pytest.fixture
def region_coordinator(db):
    from layak.accounts.tests.factories import make_user_with_role

    return make_user_with_role("koordinator_jakpus", Role.REGION_COORDINATOR, REGION)


@pytest.fixture
def opd_contributor(db):
    from layak.accounts.tests.factories import make_agency, make_user_with_role

    agency = make_agency(REGION, "Dinas Kesehatan", "Dinkes")
    return make_user_with_role("dinkes_jakpus", Role.OPD_CONTRIBUTOR, REGION, agency=agency)


@pytest.fixture
def independent_evaluator(db):
    from layak.accounts.tests.factories import make_user_with_role

    return make_user_with_role("evaluator_independen", Role.INDEPENDENT_EVALUATOR)


@pytest.fixture
def outsider(db):
    """A region coordinator from another province: must get 403/404 on everything of REGION."""
    from layak.accounts.tests.factories import make_user_with_role

    return make_user_with_role("koordinator_banjarmasin", Role.REGION_COORDINATOR, OUTSIDER_REGION)


@pytest.fixture
def login(client):
    """`login(user)` returns the test client signed in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


# --- Browser tests -------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session", autouse=True)
def _clicks_wait_for_the_page_they_open():
    """A click that opens a page returns once the new page has started to load (Playwright waits for the commit),
    so a read right after it could see a document still being parsed: a table with no rows yet, under load. Every
    click here also waits for the page's load event; a click that opens no page finds it loaded already."""
    try:
        from playwright.sync_api import Locator
    except ImportError:  # pragma: no cover - requirements-dev installs it
        yield
        return
    click = Locator.click

    def click_and_wait(self, *args, **kwargs):
        click(self, *args, **kwargs)
        self.page.wait_for_load_state()

    Locator.click = click_and_wait
    yield
    Locator.click = click


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's Chromium: skip them with a how-to where it is missing, fail under CI=true."""
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(f"CI=true but Chromium is missing at {CHROMIUM}: apt-get install -y chromium")
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}; install it with: sudo apt-get install chromium")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _no_content_security_policy_violations(request):
    """A browser test fails when the page broke the Content-Security-Policy (an inline script or style left)."""
    if "browser" not in request.keywords or "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield
    assert not violations, violations


# --- Object storage (decision 0011) -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def s3_endpoint():
    """An S3-compatible server for the object-storage tests: the one `.ci/run` started (LAYAK_TEST_S3_ENDPOINT),
    or a moto server (requirements-dev) started here for this test run, so `make test` runs them too."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    endpoint = os.environ.get("LAYAK_TEST_S3_ENDPOINT", "")
    process = None
    if not endpoint:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = os.path.join(os.path.dirname(sys.executable), "moto_server")
        process = subprocess.Popen(
            [server, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        endpoint = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(endpoint, timeout=1).close()
                break
            except OSError as exc:
                if getattr(exc, "code", None):  # an HTTP answer: the server is up
                    break
                if time.monotonic() > deadline or process.poll() is not None:
                    process.kill()
                    raise RuntimeError(f"moto_server did not start on {endpoint}") from exc
                time.sleep(0.2)
    try:
        yield endpoint
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)


S3_TEST_KEYS = {"access_key": "layak-test", "secret_key": "layak-test-secret", "region": "us-east-1"}


@pytest.fixture
def s3_credentials():
    """The keys and region the S3 test server is used with (any are accepted), for tests that start processes."""
    return dict(S3_TEST_KEYS)


@pytest.fixture
def s3_bucket(s3_endpoint):
    """A new, empty bucket on the test server; returns its name."""
    import uuid

    import boto3

    name = f"layak-test-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=S3_TEST_KEYS["access_key"],
        aws_secret_access_key=S3_TEST_KEYS["secret_key"],
        region_name=S3_TEST_KEYS["region"],
    )
    client.create_bucket(Bucket=name)
    return name


@pytest.fixture
def use_s3(settings, s3_endpoint, s3_bucket):
    """Switches evidence, upload parts and exports to the test bucket, as production does with LAYAK_S3_BUCKET;
    returns the bucket's name and a boto3 client of its server (`use_s3.bucket`, `use_s3.client`)."""
    import types

    import boto3

    from config.settings.object_storage import s3_storages

    settings.STORAGES = {
        **settings.STORAGES,
        **s3_storages(bucket=s3_bucket, endpoint_url=s3_endpoint, **S3_TEST_KEYS),
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=S3_TEST_KEYS["access_key"],
        aws_secret_access_key=S3_TEST_KEYS["secret_key"],
        region_name=S3_TEST_KEYS["region"],
    )
    return types.SimpleNamespace(bucket=s3_bucket, client=client)
