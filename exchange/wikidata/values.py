"""Reading Wikidata's JSON (what ``Special:EntityData`` and ``wbgetentities`` answer): the
entities, their labels and aliases, statements, snaks and values.

The format (Wikibase's "JSON" documentation): ``{"entities": {"Q95": {"id": "Q95", "type":
"item", "labels": {"en": {"language": "en", "value": "Google"}}, "aliases": {"en": [...]},
"claims": {"P169": [statement, ...]}}}}``. A statement has a ``mainsnak``, a ``rank``
(preferred, normal or deprecated), ``qualifiers`` (snaks by property) and ``references``
(each with ``snaks`` by property). A snak's ``snaktype`` is ``value`` (with a
``datavalue``), ``somevalue`` (unknown) or ``novalue``.

A time value is ``{"time": "+2015-08-10T00:00:00Z", "precision": 11, "calendarmodel":
".../Q1985727"}``: precision 9 is a year, 10 a month, 11 a day, and the date is read at that
precision (``+2015-00-00T00:00:00Z`` with precision 9 is 2015; a day is never made up).
Coarser precisions (a decade, a century), Julian-calendar dates and years before 1 or after
9999 do not fit the desk's dates: the statement is skipped, and said why.

What does not follow the format is an error where it is; what follows it but cannot be
imported is a skip with its reason (exchange/documents.py).
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from exchange.documents import DocumentReader
from newsroom.dates import PartialDate, Precision

QID = re.compile(r"^Q[1-9][0-9]*$")
TIME = re.compile(r"^([+-])([0-9]{1,16})-([0-9]{2})-([0-9]{2})T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")
GREGORIAN = "http://www.wikidata.org/entity/Q1985727"
PRECISIONS = {9: Precision.YEAR, 10: Precision.MONTH, 11: Precision.DAY}


class Skip(Exception):
    """A value that follows the format but that the desk cannot take; the reason."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


class Malformed(Exception):
    """A value that does not follow the format (already refused where it is)."""


@dataclass
class Entity:
    path: str
    qid: str
    labels: dict[str, str] = field(default_factory=dict)  # language → label
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (language, alias)
    claims: dict[str, list[tuple[str, dict]]] = field(default_factory=dict)

    def label(self) -> str:
        """English, else the language-neutral label (``mul``), else the first language's."""
        for language in ("en", "mul"):
            if self.labels.get(language):
                return self.labels[language]
        return next((self.labels[lang] for lang in sorted(self.labels)), "")

    def values(self, reader: DocumentReader, prop: str) -> list[str]:
        """The item ids of a property's statements that are not deprecated."""
        found = []
        for where, statement in self.claims.get(prop, []):
            if statement.get("rank") == "deprecated":
                continue
            try:
                if value := item_value(reader, statement.get("mainsnak"), f"{where}.mainsnak"):
                    found.append(value)
            except (Skip, Malformed):
                continue
        return found


def entities_read(document, reader: DocumentReader) -> list[Entity]:
    """Every entity of the file, in file order; entities Wikidata says are missing, and
    properties (not items), are skipped with their reason."""
    if not isinstance(document, dict) or not isinstance(document.get("entities"), dict):
        reader.refuse(
            "$",
            _(
                "a Wikidata entity file is an object with “entities” (as Special:EntityData "
                "and wbgetentities answer)."
            ),
        )
        return []
    found = []
    for key, item in document["entities"].items():
        path = f"entities.{key}"
        if not isinstance(item, dict):
            reader.refuse(path, _("must be an object."))
            continue
        if "missing" in item:
            reader.skip(path, _("skipped: Wikidata has no entity %(id)s.") % {"id": key})
            continue
        qid = item.get("id", key)
        if item.get("type", "item") != "item" or not isinstance(qid, str) or not QID.match(qid):
            reader.skip(path, _("skipped: not an item (only items are imported)."))
            continue
        entity = Entity(path, qid)
        _terms(reader, item, entity)
        claims = item.get("claims", {})
        if not isinstance(claims, dict):
            reader.refuse(f"{path}.claims", _("must be an object of statements by property."))
            claims = {}
        for prop, statements in claims.items():
            where = f"{path}.claims.{prop}"
            if not isinstance(statements, list):
                reader.refuse(where, _("must be a list of statements."))
                continue
            entity.claims[prop] = []
            for index, statement in enumerate(statements):
                if isinstance(statement, dict):
                    entity.claims[prop].append((f"{where}[{index}]", statement))
                else:
                    reader.refuse(f"{where}[{index}]", _("must be an object."))
        found.append(entity)
    return found


