"""Many rows at once, without a model instance each: the writer behind the CSV and Popolo
imports and the benchmark's synthetic desk."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from operator import itemgetter

from django.db import DatabaseError, IntegrityError, connection, models
from psycopg import errors as psycopg_errors

from newsroom.cache import note_write


class BulkRows:
    """Inserts many rows without a model instance each: COPY on PostgreSQL, executemany on
    SQLite. Primary keys are taken beforehand (:meth:`ids`), so rows can point at each other
    without reading anything back. Fields not given get their model default.

    On PostgreSQL, ``background=True`` hands the COPY to a writer thread on the same
    connection (so the same transaction), and the import goes on building the next table's
    rows while the database inserts and checks this one: the two use both cores. The
    importer calls :meth:`flush` before any query of its own, and reserves primary keys in
    advance (:meth:`reserve`) so that taking them does not wait for the writer.
    """

    def __init__(self, now: datetime.datetime) -> None:
        self.now = now
        self.next_id: dict[str, int] = {}
        self.reserved: dict[str, list[int]] = {}
        self.postgresql = connection.vendor == "postgresql"
        self.writer: ThreadPoolExecutor | None = None
        self.pending: list[Future] = []

    def reserve(self, counts: dict[type[models.Model], int]) -> None:
        """Take primary keys for up to ``count`` new rows of each model (PostgreSQL).

        Keys reserved and not used are gaps in the sequence, which is harmless.
        """
        if not self.postgresql:
            return
        for model, count in counts.items():
            self.reserved[model._meta.db_table] = self.ids(model, count)

    def ids(self, model: type[models.Model], count: int) -> list[int]:
        if not count:
            return []
        table, pk = model._meta.db_table, model._meta.pk.column
        if len(self.reserved.get(table, ())) >= count:
            taken, self.reserved[table] = self.reserved[table][:count], self.reserved[table][count:]
            return taken
        self.flush()
        with connection.cursor() as cursor:
            if self.postgresql:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, pk, count],
                )
                return [row[0] for row in cursor.fetchall()]
            if table not in self.next_id:
                # SQLite: this transaction holds the write lock (transaction_mode IMMEDIATE);
                # AUTOINCREMENT never reuses an id, so start after the highest ever given.
                quoted = connection.ops.quote_name
                cursor.execute(f"SELECT MAX({quoted(pk)}) FROM {quoted(table)}")  # noqa: S608
                highest = cursor.fetchone()[0] or 0
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                given = cursor.fetchone()
                self.next_id[table] = max(highest, given[0] if given else 0) + 1
            start = self.next_id[table]
            self.next_id[table] += count
            return list(range(start, start + count))

    def insert(self, model: type[models.Model], rows: list[dict], *, background=False) -> None:
        if not rows:
            return
        fields = model._meta.concrete_fields
        defaults = {}
        for model_field in fields:
            if getattr(model_field, "auto_now", False) or getattr(
                model_field, "auto_now_add", False
            ):
                defaults[model_field.attname] = self.now
            elif not model_field.primary_key:
                defaults[model_field.attname] = model_field.get_default()
        names = [model_field.attname for model_field in fields]
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(model_field.column) for model_field in fields)
        in_column_order = itemgetter(*names)
        values = (in_column_order(defaults | row) for row in rows)
        if self.postgresql:
            note_write(connection)  # COPY does not pass Django's cursor, which notes the rest
            statement = f"COPY {table} ({columns}) FROM STDIN"
            if background:
                if self.writer is None:
                    self.writer = ThreadPoolExecutor(1, thread_name_prefix="import-writer")
                raw = connection.connection  # the psycopg connection: this transaction
                self.pending.append(self.writer.submit(self.copy, raw, statement, values))
                return
            self.flush()
            connection.ensure_connection()
            self.copy(connection.connection, statement, values)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                [tuple(map(self.sqlite_value, value)) for value in values],
            )

    @staticmethod
    def copy(raw, statement: str, values: Iterable[tuple]) -> None:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for value in values:
                copy.write_row(value)

    def flush(self) -> None:
        """Wait for the writer; a failed COPY is raised here, as Django would raise it."""
        pending, self.pending = self.pending, []
        for future in pending:
            try:
                future.result()
            except psycopg_errors.IntegrityError as error:
                raise IntegrityError(*error.args) from error
            except psycopg_errors.Error as error:
                raise DatabaseError(*error.args) from error

    def close(self) -> None:
        try:
            self.flush()
        finally:
            if self.writer is not None:
                self.writer.shutdown(wait=True)
                self.writer = None

    @staticmethod
    def sqlite_value(value: object) -> object:
        if isinstance(value, datetime.datetime):
            return connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, str):
            return str(value)  # TextChoices members as plain text
        return value
