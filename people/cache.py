"""A version number for everything the leadership sidebar shows.

Cached fragments built from people data (the story sidebar) put the version in their key.
Any change that can alter them bumps it once the transaction commits, so a cached fragment is
never served after the data behind it changed; the old entries simply expire.
"""

from django.core.cache import cache
from django.db import transaction

KEY = "people:data-version"


def data_version() -> int:
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, 1, timeout=None)
        version = cache.get(KEY, 1)
    return int(version)


def bump_data_version() -> None:
    """Invalidate every fragment keyed on the data version, after the current commit."""
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(KEY)
    except ValueError:
        cache.set(KEY, 2, timeout=None)
