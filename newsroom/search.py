"""Case-insensitive "contains" and "equals" in every script, on SQLite as on PostgreSQL.

``icontains`` is ``UPPER(name) LIKE UPPER(…)`` on PostgreSQL, which folds case in any
script (and its trigram indexes, migration people 0006, answer exactly that expression).
On SQLite it is a bare ``LIKE``, which ignores case for ASCII letters only: "ÉMILE" would
not find "Émile", nor "ИВАН" "Иван". ``iexact`` is ``UPPER(name) = UPPER(…)`` on
PostgreSQL and again a ``LIKE`` (without wildcards) on SQLite, with the same blind spot.

The ``folded_contains`` and ``folded_exact`` lookups are ``icontains`` and ``iexact``
everywhere but SQLite; there they compare both sides folded by Python's ``str.casefold``,
a function registered on every new connection. Casefolding goes a little further than
PostgreSQL's ``UPPER()``: on SQLite "STRASSE" equals "Straße", on PostgreSQL it does not.
"""

from __future__ import annotations

from django.db.models import CharField, TextField
from django.db.models.expressions import Func
from django.db.models.lookups import Contains, Exact, IContains, IExact, Lookup

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


@CharField.register_lookup
@TextField.register_lookup
class FoldedExact(Lookup):
    """``iexact`` that ignores case beyond ASCII on SQLite too."""

    lookup_name = "folded_exact"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        # Exactly iexact: the SQL PostgreSQL has always run for exact names and titles.
        return compiler.compile(IExact(self.lhs, self.rhs))

    def as_sqlite(self, compiler, connection):
        if hasattr(self.rhs, "resolve_expression"):
            return compiler.compile(Exact(Folded(self.lhs), Folded(self.rhs)))
        return compiler.compile(Exact(Folded(self.lhs), fold(str(self.rhs))))


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """``connection_created``: SQLite connections learn the fold function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_FOLD_FUNCTION, 1, _fold_or_null, deterministic=True
        )
