"""The persons, organizations and posts of a Popolo document, as others write them.

Any id scheme: a UUID, ``person/42``, ``1`` or our own ``person/<slug>``; a number is read as
its digits. Each entry is found on the desk or created (exchange/identities.py), and its id
kept as an identifier so that importing the file again finds the same rows. An id used twice
in one list is refused where it repeats. An entry refused for one reason is remembered as
refused, so that the memberships naming it are not refused a second time for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from exchange.csv_format import NAME_MAX_LENGTH
from exchange.documents import DocumentReader
from exchange.identities import WIKIDATA_SCHEME, Named
from people.models import OrganizationKind, Post, Rank
from people.models.identifiers import IDENTIFIER_MAX_LENGTH, SCHEME_MAX_LENGTH

QID = re.compile(r"^Q[1-9][0-9]*$")
OUR_ID = re.compile(r"^(person|organization)/([a-z0-9]+(?:-[a-z0-9]+)*)$")

GOVERNMENT_WORDS = (
    "legislature",
    "parliament",
    "chamber",
    "council",
    "committee",
    "executive",
    "ministry",
    "cabinet",
    "assembly",
    "senate",
    "municipality",
)
# Others' classifications, and the kind the desk sorts them under (the text itself is kept
# and shown). Anything else is kept as written, under "other".
KIND_OF_CLASSIFICATION = {
    **dict.fromkeys(("corporation", "business", "firm", "board"), OrganizationKind.COMPANY),
    **dict.fromkeys(("non-profit", "charity", "ngo"), OrganizationKind.NONPROFIT),
    **dict.fromkeys(("laboratory", "research institute"), OrganizationKind.RESEARCH_LAB),
    "college": OrganizationKind.UNIVERSITY,
    **dict.fromkeys(GOVERNMENT_WORDS, OrganizationKind.GOVERNMENT),
}


@dataclass
class Entries:
    """One kind of entry, by the document's id; and the ids of entries refused."""

    by_id: dict[str, Any] = field(default_factory=dict)
    refused: set[str] = field(default_factory=set)

    def add(self, reader: DocumentReader, path: str, entry_id: str, entry, errors_before: int):
        if entry_id in self.by_id or entry_id in self.refused:
            first = self.by_id.get(entry_id)
            where = first.path if first is not None else _("an earlier entry")
            reader.refuse(
                f"{path}.id",
                _("“%(id)s” is already the id of %(where)s: an id names one entry.")
                % {"id": entry_id, "where": where},
            )
            return
        if entry is None or len(reader.errors) > errors_before:
            if entry_id:
                self.refused.add(entry_id)
            return
        self.by_id[entry_id] = entry


@dataclass(eq=False)
class PostEntry:
    path: str
    label: str
    organization: Named
    rank: int
    leadership: bool
    record: Post | None = None


def listed(document: dict, reader: DocumentReader, key: str, parent: str = ""):
    """``(path, item, defaults)`` for each entry of ``key``: the top-level list, and the
    lists Popolo allows nested in persons and organizations (``organizations[2].posts``),
    whose entries take their parent's id by default."""
    found = [(path, item, {}) for path, item in reader.items(document, key)]
    for owner, default in (("persons", "person_id"), ("organizations", "organization_id")):
        if key in ("persons", "organizations") or (key == "posts" and owner == "persons"):
            continue
        for path, item in reader.items(document, owner):
            parent_id = item.get("id")
            for nested_path, nested in reader.items(item, key, path):
                found.append((nested_path, nested, {default: parent_id}))
    return found


def persons(document: dict, reader: DocumentReader) -> Entries:
    entries = Entries()
    for path, item, _defaults in listed(document, reader, "persons"):
        before = len(reader.errors)
        entry_id = reader.text(item, path, "id", limit=IDENTIFIER_MAX_LENGTH)
        name = reader.text(item, path, "name", required=False, limit=NAME_MAX_LENGTH)
        if not name and not item.get("name"):
            given = reader.text(item, path, "given_name", required=False)
            family = reader.text(item, path, "family_name", required=False)
            name = " ".join(part for part in (given, family) if part)[:NAME_MAX_LENGTH]
            if not name:
                reader.refuse(f"{path}.name", _("is missing or empty."))
        entry = Named(
            path=path,
            name=name,
            document_id=entry_id,
            sort_name=reader.text(item, path, "sort_name", required=False, limit=NAME_MAX_LENGTH),
            other_names=_other_names(reader, item, path),
        )
        _identifiers(reader, item, path, entry, "person")
        entries.add(reader, path, entry_id, entry, before)
    return entries


