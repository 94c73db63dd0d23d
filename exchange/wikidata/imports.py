"""Wikidata import: the people and organizations of an entity file found on the desk (by
Q-id, else by name) or created, with every label and alias as an other name and the Q-id
kept; their statements as moves through the CSV import's writer (exchange/documents.py).

An entity is a person when it is an instance of human (P31 → Q5); an organization when it
has one of the organization properties read here, an inception (P571), or when a statement
of the file names it as an employer or a position's organization; any other entity of the
file only lends its label (a position, a role, a class). An organization's kind comes from
its class (P31) when the desk knows it, and the label of that class, when the file holds
it, is kept as its classification.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from exchange.csv_format import NAME_MAX_LENGTH
from exchange.documents import DocumentImport, DocumentReader, DocumentResult
from exchange.identities import (
    ORGANIZATIONS,
    PEOPLE,
    WIKIDATA_SCHEME,
    Named,
    identities_create,
    identities_resolve,
)
from exchange.wikidata.statements import (
    EMPLOYER,
    HUMAN,
    INCEPTION,
    INSTANCE_OF,
    ORGANIZATION_PROPERTIES,
    ORGANIZATION_QUALIFIERS,
    POSITION_HELD,
    Fact,
    Statements,
)
from exchange.wikidata.values import Entity, Malformed, Skip, entities_read, time_value
from newsroom.batches import chunks
from newsroom.models import AuditAction
from newsroom.progress import Stream
from people.models import Organization, OrganizationKind, Person, RoleChangeKind

# Classes (P31) whose kind the desk knows; any other class is kept as a classification.
KIND_OF_CLASS = {
    "Q4830453": OrganizationKind.COMPANY,  # business
    "Q783794": OrganizationKind.COMPANY,  # company
    "Q891723": OrganizationKind.COMPANY,  # public company
    "Q6881511": OrganizationKind.COMPANY,  # enterprise
    "Q163740": OrganizationKind.NONPROFIT,  # nonprofit organization
    "Q157031": OrganizationKind.NONPROFIT,  # foundation
    "Q31855": OrganizationKind.RESEARCH_LAB,  # research institute
    "Q3918": OrganizationKind.UNIVERSITY,  # university
    "Q327333": OrganizationKind.GOVERNMENT,  # government agency
}


def wikidata_import(
    *,
    data: bytes | str,
    filename: str,
    verified_by: AbstractBaseUser | None = None,
    recorded_by: AbstractBaseUser | None = None,
    dry_run: bool = False,
    stream: Stream | None = None,
) -> DocumentResult:
    """Import a Wikidata entity file (``Special:EntityData``, ``wbgetentities``), all or
    nothing; citations verified by ``verified_by`` (an editor), else pending. Importing the
    same file again changes nothing."""
    return WikidataImport(filename).run(
        data=data, verified_by=verified_by, recorded_by=recorded_by, dry_run=dry_run, stream=stream
    )


class WikidataImport(DocumentImport):
    audit_action = AuditAction.WIKIDATA_IMPORTED

    def read(self, document) -> None:
        reader = self.reader
        for kind in (_("people"), _("organizations"), _("statements")):
            reader.counts[kind] = Counter()
        reader.count(_("statements"), _("imported"), 0)
        entities = {entity.qid: entity for entity in entities_read(document, reader)}
        kinds = _kinds(entities, reader)
        named = {
            qid: _named(entity, kinds[qid], entities, reader)
            for qid, entity in entities.items()
            if kinds[qid] != "other"
        }
        people = [entry for qid, entry in named.items() if kinds[qid] == "person"]
        organizations = [entry for qid, entry in named.items() if kinds[qid] == "organization"]
        identities_resolve(people, PEOPLE, scheme=WIKIDATA_SCHEME, reader=reader)
        identities_resolve(organizations, ORGANIZATIONS, scheme=WIKIDATA_SCHEME, reader=reader)
        statements = Statements(reader, entities, kinds, named, _desk(entities, kinds))
        facts = [fact for entity in entities.values() for fact in statements.facts(entity)]
        for qid, entity in entities.items():
            if kinds[qid] == "other" and qid not in statements.used:
                reader.skip(
                    entity.path,
                    _(
                        "skipped: neither a person (instance of human, Q5) nor an organization, "
                        "and no statement of the file uses its label."
                    ),
                )
        if reader.errors:
            return
        self.created["people"] = identities_create(
            people, PEOPLE, scheme=WIKIDATA_SCHEME, reader=reader
        )
        self.created["organizations"] = identities_create(
            organizations, ORGANIZATIONS, scheme=WIKIDATA_SCHEME, reader=reader
        )
        for fact in facts:
            _rows(fact, reader)


def _item_ids(snaks) -> list[str]:
    """The item ids among snaks, read leniently: problems are reported where the snaks are
    read for what they say."""
    found = []
    for snak in snaks if isinstance(snaks, list) else []:
        value = snak.get("datavalue") if isinstance(snak, dict) else None
        value = value.get("value") if isinstance(value, dict) else None
        if isinstance(value, dict) and isinstance(value.get("id"), str):
            found.append(value["id"])
    return found


def _claimed(entity: Entity, props) -> set[str]:
    """The items the main values of these properties name."""
    return {
        qid
        for prop in props
        for _where, statement in entity.claims.get(prop, [])
        for qid in _item_ids([statement.get("mainsnak")])
    }


def _named_organizations(entity: Entity) -> set[str]:
    """The items a person's statements name as organizations: employers, and the
    organizations of positions held."""
    found = _claimed(entity, [EMPLOYER])
    for _where, statement in entity.claims.get(POSITION_HELD, []):
        qualifiers = statement.get("qualifiers")
        if isinstance(qualifiers, dict):
            for prop in ORGANIZATION_QUALIFIERS:
                found |= set(_item_ids(qualifiers.get(prop)))
    return found


def _kinds(entities: dict[str, Entity], reader: DocumentReader) -> dict[str, str]:
    """What each entity is: "person", "organization" or "other" (see the module's docstring)."""
    kinds = {qid: "person" for qid, e in entities.items() if HUMAN in e.values(reader, INSTANCE_OF)}
    named_as_organization = set()
    for qid in kinds:
        named_as_organization |= _named_organizations(entities[qid])
    for qid, entity in entities.items():
        if qid in kinds:
            continue
        own = set(entity.claims) & (set(ORGANIZATION_PROPERTIES) | {INCEPTION})
        kinds[qid] = "organization" if own or qid in named_as_organization else "other"
    return kinds


def _named(entity: Entity, kind: str, entities: dict, reader: DocumentReader) -> Named:
    name = entity.label()
    if not name:
        reader.refuse(f"{entity.path}.labels", _("has no label: the desk needs a name."))
    elif len(name) > NAME_MAX_LENGTH:
        reader.refuse(
            f"{entity.path}.labels",
            _("its label is %(length)s characters long; at most %(limit)s fit.")
            % {"length": len(name), "limit": NAME_MAX_LENGTH},
        )
    others = []
    terms = sorted(entity.labels.items()) + sorted(entity.aliases)
    for language, value in terms:
        if value and len(value) <= NAME_MAX_LENGTH:
            others.append((value, language, ""))
    entry = Named(path=entity.path, name=name, wikidata_id=entity.qid, other_names=others)
    if kind == "organization":
        _organization_details(entity, entry, entities, reader)
    return entry


def _organization_details(entity: Entity, entry: Named, entities, reader) -> None:
    """Its kind and classification from its class (P31), its founding date from P571."""
    classes = entity.values(DocumentReader(reader.filename), INSTANCE_OF)
    if classes:
        entry.kind = KIND_OF_CLASS.get(classes[0], OrganizationKind.OTHER)
        label = entities[classes[0]].label() if classes[0] in entities else ""
        if label and label.casefold() not in OrganizationKind.values:
            entry.classification = label[:100]
    statements = [s for s in entity.claims.get(INCEPTION, []) if s[1].get("rank") != "deprecated"]
    preferred = [s for s in statements if s[1].get("rank") == "preferred"]
    dates = set()
    for where, statement in preferred or statements:
        try:
            dates.add(time_value(reader, statement.get("mainsnak"), f"{where}.mainsnak"))
        except Skip as skip:
            reader.skip(where, _("skipped: %(reason)s.") % {"reason": skip.reason})
        except Malformed:
            continue
    if len(dates) > 1:
        listed = ", ".join(str(date) for date in sorted(dates))
        reader.skip(
            f"{entity.path}.claims.{INCEPTION}",
            _(
                "skipped: several inception dates (%(listed)s); the founding date is left as "
                "the desk has it."
            )
            % {"listed": listed},
        )
    elif dates:
        entry.founded = dates.pop()


def _desk(entities: dict[str, Entity], kinds: dict[str, str]) -> dict[str, dict]:
    """People and organizations of the desk with a Q-id that statements name and the file
    does not hold, by Q-id (``None`` for a Q-id several of them carry)."""
    people, organizations = set(), set()
    for qid, entity in entities.items():
        if kinds[qid] == "organization":
            people |= _claimed(entity, ORGANIZATION_PROPERTIES)
        elif kinds[qid] == "person":
            organizations |= _named_organizations(entity)
    for entity in entities.values():  # a position's organization (P2389)
        organizations |= _claimed(entity, ["P2389"])
    found: dict[str, dict] = {}
    for model, key, wanted in (
        (Person, "person", people),
        (Organization, "organization", organizations),
    ):
        by_qid = defaultdict(list)
        for chunk in chunks(sorted(wanted - set(entities))):
            for record in model.objects.filter(wikidata_id__in=chunk):
                by_qid[record.wikidata_id].append(record)
        found[key] = {qid: rows[0] if len(rows) == 1 else None for qid, rows in by_qid.items()}
    return found


def _rows(fact: Fact, reader: DocumentReader) -> None:
    person, organization = fact.person.record, fact.organization.record
    moves = []
    if fact.start:
        moves.append((fact.start, fact.start_kind))
    if fact.end:
        moves.append((fact.end, RoleChangeKind.LEFT))
    if not moves and fact.point:
        moves.append((fact.point, RoleChangeKind.HELD))
    shown = []
    for date, kind in moves:
        reader.add_move(
            fact.where,
            person=person,
            organization=organization,
            sources=fact.sources,
            effective=date,
            kind=kind,
            title=fact.title,
        )
        if kind == RoleChangeKind.HELD:
            shown.append(_("held on %(date)s") % {"date": date})
        else:
            shown.append(_("%(change)s %(date)s") % {"change": kind.label, "date": date})
    reader.count(_("statements"), _("imported"))
    text = _("%(person)s, %(title)s at %(organization)s: %(moves)s; sources: %(sources)s") % {
        "person": person.name,
        "title": fact.title,
        "organization": organization.name,
        "moves": ", ".join(shown),
        "sources": " ".join(canonical for _url, canonical in fact.sources),
    }
    reader.map(fact.where, "; ".join([text, *fact.notes]))
