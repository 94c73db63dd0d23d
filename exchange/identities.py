"""The people and organizations a document names (a Popolo file, a Wikidata entity file),
found on the desk or created, with their other names and identifiers.

A document names each by an id of its own (kept as an identifier under the import's scheme,
so that importing the same publisher's data again finds the same rows), sometimes by
further identifiers and a Wikidata QID, and by name. On the desk, in this order:

1. whoever already holds the document's id (under the import's scheme), another identifier
   it gives, or its Wikidata QID is that person. The document's id naming someone of
   another name is refused: it is another publisher's id under the same scheme, or a
   renamed person, and nobody decides that behind the editors' backs (rule 9);
2. our own export's ids (``person/<slug>``): the person with that slug, if the names agree;
3. the name, matched as the CSV import matches it (exactly, ignoring case, in any script,
   display names first; a name several people go by is refused); someone on the desk with
   another QID is somebody else;
4. nobody: a new person (or organization), its slug from our export's id or from its name.

What a document adds to someone found on the desk is only ever an addition: other names
they lack, its identifiers, a QID or a founding date where the desk has none. The dry run
lists what each entry became.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from exchange.documents import DocumentReader
from exchange.names import name_key, names_matching
from newsroom.batches import chunks
from newsroom.dates import PartialDate
from newsroom.slugs import unique_slugs
from people.models import (
    Organization,
    OrganizationIdentifier,
    OrganizationKind,
    OrganizationName,
    Person,
    PersonIdentifier,
    PersonName,
)
from people.models.people import default_sort_name

WIKIDATA_SCHEME = "wikidata"


@dataclass(eq=False)
class Named:
    """A person or organization as a document names it, and what it is on the desk."""

    path: str
    name: str
    document_id: str = ""
    identifiers: list[tuple[str, str]] = field(default_factory=list)  # (scheme, identifier)
    wikidata_id: str = ""
    slug: str = ""  # our own export's ids carry the slug
    sort_name: str = ""
    other_names: list[tuple[str, str, str]] = field(default_factory=list)  # name, lang, note
    kind: str = OrganizationKind.COMPANY  # organizations only
    classification: str = ""
    founded: PartialDate | None = None
    record: Any = None  # the Person or Organization, once resolved or created
    how: str = ""  # how it was found: "id", "identifier", "wikidata", "slug", "name", "new"


@dataclass(frozen=True)
class Kind:
    model: type[models.Model]
    name_model: type[models.Model]
    identifier_model: type[models.Model]
    fk: str
    counted_as: str


PEOPLE = Kind(Person, PersonName, PersonIdentifier, "person", gettext_noop("people"))
ORGANIZATIONS = Kind(
    Organization,
    OrganizationName,
    OrganizationIdentifier,
    "organization",
    gettext_noop("organizations"),
)


def identities_resolve(
    named: list[Named], kind: Kind, *, scheme: str, reader: DocumentReader
) -> None:
    """Find each one on the desk (``record`` and ``how`` set) or leave it new; every
    conflict is refused where it is."""
    _refuse_shared_ids(named, reader)
    finder = _Finder(named, kind, scheme)
    taken: dict[int, Named] = {}
    for entry in named:
        found = finder.find(entry, reader)
        if found is None:
            continue
        first = taken.setdefault(found.pk, entry)
        if first is not entry:
            reader.refuse(
                entry.path,
                _(
                    "is %(name)s on the desk, and so is %(other)s: one entry per person or "
                    "organization, please."
                )
                % {"name": found.name, "other": first.path},
            )
            continue
        entry.record = found


def _refuse_shared_ids(named: list[Named], reader: DocumentReader) -> None:
    """An identifier or a QID names one entry of the document: two sharing one would be
    the same person twice, or two people under one id."""
    seen: dict[tuple[str, str], Named] = {}
    for entry in named:
        pairs = set(entry.identifiers)
        if entry.wikidata_id:
            pairs.add((WIKIDATA_SCHEME, entry.wikidata_id))
        for pair in sorted(pairs):
            first = seen.setdefault(pair, entry)
            if first is not entry:
                reader.refuse(
                    entry.path,
                    _(
                        "%(scheme)s %(identifier)s is also the identifier of %(other)s: an "
                        "identifier names one entry."
                    )
                    % {"scheme": pair[0], "identifier": pair[1], "other": first.path},
                )


class _Finder:
    """What the desk knows of the entries' ids, QIDs, slugs and names, read in batches."""

    def __init__(self, named: list[Named], kind: Kind, scheme: str) -> None:
        self.kind, self.scheme = kind, scheme
        model = kind.model
        wanted = {(scheme, entry.document_id) for entry in named if entry.document_id}
        wanted |= {pair for entry in named for pair in entry.identifiers}
        self.holders: dict[tuple[str, str], int] = {}
        by_scheme: dict[str, list[str]] = defaultdict(list)
        for held_scheme, identifier in wanted:
            by_scheme[held_scheme].append(identifier)
        for held_scheme, identifiers in by_scheme.items():
            for chunk in chunks(sorted(identifiers)):
                for identifier, owner in kind.identifier_model.objects.filter(
                    scheme=held_scheme, identifier__in=chunk
                ).values_list("identifier", f"{kind.fk}_id"):
                    self.holders[(held_scheme, identifier)] = owner
        self.by_qid: dict[str, list[int]] = defaultdict(list)
        qids = sorted({entry.wikidata_id for entry in named if entry.wikidata_id})
        for chunk in chunks(qids):
            for qid, pk in model._default_manager.filter(wikidata_id__in=chunk).values_list(
                "wikidata_id", "pk"
            ):
                self.by_qid[qid].append(pk)
        slugs = sorted({entry.slug for entry in named if entry.slug})
        self.by_slug: dict[str, int] = {}
        for chunk in chunks(slugs):
            self.by_slug.update(
                model._default_manager.filter(slug__in=chunk).values_list("slug", "pk")
            )
        self.by_name = names_matching(model, kind.name_model, kind.fk, [e.name for e in named])
        candidates = set(self.holders.values()) | set(self.by_slug.values())
        candidates |= {pk for pks in self.by_qid.values() for pk in pks}
        candidates |= {pk for pks in self.by_name.values() for pk in pks}
        self.records: dict[int, models.Model] = {}
        self.names: dict[int, set[str]] = defaultdict(set)
        for chunk in chunks(sorted(candidates)):
            for record in model._default_manager.filter(pk__in=chunk):
                self.records[record.pk] = record
                self.names[record.pk].add(name_key(record.name))
            for owner, name in kind.name_model.objects.filter(
                **{f"{kind.fk}__in": chunk}
            ).values_list(f"{kind.fk}_id", "name"):
                self.names[owner].add(name_key(name))

    def find(self, entry: Named, reader: DocumentReader) -> models.Model | None:
        strong = self.strong_matches(entry, reader)
        if strong is None:
            return None  # refused
        if len(strong) > 1:
            listed = ", ".join(f"{self.records[pk].name} ({how})" for pk, how in strong.items())
            reader.refuse(
                entry.path,
                _(
                    "its ids name different entries on the desk: %(listed)s. Merge them on the "
                    "desk, or correct the file."
                )
                % {"listed": listed},
            )
            return None
        if strong:
            [(pk, entry.how)] = strong.items()
            return self.records[pk]
        matches = [
            pk
            for pk in self.by_name.get(name_key(entry.name), [])
            if not (entry.wikidata_id and self.records[pk].wikidata_id)
        ]
        if len(matches) > 1:
            listed = ", ".join(self.records[pk].name for pk in matches)
            reader.refuse(
                f"{entry.path}.name",
                _(
                    "“%(name)s” could be any of several on the desk (%(listed)s); give an id "
                    "that tells them apart, or rename one on the desk."
                )
                % {"name": entry.name, "listed": listed},
            )
            return None
        if matches:
            entry.how = "name"
            return self.records[matches[0]]
        entry.how = "new"
        return None

    def strong_matches(self, entry: Named, reader: DocumentReader) -> dict[int, str] | None:
        """Who on the desk holds the entry's ids, QID or slug: pk → how it was found."""
        strong: dict[int, str] = {}
        if entry.document_id and (owner := self.holders.get((self.scheme, entry.document_id))):
            if name_key(entry.name) not in self.names[owner]:
                reader.refuse(
                    f"{entry.path}.id",
                    _(
                        "“%(id)s” already names %(name)s on the desk (imported under the id "
                        "scheme “%(scheme)s”), not %(other)s. If this file comes from another "
                        "publisher, import it with --id-scheme and a name of its own; if it is "
                        "the same entry renamed, rename it on the desk first."
                    )
                    % {
                        "id": entry.document_id,
                        "name": self.records[owner].name,
                        "scheme": self.scheme,
                        "other": entry.name,
                    },
                )
                return None
            strong[owner] = "id"
        for pair in entry.identifiers:
            if owner := self.holders.get(pair):
                strong.setdefault(owner, "identifier")
        if entry.wikidata_id:
            holders = self.by_qid.get(entry.wikidata_id, [])
            if len(holders) > 1:
                listed = ", ".join(self.records[pk].name for pk in holders)
                reader.refuse(
                    entry.path,
                    _(
                        "Wikidata %(qid)s is on several entries of the desk (%(listed)s); merge "
                        "them first."
                    )
                    % {"qid": entry.wikidata_id, "listed": listed},
                )
                return None
            if holders:
                strong.setdefault(holders[0], "wikidata")
        owner = self.by_slug.get(entry.slug) if entry.slug else None
        if owner and name_key(self.records[owner].name) == name_key(entry.name):
            strong.setdefault(owner, "slug")
        for pk in strong:
            record = self.records[pk]
            if entry.wikidata_id and record.wikidata_id not in ("", entry.wikidata_id):
                reader.refuse(
                    entry.path,
                    _("is %(name)s on the desk, whose Wikidata QID is %(desk)s, not %(qid)s.")
                    % {"name": record.name, "desk": record.wikidata_id, "qid": entry.wikidata_id},
                )
                return None
        return strong


