"""What the JSON imports (Popolo, Wikidata) share.

Reading the file (UTF-8 JSON, nested at most :data:`MAX_DEPTH` levels: a deeper document is
refused with a message, never a ``RecursionError``); a :class:`DocumentReader` that collects
every problem with the path where it is (``popolo.json:memberships[3].start_date: …``),
every skip with its reason, and what maps to what; and :class:`DocumentImport`, the one
transaction that creates what the document names and hands its moves to the CSV import's
writer (exchange/imports.py): the same checks, all or nothing, rule 3 as there.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from exchange.csv_format import MoveRow, ParsedFile, RowError
from exchange.imports import ADVISORY_LOCK_KEY, ImportResult, moves_import
from newsroom.audit import audit_record
from newsroom.dates import InvalidPartialDate, PartialDate
from newsroom.models import AuditAction
from newsroom.progress import Stream
from stories.canonical import InvalidSourceURL, canonical_url

# Popolo documents nest about six levels, Wikidata entity files about twelve.
MAX_DEPTH = 64
TEXT_MAX_LENGTH = 200


class Invalid(Exception):
    """Raised to roll the document's transaction back (errors, or a dry run)."""


@dataclass
class DocumentResult(ImportResult):
    """An import's result, with what a document import adds: what each entry of the
    document became (``mapped``), what was left out and why (``skipped``), and counts per
    kind of entry (``counts``: ``{"persons": {"new": 2, "on the desk": 1}}``)."""

    mapped: list[str] = field(default_factory=list)
    skipped: list[RowError] = field(default_factory=list)
    counts: dict[str, Counter] = field(default_factory=dict)
    # Checks at entry (people/checks.py): imported anyway, printed as warnings.
    warnings: list[RowError] = field(default_factory=list)

    def counts_summary(self) -> str:
        """``persons: 3 (2 new, 1 on the desk); memberships: 5 (4 imported, 1 skipped)``."""
        parts = []
        for kind, counter in self.counts.items():
            total = sum(counter.values())
            if not total:
                continue
            detail = ", ".join(f"{number:,} {what}" for what, number in counter.items() if number)
            parts.append(f"{kind}: {total:,}" + (f" ({detail})" if detail else ""))
        return "; ".join(parts)


def json_load(data: bytes | str, filename: str) -> tuple[Any, list[RowError]]:
    """The document, or the reason it cannot be read (with its line where JSON says)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as invalid:
            line = data[: invalid.start].count(b"\n") + 1
            return None, [RowError(line, _("the file is not UTF-8 text."), filename)]
    try:
        document = json.loads(data)
    except json.JSONDecodeError as invalid:
        message = _("not valid JSON: %(reason)s (column %(column)s).") % {
            "reason": invalid.msg,
            "column": invalid.colno,
        }
        return None, [RowError(invalid.lineno, message, filename)]
    except RecursionError:
        return None, [RowError(1, _too_deep(), filename)]
    if _depth_exceeds(document, MAX_DEPTH):
        return None, [RowError(1, _too_deep(), filename)]
    return document, []


def _too_deep() -> str:
    return _(
        "the document is nested more than %(depth)s levels deep, which no Popolo or "
        "Wikidata document is; nothing was read."
    ) % {"depth": MAX_DEPTH}


def _depth_exceeds(document: Any, limit: int) -> bool:
    """Whether lists and objects nest deeper than ``limit`` (iteratively: no recursion)."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class DocumentReader:
    """Reads a document's values, collecting every problem where it is (``errors``), every
    entry left out with its reason (``skipped``), what maps to what (``mapped``), and the
    moves found (``rows``, each remembering its path)."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.errors: list[RowError] = []
        self.skipped: list[RowError] = []
        self.warnings: list[RowError] = []
        self.mapped: list[str] = []
        self.counts: dict[str, Counter] = {}
        self.rows: list[MoveRow] = []
        self.where: dict[int, str] = {}

    def refuse(self, where: str, message: str) -> None:
        self.errors.append(RowError(0, message, self.filename, where=where))

    def skip(self, where: str, message: str) -> None:
        self.skipped.append(RowError(0, message, self.filename, where=where))

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(RowError(0, f"warning: {message}", self.filename, where=where))

    def map(self, where: str, message: str) -> None:
        self.mapped.append(f"{where}: {message}")

    def count(self, kind: str, what: str, number: int = 1) -> None:
        self.counts.setdefault(kind, Counter())[what] += number

    def add_move(self, where: str, *, person, organization, sources, **move: Any) -> None:
        """A move for the CSV import's writer, one row per source (one row without a
        source when it has none), remembered as coming from ``where``."""
        for url, canonical in sources or [("", "")]:
            line = len(self.rows) + 1
            self.where[line] = where
            self.rows.append(
                MoveRow(
                    line=line,
                    cells={},
                    person=person.name,
                    organization=organization.name,
                    person_ref=person,
                    organization_ref=organization,
                    source_url=url,
                    canonical_url=canonical,
                    **move,
                )
            )

    # Values ------------------------------------------------------------------------------

    def items(self, document: dict, key: str, where: str = "") -> list[tuple[str, dict]]:
        """The objects of the list ``document[key]``, each with its path."""
        path = f"{where}.{key}" if where else key
        value = document.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.refuse(path, _("must be a list."))
            return []
        found = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                found.append((f"{path}[{index}]", item))
            else:
                self.refuse(f"{path}[{index}]", _("must be an object."))
        return found

    def text(
        self, item: dict, where: str, key: str, *, required: bool = True, limit=TEXT_MAX_LENGTH
    ) -> str:
        """Text with its spaces collapsed; a number is read as its digits (ids often are)."""
        value = item.get(key)
        if value is None:
            value = ""
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.refuse(f"{where}.{key}", _("must be text."))
            return ""
        value = " ".join(value.replace("\x00", " ").split())
        if required and not value:
            self.refuse(f"{where}.{key}", _("is missing or empty."))
        elif len(value) > limit:
            self.refuse(
                f"{where}.{key}",
                _("is %(length)s characters long; at most %(limit)s fit.")
                % {"length": len(value), "limit": limit},
            )
            return ""
        return value

    def date(self, item: dict, where: str, key: str) -> PartialDate | None:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` at its precision; a date with a time of
        day (``2015-05-26T00:00:00Z``, which Popolo allows) is read as its day."""
        value = item.get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            self.refuse(f"{where}.{key}", _("must be a date written as text."))
            return None
        day, separator, time = value.strip().partition("T")
        if separator and len(day) == 10 and time:
            value = day
        try:
            return PartialDate.parse(value)
        except InvalidPartialDate as invalid:
            self.refuse(f"{where}.{key}", str(invalid))
            return None

    def urls(self, item: dict, where: str, key: str = "sources") -> list[tuple[str, str]]:
        """The URLs listed under ``key`` (strings, or objects with a ``url``), each with its
        canonical form (rule 7); a URL that is not one is refused where it is."""
        value = item.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            self.refuse(f"{where}.{key}", _("must be a list of URLs."))
            return []
        found = []
        for index, url in enumerate(value):
            if isinstance(url, dict):
                url = url.get("url")
            if not isinstance(url, str):
                self.refuse(f"{where}.{key}[{index}]", _("must be a URL."))
                continue
            try:
                found.append((url, canonical_url(url)))
            except InvalidSourceURL as invalid:
                self.refuse(f"{where}.{key}[{index}]", invalid.message)
        return found


