"""Popolo import: a document's persons, organizations and posts found on the desk or
created, its memberships as moves through the CSV import's writer (exchange/documents.py):
the same checks, and all or nothing."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from exchange.documents import DocumentImport, DocumentResult
from exchange.identities import ORGANIZATIONS, PEOPLE, identities_create, identities_resolve
from exchange.popolo import entities
from exchange.popolo.memberships import (
    Context,
    memberships_read,
    memberships_rows,
    spans_join,
)
from newsroom.dates import PartialDate
from newsroom.models import AuditAction
from newsroom.progress import Stream
from people.checks import similar_organizations, similar_people
from stories.canonical import canonical_url

DEFAULT_ID_SCHEME = "popolo"


def popolo_import(
    *,
    data: bytes | str,
    filename: str,
    verified_by: AbstractBaseUser | None = None,
    recorded_by: AbstractBaseUser | None = None,
    dry_run: bool = False,
    stream: Stream | None = None,
    id_scheme: str = DEFAULT_ID_SCHEME,
    source_url: str = "",
    held_on: PartialDate | None = None,
) -> DocumentResult:
    """Import a Popolo document, all or nothing, with the checks of the CSV import.

    Persons and organizations are found on the desk by the document's ids (kept under
    ``id_scheme``), their identifiers and QIDs, or their names, else created
    (exchange/identities.py); each membership's dates become role changes
    (exchange/popolo/memberships.py), with their sources as citations: verified by
    ``verified_by`` (an editor, see exchange.imports.import_verifier), else pending.
    ``source_url`` (the address the document was published at) cites every membership
    that names no source of its own; ``held_on`` (the date the document describes) puts
    each undated membership on record on that date, instead of skipping it. The result
    lists what each entry became and every membership skipped, with its reason.
    """
    importer = PopoloImport(filename, id_scheme=id_scheme, source_url=source_url, held_on=held_on)
    return importer.run(
        data=data,
        verified_by=verified_by,
        recorded_by=recorded_by,
        dry_run=dry_run,
        stream=stream,
    )


class PopoloImport(DocumentImport):
    audit_action = AuditAction.POPOLO_IMPORTED

    def __init__(
        self, filename: str, *, id_scheme: str, source_url: str, held_on: PartialDate | None
    ) -> None:
        super().__init__(filename)
        self.id_scheme = id_scheme
        self.held_on = held_on
        # Checked by the command (and by the tests' callers) before it gets here.
        self.default_sources = [(source_url, canonical_url(source_url))] if source_url else []

    def read(self, document) -> None:
        reader = self.reader
        for kind in (_("people"), _("organizations"), _("posts"), _("memberships")):
            reader.counts[kind] = Counter()
        reader.count(_("memberships"), _("imported"), 0)
        if not isinstance(document, dict):
            reader.refuse("$", _("a Popolo document is a JSON object."))
            return
        people = entities.persons(document, reader)
        organizations = entities.organizations(document, reader)
        posts = entities.posts(document, reader, organizations)
        context = Context(reader, people, organizations, posts, self.default_sources, self.held_on)
        spans = memberships_read(context, entities.listed(document, reader, "memberships"))
        named_people = list(people.by_id.values())
        named_organizations = list(organizations.by_id.values())
        identities_resolve(named_people, PEOPLE, scheme=self.id_scheme, reader=reader)
        identities_resolve(named_organizations, ORGANIZATIONS, scheme=self.id_scheme, reader=reader)
        if reader.errors:
            return
        _warn_possibly_same(named_people, named_organizations, reader)
        self.created["people"] = identities_create(
            named_people, PEOPLE, scheme=self.id_scheme, reader=reader
        )
        self.created["organizations"] = identities_create(
            named_organizations, ORGANIZATIONS, scheme=self.id_scheme, reader=reader
        )
        self.created["posts"] = entities.posts_create(posts, reader)
        spans_join(spans)
        memberships_rows(spans, reader)


def _warn_possibly_same(named_people, named_organizations, reader) -> None:
    """Entries the desk does not have, close to one it has (people/checks.py): created, with
    a warning naming what they may be. One query per new name."""
    for named, find, noun in (
        (named_people, similar_people, _("person")),
        (named_organizations, similar_organizations, _("organization")),
    ):
        for entry in named:
            if entry.record is not None:
                continue
            candidates = find(entry.name)
            if candidates:
                reader.warn(
                    entry.path,
                    _("new %(noun)s “%(name)s”: possibly the same as %(names)s on the desk.")
                    % {
                        "noun": noun,
                        "name": entry.name,
                        "names": ", ".join(candidate.name for candidate in candidates),
                    },
                )
