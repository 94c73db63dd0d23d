"""Work in batches: long lists of ids are read and written a thousand at a time, so that no
statement outgrows what the database takes (SQLite allows 32,766 parameters, PostgreSQL 65,535)
and the number of queries grows with the rows, not with each row."""

from collections.abc import Iterable, Iterator

BATCH = 1000


def chunks[T](items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size``, in order."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
