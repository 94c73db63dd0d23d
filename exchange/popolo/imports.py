"""Popolo import: a document's memberships as moves, through the CSV import's bulk path
(exchange/imports.py): the same checks, and all or nothing."""

from __future__ import annotations

import json

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction

from exchange.csv_format import MoveRow, ParsedFile, RowError
from exchange.imports import ADVISORY_LOCK_KEY, ImportResult, moves_import
from exchange.popolo import entities
from exchange.popolo.reader import Invalid, Reader
from newsroom.models import AuditAction
from newsroom.progress import Stream
from people.models import RoleChangeKind


def popolo_import(
    *,
    data: bytes | str,
    filename: str,
    verified_by: AbstractBaseUser | None = None,
    recorded_by: AbstractBaseUser | None = None,
    dry_run: bool = False,
    stream: Stream | None = None,
) -> ImportResult:
    """Import a Popolo document, all or nothing, with the checks of the CSV import.

    People, organizations and posts are found by id (slug) or created with it; each
    membership's start and end become role changes (the same change at both ends of a
    promotion is one change), with their sources as citations: verified by
    ``verified_by`` (an editor, see exchange.imports.import_verifier), else pending.
    """
    result = ImportResult(filename=filename, rows=0, dry_run=dry_run)
    reader = Reader(filename)
    try:
        document = json.loads(data)
    except UnicodeDecodeError:
        result.errors = [RowError(1, "the file is not UTF-8 text.", filename)]
        return result
    except json.JSONDecodeError as invalid:
        result.errors = [RowError(invalid.lineno, f"not valid JSON: {invalid.msg}.", filename)]
        return result
    if not isinstance(document, dict):
        result.errors = [RowError(1, "a Popolo document is a JSON object.", filename)]
        return result
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # The moves import's lock, before this document creates anyone: two imports
                # naming the same new person wait for each other instead of both creating
                # them (or deadlocking on the slug, each waiting for the other's lock).
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
            rows, where = _rows(document, reader)
            if reader.errors:
                raise Invalid
            parsed = ParsedFile(filename=filename, digest="", rows=rows)
            result = moves_import(
                parsed=parsed,
                verified_by=verified_by,
                recorded_by=recorded_by,
                stream=stream,
                audit_action=AuditAction.POPOLO_IMPORTED,
            )
            result.dry_run = dry_run
            result.people_created += reader.created["people"]
            result.organizations_created += reader.created["organizations"]
            result.posts_created += reader.created["posts"]
            if result.errors:
                reader.errors = [
                    RowError(0, error.message, filename, where=where.get(error.line, "?"))
                    for error in result.errors
                ]
                raise Invalid
            if dry_run:
                raise Invalid
    except Invalid:
        if reader.errors:
            result.errors = reader.errors
            result.outcomes = {}
    return result


def _rows(document: dict, reader: Reader) -> tuple[list[MoveRow], dict[int, str]]:
    """Create what the document names (people, organizations, posts) and return one moves
    row per role change and source, with where in the document each row comes from."""
    people = entities.people(document, reader)
    organizations = entities.organizations(document, reader)
    posts = entities.posts(document, reader, organizations)
    rows: list[MoveRow] = []
    where: dict[int, str] = {}
    for path, membership in reader.items(document, "memberships"):
        person = people.get(str(membership.get("person_id")))
        organization = organizations.get(str(membership.get("organization_id")))
        post = posts.get(str(membership.get("post_id")))
        for key, found in (
            ("person_id", person),
            ("organization_id", organization),
            ("post_id", post),
        ):
            if found is None:
                reader.refuse(
                    f"{path}.{key}", f"names nothing in this document: {membership.get(key)!r}."
                )
        if person is None or organization is None or post is None:
            continue
        if post.organization_id != organization.pk:
            reader.refuse(f"{path}.post_id", "is a post of another organization.")
            continue
        add = _rows_adder(rows, where, reader, person, organization)
        for end in ("start", "end"):
            _end_row(add, reader, path, membership, end, post, posts)
        _held_rows(add, reader, path, membership, post)
    return rows, where


def _end_row(add, reader: Reader, path: str, membership: dict, end: str, post, posts) -> None:
    """The role change at one end (``start`` or ``end``) of a membership, if it has one."""
    date = reader.date(membership, path, f"{end}_date")
    change = membership.get(end)
    if (date is None) != (change is None):
        reader.refuse(f"{path}.{end}", f"give both {end}_date and {end} (the change), or neither.")
        return
    if date is None:
        return
    if not isinstance(change, dict):
        reader.refuse(f"{path}.{end}", "must be an object.")
        return
    kind = change.get("change")
    if kind not in RoleChangeKind.values:
        reader.refuse(
            f"{path}.{end}.change",
            f"{kind!r} is not a change; use joined, appointed, promoted or left.",
        )
        return
    kind = RoleChangeKind(kind)
    named_post = post
    previous_title = ""
    leaves = False
    if kind == RoleChangeKind.HELD:
        reader.refuse(
            f"{path}.{end}.change",
            f"“held” neither starts nor ends a tenure: list its date under held_on, "
            f"and leave {end}_date and {end} out.",
        )
        return
    if end == "start" and not kind.opens_tenure:
        reader.refuse(f"{path}.start.change", "a tenure cannot start with “left”.")
        return
    if end == "end":
        named_post = posts.get(str(change.get("post_id")))
        if named_post is None or named_post.organization_id != post.organization_id:
            reader.refuse(f"{path}.end.post_id", "names no post of this organization.")
            return
        leaves = bool(change.get("leaves_organization", False))
        if kind.opens_tenure:
            previous_title = post.title
            if leaves:
                reader.refuse(f"{path}.end.leaves_organization", "only a departure leaves.")
                return
        elif named_post.pk != post.pk and not leaves:
            reader.refuse(
                f"{path}.end",
                "a departure from another post ends this one only when it leaves the organization.",
            )
            return
    add(
        change,
        f"{path}.{end}",
        effective=date,
        kind=kind,
        title=named_post.title,
        previous_title=previous_title,
        leaves_organization=leaves,
    )


def _held_rows(add, reader: Reader, path: str, membership: dict, post) -> None:
    """The membership's ``held_on`` records: each date the person is on record in the post."""
    held_on = membership.get("held_on", [])
    if not isinstance(held_on, list):
        reader.refuse(f"{path}.held_on", "must be a list.")
        return
    for index, record in enumerate(held_on):
        record_path = f"{path}.held_on[{index}]"
        if not isinstance(record, dict):
            reader.refuse(record_path, "must be an object.")
            continue
        if "date" not in record:
            reader.refuse(f"{record_path}.date", "missing: the date they held the post.")
            continue
        date = reader.date(record, record_path, "date")
        if date is not None:
            add(record, record_path, effective=date, kind=RoleChangeKind.HELD, title=post.title)


def _rows_adder(rows: list[MoveRow], where: dict[int, str], reader: Reader, person, organization):
    """Appends a membership's role change as import rows: one per source (or one, sourceless)."""

    def add(change: dict, path: str, **move) -> None:
        sources = reader.urls(change, path) or [("", "")]
        for url, canonical in sources:
            line = len(rows) + 1
            where[line] = path
            rows.append(
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

    return add
