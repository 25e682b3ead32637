from __future__ import annotations

import pytest

from layak.regions.tests.factories import make_region


@pytest.fixture
def region(db):
    """Kota Administrasi Jakarta Pusat, the region of the coordinator and OPD personas."""
    return make_region("31.71")


@pytest.fixture
def other_region(db):
    return make_region("31.75")
