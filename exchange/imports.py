"""CSV import of moves: a spreadsheet of role changes, each with the source behind it.

The file (see README, "Data exchange") has a header row and the columns of :data:`COLUMNS`
in any order. The import is all or nothing (rule 8):

1. :func:`moves_parse` reads and checks every row on its own: the header, dates with their
   precision (rule 1), the kind of change, titles, and the source URL, canonicalized or
   refused as rule 7 says. Every problem is reported as ``FILE:LINE: message`` (line 1 is
   the header).
2. :func:`moves_import` then resolves names against the database, writes everything in
   bulk inside one transaction, and replays the tenures of every person touched with
   people.tenures (rule 2, the same code every form goes through). Any refusal, from any
   row, rolls the whole transaction back and is reported with the line it comes from.

Why a bulk path rather than calling ``move_record_with_citation`` once per row: that
costs a dozen queries per row, and the desk imports files of 100,000 rows. The rules are
shared, not copied: dates (``PartialDate``), URLs (``canonical_url``), post ranks
(``Rank.guess``), tenures (``tenure_rows``), and rule 3 (a move is public exactly when one
of its citations is verified: imported citations are verified only with an editor's name).
"""

from __future__ import annotations

import csv
import datetime
import difflib
import hashlib
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from operator import itemgetter

from django.contrib.auth.models import AbstractBaseUser, User
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from psycopg import errors as psycopg_errors

from newsroom.audit import audit_record
from newsroom.cache import note_write
from newsroom.dates import InvalidPartialDate, PartialDate, partial_date_columns
from newsroom.models import AuditAction
from newsroom.progress import Stream, progress
from newsroom.search import Folded
from newsroom.slugs import unique_slugs
from people.models import (
    Organization,
    OrganizationName,
    Person,
    PersonName,
    Post,
    Rank,
    RoleChange,
    RoleChangeKind,
    Tenure,
)
from people.models.people import default_sort_name
from people.tenures import TenureConflict, tenure_drafts
from stories.canonical import InvalidSourceURL, canonical_url
from stories.models import Citation, CitationDecision, CitationState, Source, Statement

COLUMNS = (
    "date",
    "person",
    "organization",
    "change",
    "title",
    "previous_title",
    "source_url",
    "quote",
    "speaker",
    "announced",
)
REQUIRED = ("date", "person", "organization", "change", "title", "source_url")
NAME_MAX_LENGTH = 200
BATCH = 1000
EDITORS_GROUP = "Editors"
# One import at a time on PostgreSQL (pg_advisory_xact_lock): two imports naming the same
# new person must not both create them. SQLite serializes writers anyway.
ADVISORY_LOCK_KEY = 0x6D6F766573  # "moves"

KINDS = ", ".join(kind.value for kind in RoleChangeKind)
KIND_VALUES = frozenset(RoleChangeKind.values)  # the property builds a new list each time


# Reading and checking the file --------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem, where it is: ``moves.csv:12: date: “2024-13” is not a date…``."""

    line: int
    message: str
    filename: str = ""
    where: str = ""  # instead of a line, for files without lines (Popolo JSON)

    def __str__(self) -> str:
        return f"{self.filename}:{self.where or self.line}: {self.message}"


@dataclass
class MoveRow:
    """One data row of the file, as written (``cells``) and as understood."""

    line: int
    cells: dict[str, str]
    errors: list[str] = field(default_factory=list)
    effective: PartialDate | None = None
    announced: PartialDate | None = None
    person: str = ""
    organization: str = ""
    kind: RoleChangeKind | None = None
    title: str = ""
    previous_title: str = ""
    source_url: str = ""
    canonical_url: str = ""
    quote: str = ""
    speaker: str = ""
    # Set by other importers (Popolo) that identify people and organizations themselves.
    person_ref: Person | None = None
    organization_ref: Organization | None = None
    leaves_organization: bool = False


@dataclass
class ParsedFile:
    filename: str
    digest: str
    columns: list[str] = field(default_factory=list)
    rows: list[MoveRow] = field(default_factory=list)
    file_errors: list[RowError] = field(default_factory=list)

    @property
    def errors(self) -> list[RowError]:
        """Every problem found in the file itself, in line order."""
        row_errors = [
            RowError(row.line, message, self.filename)
            for row in self.rows
            for message in row.errors
        ]
        return _in_line_order(self.file_errors + row_errors)


def _in_line_order(errors: list[RowError]) -> list[RowError]:
    return sorted(errors, key=lambda error: error.line)  # stable: columns stay in order


