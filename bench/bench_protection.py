"""Child-protection figures at national scale (SYNTHETIC counts, 514 kab/kota x 12 months x every topic).

Uses DATABASE_URL (PostgreSQL for the official figures; a temporary SQLite database otherwise): migrates, loads
provinces and kab/kota, then:
- writes a national year as an .xlsx workbook (one sheet per topic, 6,168 rows each) and as six CSV files;
- times reading the workbook (and the CSV files) into entries, and recording them all (`reports_save`: checks,
  versions, jump flags, audit) — the import of a national year;
- times the first build of the public tables (suppression over the whole country) for that year;
- with gunicorn and wrk: serves the project and the perf floor app side by side with
  /work/shared/perf/page-throughput and reports the public figures pages (nation, a province, a kab/kota) as a
  share of the floor page's throughput, each request a first view (no cookie, no session).
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2025
PERF = Path(os.environ.get("LAYAK_PERF_DIR", "/work/shared/perf")) / "page-throughput"


def _setup(folder: str) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _rows(topic, codes: list[str], rng: random.Random) -> list[list]:
    from layak.protection.demo import _values

    header = ["Kode wilayah", "Tahun", "Bulan", *(dict(c.texts)["label"] for c in topic.cells)]
    rows = [header]
    for code in codes:
        mean = rng.choice([0.3, 1, 3, 8, 20])
        for month in range(1, 13):
            values = _values(rng, topic, mean)
            rows.append([code, YEAR, month, *(values[c.key] for c in topic.cells)])
    return rows


def _files(codes: list[str]) -> tuple[bytes, dict[str, bytes]]:
    from openpyxl import Workbook

    from layak.protection.categories import catalogue_for_year

    rng = random.Random(14)
    book = Workbook(write_only=True)
    csvs = {}
    for topic in catalogue_for_year(YEAR).topics:
        rows = _rows(topic, codes, rng)
        sheet = book.create_sheet(topic.key)
        for row in rows:
            sheet.append(row)
        csvs[topic.key] = "\n".join(",".join(str(v) for v in row) for row in rows).encode()
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), csvs


def _import(workbook: bytes, csvs: dict[str, bytes]) -> dict[str, tuple[float, str]]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from layak.accounts.choices import Role
    from layak.accounts.models import RoleAssignment, User
    from layak.protection.imports import read_entries
    from layak.protection.services import reports_save

    admin, _created = User.objects.get_or_create(username="bench_admin")
    RoleAssignment.objects.get_or_create(user=admin, role=Role.NATIONAL_ADMIN)
    started = time.perf_counter()
    entries = read_entries(SimpleUploadedFile("national.xlsx", workbook))
    read_xlsx = time.perf_counter() - started
    started = time.perf_counter()
    csv_entries = [e for name, body in csvs.items() for e in read_entries(SimpleUploadedFile(f"{name}.csv", body))]
    read_csv = time.perf_counter() - started
    assert len(csv_entries) == len(entries)
    started = time.perf_counter()
    counts = reports_save(user=admin, entries=entries, source="import")
    save = time.perf_counter() - started
    assert counts["created"] == len(entries), counts
    return {
        "periods imported (514 x 12 x 6 topics)": (counts["created"], "reports"),
        "read the national .xlsx": (read_xlsx, "s"),
        "read the six national .csv files": (read_csv, "s"),
        "check and record every period (versions, flags, audit)": (save, "s"),
        "import of a national year from .xlsx (read + record)": (read_xlsx + save, "s"),
        "import of a national year from .csv (read + record)": (read_csv + save, "s"),
    }


def _publication() -> dict[str, tuple[float, str]]:
    from layak.protection import publication

    out = {}
    total = 0.0
    for topic in ("violence", "bullying", "abh", "child_labour", "child_marriage", "uptd_services"):
        started = time.perf_counter()
        table = publication.table(topic, YEAR)
        took = time.perf_counter() - started
        total += took
        hidden = len(table.publication.hidden)
        cells = sum(len(v) for v in table.publication.values.values())
        out[f"first build of the public {topic} table ({hidden} of {cells} cells hidden)"] = (took, "s")
    out["first build of every public table of the year"] = (total, "s")
    return out


def _throughput() -> dict[str, tuple[float, str]]:
    if not (shutil.which("wrk") and PERF.exists() and (ROOT / ".venv/bin/gunicorn").exists()):
        return {}
    paths = [
        f"/protection/public/?year={YEAR}",
        f"/protection/public/35/?year={YEAR}",
        f"/protection/public/35.78/?year={YEAR}",
    ]
    env = {**os.environ, "DUR": os.environ.get("DUR", "6")}
    # Each path twice: the first run lets both gunicorn workers read the stored tables (the cold start after a
    # change of figures), the second is the steady state every later visitor meets; the second is reported.
    twice = [p for path in paths for p in (path, path)]
    out = subprocess.run([str(PERF), *twice], cwd=ROOT, env=env, capture_output=True, text=True, check=False).stdout
    figures = {}
    floor = re.search(r"floor /page/ ([\d.]+) req/s", out)
    if floor:
        figures["floor page throughput"] = (float(floor.group(1)), "req/s")
    for path, rate, non2xx, share in re.findall(
        r"^(\S+): ([\d.]+) req/s, non-2xx (\d+), ([\d.]+)% of the floor page", out, re.M
    ):
        figures[f"{path} throughput"] = (float(rate), "req/s")
        figures[f"{path} share of the floor page (first view, no session; non-2xx {non2xx})"] = (float(share), "%")
    return figures


def run() -> dict[str, tuple[float, str]]:
    with tempfile.TemporaryDirectory(prefix="layak-bench-") as folder:
        _setup(folder)
        from django.conf import settings

        from layak.protection.models import PublishedTable, Report
        from layak.regions.models import Region
        from layak.regions.services import regions_load

        regions_load(levels=(1, 2))
        Report.objects.all().delete()  # a rerun on the same database starts from no figures
        PublishedTable.objects.all().delete()
        codes = sorted(Region.objects.filter(level=2).values_list("code", flat=True))
        assert len(codes) == 514, len(codes)
        workbook, csvs = _files(codes)
        figures = {"database": (0.0 if "sqlite" in settings.DATABASES["default"]["ENGINE"] else 1.0, "1 = PostgreSQL")}
        figures |= _import(workbook, csvs)
        figures |= _publication()
        figures |= _throughput()
        return figures


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(ROOT))
    for name, (value, unit) in run().items():
        print(f"{name}: {value:,.3f} {unit}")
