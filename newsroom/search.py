"""Case-insensitive "contains" in every script, on SQLite as on PostgreSQL.

``icontains`` is ``UPPER(name) LIKE UPPER(…)`` on PostgreSQL, which folds case in any
script (and its trigram indexes, migration people 0006, answer exactly that expression).
On SQLite it is a bare ``LIKE``, which ignores case for ASCII letters only: "ÉMILE" would
not find "Émile", nor "ИВАН" "Иван". The ``folded_contains`` lookup is ``icontains``
everywhere but SQLite; there it compares both sides folded by Python's ``str.casefold``,
a function registered on every new connection.
"""

from __future__ import annotations

from django.db.models import CharField, TextField
from django.db.models.expressions import Func
from django.db.models.lookups import Contains, IContains, Lookup

SQLITE_FOLD_FUNCTION = "newsroom_fold"


def fold(text: str) -> str:
    """``text`` as compared ignoring case: "ÉMILE" and "émile" fold alike."""
    return text.casefold()


def _fold_or_null(value: str | None) -> str | None:
    return None if value is None else fold(str(value))


class Folded(Func):
    function = SQLITE_FOLD_FUNCTION
    arity = 1
    output_field = CharField()


@CharField.register_lookup
@TextField.register_lookup
class FoldedContains(Lookup):
    """``icontains`` that ignores case beyond ASCII on SQLite too."""

    lookup_name = "folded_contains"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        # Exactly icontains: the SQL PostgreSQL's trigram indexes were built for.
        return compiler.compile(IContains(self.lhs, self.rhs))

    def as_sqlite(self, compiler, connection):
        if hasattr(self.rhs, "as_sql"):
            return self.as_sql(compiler, connection)
        # Folded first, escaped for LIKE afterwards (by Contains), so folding can never
        # turn a character into a wildcard.
        return compiler.compile(Contains(Folded(self.lhs), fold(str(self.rhs))))


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """``connection_created``: SQLite connections learn the fold function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_FOLD_FUNCTION, 1, _fold_or_null, deterministic=True
        )
