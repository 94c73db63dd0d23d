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

Whole reader pages (newsroom/page_cache.py) are kept by narrower versions: one per *tag*
(``org:<slug>``, ``person:<slug>``, ``story:<slug>``, the lists ``stories``, ``moves``,
``people``, ``organizations``, and ``all``). A write says which tags it changes by running
inside :func:`touching`; a write to the watched tables outside any such scope changes
``all``, which every page depends on, so a writer that names nothing is still never stale.

Every version lives in the ``versions`` cache, which every process sees: Redis with
``REDIS_URL``, else small files under ``var/`` (settings), so a write by another process (a
second worker, ``manage.py import_moves``, a cron job) shows on the next request on the
embedded default too. A bump never counts up from the value it read (two processes could
read the same one): it writes a value from the clock above it, never handed out before.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial, wraps

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
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
# A sign-in stamps the user's last_login: no page shows it.
SIGN_IN = re.compile(r'^\s*UPDATE\s+"?auth_user"?\s+SET\s+"?last_login"?\s*=\s*\S+\s+WHERE', re.I)
ALL = "all"
_TAG_PREFIX = "newsroom:tag:"


def versions():
    """The cache every process shares for the versions (settings, "versions")."""
    return caches["versions"]


def _clock() -> int:
    return time.time_ns() // 1000


def data_version() -> int:
    version = versions().get(KEY)
    if version is None:
        # A cache may drop the key (eviction, a restart). Starting again from the clock, in
        # microseconds, keeps the version above any it had before, so no fragment kept under
        # an old number is ever served again.
        versions().add(KEY, _clock(), timeout=None)
        version = versions().get(KEY, 0)
    return int(version)


def _fresh_token() -> str:
    """A tag version never handed out before, by any process."""
    return f"{time.time_ns():x}.{secrets.token_hex(4)}"


def tag_versions(tags: Iterable[str]) -> dict[str, str]:
    """The current version of each tag (one round trip to the shared cache); a tag never
    bumped (or dropped by the cache) gets a fresh one."""
    store = versions()
    keys = {f"{_TAG_PREFIX}{tag}": tag for tag in set(tags)}
    found = store.get_many(list(keys))
    result = {tag: found[key] for key, tag in keys.items() if key in found}
    for key, tag in keys.items():
        if tag not in result:
            store.add(key, _fresh_token(), timeout=None)
            result[tag] = store.get(key) or _fresh_token()
    return result


def _bump_tags_now(tags: Iterable[str]) -> None:
    versions().set_many({f"{_TAG_PREFIX}{tag}": _fresh_token() for tag in tags}, timeout=None)


def bump_tags(tags: Iterable[str], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Bump ``tags`` now and, inside a transaction, once more when it commits (so a reader
    who rebuilt a page from the old data in between cannot leave it behind)."""
    tags = frozenset(tags)
    if not tags:
        return
    _bump_tags_now(tags)
    connection = connections[using]
    if connection.in_atomic_block:
        # One callback a transaction, bumping every tag its writes named.
        pending = getattr(connection, "_newsroom_commit_tags", None)
        if pending is None or not any(
            getattr(callback, "func", None) is _bump_pending
            for _, callback, _ in connection.run_on_commit
        ):
            pending = connection._newsroom_commit_tags = set()
            transaction.on_commit(partial(_bump_pending, connection), using=using)
        pending.update(tags)


def _bump_pending(connection: BaseDatabaseWrapper) -> None:
    tags = getattr(connection, "_newsroom_commit_tags", None) or set()
    connection._newsroom_commit_tags = None
    if tags:
        _bump_tags_now(tags)


class Scope(set):
    """The tags a :func:`touching` scope will bump; ``wrote``: a watched write happened."""

    wrote = False


# The scopes the running code is in (innermost last).
_scopes: ContextVar[tuple[Scope, ...]] = ContextVar("newsroom_cache_scopes", default=())


@contextmanager
def touching(*tags: str) -> Iterator[Scope]:
    """Writes inside change what pages tagged ``tags`` show, and nothing else: the tags are
    bumped on the way out (and at commit), not ``all``. The caller may add tags to the set
    it gets as it learns them (the people a move's verification ends the roles of, say).

    When the block fails after writing, ``all`` is bumped: what it wrote is not known."""
    scope = Scope(tags)
    token = _scopes.set((*_scopes.get(), scope))
    failed = True
    try:
        yield scope
        failed = False
    finally:
        _scopes.reset(token)
        if scope.wrote:
            if failed:
                scope.add(ALL)
            bump_tags(scope)
            outer = _scopes.get()
            if outer:
                outer[-1].wrote = True


def touches(tags_of: Callable[..., Iterable[str]], *, before: bool = False):
    """A service whose writes change what pages tagged ``tags_of(result, **kwargs)`` show
    (called with the service's result and keyword arguments, after it ran; and with
    ``None`` before it runs too when ``before``: what an edit moves away from, or deletes)."""

    def decorate(service):
        @wraps(service)
        def wrapper(*args, **kwargs):
            with touching() as scope:
                earlier = set(tags_of(None, **kwargs)) if before else set()
                result = service(*args, **kwargs)
                if scope.wrote:
                    scope.update(earlier, tags_of(result, **kwargs))
            return result

        return wrapper

    return decorate


def in_scope() -> bool:
    return bool(_scopes.get())


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
    # From the clock, above the value read: never a value another process handed out.
    store = versions()
    store.set(KEY, max(_clock(), int(store.get(KEY) or 0) + 1), timeout=None)


def note_write(connection: BaseDatabaseWrapper, *, tags: Iterable[str] = (ALL,)) -> None:
    """Desk data was written on ``connection``: bump now, and once more when it commits.

    ``tags`` (every page by default) are bumped too, unless the write is in a
    :func:`touching` scope, which names them itself."""
    scopes = _scopes.get()
    if scopes:
        scopes[-1].wrote = True
    else:
        bump_tags(tags, using=connection.alias)
    _bump()
    if connection.in_atomic_block and not any(
        callback is _bump for _, callback, _ in connection.run_on_commit
    ):
        transaction.on_commit(_bump, using=connection.alias)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and WATCHED.match(sql):
        # Outside a scope nobody said what this write changes: every page may show it.
        note_write(context["connection"], tags=() if SIGN_IN.match(sql) else (ALL,))
    return result


def watch_connection(sender, connection: BaseDatabaseWrapper, **kwargs) -> None:
    """``connection_created``: every connection reports its writes (see the module docstring)."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)
