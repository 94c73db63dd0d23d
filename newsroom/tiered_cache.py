"""A cache for values keyed on the data version: each process's memory first, then Redis.

Every key given to this cache carries the data version (newsroom/cache.py), so a value once
stored under a key never changes: a copy kept in the process's memory can never be stale.
A page then makes one Redis round trip (the data version) instead of one per cached piece;
under load on two cores each round trip costs more than the piece it fetches (profiled with
cProfile, README "Performance").

``OPTIONS``: ``LOCAL`` and ``SHARED``, the aliases of the two caches (a bounded
local-memory cache, and the Redis cache every worker shares).
"""

from __future__ import annotations

from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

_MISSING = object()


class TieredCache(BaseCache):
    def __init__(self, location: str, params: dict) -> None:
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self._local_alias = options["LOCAL"]
        self._shared_alias = options["SHARED"]

    @property
    def local(self) -> BaseCache:
        return caches[self._local_alias]

    @property
    def shared(self) -> BaseCache:
        return caches[self._shared_alias]

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        value = self.local.get(key, _MISSING, version=version)
        if value is _MISSING:
            value = self.shared.get(key, _MISSING, version=version)
            if value is _MISSING:
                return default
            self.local.set(key, value, version=version)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        self.shared.set(key, value, timeout, version=version)
        self.local.set(key, value, timeout, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        added = self.shared.add(key, value, timeout, version=version)
        if added:
            self.local.set(key, value, timeout, version=version)
        return added

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self.shared.touch(key, timeout, version=version)

    def delete(self, key, version=None) -> bool:
        self.local.delete(key, version=version)
        return self.shared.delete(key, version=version)

    def has_key(self, key, version=None) -> bool:
        return self.local.has_key(key, version=version) or self.shared.has_key(key, version=version)

    def clear(self) -> None:
        self.local.clear()
        self.shared.clear()