def organizations(document: dict, reader: DocumentReader) -> Entries:
    entries = Entries()
    for path, item, _defaults in listed(document, reader, "organizations"):
        before = len(reader.errors)
        entry_id = reader.text(item, path, "id", limit=IDENTIFIER_MAX_LENGTH)
        classification = reader.text(item, path, "classification", required=False, limit=100)
        kind = OrganizationKind.COMPANY
        if classification.casefold() in OrganizationKind.values:
            kind, classification = OrganizationKind(classification.casefold()), ""
        elif classification:
            kind = KIND_OF_CLASSIFICATION.get(classification.casefold(), OrganizationKind.OTHER)
        entry = Named(
            path=path,
            name=reader.text(item, path, "name", limit=NAME_MAX_LENGTH),
            document_id=entry_id,
            other_names=_other_names(reader, item, path),
            kind=kind,
            classification=classification,
            founded=reader.date(item, path, "founding_date"),
        )
        _identifiers(reader, item, path, entry, "organization")
        entries.add(reader, path, entry_id, entry, before)
    return entries


def _other_names(reader: DocumentReader, item: dict, path: str) -> list[tuple[str, str, str]]:
    names = []
    for where, other in reader.items(item, "other_names", path):
        name = reader.text(other, where, "name", limit=NAME_MAX_LENGTH)
        language = reader.text(other, where, "lang", required=False, limit=35)
        note = reader.text(other, where, "note", required=False)
        if name:
            names.append((name, language, note))
    return names


def _identifiers(reader: DocumentReader, item: dict, path: str, entry: Named, prefix: str):
    """The entry's ``identifiers`` (a ``wikidata`` one is its QID), and the slug our own
    export's ids carry (``person/<slug>``)."""
    if (match := OUR_ID.match(entry.document_id)) and match[1] == prefix:
        entry.slug = match[2]
    for where, identifier in reader.items(item, "identifiers", path):
        value = reader.text(identifier, where, "identifier", limit=IDENTIFIER_MAX_LENGTH)
        scheme = reader.text(identifier, where, "scheme", limit=SCHEME_MAX_LENGTH)
        if not (value and scheme):
            continue
        if scheme.casefold() != WIKIDATA_SCHEME:
            entry.identifiers.append((scheme, value))
        elif not QID.match(value):
            reader.refuse(
                f"{where}.identifier",
                _("“%(value)s” is not a Wikidata QID (Q42).") % {"value": value},
            )
        elif entry.wikidata_id and entry.wikidata_id != value:
            reader.refuse(where, _("a second Wikidata QID; an entry has one."))
        else:
            entry.wikidata_id = value


def posts(document: dict, reader: DocumentReader, organizations: Entries) -> Entries:
    entries = Entries()
    for path, item, defaults in listed(document, reader, "posts"):
        before = len(reader.errors)
        entry_id = reader.text(item, path, "id", limit=IDENTIFIER_MAX_LENGTH)
        label = reader.text(item, path, "label", limit=NAME_MAX_LENGTH)
        organization_id = item.get("organization_id", defaults.get("organization_id"))
        organization_id = "" if organization_id is None else str(organization_id)
        organization = organizations.by_id.get(organization_id)
        if organization is None and organization_id not in organizations.refused:
            reader.refuse(
                f"{path}.organization_id",
                _("names no organization in this document: %(id)r.") % {"id": organization_id},
            )
        rank = item.get("seniority", Rank.guess(label))
        if rank not in Rank.values:
            reader.refuse(f"{path}.seniority", _("%(rank)r is not a rank.") % {"rank": rank})
        entry = None
        if organization is not None and len(reader.errors) == before:
            leadership = bool(item.get("leadership", rank != Rank.OTHER))
            entry = PostEntry(path, label, organization, rank, leadership)
        elif organization_id in organizations.refused:
            entries.refused.add(entry_id)
            continue
        entries.add(reader, path, entry_id, entry, before)
    return entries


def posts_create(entries: Entries, reader: DocumentReader) -> int:
    """Find each post at its organization by title (ignoring case), or create it."""
    wanted = list(entries.by_id.values())
    organization_ids = {entry.organization.record.pk for entry in wanted}
    existing = {
        (post.organization_id, post.title.lower()): post
        for post in Post.objects.filter(organization__in=organization_ids).order_by("-pk")
    }
    created = []
    for entry in wanted:
        key = (entry.organization.record.pk, entry.label.lower())
        post = existing.get(key)
        if post is None:
            post = Post(
                organization=entry.organization.record,
                title=entry.label,
                rank=entry.rank,
                is_leadership=entry.leadership,
            )
            existing[key] = post
            created.append(post)
            reader.count(_("posts"), _("new"))
            text = _("“%(label)s” → new post at %(organization)s")
        else:
            reader.count(_("posts"), _("on the desk"))
            text = _("“%(label)s” → %(organization)s's post on the desk")
        organization = entry.organization.record.name
        reader.map(entry.path, text % {"label": entry.label, "organization": organization})
        entry.record = post
    Post.objects.bulk_create(created)
    return len(created)
