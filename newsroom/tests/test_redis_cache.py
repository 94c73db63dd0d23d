"""The Redis cache backend (newsroom/redis_cache.py) against the local Redis, when one runs."""

import socket

import pytest
from django.core.cache.backends.redis import RedisCacheClient

from newsroom.redis_cache import RedisCache


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture
def redis_cache():
    cache = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "newsroom-test"})
    cache.clear()
    yield cache
    cache.clear()


def test_one_client_serves_every_call(redis_cache):
    redis_cache.set("a", 1)
    client = redis_cache._cache.get_client("a")
    assert redis_cache._cache.get_client("b") is client
    assert redis_cache._cache.get_client("b", write=True) is client
    # Django's own client builds a new one each time: the cost this backend avoids.
    plain = RedisCacheClient(["redis://127.0.0.1:6379/15"])
    assert plain.get_client("a") is not plain.get_client("a")


def test_it_behaves_as_the_django_backend(redis_cache):
    assert redis_cache.get("missing", "default") == "default"
    redis_cache.set("story", {"title": "Hello"}, 60)
    assert redis_cache.get("story") == {"title": "Hello"}
    assert redis_cache.add("story", "other") is False
    redis_cache.set("version", 41)
    assert redis_cache.incr("version") == 42
    assert redis_cache.get_many(["story", "version"]) == {
        "story": {"title": "Hello"},
        "version": 42,
    }
    redis_cache.delete("story")
    assert redis_cache.get("story") is None
