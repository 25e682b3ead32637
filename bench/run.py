"""Runs every bench/bench_*.py and prints its figures as a table (`make bench`).

Each benchmark runs in its own Python process, so it can set up Django its own way and its peak memory is its
own. A benchmark module defines `run() -> dict[str, tuple[float, str]]`: figure name -> (value, unit).
Figures are also written to bench/results/<name>.json (git-ignored). Benchmarks report, they do not assert.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results"


def run_one(name: str) -> None:
    """In the child process: run one benchmark and print its figures as JSON on the last line."""
    sys.path[:0] = [str(ROOT), str(BENCH_DIR)]
    figures = importlib.import_module(name).run()
    print(json.dumps(figures))


def _collect(name: str) -> dict[str, list]:
    proc = subprocess.run(
        [sys.executable, __file__, "--one", name], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"{name} failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _print_table(rows: list[tuple[str, str, str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for i, row in enumerate(rows):
        print(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}")
        if i == 0:
            print("  ".join("-" * w for w in widths))


def main(selected: list[str]) -> None:
    names = sorted(p.stem for p in BENCH_DIR.glob("bench_*.py"))
    names = [n for n in names if not selected or n in selected or n.removeprefix("bench_") in selected]
    RESULTS.mkdir(exist_ok=True)
    rows = [("benchmark", "figure", "value")]
    for name in names:
        figures = _collect(name)
        (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2) + "\n")
        rows += [(name.removeprefix("bench_"), key, f"{value:,.3f} {unit}") for key, (value, unit) in figures.items()]
    _print_table(rows)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        run_one(sys.argv[2])
    else:
        main(sys.argv[1:])