def _terms(reader: DocumentReader, item: dict, entity: Entity) -> None:
    labels = item.get("labels", {})
    if not isinstance(labels, dict):
        reader.refuse(f"{entity.path}.labels", _("must be an object of labels by language."))
        labels = {}
    for language, term in labels.items():
        if isinstance(term, dict) and isinstance(term.get("value"), str):
            entity.labels[language] = " ".join(term["value"].split())
        else:
            reader.refuse(f"{entity.path}.labels.{language}", _("must be a term with a value."))
    aliases = item.get("aliases", {})
    if not isinstance(aliases, dict):
        reader.refuse(f"{entity.path}.aliases", _("must be an object of aliases by language."))
        aliases = {}
    for language, terms in aliases.items():
        where = f"{entity.path}.aliases.{language}"
        if not isinstance(terms, list):
            reader.refuse(where, _("must be a list of terms."))
            continue
        for index, term in enumerate(terms):
            if isinstance(term, dict) and isinstance(term.get("value"), str):
                entity.aliases.append((language, " ".join(term["value"].split())))
            else:
                reader.refuse(f"{where}[{index}]", _("must be a term with a value."))


def _datavalue(reader: DocumentReader, snak, where: str, kind: str):
    """The value of a ``value`` snak of the expected ``kind``; Skip for no or unknown value."""
    if not isinstance(snak, dict):
        reader.refuse(where, _("must be a snak (an object)."))
        raise Malformed
    snaktype = snak.get("snaktype")
    if snaktype == "somevalue":
        raise Skip(_("its value is “unknown value” on Wikidata"))
    if snaktype == "novalue":
        raise Skip(_("its value is “no value” on Wikidata"))
    datavalue = snak.get("datavalue")
    if snaktype != "value" or not isinstance(datavalue, dict):
        reader.refuse(where, _("a snak of type “value” with a datavalue is expected here."))
        raise Malformed
    if datavalue.get("type") != kind:
        reader.refuse(
            f"{where}.datavalue.type",
            _("is %(found)r; %(expected)r is expected here.")
            % {"found": datavalue.get("type"), "expected": kind},
        )
        raise Malformed
    return datavalue.get("value")


def item_value(reader: DocumentReader, snak, where: str) -> str:
    value = _datavalue(reader, snak, where, "wikibase-entityid")
    qid = value.get("id") if isinstance(value, dict) else None
    if not isinstance(qid, str) or not QID.match(qid):
        reader.refuse(f"{where}.datavalue.value", _("must name an item (Q42)."))
        raise Malformed
    return qid


def url_value(reader: DocumentReader, snak, where: str) -> str:
    value = _datavalue(reader, snak, where, "string")
    if not isinstance(value, str):
        reader.refuse(f"{where}.datavalue.value", _("must be text."))
        raise Malformed
    return value


def time_value(reader: DocumentReader, snak, where: str) -> PartialDate:
    """The date at its precision (9 year, 10 month, 11 day); never a made-up day."""
    value = _datavalue(reader, snak, where, "time")
    where = f"{where}.datavalue.value"
    if not isinstance(value, dict) or not isinstance(value.get("time"), str):
        reader.refuse(where, _("must be a time value with a “time”."))
        raise Malformed
    match = TIME.match(value["time"])
    precision = value.get("precision")
    if match is None or not isinstance(precision, int) or isinstance(precision, bool):
        reader.refuse(
            where,
            _("“%(time)s” (precision %(precision)r) is not a Wikidata time value.")
            % {"time": value["time"], "precision": precision},
        )
        raise Malformed
    shown = value["time"]
    if precision < 9:
        raise Skip(_("%(time)s is known only to the decade or coarser") % {"time": shown})
    if value.get("calendarmodel", GREGORIAN) != GREGORIAN:
        raise Skip(_("%(time)s is a Julian-calendar date") % {"time": shown})
    sign, year, month, day = match[1], int(match[2]), int(match[3]), int(match[4])
    if sign == "-" or not 1 <= year <= 9999:
        raise Skip(_("%(time)s is outside the years 1 to 9999") % {"time": shown})
    precision = PRECISIONS.get(precision, Precision.DAY)  # 12 to 14 (hours…) are unused
    if precision == Precision.YEAR:
        return PartialDate(datetime.date(year, 1, 1), precision)
    if not 1 <= month <= 12:
        reader.refuse(where, _("“%(time)s” has no month.") % {"time": shown})
        raise Malformed
    if precision == Precision.MONTH:
        return PartialDate(datetime.date(year, month, 1), precision)
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise Skip(_("%(time)s is not a day of the calendar") % {"time": shown})
    return PartialDate(datetime.date(year, month, day), precision)
