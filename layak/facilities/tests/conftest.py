import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, so cached aggregates never leak from one test into another."""
    cache.clear()
    yield
    cache.clear()
