import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: fragments kept by generation never leak from one test's data into
    another's (the database is rolled back between tests, the in-memory cache is not)."""
    cache.clear()
    yield
    cache.clear()
