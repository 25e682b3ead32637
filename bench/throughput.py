"""Runs /work/shared/perf/page-throughput for a set of pages and reads what it prints (shared by the page benches).

Each path is measured twice in one run: the first round warms the two fresh gunicorn workers (URLconf imports,
compiled templates, the shared caches they read); the second is what every later newcomer meets, and is the one
returned.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PERF = Path(os.environ.get("LAYAK_PERF_DIR", "/work/shared/perf")) / "page-throughput"
_FLOOR = re.compile(r"floor /page/ ([\d.]+) req/s")
_PAGE = re.compile(r"^(\S+): ([\d.]+) req/s, non-2xx (\d+), ([\d.]+)% of the floor page", re.M)


@dataclass(frozen=True)
class Measured:
    path: str
    rate: float  # requests per second
    non2xx: int
    share: float  # % of the floor page's throughput in the same run


def available() -> bool:
    """wrk, the perf script and the project's gunicorn are all there."""
    return bool(shutil.which("wrk")) and PERF.exists() and (ROOT / ".venv/bin/gunicorn").exists()


def measure(paths: list[str], *, cookie: str = "", duration: str = "6") -> tuple[float | None, list[Measured]]:
    """The floor page's req/s and each path's second (warm-worker) measurement, in the order of `paths`.
    `cookie` is a session id (a signed-in page); DUR in the environment overrides `duration` (seconds)."""
    env = {**os.environ, "DUR": os.environ.get("DUR", duration), "COOKIE": cookie}
    twice = [p for path in paths for p in (path, path)]
    out = subprocess.run([str(PERF), *twice], cwd=ROOT, env=env, capture_output=True, text=True, check=False).stdout
    floor = _FLOOR.search(out)
    runs = [Measured(p, float(rate), int(bad), float(share)) for p, rate, bad, share in _PAGE.findall(out)]
    return (float(floor.group(1)) if floor else None), runs[1::2]


def figures(paths: dict[str, str], *, cookie: str = "", label: str = "") -> dict[str, tuple[float, str]]:
    """`measure` for named pages ({name: path}), as a bench's figures: the floor page's req/s, then each page's
    share of it and its req/s. `label` says which run (e.g. "signed in"); without one the floor is named after the
    first page."""
    floor, measured = measure(list(paths.values()), cookie=cookie)
    names = {path: name for name, path in paths.items()}
    tag = f"{label}, " if label else ""
    out: dict[str, tuple[float, str]] = {}
    if floor is not None:
        out[f"floor page ({label or next(iter(paths))} run)"] = (floor, "req/s")
    for m in measured:
        out[f"{names[m.path]} ({tag}first view; non-2xx {m.non2xx})"] = (m.share, "% of floor")
        out[f"{names[m.path]} req/s"] = (m.rate, "req/s")
    return out
