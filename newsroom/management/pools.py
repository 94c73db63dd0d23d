"""Close psycopg's connection pool when a command run from the shell ends.

The pool (settings: DATABASE_POOL) keeps worker threads; a process that exits without
closing it waits up to five seconds for each of them ("couldn't stop thread … within 5.0
seconds"), which would add some twenty seconds to every import.
"""

from django.core.management.base import BaseCommand
from django.db import connections


def close_pools() -> None:
    for connection in connections.all(initialized_only=True):
        if hasattr(connection, "close_pool"):
            connection.close_pool()


class PoolClosingCommand(BaseCommand):
    def run_from_argv(self, argv: list[str]) -> None:
        try:
            super().run_from_argv(argv)
        finally:
            close_pools()