def identities_create(
    named: list[Named], kind: Kind, *, scheme: str, reader: DocumentReader
) -> int:
    """Create the new entries; give every entry the other names, identifiers, QID and
    founding date it brings that the desk lacks. Returns how many were created."""
    model = kind.model
    new = [entry for entry in named if entry.record is None]
    slugs = unique_slugs(model, [entry.slug or entry.name for entry in new])
    records = []
    for entry, slug in zip(new, slugs, strict=True):
        record = model(name=entry.name, slug=slug, wikidata_id=entry.wikidata_id)
        if model is Person:
            record.sort_name = entry.sort_name or default_sort_name(entry.name)
        else:
            record.kind, record.classification = entry.kind, entry.classification
            record.founded = entry.founded
        records.append(record)
    model._default_manager.bulk_create(records)
    for entry, record in zip(new, records, strict=True):
        entry.record = record
    _fill_in(named, kind)
    added_names = _add_other_names(named, kind)
    added_ids = _add_identifiers(named, kind, scheme)
    for entry in named:
        _map(entry, kind, reader, added_names[entry], added_ids[entry])
    return len(new)


def _fill_in(named: list[Named], kind: Kind) -> None:
    """A QID (and a founding date) for entries on the desk that have none."""
    changed, fields = [], {"wikidata_id"}
    for entry in named:
        record = entry.record
        if entry.how == "new":
            continue
        touched = False
        if entry.wikidata_id and not record.wikidata_id:
            record.wikidata_id = entry.wikidata_id
            touched = True
        if kind is ORGANIZATIONS and entry.founded and record.founded is None:
            record.founded = entry.founded
            fields |= {"founded_date", "founded_precision", "founded_latest"}
            touched = True
        if touched:
            changed.append(record)
    if changed:
        kind.model._default_manager.bulk_update(changed, sorted(fields))


