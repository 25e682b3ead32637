import pytest
from django.core.cache import cache

from layak.accounts.choices import Role
from layak.accounts.tests.factories import make_user_with_role

from .factories import kla2024_cycle, make_subtree

#: The desa of the shared fixtures: Kelurahan Gambir of Kota Administrasi Jakarta Pusat.
DESA = "31.71.01.1001"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: fragments kept by generation never leak from one test's data into
    another's (the database is rolled back between tests, the in-memory cache is not)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    """Kota Administrasi Jakarta Pusat with its kecamatan and desa, and a cycle on the kla-2024 instrument."""
    make_subtree("31.71")
    return kla2024_cycle()


@pytest.fixture
def desa_operator(db):
    """The operator of Kelurahan Gambir (`DESA`)."""
    return make_user_with_role("operator_gambir", Role.DESA_OPERATOR, DESA)
