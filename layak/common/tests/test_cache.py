"""The Redis cache keeps one client per connection pool and otherwise behaves as Django's (a real Redis)."""

import os

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from layak.common.cache import RedisCache

REDIS = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/3")


@pytest.fixture
def redis_cache():
    made = RedisCache(REDIS, {"KEY_PREFIX": "layak-test-common-cache"})
    try:
        made.get("probe")
    except Exception:
        pytest.skip("no Redis at REDIS_TEST_URL")
    yield made
    made.delete_many(["a", "b", "n"])


def test_one_client_serves_every_call(redis_cache):
    assert isinstance(redis_cache, DjangoRedisCache)
    first = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is first
    assert redis_cache._cache.get_client("some key") is first


def test_values_round_trip_as_with_djangos_cache(redis_cache):
    redis_cache.set("a", {"rows": [1, 2]}, 30)
    assert redis_cache.get("a") == {"rows": [1, 2]}
    assert redis_cache.add("b", 1, 30) is True and redis_cache.add("b", 2, 30) is False
    redis_cache.set("n", 1, 30)
    assert redis_cache.incr("n") == 2
    redis_cache.delete("a")
    assert redis_cache.get("a") is None
