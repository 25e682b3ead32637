"""The committed point files themselves (data/regions): every kab/kota placed, codes of the right level, sources."""

from __future__ import annotations

import csv
from pathlib import Path

from layak.regions.services import _source_bytes, _source_rows

DATA = Path(__file__).resolve().parents[3] / "data" / "regions"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_province_and_kabkota_has_exactly_one_point_with_its_source():
    codes = _source_rows(_source_bytes())
    upper = {code for code in codes if code.count(".") <= 1}
    points = _rows("points.csv")

    assert sorted(p["code"] for p in points) == sorted(upper)
    assert all(p["source"] for p in points)
    assert _rows("points_gaps.csv") == []


def test_village_points_are_desa_codes_inside_indonesia_and_gaps_are_the_rest():
    codes = _source_rows(_source_bytes())
    desa = {code for code in codes if code.count(".") == 3}
    points = _rows("points_villages.csv")
    gaps = _rows("points_villages_gaps.csv")

    placed = {p["code"] for p in points}
    assert placed <= desa
    assert placed.isdisjoint(g["code"] for g in gaps)
    assert placed | {g["code"] for g in gaps} == desa
    assert all(-11 <= float(p["latitude"]) <= 6 and 95 <= float(p["longitude"]) <= 141.1 for p in points)
    assert all(p["source"].startswith("cahyadsn/wilayah_boundaries@") for p in points)
