from __future__ import annotations

import pytest

from layak.accounts.tests.factories import make_agency

from .factories import make_plan


@pytest.fixture
def plan(region_coordinator):
    return make_plan(region_coordinator)


@pytest.fixture
def dinkes(opd_contributor):
    return opd_contributor.roles.get().agency


@pytest.fixture
def dp3a(db):
    return make_agency("31.71", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "DP3A")