class DocumentImport:
    """One import of a JSON document, all or nothing.

    A subclass reads the document in :meth:`read`: it creates (in this transaction) the
    people, organizations and posts the document names, and adds a move per role change and
    source with :meth:`DocumentReader.add_row`. Then the CSV import's writer records the
    moves, their sources as citations (verified by ``verified_by``, else pending) and the
    tenures; any error, from either, rolls everything back and is reported where it is.
    """

    audit_action: AuditAction

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.reader = self.make_reader()
        # What :meth:`read` created: "people", "organizations", "posts".
        self.created: Counter = Counter()

    def make_reader(self) -> DocumentReader:
        return DocumentReader(self.filename)

    def read(self, document: Any) -> None:
        raise NotImplementedError

    def run(
        self,
        *,
        data: bytes | str,
        verified_by: AbstractBaseUser | None = None,
        recorded_by: AbstractBaseUser | None = None,
        dry_run: bool = False,
        stream: Stream | None = None,
    ) -> DocumentResult:
        result = DocumentResult(filename=self.filename, rows=0, dry_run=dry_run)
        document, result.errors = json_load(data, self.filename)
        if result.errors:
            return result
        reader = self.reader
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    # The moves import's lock, before this document creates anyone: two
                    # imports naming the same new person wait for each other instead of both
                    # creating them (or deadlocking on the slug).
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
                self.read(document)
                if reader.errors:
                    raise Invalid
                self.write(result, verified_by, recorded_by, stream)
                result.people_created += self.created["people"]
                result.organizations_created += self.created["organizations"]
                result.posts_created += self.created["posts"]
                if not reader.rows:
                    # No moves, so the moves import (which records the entry) did not run.
                    audit_record(
                        action=self.audit_action,
                        actor=recorded_by,
                        detail=f"{self.filename}: {result.summary()}",
                    )
                if dry_run:
                    raise Invalid
        except Invalid:
            result.errors = reader.errors
        except IntegrityError:
            # Only a write racing this import (the same new person or source saved on the
            # desk at this very moment) gets here; the transaction is rolled back whole.
            result.errors = [
                RowError(
                    1,
                    _(
                        "someone saved the same data while this file was being imported, so "
                        "nothing was imported; import the file again."
                    ),
                    self.filename,
                )
            ]
        result.dry_run = dry_run
        result.mapped, result.skipped, result.counts = reader.mapped, reader.skipped, reader.counts
        result.warnings = reader.warnings
        if result.errors:
            result.outcomes = {}
        return result

    def write(self, result: DocumentResult, verified_by, recorded_by, stream) -> None:
        """The moves through the CSV import's writer; its errors reported where they are."""
        reader = self.reader
        result.rows = len(reader.rows)
        if not reader.rows:
            return
        moves = moves_import(
            parsed=ParsedFile(filename=self.filename, digest="", rows=reader.rows),
            verified_by=verified_by,
            recorded_by=recorded_by,
            stream=stream,
            audit_action=self.audit_action,
        )
        for name in (
            "verified_by",
            "outcomes",
            "posts_created",
            "moves_created",
            "moves_on_record",
            "sources_created",
            "statements_created",
            "citations_created",
            "citations_verified",
            "moves_made_public",
        ):
            setattr(result, name, getattr(moves, name))
        for error in moves.errors:
            reader.refuse(reader.where.get(error.line, "?"), error.message)
        if reader.errors:
            raise Invalid