def moves_parse(data: bytes | str, *, filename: str, stream: Stream | None = None) -> ParsedFile:
    """Read a moves file and check each row on its own; nothing is looked up or written.

    ``data`` is the file's bytes (UTF-8, with or without a byte-order mark) or its text.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    parsed = ParsedFile(filename=filename, digest=hashlib.sha256(raw).hexdigest())

    def refuse(line: int, message: str) -> ParsedFile:
        parsed.file_errors.append(RowError(line, message, filename))
        return parsed

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as invalid:
        line = raw[: invalid.start].count(b"\n") + 1
        return refuse(
            line,
            f"this line is not UTF-8 text (byte 0x{raw[invalid.start]:02X}): save the file "
            "as “CSV UTF-8” from the spreadsheet and import it again.",
        )
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    consumed = 0
    try:
        for cells in reader:
            records.append((consumed + 1, cells))
            consumed = reader.line_num
    except csv.Error as invalid:
        return refuse(consumed + 1, f"this line cannot be read as CSV ({invalid}).")
    if not records or not any(cell.strip() for cell in records[0][1]):
        return refuse(
            1,
            "the first line must name the columns, e.g. "
            "date,person,organization,change,title,source_url.",
        )
    columns = _check_header(records[0][1], parsed)
    if parsed.file_errors:
        return parsed
    parsed.columns = columns
    body = [(line, cells) for line, cells in records[1:] if any(cell.strip() for cell in cells)]
    if not body:
        return refuse(1, "the file has a header but no rows to import.")
    if stream is not None:
        body = progress(body, total=len(body), stream=stream, label="Checking rows")
    for line, cells in body:
        parsed.rows.append(_check_row(line, cells, columns))
    return parsed


def _check_header(cells: list[str], parsed: ParsedFile) -> list[str]:
    columns = [cell.strip().lower() for cell in cells]
    seen: dict[str, int] = {}
    problems = []
    for number, name in enumerate(columns, start=1):
        if not name:
            problems.append(
                f"column {number} of the header has no name: remove the empty column "
                "(often a comma too many at the end of the line)."
            )
        elif name not in COLUMNS:
            close = difflib.get_close_matches(name, COLUMNS, n=1)
            hint = f" Did you mean “{close[0]}”?" if close else ""
            problems.append(
                f"unknown column “{cells[number - 1].strip()}” (column {number}).{hint} "
                f"The columns are: {', '.join(COLUMNS)}."
            )
        elif name in seen:
            problems.append(
                f"the column “{name}” appears twice (columns {seen[name]} and {number}): keep one."
            )
        else:
            seen[name] = number
    for name in REQUIRED:
        if name not in seen:
            problems.append(f"the required column “{name}” is missing.")
    parsed.file_errors.extend(RowError(1, problem, parsed.filename) for problem in problems)
    return columns


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _check_row(line: int, cells: list[str], columns: list[str]) -> MoveRow:
    if len(cells) != len(columns):
        row = MoveRow(line=line, cells=dict(zip(columns, cells, strict=False)))
        row.errors.append(
            f"this row has {len(cells)} cells but the header has {len(columns)} columns: "
            "check for a missing or extra comma (a value containing a comma must be in "
            "double quotes)."
        )
        return row
    values = {name: cell.strip() for name, cell in zip(columns, cells, strict=True)}
    row = MoveRow(line=line, cells=values)
    errors = row.errors
    for column, text in values.items():
        if "\x00" in text:
            # No name, title or quote holds one, and PostgreSQL refuses it in text: the row
            # is refused, and the rest of it is checked (and looked up) without it.
            errors.append(f"{column}: contains a NUL character (0x00); remove it.")
            values[column] = text.replace("\x00", "")

    def date(column: str, *, required: bool) -> PartialDate | None:
        text = values.get(column, "")
        if not text:
            if required:
                errors.append(f"{column}: empty; give the date as YYYY, YYYY-MM or YYYY-MM-DD.")
            return None
        try:
            return PartialDate.parse(text)
        except InvalidPartialDate as invalid:
            errors.append(f"{column}: {invalid}")
            return None

    def name(column: str, *, required: bool, what: str) -> str:
        text = _collapse(values.get(column, ""))
        if not text and required:
            errors.append(f"{column}: empty; give {what}.")
        elif len(text) > NAME_MAX_LENGTH:
            errors.append(
                f"{column}: {len(text)} characters long; at most {NAME_MAX_LENGTH} fit. Shorten it."
            )
        return text

    row.effective = date("date", required=True)
    row.person = name("person", required=True, what="the person's name")
    row.organization = name("organization", required=True, what="the organization's name")
    change = values.get("change", "").lower()
    if not change:
        errors.append(f"change: empty; write {KINDS}.")
    elif change not in KIND_VALUES:
        errors.append(
            f"change: “{values['change']}” is not a change this import knows; write {KINDS}."
        )
    else:
        row.kind = RoleChangeKind(change)
    row.title = name("title", required=True, what="the title, e.g. “Chief Technology Officer”")
    row.previous_title = name("previous_title", required=False, what="")
    if row.previous_title:
        if row.kind == RoleChangeKind.LEFT:
            errors.append(
                "previous_title: a departure (left) ends the title it names; a previous "
                "title only goes with joined, appointed or promoted. Leave it empty."
            )
        elif row.kind == RoleChangeKind.HELD:
            errors.append(
                "previous_title: “held” records the person in the title on that date, not a "
                "change from another one; leave it empty, or record the promotion itself."
            )
        elif row.previous_title.casefold() == row.title.casefold():
            errors.append(
                "previous_title: the same as title; leave it empty, or name the title the "
                "person held before."
            )
    row.source_url = values.get("source_url", "")
    if not row.source_url:
        errors.append("source_url: empty; give the full address of the source (https://…).")
    else:
        try:
            row.canonical_url = canonical_url(row.source_url)
        except InvalidSourceURL as invalid:
            errors.append(f"source_url: {invalid.message}")
    row.quote = values.get("quote", "")
    row.speaker = name("speaker", required=False, what="")
    if row.speaker and not row.quote:
        errors.append("speaker: a speaker goes with a quote; give the quote, or no speaker.")
    row.announced = date("announced", required=False)
    return row


# Who may verify -----------------------------------------------------------------------------


class ImportNotAllowed(Exception):
    """The user named to verify an import may not verify citations."""


def import_verifier(username: str) -> User:
    """The editor named by ``--verified-by``: an active member of the Editors group."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise ImportNotAllowed(
            f"There is no user “{username}”: --verified-by takes an editor's username."
        )
    if not user.is_active or not user.groups.filter(name=EDITORS_GROUP).exists():
        raise ImportNotAllowed(
            f"“{username}” is not in the {EDITORS_GROUP} group: only an editor can vouch for "
            "imported citations. Import without --verified-by (everything stays pending), "
            "or name an editor."
        )
    return user


