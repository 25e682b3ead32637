"""Demo child-protection figures ("data contoh") for the kab/kota of DKI Jakarta: every topic, month by month
from 2024, child populations, one jump in Jakarta Timur and one corrected month. Invented numbers, marked as
demo data wherever they show; made through the services; a re-run adds nothing."""

from __future__ import annotations

import random

from django.utils import timezone

from layak.accounts.models import User
from layak.regions.models import Region

from . import publication, services
from .categories import Topic, catalogue_for_year
from .checks import fill_unrecorded
from .choices import CorrectionReason, Source
from .models import Report

ADMIN = "admin_kemenpppa"
# Kemendagri code, children aged 0-17 (invented, of a plausible size), mean victims of violence per month.
REGIONS = {
    "31.01": (6_000, 0.4),  # Kepulauan Seribu: small counts, the public page hides them
    "31.71": (250_000, 3.0),
    "31.72": (520_000, 6.0),
    "31.73": (610_000, 7.0),
    "31.74": (560_000, 6.5),
    "31.75": (790_000, 9.0),
}
SCALE = {"violence": 1.0, "bullying": 0.5, "abh": 0.6, "child_labour": 0.2, "child_marriage": 0.3, "uptd_services": 1.0}
FIRST_YEAR = 2024


def _split(rng: random.Random, total: int, cells: tuple[str, ...], skip: str) -> dict[str, int]:
    weights = [0.0 if c == skip else rng.random() ** 2 + 0.05 for c in cells]
    out = dict.fromkeys(cells, 0)
    for _ in range(total):
        out[rng.choices(cells, weights)[0]] += 1
    return out


def _values(rng: random.Random, topic: Topic, mean: float) -> dict[str, int | None]:
    values: dict[str, int | None] = {}
    for m in topic.measures:
        values[m] = max(0, round(rng.gauss(mean, mean / 3 + 0.5)))
    for group in topic.groups:  # parents come before their groups in the file's order
        parent = values.get(group.parent) or 0
        values.update(_split(rng, parent, group.cells, group.unrecorded))
    return dict(fill_unrecorded(topic, values))


def _entries(rng: random.Random) -> list[services.Entry]:
    today = timezone.localdate()
    entries = []
    for code, (_children, mean) in REGIONS.items():
        for year in range(FIRST_YEAR, today.year + 1):
            for month in range(1, 13):
                if (year, month) >= (today.year, today.month):
                    break
                for topic in catalogue_for_year(year).topics:
                    values = _values(rng, topic, mean * SCALE[topic.key])
                    entries.append(services.Entry(code, topic.key, year, month, values))
    return entries


def seed_demo_data(*, stdout) -> None:
    """Creates the demo figures once; skipped when they exist or DKI Jakarta's regions are not loaded."""
    admin = User.objects.filter(username=ADMIN).first()
    if admin is None or Region.objects.filter(code__in=REGIONS).count() < len(REGIONS):
        stdout.write("Child-protection demo skipped: the demo admin or DKI Jakarta's kab/kota are missing.")
        return
    if Report.objects.filter(is_demo=True).exists():
        stdout.write("Child-protection demo: already there.")
        return
    rng = random.Random(2024)
    entries = _entries(rng)
    jump = next(
        e
        for e in entries
        if e.region_code == "31.75" and e.topic == "violence" and e.year == FIRST_YEAR + 1 and e.month == 9
    )
    jump.values = {k: (v or 0) * 4 for k, v in jump.values.items()}  # a month four times the usual: flagged
    counts = services.reports_save(user=admin, entries=entries, source=Source.DEMO, is_demo=True)
    first = next(e for e in entries if e.region_code == "31.75" and e.topic == "child_labour")
    corrected = {k: (v or 0) + (1 if k in ("freed", "female") else 0) for k, v in first.values.items()}
    services.reports_save(
        user=admin,
        entries=[services.Entry(first.region_code, first.topic, first.year, first.month, corrected)],
        reason=CorrectionReason.LATE_REPORTS,
        source=Source.DEMO,
        is_demo=True,
    )
    for code, (children, _mean) in REGIONS.items():
        region = Region.objects.get(code=code)
        for year in range(FIRST_YEAR, timezone.localdate().year + 1):
            services.population_save(
                user=admin, region=region, year=year, children=children,
                source="Data contoh (demo): angka rekaan, bukan proyeksi BPS", is_demo=True,
            )  # fmt: skip
    publication.build_after_commit([(e.topic, e.year) for e in entries])
    stdout.write(f"Child-protection demo: {counts['created']} periods of figures (data contoh).")
