from __future__ import annotations

import datetime

import pytest

from layak.regions.tests.factories import make_region
from layak.taskforces.tests.factories import make_agencies, make_decree
from layak.trainings import services


@pytest.fixture
def agencies(db):
    return make_agencies("31.71")


@pytest.fixture
def decree(region_coordinator, agencies):
    return make_decree(region_coordinator, "31.71")


@pytest.fixture
def bimtek(region_coordinator):
    """A two-day Bimtek KHA of Jakarta Pusat held in March 2025."""
    return services.training_create(
        user=region_coordinator,
        region=make_region("31.71"),
        kind="bimtek_kha",
        title="Bimtek Konvensi Hak Anak bagi OPD",
        starts_on=datetime.date(2025, 3, 11),
        ends_on=datetime.date(2025, 3, 12),
        organiser="DP3A",
        trainers="Fasilitator Nasional KLA",
    )
