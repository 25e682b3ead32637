"""Test data for the child-protection figures: rows that add up, and a series with a jump."""

from __future__ import annotations

from layak.protection.models import Report
from layak.protection.services import Entry, reports_save
from layak.regions.tests.factories import make_region

# A consistent month of violence figures: 6 children by type, sex, age, place and relation.
VIOLENCE_ROW = {
    "victims": 6,
    "physical": 2, "psychological": 1, "sexual": 3, "exploitation": 0, "trafficking": 0, "neglect": 0, "other": 0,
    "male": 2, "female": 4,
    "age_0_5": 1, "age_6_12": 2, "age_13_17": 3,
    "household": 4, "school": 2,
    "parent": 3, "neighbour": 3,
}  # fmt: skip


def scaled(row: dict[str, int], factor: int) -> dict[str, int]:
    return {k: v * factor for k, v in row.items()}


def save_months(user, code: str, months: dict[int, dict[str, int]], *, year: int = 2025, topic: str = "violence"):
    make_region(code)
    entries = [Entry(code, topic, year, month, dict(values)) for month, values in months.items()]
    return reports_save(user=user, entries=entries)


def make_flagged_series(user, code: str, row: dict[str, int]) -> Report:
    """Five ordinary months then one five times larger: the last one is flagged."""
    save_months(user, code, {m: row for m in range(1, 6)} | {6: scaled(row, 5)})
    return Report.objects.get(region_id=code, topic="violence", year=2025, month=6)