def _add_other_names(named: list[Named], kind: Kind) -> dict[Named, int]:
    known: dict[int, set[str]] = defaultdict(set)
    owners = [entry.record.pk for entry in named]
    for chunk in chunks(owners):
        for owner, name in kind.name_model.objects.filter(**{f"{kind.fk}__in": chunk}).values_list(
            f"{kind.fk}_id", "name"
        ):
            known[owner].add(name_key(name))
    new, added = [], defaultdict(int)
    for entry in named:
        record = entry.record
        taken = known[record.pk] | {name_key(record.name)}
        for name, language, note in entry.other_names:
            if name_key(name) in taken:
                continue
            taken.add(name_key(name))
            fields = {kind.fk: record, "name": name, "language": language}
            if kind is PEOPLE:
                fields["note"] = note
            new.append(kind.name_model(**fields))
            added[entry] += 1
        known[record.pk] = taken
    kind.name_model.objects.bulk_create(new)
    return added


def _add_identifiers(named: list[Named], kind: Kind, scheme: str) -> dict[Named, int]:
    """The document's id under the import's scheme (unless it is the slug, as in our own
    export) and the identifiers it lists, where the entry does not hold them yet."""
    held: set[tuple[str, str]] = set()
    owners = [entry.record.pk for entry in named]
    for chunk in chunks(owners):
        held |= set(
            kind.identifier_model.objects.filter(**{f"{kind.fk}__in": chunk}).values_list(
                "scheme", "identifier"
            )
        )
    new, added = [], defaultdict(int)
    for entry in named:
        pairs = list(entry.identifiers)
        if entry.document_id and not (entry.slug and entry.slug == entry.record.slug):
            pairs.insert(0, (scheme, entry.document_id))
        for pair in pairs:
            if pair in held:
                continue
            held.add(pair)
            new.append(
                kind.identifier_model(
                    **{kind.fk: entry.record, "scheme": pair[0], "identifier": pair[1]}
                )
            )
            added[entry] += 1
    kind.identifier_model.objects.bulk_create(new)
    return added


