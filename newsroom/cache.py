"""A version number for everything reader pages show, for the fragments they cache.

Cached fragments built from desk data (the story sidebar, a profile's career, an
organization's leadership, feeds and API answers) put the version in their key. Any write
to a table of the people or stories apps bumps it, so a cached fragment is never served
after the data behind it changed; the old entries simply expire.

Writes are noticed where they all pass, not model by model: every INSERT, UPDATE or DELETE
that Django sends to those tables (saves, deletes, ``QuerySet.update``, ``bulk_create``, raw
SQL through Django's cursor) goes through :func:`_watch_writes`, and the bulk writer's COPY
calls :func:`note_write` itself. The version is bumped at each write (so the writing
transaction itself, and a test, never read its own old fragments) and once more when the
transaction commits (so a reader who rebuilt a fragment from the old data in between cannot
leave it behind for later readers).

With several processes the version must live in a shared cache (Redis: settings, REDIS_URL);
the local-memory cache is for one process (the demo, the tests).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from django.core.cache import cache, caches
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

KEY = "newsroom:data-version"
# Cached fragments are keyed on the data version, so they are never stale; this only bounds
# how long an unused one takes memory.
CACHE_SECONDS = 60 * 60
_NOTHING = "newsroom:cache:nothing"
# The apps' tables, and users (bylines show their names).
WATCHED = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(?:people_|stories_|auth_user\b)', re.I
)


def data_version() -> int:
    version = cache.get(KEY)
    if version is None:
        # A cache may drop the key (eviction, a restart). Starting again from the clock, in
        # microseconds, keeps the version above any it had before, so no fragment kept under
        # an old number is ever served again.
        cache.add(KEY, time.time_ns() // 1000, timeout=None)
        version = cache.get(KEY, 0)
    return int(version)


def versioned_cache():
    """The cache for values whose keys carry the data version (settings, "versioned")."""
    return caches["versioned"]


def cached[T](key: str, build: Callable[[], T | None]) -> T | None:
    """``build()``, kept in the versioned cache under ``key`` (which must carry the data
    version).

    ``None`` is kept too (as a marker): a page that answers 404 is not rebuilt on every
    request either.
    """
    store = versioned_cache()
    value = store.get(key)
    if value is None:
        value = build()
        store.set(key, _NOTHING if value is None else value, CACHE_SECONDS)
        return value
    return None if value == _NOTHING else value


def _bump() -> None:
    try:
        cache.incr(KEY)
    except ValueError:  # the key is gone: start again from the clock
        data_version()


def note_write(connection: BaseDatabaseWrapper) -> None:
    """Desk data was written on ``connection``: bump now, and once more when it commits."""
    _bump()
    if connection.in_atomic_block and not any(
        callback is _bump for _, callback, _ in connection.run_on_commit
    ):
        transaction.on_commit(_bump, using=connection.alias)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and WATCHED.match(sql):
        note_write(context["connection"])
    return result


def watch_connection(sender, connection: BaseDatabaseWrapper, **kwargs) -> None:
    """``connection_created``: every connection reports its writes (see the module docstring)."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)
