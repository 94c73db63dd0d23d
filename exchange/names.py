"""The people and organizations a file names, found on the desk or created.

As on the desk's forms, a name is matched exactly, ignoring case, against display names and
other names in any script; a display name wins over other names, and a name that matches
several people (or organizations) is refused on every line that uses it. Names are looked up
a thousand at a time, so the number of queries does not grow with the rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from django.db import connection, models
from django.db.models.functions import Lower

from exchange.bulk import BulkRows
from exchange.csv_format import MoveRow
from newsroom.batches import chunks
from newsroom.search import Folded
from newsroom.slugs import unique_slugs
from people.models import Organization, OrganizationName, Person, PersonName
from people.models.people import default_sort_name


def name_key(name: str) -> str:
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


def names_matching(
    model: type[models.Model], name_model: type[models.Model], fk: str, names: Iterable[str]
) -> dict[str, list[int]]:
    """Map each distinct name (casefolded) to the ids of the rows it names: by display
    name, else by other names (a display name wins); an empty list when nothing matches.

    Exactly, ignoring case, in any script, a thousand names a query.
    """
    names = list(names)
    keys = {name_key(name) for name in names}
    # LOWER() on PostgreSQL, whose name indexes are built on it; SQLite's LOWER() folds
    # ASCII letters only ("ИВАН" stays "ИВАН"), so there the names are casefolded.
    fold = Folded if connection.vendor == "sqlite" else Lower
    by_display: dict[str, set[int]] = defaultdict(set)
    by_other: dict[str, set[int]] = defaultdict(set)
    for chunk in chunks(_lowered_spellings(keys | set(names))):
        for pk, name in (
            model._default_manager.annotate(lowered=fold("name"))
            .filter(lowered__in=chunk)
            .values_list("pk", "name")
        ):
            if name_key(name) in keys:
                by_display[name_key(name)].add(pk)
        for pk, name in (
            name_model._default_manager.annotate(lowered=fold("name"))
            .filter(lowered__in=chunk)
            .values_list(f"{fk}_id", "name")
        ):
            if name_key(name) in keys:
                by_other[name_key(name)].add(pk)
    return {key: sorted(by_display.get(key) or by_other.get(key) or ()) for key in keys}


class FileNames:
    """The names of ``rows``: :meth:`resolve` looks them up (ambiguous ones are reported to
    ``refuse(line, message)``), :meth:`create` adds the new ones; then :meth:`person_of` and
    :meth:`organization_of` give each row's."""

    def __init__(self, rows: list[MoveRow], refuse: Callable[[int, str], None]) -> None:
        self.rows = rows
        self.refuse = refuse
        self.spellings = self.first_spellings()
        self.created: dict[type[models.Model], int] = {Person: 0, Organization: 0}

    def resolve(self) -> None:
        """Every person's and organization's name resolved; ambiguous ones refused."""
        self.resolved_people = self.resolve_model(
            Person,
            PersonName,
            "person",
            [row.person for row in self.rows if row.person_ref is None and row.person]
            + [row.speaker for row in self.rows if row.speaker],
            noun="people",
        )
        self.resolved_organizations = self.resolve_model(
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

    def first_spellings(self) -> dict[str, str]:
        """How a new name is written when the file spells it several ways (any case): the
        most frequent spelling, then one in mixed case ("Łukasz Kaiser" over "ŁUKASZ
        KAISER"); never the row order, so the same file in any order creates the same names.
        """
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for row in self.rows:
            for name in (row.person, row.speaker, row.organization):
                if name:
                    counts[name_key(name)][name] += 1

        def preference(item: tuple[str, int]) -> tuple:
            name, count = item
            return (-count, name.isupper() or name.islower(), name)

        return {key: min(spellings.items(), key=preference)[0] for key, spellings in counts.items()}

    def resolve_model(
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
        resolved = names_matching(model, name_model, fk, names)
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
                if value and name_key(value) in ambiguous:
                    listed = ", ".join(names[pk] for pk in resolved[name_key(value)])
                    self.refuse(
                        row.line,
                        f"{column}: “{value}” could be any of several {noun} ({listed}); "
                        "write the display name of the one you mean.",
                    )

    def create(self, writer: BulkRows) -> None:
        """Create everyone and every organization that matched nothing."""
        self.people = self.create_missing(Person, self.resolved_people, writer)
        self.organizations = self.create_missing(Organization, self.resolved_organizations, writer)

    def create_missing(
        self, model, resolved: dict[str, list[int]], writer: BulkRows
    ) -> dict[str, models.Model]:
        """Create a row for each name that matched nothing; return every name's row."""
        missing = sorted(key for key, ids in resolved.items() if not ids)
        names = [self.spellings[key] for key in missing]
        slugs = unique_slugs(model, names)
        ids = writer.ids(model, len(missing))
        rows: list[dict[str, object]] = []
        instances: dict[str, models.Model] = {}
        for key, pk, name, slug in zip(missing, ids, names, slugs, strict=True):
            row = {"id": pk, "name": name, "slug": slug}
            if model is Person:
                row["sort_name"] = default_sort_name(name)
            rows.append(row)
            instances[key] = model(id=pk, name=name, slug=slug)
        writer.insert(model, rows)
        existing_ids = sorted({ids[0] for ids in resolved.values() if ids})
        loaded = {}
        for chunk in chunks(existing_ids):
            for instance in model._default_manager.filter(pk__in=chunk).only("pk", "name"):
                loaded[instance.pk] = instance
        for key, matched in resolved.items():
            if matched:
                instances[key] = loaded[matched[0]]
        self.created[model] = len(missing)
        return instances

    def person(self, name: str) -> Person:
        return self.people[name_key(name)]

    def person_of(self, row: MoveRow) -> Person:
        return row.person_ref or self.people[name_key(row.person)]

    def organization_of(self, row: MoveRow) -> Organization:
        return row.organization_ref or self.organizations[name_key(row.organization)]
