"""Wikidata statements as moves.

An organization's chief executive (P169), chairperson (P488), director/manager (P1037),
board members (P3320) and founders (P112); a person's employers (P108) and positions held
(P39). Each statement's qualifiers date it: start time (P580) is the start ("appointed";
"joined" for an employer or a founder), end time (P582) the departure ("left"), and a
statement with neither but a point in time (P585) is a "held" record on that date. A
founder with no start time joined at the organization's inception (P571), when the file
gives it. Every date keeps its precision.

The title: fixed for an organization's properties ("Chief Executive Officer", "Chairperson",
"Director", "Board Member", "Founder"); for a position held (P39), the position's label
(its entity must be in the file), and its organization from the qualifier "of" (P642),
"organization directed by the office" (P2389), "employer" (P108) or "conferred by" (P1027);
for an employer (P108), the label of the qualifier "subject has role" (P2868) or "as" (P794),
else "Employee".

Sources: each reference's URLs (P854), canonicalized; a statement without any is cited by
its own entity's page on Wikidata. A person or organization named only by its Q-id is the
entity of the same file, else the one on the desk with that Q-id; else the statement is
skipped, and said so. So are deprecated statements, unknown or no values, and dates the
desk cannot hold (exchange/wikidata/values.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from exchange.identities import Named
from exchange.wikidata.values import Entity, Malformed, Skip, item_value, time_value, url_value
from newsroom.dates import PartialDate
from people.models import RoleChangeKind
from stories.canonical import InvalidSourceURL, canonical_url

APPOINTED, JOINED = RoleChangeKind.APPOINTED, RoleChangeKind.JOINED
ORGANIZATION_PROPERTIES = {
    "P169": ("Chief Executive Officer", APPOINTED),
    "P488": ("Chairperson", APPOINTED),
    "P1037": ("Director", APPOINTED),
    "P3320": ("Board Member", APPOINTED),
    "P112": ("Founder", JOINED),
}
EMPLOYER, POSITION_HELD, INCEPTION, INSTANCE_OF, HUMAN = "P108", "P39", "P571", "P31", "Q5"
ORGANIZATION_QUALIFIERS = ("P642", "P2389", "P108", "P1027")
ROLE_QUALIFIERS = ("P2868", "P794")
START, END, POINT, REFERENCE_URL = "P580", "P582", "P585", "P854"
EMPLOYEE = "Employee"


@dataclass(eq=False)
class Fact:
    """A statement read: who, where, which title, when, and on whose word."""

    where: str
    person: Named
    organization: Named
    title: str
    start_kind: RoleChangeKind
    start: PartialDate | None = None
    end: PartialDate | None = None
    point: PartialDate | None = None
    sources: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def title_case(label: str) -> str:
    """Wikidata writes common nouns in lower case ("chief executive officer")."""
    return label[:1].upper() + label[1:] if label[:1].islower() else label


class Statements:
    """Reads the statements of the file's people and organizations into facts.

    ``named`` holds the file's people and organizations by Q-id, ``kinds`` what each entity
    of the file is ("person", "organization" or "other"), and ``desk`` the people and
    organizations of the desk named by a Q-id that the file does not hold.
    """

    def __init__(self, reader, entities: dict[str, Entity], kinds, named, desk) -> None:
        self.reader = reader
        self.entities, self.kinds, self.named, self.desk = entities, kinds, named, desk
        self.used: set[str] = set()  # entities of the file used for their label

    def facts(self, entity: Entity) -> list[Fact]:
        kind = self.kinds[entity.qid]
        if kind == "organization":
            wanted = [(prop, self.organization_statement) for prop in ORGANIZATION_PROPERTIES]
        elif kind == "person":
            wanted = [(EMPLOYER, self.employer), (POSITION_HELD, self.position)]
        else:
            return []
        found = []
        for prop, read in wanted:
            for where, statement in entity.claims.get(prop, []):
                if statement.get("rank") == "deprecated":
                    self.reader.skip(where, _("skipped: deprecated on Wikidata."))
                    self.reader.count(_("statements"), _("skipped"))
                    continue
                try:
                    fact = read(entity, prop, where, statement)
                    self.dates(fact, statement)
                    fact.sources = self.sources(entity, where, statement)
                except Skip as skip:
                    self.reader.skip(where, _("skipped: %(reason)s.") % {"reason": skip.reason})
                    self.reader.count(_("statements"), _("skipped"))
                    continue
                except Malformed:
                    continue
                found.append(fact)
        return found

    # Who and where --------------------------------------------------------------------------

    def party(self, qid: str, wanted: str) -> Named:
        """The person or organization a Q-id names: in this file, else on the desk."""
        if qid in self.named and self.kinds[qid] == wanted:
            return self.named[qid]
        if qid in self.kinds:
            label = self.entities[qid].label() or qid
            if wanted == "person":
                message = _(
                    "%(qid)s (%(label)s) is in this file, but not as a person "
                    "(instance of human, Q5)"
                )
            else:
                message = _("%(qid)s (%(label)s) is in this file, but not as an organization")
            raise Skip(message % {"qid": qid, "label": label})
        if qid not in self.desk[wanted]:
            raise Skip(_("%(qid)s is neither in this file nor on the desk") % {"qid": qid})
        record = self.desk[wanted][qid]
        if record is None:
            raise Skip(
                _("%(qid)s is on several entries of the desk; merge them first") % {"qid": qid}
            )
        return Named(path="", name=record.name, wikidata_id=qid, record=record, how="wikidata")

    def label(self, qid: str, what: str) -> str:
        entity = self.entities.get(qid)
        if entity is None or not entity.label():
            raise Skip(
                _("the %(what)s %(qid)s has no label in this file") % {"what": what, "qid": qid}
            )
        self.used.add(qid)
        return title_case(entity.label())

    def mainsnak(self, where: str, statement: dict) -> str:
        return item_value(self.reader, statement.get("mainsnak"), f"{where}.mainsnak")

    def organization_statement(self, entity, prop, where, statement) -> Fact:
        person = self.party(self.mainsnak(where, statement), "person")
        title, kind = ORGANIZATION_PROPERTIES[prop]
        return Fact(where, person, self.named[entity.qid], title, kind)

    def employer(self, entity, prop, where, statement) -> Fact:
        organization = self.party(self.mainsnak(where, statement), "organization")
        title = EMPLOYEE
        for qualifier in ROLE_QUALIFIERS:
            if roles := self.qualifier_items(where, statement, qualifier):
                title = self.label(roles[0], _("role"))
                break
        return Fact(where, self.named[entity.qid], organization, title, JOINED)

    def position(self, entity, prop, where, statement) -> Fact:
        position = self.mainsnak(where, statement)
        title = self.label(position, _("position"))
        for qualifier in ORGANIZATION_QUALIFIERS:
            if organizations := self.qualifier_items(where, statement, qualifier):
                organization = self.party(organizations[0], "organization")
                break
        else:
            directed = self.entities[position].values(self.reader, "P2389")
            if not directed:
                raise Skip(
                    _(
                        "names no organization: give the position a qualifier “of” (P642) or "
                        "“employer” (P108)"
                    )
                )
            organization = self.party(directed[0], "organization")
        return Fact(where, self.named[entity.qid], organization, title, APPOINTED)

    def qualifier_items(self, where: str, statement: dict, prop: str) -> list[str]:
        found = []
        for index, snak in enumerate(self.qualifiers(where, statement, prop)):
            try:
                found.append(item_value(self.reader, snak, f"{where}.qualifiers.{prop}[{index}]"))
            except Skip:
                continue
        return found

    def qualifiers(self, where: str, statement: dict, prop: str) -> list:
        qualifiers = statement.get("qualifiers", {})
        if not isinstance(qualifiers, dict):
            self.reader.refuse(f"{where}.qualifiers", _("must be an object of snaks."))
            raise Malformed
        snaks = qualifiers.get(prop, [])
        if not isinstance(snaks, list):
            self.reader.refuse(f"{where}.qualifiers.{prop}", _("must be a list of snaks."))
            raise Malformed
        return snaks

    # When and on whose word ---------------------------------------------------------------

    def dates(self, fact: Fact, statement: dict) -> None:
        for prop, attribute in ((START, "start"), (END, "end"), (POINT, "point")):
            values = set()
            for index, snak in enumerate(self.qualifiers(fact.where, statement, prop)):
                where = f"{fact.where}.qualifiers.{prop}[{index}]"
                try:
                    values.add(time_value(self.reader, snak, where))
                except Skip as skip:
                    fact.notes.append(
                        _("%(prop)s left aside: %(reason)s") % {"prop": prop, "reason": skip.reason}
                    )
            if len(values) > 1:
                raise Skip(_("it has several %(prop)s qualifiers") % {"prop": prop})
            setattr(fact, attribute, values.pop() if values else None)
        if fact.start or fact.end or fact.point:
            return
        founded = fact.organization.founded or getattr(fact.organization.record, "founded", None)
        if fact.title == "Founder" and founded:
            fact.start = founded
            fact.notes.append(_("a founder joins at the inception (P571)"))
            return
        raise Skip(_("no start time (P580), end time (P582) or point in time (P585)"))

    def sources(self, entity: Entity, where: str, statement: dict) -> list[tuple[str, str]]:
        references = statement.get("references", [])
        if not isinstance(references, list):
            self.reader.refuse(f"{where}.references", _("must be a list of references."))
            raise Malformed
        found: dict[str, str] = {}
        for index, reference in enumerate(references):
            path = f"{where}.references[{index}]"
            snaks = reference.get("snaks", {}) if isinstance(reference, dict) else None
            if not isinstance(snaks, dict) or not isinstance(snaks.get(REFERENCE_URL, []), list):
                self.reader.refuse(path, _("must be a reference with snaks by property."))
                raise Malformed
            for number, snak in enumerate(snaks.get(REFERENCE_URL, [])):
                snak_path = f"{path}.snaks.{REFERENCE_URL}[{number}]"
                try:
                    url = url_value(self.reader, snak, snak_path)
                    found.setdefault(canonical_url(url), url)
                except Skip:
                    continue
                except InvalidSourceURL as invalid:
                    self.reader.skip(
                        snak_path, _("reference left out: %(reason)s") % {"reason": invalid.message}
                    )
        if not found:
            page = f"https://www.wikidata.org/wiki/{entity.qid}"
            found[canonical_url(page)] = page
        return [(url, canonical) for canonical, url in found.items()]
