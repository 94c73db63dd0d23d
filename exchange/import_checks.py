"""Checks at entry for imported files (people/checks.py): the same warnings the desk's form
gives, one per line as ``FILE:LINE: warning: message``. They never stop an import by
themselves; ``import_moves --strict`` refuses a file with any.

Read only. One query per distinct name in the file, one per row's title, and one for the
organizations' founding dates (a move before its organization's founding is refused).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from exchange.csv_format import ParsedFile, RowError, in_line_order
from people.checks import (
    Candidate,
    before_founding,
    date_warnings,
    fold,
    similar_organizations,
    similar_people,
    title_warnings,
)
from people.models import Organization, Person, RoleChangeKind

# Untranslated: tools read ``FILE:LINE: warning: message`` like a compiler's output.
WARNING = "warning: "


def _on_record(name: str, find) -> tuple[Candidate | None, list[Candidate]]:
    """The one on record called exactly ``name`` (any name of theirs), and the others it may
    be."""
    candidates = find(name)
    exact = [candidate for candidate in candidates if fold(candidate.matched) == fold(name)]
    if len(exact) == 1:
        return exact[0], []
    return None, candidates


def _possibly_same(noun: str, name: str, candidates: list[Candidate]) -> str:
    names = ", ".join(
        candidate.name + (f" ({candidate.also})" if candidate.also else "")
        for candidate in candidates
    )
    return WARNING + _(
        "%(noun)s “%(name)s” is not on record; possibly the same as %(names)s. "
        "Write the name on record to use them; imported as written, a new %(noun)s is "
        "created."
    ) % {"noun": noun, "name": name, "names": names}


def moves_warnings(parsed: ParsedFile, *, today: datetime.date) -> list[RowError]:
    """Warnings (and refusals before an organization's founding) for the rows of a file."""
    found: list[RowError] = []
    people: dict[str, Candidate | None] = {}
    organizations: dict[str, Candidate | None] = {}
    for row in parsed.rows:
        for name, noun, known, find in (
            (row.person, _("person"), people, similar_people),
            (row.organization, _("organization"), organizations, similar_organizations),
        ):
            if not name or name in known:
                continue
            known[name], others = _on_record(name, find)
            if others:
                found.append(
                    RowError(row.line, _possibly_same(noun, name, others), parsed.filename)
                )
        for message in date_warnings(row.effective, today=today):
            found.append(RowError(row.line, f"{WARNING}{message}", parsed.filename))
    found.extend(_founding_errors(parsed, organizations))
    found.extend(_title_warnings(parsed, people, organizations))
    return in_line_order(found)


def _founding_errors(parsed: ParsedFile, organizations: dict[str, Candidate | None]) -> list:
    ids = {candidate.pk for candidate in organizations.values() if candidate}
    by_pk = {
        organization.pk: organization
        for organization in Organization.objects.filter(pk__in=ids, founded_date__isnull=False)
    }
    errors = []
    for row in parsed.rows:
        candidate = organizations.get(row.organization)
        organization = by_pk.get(candidate.pk) if candidate else None
        if organization is not None and row.effective is not None:
            refused = before_founding(organization, row.effective)
            if refused:
                errors.append(RowError(row.line, refused, parsed.filename))
    return errors


def _title_warnings(
    parsed: ParsedFile,
    people: dict[str, Candidate | None],
    organizations: dict[str, Candidate | None],
) -> list[RowError]:
    warnings = []
    for row in parsed.rows:
        person, organization = people.get(row.person), organizations.get(row.organization)
        if organization is None or row.kind is None or row.kind == RoleChangeKind.LEFT:
            continue
        for warning in title_warnings(
            person=Person(pk=person.pk, name=person.name) if person else None,
            organization=Organization(pk=organization.pk, name=organization.name),
            title=row.title,
            kind=row.kind,
            effective=row.effective,
            previous_title=row.previous_title,
        ):
            warnings.append(RowError(row.line, f"{WARNING}{warning.message}", parsed.filename))
    return warnings


def is_warning(error: RowError) -> bool:
    return error.message.startswith(WARNING)


def founding_refusals(parsed: ParsedFile) -> list[RowError]:
    """Rows dated before their organization's founding (one query): every import refuses
    them, with or without the warnings."""
    named = {fold(row.organization) for row in parsed.rows if row.organization}
    if not named:
        return []
    founded = {
        fold(organization.name): organization
        for organization in Organization.objects.filter(founded_date__isnull=False).only(
            "name", "founded_date", "founded_precision", "founded_latest"
        )
        if fold(organization.name) in named
    }
    errors = []
    for row in parsed.rows:
        organization = founded.get(fold(row.organization))
        if organization is not None and row.effective is not None:
            refused = before_founding(organization, row.effective)
            if refused:
                errors.append(RowError(row.line, refused, parsed.filename))
    return errors