HOW = {
    "id": gettext_noop("its id"),
    "identifier": gettext_noop("an identifier"),
    "wikidata": gettext_noop("its Wikidata QID"),
    "slug": gettext_noop("its id"),
    "name": gettext_noop("its name"),
}


def _map(entry: Named, kind: Kind, reader: DocumentReader, names: int, ids: int) -> None:
    record = entry.record
    if entry.how == "new":
        reader.count(_(kind.counted_as), _("new"))
        text = _("“%(name)s” → new (%(slug)s)") % {"name": entry.name, "slug": record.slug}
    else:
        reader.count(_(kind.counted_as), _("on the desk"))
        text = _("“%(name)s” → %(desk)s on the desk (%(slug)s), found by %(how)s") % {
            "name": entry.name,
            "desk": record.name,
            "slug": record.slug,
            "how": _(HOW[entry.how]),
        }
    if names:
        text += "; " + ngettext(
            "%(count)s other name added", "%(count)s other names added", names
        ) % {"count": names}
    if ids:
        text += "; " + ngettext("%(count)s identifier kept", "%(count)s identifiers kept", ids) % {
            "count": ids
        }
    if entry.wikidata_id:
        text += "; Wikidata " + entry.wikidata_id
    if entry.founded and record.founded == entry.founded:
        text += "; " + _("founded %(date)s") % {"date": entry.founded}
    elif entry.founded:
        text += "; " + _("the desk's founding date (%(date)s) is kept") % {"date": record.founded}
    reader.map(entry.path, text)
