"""The Redis cache backend (newsroom/redis_cache.py) against the local Redis, when one runs."""

import socket

import pytest
from django.core.cache import caches
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


# The versioned cache: each process's memory in front of Redis (newsroom/tiered_cache.py) ------


@pytest.fixture
def tiered(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "newsroom.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "newsroom-test",
        },
        "process": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tiered-test",
        },
        "versioned": {
            "BACKEND": "newsroom.tiered_cache.TieredCache",
            "OPTIONS": {"LOCAL": "process", "SHARED": "shared"},
        },
    }
    caches["shared"].clear()
    caches["process"].clear()
    yield caches["versioned"]
    caches["shared"].clear()


def redis_reads(monkeypatch) -> list[str]:
    reads: list[str] = []
    shared_get = caches["shared"].get

    def counting_get(key, default=None, version=None):
        reads.append(key)
        return shared_get(key, default, version=version)

    monkeypatch.setattr(caches["shared"], "get", counting_get)
    return reads


def test_a_piece_another_worker_stored_is_read_from_redis_once(tiered, monkeypatch):
    caches["shared"].set("article:7:v41", "<p>Hello</p>")  # as another worker left it
    reads = redis_reads(monkeypatch)
    assert tiered.get("article:7:v41") == "<p>Hello</p>"
    assert tiered.get("article:7:v41") == "<p>Hello</p>"
    assert reads == ["article:7:v41"]  # the second read came from this process's memory


def test_a_piece_stored_here_is_shared_with_every_worker(tiered):
    tiered.set("sidebar:3:v41", ["Sam Altman"])
    assert caches["shared"].get("sidebar:3:v41") == ["Sam Altman"]
    assert tiered.get_or_set("count:v41", lambda: 12) == 12
    assert tiered.get_or_set("count:v41", lambda: 99) == 12
    assert tiered.get("missing", "default") == "default"


def test_deleting_or_clearing_reaches_both_tiers(tiered):
    tiered.set("a:v1", 1)
    tiered.delete("a:v1")
    assert tiered.get("a:v1") is None and caches["shared"].get("a:v1") is None
    tiered.set("b:v1", 2)
    tiered.clear()
    assert caches["process"].get("b:v1") is None and caches["shared"].get("b:v1") is None