# Writing ------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    filename: str
    rows: int
    dry_run: bool
    verified_by: str = ""
    errors: list[RowError] = field(default_factory=list)
    outcomes: dict[int, str] = field(default_factory=dict)
    people_created: int = 0
    organizations_created: int = 0
    posts_created: int = 0
    moves_created: int = 0
    moves_on_record: int = 0
    sources_created: int = 0
    statements_created: int = 0
    citations_created: int = 0
    citations_verified: int = 0
    moves_made_public: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        def count(number: int, one: str, many: str) -> str:
            return f"{number:,} {one if number == 1 else many}"

        verified = f", verified by {self.verified_by}" if self.verified_by else " (pending)"
        text = (
            f"{count(self.moves_created, 'new move', 'new moves')} "
            f"({count(self.moves_on_record, 'move', 'moves')} already on record), "
            f"{count(self.citations_created, 'new citation', 'new citations')}{verified}; "
            f"created {count(self.people_created, 'person', 'people')}, "
            f"{count(self.organizations_created, 'organization', 'organizations')}, "
            f"{count(self.posts_created, 'post', 'posts')}, "
            f"{count(self.sources_created, 'source', 'sources')}, "
            f"{count(self.statements_created, 'quote', 'quotes')}."
        )
        on_record = self.citations_verified - (self.citations_created if self.verified_by else 0)
        if on_record:
            text += (
                f" Verified {count(on_record, 'pending citation', 'pending citations')} "
                f"already on record; {count(self.moves_made_public, 'move', 'moves')} made "
                "public."
            )
        return text


