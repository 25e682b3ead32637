"""Dashboard speed on a national-scale SYNTHETIC dataset (514 kab/kota x 6 cycles, fully answered).

Own temporary SQLite database (regions levels 1-2, frameworks, `synthetic_dataset_build`). Figures:
- server time of the home page (a plain template page, for reference), the national dashboard and a
  province page (Jawa Timur, 38 kab/kota) as a ratio to the
  trivial /healthz view: median of N requests through the Django test client, warm cache (goal <= 3x);
- the first (cold-cache) request of each page, in milliseconds;
- with gunicorn and wrk installed: requests/s of each page under `wrk -t2 -c20 -d5s` on gunicorn (2 workers,
  the same temporary database), as a share of /healthz's (goal >= 30%).
Pages need a login: the test client signs in a national admin, wrk sends that session's cookie.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUESTS = 60
PROVINCE = "35"


def _setup_django(folder: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _load_data() -> float:
    from layak.dashboards.synthetic import synthetic_dataset_build
    from layak.frameworks.services import frameworks_load_all
    from layak.regions.services import regions_load

    regions_load(levels=(1, 2))
    frameworks_load_all()
    started = time.perf_counter()
    synthetic_dataset_build()
    return time.perf_counter() - started


def _client():
    from django.test import Client

    from layak.accounts.choices import Role
    from layak.accounts.models import RoleAssignment, User

    user = User.objects.create_user("bench_admin", password="x")
    RoleAssignment.objects.create(user=user, role=Role.NATIONAL_ADMIN)
    client = Client()
    client.force_login(user)
    return client


def _median_ms(client, url: str) -> tuple[float, float]:
    """(first request ms, median of REQUESTS further requests ms); every response must be 200."""
    timings = []
    for _ in range(REQUESTS + 1):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return timings[0], statistics.median(timings[1:])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(port: int, timeout: float = 30) -> None:
    """Until a worker answers /healthz with 200 (the master binds the port before the workers are ready)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def _wrk(port: int, path: str, cookie: str) -> float:
    out = subprocess.run(
        ["wrk", "-t2", "-c20", "-d5s", "-H", f"Cookie: sessionid={cookie}", f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    if "Non-2xx" in out or rate == 0:
        raise RuntimeError(f"wrk got errors or nothing from {path}:\n{out}")
    return rate


def _throughput(cookie: str, paths: dict[str, str]) -> dict[str, float]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    port = _free_port()
    server = subprocess.Popen(
        [str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", "config.wsgi"],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(port)
        for path in paths.values():  # warm both workers' caches
            _wrk_warm(port, path, cookie)
        return {name: _wrk(port, path, cookie) for name, path in paths.items()}
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wrk_warm(port: int, path: str, cookie: str) -> None:
    subprocess.run(
        ["wrk", "-t1", "-c2", "-d1s", "-H", f"Cookie: sessionid={cookie}", f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        check=True,
    )


def run() -> dict[str, tuple[float, str]]:
    with tempfile.TemporaryDirectory(prefix="layak-bench-") as folder:
        _setup_django(folder)
        build_seconds = _load_data()
        client = _client()
        paths = {
            "healthz": "/healthz",
            "home": "/",
            "national": "/dashboards/",
            "province": f"/dashboards/provinces/{PROVINCE}/",
        }
        timings = {name: _median_ms(client, path) for name, path in paths.items()}
        base = timings["healthz"][1]
        figures = {
            "synthetic build (3,084 results)": (build_seconds, "s"),
            "healthz median": (base, "ms"),
            "national median": (timings["national"][1], "ms"),
            "province median": (timings["province"][1], "ms"),
            "national first (cold cache)": (timings["national"][0], "ms"),
            "province first (cold cache)": (timings["province"][0], "ms"),
            "home page / healthz (reference)": (timings["home"][1] / base, "ratio"),
            "national / healthz": (timings["national"][1] / base, "ratio"),
            "province / healthz": (timings["province"][1] / base, "ratio"),
        }
        if shutil.which("wrk") and Path(sys.executable).with_name("gunicorn").exists():
            rates = _throughput(client.cookies["sessionid"].value, paths)
            figures |= {f"{name} req/s (wrk)": (rate, "req/s") for name, rate in rates.items()}
            figures["home share of healthz (reference)"] = (100 * rates["home"] / rates["healthz"], "%")
            figures["national share of healthz"] = (100 * rates["national"] / rates["healthz"], "%")
            figures["province share of healthz"] = (100 * rates["province"] / rates["healthz"], "%")
        from django.db import connections

        connections.close_all()
    return figures
