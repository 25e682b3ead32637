from __future__ import annotations

import pytest

from layak.taskforces.tests.factories import make_agencies, make_decree


@pytest.fixture
def agencies(db):
    return make_agencies("31.71")


@pytest.fixture
def decree(region_coordinator, agencies):
    """A gap-free decree 2025 to 2027 of Jakarta Pusat (31.71) with eleven members."""
    return make_decree(region_coordinator, "31.71")