class _Refused(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors


class _DryRun(Exception):
    pass


OUTCOME_NEW = "new move"
OUTCOME_NEW_CITATION = "already on record; adds a citation"
OUTCOME_NOTHING = "already on record with this citation"


def moves_import(
    *,
    parsed: ParsedFile,
    verified_by: AbstractBaseUser | None = None,
    recorded_by: AbstractBaseUser | None = None,
    dry_run: bool = False,
    stream: Stream | None = None,
    audit_action: AuditAction = AuditAction.MOVES_IMPORTED,
) -> ImportResult:
    """Import checked rows, all or nothing; with ``dry_run`` check everything, write nothing.

    ``verified_by`` (from :func:`import_verifier`) records each row's citation as verified
    by that editor, with a history entry naming the file, so the moves become public;
    without it every imported citation is pending. ``recorded_by`` is who recorded the
    moves (the editor who uploads the file on the desk; nobody for the command, where the
    file is the record). Returns the counts, the outcome of each line, and every error:
    when there is any, nothing was written.
    """
    result = ImportResult(
        filename=parsed.filename,
        rows=len(parsed.rows),
        dry_run=dry_run,
        verified_by=verified_by.get_username() if verified_by else "",
    )
    if parsed.errors or not parsed.rows:
        # Every wrong row in one run: names several people go by are wrong whatever the
        # rest of the file says, so they are reported with the file's other errors. (Tenure
        # conflicts depend on every row, so they wait until the rows themselves are right.)
        result.errors = _in_line_order(parsed.errors + _name_errors(parsed))
        return result
    try:
        with transaction.atomic():
            _Importer(parsed, result, verified_by, recorded_by, stream).run()
            if dry_run:
                raise _DryRun
            audit_record(
                action=audit_action,
                actor=recorded_by,
                detail=f"{parsed.filename}: {result.summary()}",
            )
    except _Refused as refused:
        result.errors = _in_line_order(refused.errors)
        result.outcomes = {}
    except IntegrityError:
        # Only a write racing this import (the same new source entered on the desk at this
        # very moment) gets here; the transaction is rolled back whole.
        result.errors = [
            RowError(
                1,
                "someone saved the same data while this file was being imported, so nothing "
                "was imported; import the file again.",
                parsed.filename,
            )
        ]
        result.outcomes = {}
    except _DryRun:
        pass
    return result


def _name_errors(parsed: ParsedFile) -> list[RowError]:
    """The ambiguous names of a file that has other errors too (read only, nothing written)."""
    if not parsed.rows:
        return []
    result = ImportResult(filename=parsed.filename, rows=len(parsed.rows), dry_run=True)
    importer = _Importer(parsed, result, None, None, None)
    importer.resolve_names()
    return importer.errors


def _chunks[T](items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _key(name: str) -> str:
    return name.casefold()


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _lowered_spellings(names: Iterable[str]) -> list[str]:
    """What the database's fold (see ``_Importer.resolve``) may give for these names: SQL
    ``LOWER()`` on PostgreSQL (Unicode-aware, ASCII-only under a "C" ctype), the casefold on
    SQLite (the casefolded keys themselves). Looking up all of them finds every name the
    database would call equal."""
    spellings = set()
    for name in names:
        spellings.add(name.lower())
        spellings.add(name.translate(_ASCII_LOWER))
    return sorted(spellings)


@dataclass(eq=False, slots=True)
class _NewMove:
    """A role change this import creates, as the tenure replay reads one.

    The replay (people.tenures) reads these attributes of a RoleChange; a model instance
    per row would cost more than the rest of the import, which writes the rows itself.
    """

    pk: int
    person: Person
    organization: Organization
    post: Post
    previous_post: Post | None
    kind: RoleChangeKind
    effective: PartialDate
    announced: PartialDate | None
    is_public: bool
    lines: list[int]
    is_interim: bool = False
    leaves_organization: bool = False

    @property
    def person_id(self) -> int:
        return self.person.pk

    @property
    def organization_id(self) -> int:
        return self.organization.pk

    @property
    def post_id(self) -> int:
        return self.post.pk

    @property
    def previous_post_id(self) -> int | None:
        return self.previous_post.pk if self.previous_post else None

    @property
    def kind_enum(self) -> RoleChangeKind:
        return self.kind

    def creation_order(self) -> tuple:
        """A total order that does not depend on the file's row order (so neither do the
        primary keys, which break ties in the tenure replay)."""
        return (
            self.effective.earliest,
            self.effective.latest,
            0 if self.kind.opens_tenure else 1,
            _key(self.person.name),
            _key(self.organization.name),
            self.post.title.lower(),
            self.kind.value,
        )


def _move_key(person_id, post_id, kind, effective_date, effective_precision) -> tuple:
    """What makes two records the same move (the database's role_change_unique_fact)."""
    return (person_id, post_id, str(kind), effective_date, str(effective_precision))


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


def _date_order(row: MoveRow) -> tuple:
    """Date order, whatever the file's order (ties by line, for stable messages); a row
    without a date (only ever checked, never imported) goes last."""
    if row.effective is None:
        return (datetime.date.max, datetime.date.max, row.line)
    return (row.effective.earliest, row.effective.latest, row.line)


class _Importer:
    """One run of :func:`moves_import`, inside its transaction."""

    def __init__(
        self,
        parsed: ParsedFile,
        result: ImportResult,
        verified_by: AbstractBaseUser | None,
        recorded_by: AbstractBaseUser | None,
        stream: Stream | None,
    ) -> None:
        self.parsed = parsed
        self.filename = parsed.filename
        self.result = result
        self.verified_by = verified_by
        self.verifying = verified_by is not None
        self.recorded_by_id = recorded_by.pk if recorded_by else None
        self.stream = stream
        self.now = timezone.now()
        self.rows_writer = BulkRows(self.now)
        # Date order, whatever the file's order (ties by line, for stable messages).
        self.rows = sorted(parsed.rows, key=_date_order)
        self.errors: list[RowError] = []
        self.note = (
            f"Imported from {self.filename}, verified by editor {verified_by.get_username()}."
            if verified_by
            else ""
        )

    def refuse(self, line: int, message: str) -> None:
        self.errors.append(RowError(line, message, self.filename))

    def check(self) -> None:
        if self.errors:
            raise _Refused(self.errors)

    def run(self) -> None:
        if self.rows_writer.postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        self.spellings = self.first_spellings()
        people, organizations = self.resolve_names()
        self.check()
        self.people = self.create_missing(Person, people)
        self.organizations = self.create_missing(Organization, organizations)
        self.lock_people()
        self.posts = self.find_or_create_posts()
        # Everything this import reads, it reads now; then it only writes (in the background
        # on PostgreSQL, see BulkRows), building each table's rows while the last one is written.
        self.load_on_record()
        self.replayed = self.people_to_replay()
        self.delete_old_tenures()
        writer = self.rows_writer
        writer.reserve(
            {
                RoleChange: len(self.rows),
                Source: len({row.canonical_url for row in self.rows} - set(self.sources)),
                Statement: sum(1 for row in self.rows if row.quote),
                Citation: len(self.rows),
                CitationDecision: len(self.rows),
                Tenure: 2 * (len(self.rows) + len(self.on_record)),
            }
        )
        if writer.postgresql:
            # Foreign keys checked as each table is written, in parallel with the next one's
            # rows being built, rather than all at once at commit.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        try:
            moves_by_line = self.find_or_create_moves()
            self.find_or_create_citations(moves_by_line)
            self.publish()
            self.replay()
        finally:
            writer.close()
        if writer.postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django declares them
        self.check()

    # Names --------------------------------------------------------------------------------

    def resolve_names(self) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        """Every person's and organization's name resolved; ambiguous ones refused."""
        people = self.resolve(
            Person,
            PersonName,
            "person",
            [row.person for row in self.rows if row.person_ref is None and row.person]
            + [row.speaker for row in self.rows if row.speaker],
            noun="people",
        )
        organizations = self.resolve(
            Organization,
            OrganizationName,
            "organization",
            [
                row.organization
                for row in self.rows
                if row.organization_ref is None and row.organization
            ],
            noun="organizations",
        )
        return people, organizations

    def first_spellings(self) -> dict[str, str]:
        """How a new name is written when the file spells it several ways (any case): the
        most frequent spelling, then one in mixed case ("Łukasz Kaiser" over "ŁUKASZ
        KAISER"); never the row order, so the same file in any order creates the same names.
        """
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for row in self.rows:
            for name in (row.person, row.speaker, row.organization):
                if name:
                    counts[_key(name)][name] += 1

        def preference(item: tuple[str, int]) -> tuple:
            name, count = item
            return (-count, name.isupper() or name.islower(), name)

        return {key: min(spellings.items(), key=preference)[0] for key, spellings in counts.items()}

    def resolve(
        self,
        model: type[models.Model],
        name_model: type[models.Model],
        fk: str,
        names: list[str],
        *,
        noun: str,
    ) -> dict[str, list[int]]:
        """Map each distinct name (casefolded) to the ids it matches; an empty list: new.

        As on the desk's forms, a name is matched exactly, ignoring case, against display
        names and other names in any script; a display name wins over other names, and a
        name that matches several rows is ambiguous and refused on every line that uses it.
        """
        keys = {_key(name) for name in names}
        # LOWER() on PostgreSQL, whose name indexes are built on it; SQLite's LOWER() folds
        # ASCII letters only ("ИВАН" stays "ИВАН"), so there the names are casefolded.
        fold = Folded if connection.vendor == "sqlite" else Lower
        by_display: dict[str, set[int]] = defaultdict(set)
        by_other: dict[str, set[int]] = defaultdict(set)
        for chunk in _chunks(_lowered_spellings(keys | set(names))):
            for pk, name in (
                model._default_manager.annotate(lowered=fold("name"))
                .filter(lowered__in=chunk)
                .values_list("pk", "name")
            ):
                if _key(name) in keys:
                    by_display[_key(name)].add(pk)
            for pk, name in (
                name_model._default_manager.annotate(lowered=fold("name"))
                .filter(lowered__in=chunk)
                .values_list(f"{fk}_id", "name")
            ):
                if _key(name) in keys:
                    by_other[_key(name)].add(pk)
        resolved = {key: sorted(by_display.get(key) or by_other.get(key) or ()) for key in keys}
        ambiguous = {key for key, ids in resolved.items() if len(ids) > 1}
        if ambiguous:
            self.report_ambiguous(model, fk, ambiguous, resolved, noun)
        return resolved

    def report_ambiguous(self, model, fk, ambiguous, resolved, noun) -> None:
        ids = {pk for key in ambiguous for pk in resolved[key]}
        names = dict(model._default_manager.filter(pk__in=ids).values_list("pk", "name"))
        columns = ("person", "speaker") if fk == "person" else ("organization",)
        for row in self.rows:
            for column in columns:
                value = getattr(row, column)
                if value and _key(value) in ambiguous:
                    listed = ", ".join(names[pk] for pk in resolved[_key(value)])
                    self.refuse(
                        row.line,
                        f"{column}: “{value}” could be any of several {noun} ({listed}); "
                        "write the display name of the one you mean.",
                    )

    def create_missing(self, model, resolved: dict[str, list[int]]) -> dict[str, models.Model]:
        """Create a row for each name that matched nothing; return every name's row."""
        missing = sorted(key for key, ids in resolved.items() if not ids)
        names = [self.spellings[key] for key in missing]
        slugs = unique_slugs(model, names)
        ids = self.rows_writer.ids(model, len(missing))
        rows: list[dict[str, object]] = []
        instances: dict[str, models.Model] = {}
        for key, pk, name, slug in zip(missing, ids, names, slugs, strict=True):
            row = {"id": pk, "name": name, "slug": slug}
            if model is Person:
                row["sort_name"] = default_sort_name(name)
            rows.append(row)
            instances[key] = model(id=pk, name=name, slug=slug)
        self.rows_writer.insert(model, rows)
        existing_ids = sorted({ids[0] for ids in resolved.values() if ids})
        loaded = {}
        for chunk in _chunks(existing_ids):
            for instance in model._default_manager.filter(pk__in=chunk).only("pk", "name"):
                loaded[instance.pk] = instance
        for key, matched in resolved.items():
            if matched:
                instances[key] = loaded[matched[0]]
        if model is Person:
            self.result.people_created = len(missing)
        else:
            self.result.organizations_created = len(missing)
        return instances

    def person(self, name: str) -> Person:
        return self.people[_key(name)]

    def person_of(self, row: MoveRow) -> Person:
        return row.person_ref or self.people[_key(row.person)]

    def organization_of(self, row: MoveRow) -> Organization:
        return row.organization_ref or self.organizations[_key(row.organization)]

    def lock_people(self) -> None:
        """Row locks on everyone whose tenures this import rebuilds, as the desk's services
        take one, so a move recorded on the desk meanwhile waits instead of interleaving."""
        if not self.rows_writer.postgresql:
            return  # SQLite: the transaction already holds the database's write lock
        ids = sorted({self.person_of(row).pk for row in self.rows})
        for chunk in _chunks(ids):
            list(
                Person.objects.select_for_update()
                .filter(pk__in=chunk)
                .order_by("pk")
                .values_list("pk", flat=True)
            )

    # Posts and moves ----------------------------------------------------------------------

    def find_or_create_posts(self) -> dict[tuple[int, str], Post]:
        wanted: dict[tuple[int, str], str] = {}
        for row in self.rows:
            organization_id = self.organization_of(row).pk
            for title in (row.title, row.previous_title):
                if title:
                    key = (organization_id, title.lower())
                    wanted[key] = min(wanted.get(key, title), title)
        organization_ids = {organization_id for organization_id, _ in wanted}
        posts = self.load_posts(organization_ids)
        new_posts = []
        for key in sorted(key for key in wanted if key not in posts):
            title = wanted[key]
            rank = Rank.guess(title)  # as post_get_or_create guesses it
            new_posts.append(
                Post(
                    organization_id=key[0],
                    title=title,
                    rank=rank,
                    is_leadership=rank != Rank.OTHER,
                )
            )
        if new_posts:
            # ignore_conflicts: a journalist may create the same post at this very moment.
            Post.objects.bulk_create(new_posts, batch_size=BATCH, ignore_conflicts=True)
            posts = self.load_posts(organization_ids)
            self.result.posts_created = len(new_posts)
        return posts

    def load_posts(self, organization_ids: set[int]) -> dict[tuple[int, str], Post]:
        posts: dict[tuple[int, str], Post] = {}
        for chunk in _chunks(sorted(organization_ids)):
            for post in Post.objects.filter(organization_id__in=chunk).order_by("pk"):
                posts.setdefault((post.organization_id, post.title.lower()), post)
        return posts

    def post(self, row: MoveRow, title: str) -> Post:
        return self.posts[(self.organization_of(row).pk, title.lower())]

    def load_on_record(self) -> None:
        """What is already recorded: every move of the people in the file (their tenures are
        replayed), the sources it names, and their quotes and citations."""
        person_ids = sorted({self.person_of(row).pk for row in self.rows})
        self.changes_by_person: dict[int, list[RoleChange | _NewMove]] = defaultdict(list)
        self.on_record: dict[tuple, RoleChange] = {}
        for chunk in _chunks(person_ids):
            for change in (
                RoleChange.objects.filter(person_id__in=chunk)
                .select_related("person", "organization", "post", "previous_post")
                .order_by("pk")
            ):
                self.changes_by_person[change.person_id].append(change)
                key = _move_key(
                    change.person_id,
                    change.post_id,
                    change.kind,
                    change.effective_date,
                    change.effective_precision,
                )
                self.on_record[key] = change
        self.sources = self.load_sources({row.canonical_url for row in self.rows} - {""})
        self.statements: dict[tuple, int] = {}
        for chunk in _chunks(sorted(self.sources.values())):
            for pk, source_id, quote, speaker_id in (
                Statement.objects.filter(source_id__in=chunk)
                .order_by("pk")
                .values_list("pk", "source_id", "quote", "speaker_id")
            ):
                self.statements.setdefault((source_id, quote, speaker_id), pk)
        self.citations_on_record: dict[tuple, tuple[int, str]] = {}
        for chunk in _chunks(sorted(change.pk for change in self.on_record.values())):
            for pk, role_change_id, source_id, statement_id, state in Citation.objects.filter(
                role_change_id__in=chunk
            ).values_list("pk", "role_change_id", "source_id", "statement_id", "state"):
                self.citations_on_record[(role_change_id, source_id, statement_id)] = (pk, state)

    def people_to_replay(self) -> set[int]:
        """Whose tenures this import can change: everyone with a move new to the database,
        and, with an editor's name, everyone with a move on record that is not public yet
        (verifying its citation makes it public, which changes the public tenures). The
        tenures of everyone else are left as they are: a new citation for a move on record
        changes none of them, so importing a file again rewrites nothing.
        """
        people: set[int] = set()
        for row in self.rows:
            person_id = self.person_of(row).pk
            if person_id in people:
                continue
            key = _move_key(
                person_id,
                self.post(row, row.title).pk,
                row.kind,
                row.effective.earliest,
                row.effective.precision,
            )
            move = self.on_record.get(key)
            if move is None or (self.verifying and not move.is_public):
                people.add(person_id)
        return people

    def delete_old_tenures(self) -> None:
        """The tenures of everyone replayed are rebuilt whole by :meth:`replay`."""
        for chunk in _chunks(sorted(set(self.changes_by_person) & self.replayed)):
            Tenure.objects.filter(person_id__in=chunk).delete()

    def find_or_create_moves(self) -> dict[int, RoleChange | _NewMove]:
        """The role change of every line: found on record, or new (inserted here)."""
        on_record = self.on_record
        self.lines_on_record: dict[int, list[int]] = defaultdict(list)
        new: dict[tuple, _NewMove] = {}
        moves_by_line: dict[int, RoleChange | _NewMove] = {}
        outcomes = self.result.outcomes
        for row in self.rows:
            person = self.person_of(row)
            post = self.post(row, row.title)
            key = _move_key(
                person.pk, post.pk, row.kind, row.effective.earliest, row.effective.precision
            )
            if key in on_record:
                move = on_record[key]
                self.lines_on_record[move.pk].append(row.line)
                outcomes[row.line] = OUTCOME_NOTHING
            elif key in new:
                move = new[key]
                outcomes[row.line] = f"same move as line {move.lines[0]}"
                move.lines.append(row.line)
                move.is_public = move.is_public or (self.verifying and bool(row.canonical_url))
                move.leaves_organization = move.leaves_organization or row.leaves_organization
                if row.previous_title and move.previous_post is None:
                    move.previous_post = self.post(row, row.previous_title)
            else:
                move = new[key] = _NewMove(
                    pk=0,
                    person=person,
                    organization=self.organization_of(row),
                    post=post,
                    previous_post=self.post(row, row.previous_title)
                    if row.previous_title
                    else None,
                    kind=row.kind,
                    effective=row.effective,
                    announced=row.announced,
                    # A new move's citations are all this file's: verified exactly when an
                    # editor vouches for the file (rule 3); a move without any is not public.
                    is_public=self.verifying and bool(row.canonical_url),
                    lines=[row.line],
                    leaves_organization=row.leaves_organization,
                )
                outcomes[row.line] = OUTCOME_NEW
            moves_by_line[row.line] = move
        created = sorted(new.values(), key=_NewMove.creation_order)
        for move, pk in zip(created, self.rows_writer.ids(RoleChange, len(created)), strict=True):
            move.pk = pk
            self.changes_by_person[move.person_id].append(move)
        self.rows_writer.insert(
            RoleChange,
            [
                {
                    "id": move.pk,
                    "person_id": move.person_id,
                    "organization_id": move.organization_id,
                    "post_id": move.post_id,
                    "previous_post_id": move.previous_post_id,
                    "kind": move.kind.value,
                    **partial_date_columns("effective", move.effective),
                    **partial_date_columns("announced", move.announced),
                    "is_public": move.is_public,
                    "leaves_organization": move.leaves_organization,
                    "recorded_by_id": self.recorded_by_id,
                }
                for move in created
            ],
            background=True,
        )
        self.new_move_ids = {move.pk for move in created}
        self.result.moves_created = len(created)
        self.result.moves_on_record = len(self.lines_on_record)
        return moves_by_line

    # Sources, quotes, citations -----------------------------------------------------------

    def find_or_create_citations(self, moves_by_line: dict[int, RoleChange | _NewMove]) -> None:
        """Every line's citation: new ones created with their history, pending or verified.

        With an editor's name, a pending citation on record that the file names again is
        verified too (with its history entry); disputed and rejected ones are left alone.
        """
        sources = self.find_or_create_sources()
        statements = self.find_or_create_statements(sources)
        on_record = self.citations_on_record
        state = CitationState.VERIFIED if self.verifying else CitationState.PENDING
        new: dict[tuple, int] = {}  # citation key -> first line
        to_verify: dict[int, int] = {}  # pending citation on record -> its role change
        for row in self.rows:
            if not row.canonical_url:
                continue  # a move with no source (only other importers make those)
            move = moves_by_line[row.line]
            source_id = sources[row.canonical_url]
            statement_id = statements[self.statement_key(row, source_id)] if row.quote else None
            key = (move.pk, source_id, statement_id)
            if key in on_record:
                pk, current = on_record[key]
                if self.verifying and current == CitationState.PENDING:
                    to_verify[pk] = move.pk
                continue
            if move.pk not in self.new_move_ids:
                self.result.outcomes[row.line] = OUTCOME_NEW_CITATION
            new.setdefault(key, row.line)
        ids = self.rows_writer.ids(Citation, len(new))
        citations, decisions = [], []
        for pk, ((role_change_id, source_id, statement_id), line) in zip(
            ids, new.items(), strict=True
        ):
            citations.append(
                {
                    "id": pk,
                    "role_change_id": role_change_id,
                    "source_id": source_id,
                    "statement_id": statement_id,
                    "state": state.value,
                    "decided_by_id": self.verified_by.pk if self.verifying else None,
                    "decided_at": self.now if self.verifying else None,
                    "decision_note": self.note,
                    "created_by_id": self.recorded_by_id,
                }
            )
            # One history entry: recorded pending, or recorded verified by the editor who
            # vouches for the file (it never was pending).
            decisions.append(self.decision(pk, "", state, line))
        self.rows_writer.insert(Citation, citations, background=True)
        if to_verify:
            self.rows_writer.flush()
        for chunk in _chunks(sorted(to_verify)):
            Citation.objects.filter(pk__in=chunk, state=CitationState.PENDING).update(
                state=CitationState.VERIFIED,
                decided_by=self.verified_by,
                decided_at=self.now,
                decision_note=self.note,
            )
        decisions += [
            self.decision(pk, CitationState.PENDING, CitationState.VERIFIED, None)
            for pk in sorted(to_verify)
        ]
        decision_ids = self.rows_writer.ids(CitationDecision, len(decisions))
        for decision, pk in zip(decisions, decision_ids, strict=True):
            decision["id"] = pk
        self.rows_writer.insert(CitationDecision, decisions, background=True)
        self.result.citations_created = len(new)
        self.result.citations_verified = (len(new) if self.verifying else 0) + len(to_verify)
        self.verified_move_ids = (
            {role_change_id for role_change_id, _, _ in new} | set(to_verify.values())
            if self.verifying
            else set()
        )

    def decision(self, citation_id: int, from_state: str, to_state: str, line: int | None):
        verifies = to_state == CitationState.VERIFIED
        where = f"Imported from {self.filename}" + (f" (line {line})" if line else "")
        return {
            "citation_id": citation_id,
            "actor_id": self.verified_by.pk if verifies else self.recorded_by_id,
            "at": self.now,
            "from_state": str(from_state),
            "to_state": str(to_state),
            "note": f"{where}, verified by editor {self.verified_by.get_username()}."
            if verifies
            else f"{where}; waiting for an editor's check.",
        }

    def find_or_create_sources(self) -> dict[str, int]:
        entered: dict[str, str] = {}
        for row in self.rows:
            if row.canonical_url:
                entered.setdefault(row.canonical_url, row.source_url)
        sources = dict(self.sources)
        missing = sorted(url for url in entered if url not in sources)
        ids = self.rows_writer.ids(Source, len(missing))
        self.rows_writer.insert(
            Source,
            [
                {
                    "id": pk,
                    "canonical_url": url,
                    "url_as_entered": entered[url][:2000],
                    "created_by_id": self.recorded_by_id,
                }
                for pk, url in zip(ids, missing, strict=True)
            ],
            background=True,
        )
        sources.update(zip(missing, ids, strict=True))
        self.result.sources_created = len(missing)
        return sources

    def load_sources(self, urls: Iterable[str]) -> dict[str, int]:
        sources = {}
        for chunk in _chunks(sorted(urls)):
            sources.update(
                Source.objects.filter(canonical_url__in=chunk).values_list("canonical_url", "pk")
            )
        return sources

    def statement_key(self, row: MoveRow, source_id: int) -> tuple[int, str, int | None]:
        speaker = self.person(row.speaker).pk if row.speaker else None
        return (source_id, row.quote, speaker)

    def find_or_create_statements(self, sources: dict[str, int]) -> dict[tuple, int]:
        """Quotes by (source, exact words, speaker), as statement_get_or_create finds them."""
        wanted = {
            self.statement_key(row, sources[row.canonical_url]) for row in self.rows if row.quote
        }
        statements = dict(self.statements)
        missing = sorted(
            (key for key in wanted if key not in statements),
            key=lambda key: (key[0], key[1], key[2] or 0),
        )
        ids = self.rows_writer.ids(Statement, len(missing))
        self.rows_writer.insert(
            Statement,
            [
                {
                    "id": pk,
                    "source_id": source_id,
                    "quote": quote,
                    "speaker_id": speaker_id,
                    "created_by_id": self.recorded_by_id,
                }
                for pk, (source_id, quote, speaker_id) in zip(ids, missing, strict=True)
            ],
            background=True,
        )
        statements.update(zip(missing, ids, strict=True))
        self.result.statements_created = len(missing)
        return statements

    def publish(self) -> None:
        """Rule 3 for moves on record: one that gains a verified citation becomes public.

        (New moves were created public exactly when their citations are verified; an import
        only ever adds verified citations, so nothing here becomes private.)
        """
        newly_public = []
        for pk in self.verified_move_ids - self.new_move_ids:
            change = self.on_record_by_pk(pk)
            if not change.is_public:
                change.is_public = True
                newly_public.append(pk)
        if newly_public:
            self.rows_writer.flush()
        for chunk in _chunks(sorted(newly_public)):
            RoleChange.objects.filter(pk__in=chunk).update(is_public=True, updated_at=self.now)
        self.result.moves_made_public = len(newly_public)

    def on_record_by_pk(self, pk: int) -> RoleChange:
        if not hasattr(self, "_on_record_by_pk"):
            self._on_record_by_pk = {
                change.pk: change
                for changes in self.changes_by_person.values()
                for change in changes
                if isinstance(change, RoleChange)
            }
        return self._on_record_by_pk[pk]

    # Tenures ------------------------------------------------------------------------------

    def replay(self) -> None:
        """Rebuild both scopes' tenures of everyone touched; conflicts refuse their lines."""
        people = sorted(person for person in self.changes_by_person if person in self.replayed)
        rows: list[dict[str, object]] = []
        iterable: Iterable[int] = people
        if self.stream is not None:
            iterable = progress(people, total=len(people), stream=self.stream, label="Tenures")
        for person_id in iterable:
            by_organization: dict[int, list[RoleChange | _NewMove]] = defaultdict(list)
            for change in self.changes_by_person[person_id]:
                by_organization[change.organization_id].append(change)
            for organization_id, changes in by_organization.items():
                try:
                    drafts = tenure_drafts(changes)
                except TenureConflict as conflict:
                    for line in self.conflict_lines(conflict.role_change, changes):
                        self.refuse(line, conflict.message)
                    continue
                for scope, scope_drafts in drafts.items():
                    rows += [
                        draft.columns(
                            scope=scope, person_id=person_id, organization_id=organization_id
                        )
                        for draft in scope_drafts
                    ]
        self.check()
        for row, pk in zip(rows, self.rows_writer.ids(Tenure, len(rows)), strict=True):
            row["id"] = pk
        self.rows_writer.insert(Tenure, rows, background=True)

    def lines_of(self, change: RoleChange | _NewMove) -> list[int]:
        if isinstance(change, _NewMove):
            return change.lines
        return self.lines_on_record.get(change.pk, [])

    def conflict_lines(self, refused, changes: list) -> list[int]:
        """The lines to blame: the refused change's own, else this file's changes of the post."""
        if lines := self.lines_of(refused):
            return sorted(set(lines))
        posts = {refused.post_id, refused.previous_post_id} - {None}
        lines = [
            line
            for change in changes
            if change.post_id in posts or change.previous_post_id in posts
            for line in self.lines_of(change)
        ]
        if not lines:
            lines = [line for change in changes for line in self.lines_of(change)]
        return sorted(set(lines))
