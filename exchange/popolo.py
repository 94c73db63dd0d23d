"""Popolo JSON: export the public (verified) data, and import it back.

The document (https://www.popoloproject.com/specs/) has four lists:

- ``persons``: ``id`` (``person/<slug>``), ``name``, ``sort_name``, ``other_names`` (each
  ``name``, ``lang``, ``note``);
- ``organizations``: ``id`` (``organization/<slug>``), ``name``, ``classification``,
  ``other_names`` (``name``, ``lang``);
- ``posts``: ``id``, ``label``, ``organization_id``, and two extensions, ``seniority`` (the
  rank that orders leadership) and ``leadership``;
- ``memberships``: one per public tenure: ``person_id``, ``organization_id``, ``post_id``,
  ``role``, ``start_date`` and ``end_date`` written at their precision (``2018``,
  ``2017-01``, ``2024-09-25``; left out when unknown or still held), ``sources`` (the
  canonical URLs of the verified citations behind it), and two extensions, ``start`` and
  ``end``, naming the role change at each end (``change``; for the end also the ``post_id``
  it names and ``leaves_organization``) with its own sources, and a third, ``held_on``: the
  dates the person is recorded in the post ("held" role changes, each ``date`` with its
  ``sources``; a tenure opened by one has no ``start_date``), so that an import recreates the
  same role changes, and from them the same tenures.

The export is deterministic (sorted, ids from slugs), so export → import into an empty
database → export gives the same document. The import goes through the CSV import's bulk
path (exchange/imports.py): the same checks, and all or nothing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils.text import slugify

from exchange.imports import (
    ADVISORY_LOCK_KEY,
    NAME_MAX_LENGTH,
    ImportResult,
    MoveRow,
    ParsedFile,
    RowError,
    moves_import,
)
from newsroom.dates import InvalidPartialDate, PartialDate
from newsroom.models import AuditAction
from newsroom.progress import Stream
from people.models import (
    Organization,
    OrganizationKind,
    OrganizationName,
    Person,
    PersonName,
    Post,
    Rank,
    RoleChange,
    RoleChangeKind,
    Tenure,
)
from people.models.people import default_sort_name
from stories.canonical import InvalidSourceURL, canonical_url
from stories.models import Citation, CitationState

SLUG_CHARACTERS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


# Export ---------------------------------------------------------------------------------------


def popolo_export() -> dict[str, Any]:
    """The public data as a Popolo document (only confirmed tenures and verified sources)."""
    tenures = list(
        Tenure.objects.public().select_related(
            "person", "organization", "post", "started_by__post", "ended_by__post"
        )
    )
    changes = {
        change.pk: change
        for tenure in tenures
        for change in (tenure.started_by, tenure.ended_by)
        if change is not None
    }
    held = _held_records(tenures)
    changes |= {change.pk: change for records in held.values() for change in records}
    sources: dict[int, list[str]] = defaultdict(list)
    for role_change_id, url in (
        Citation.objects.filter(role_change_id__in=changes, state=CitationState.VERIFIED)
        .order_by("source__canonical_url")
        .values_list("role_change_id", "source__canonical_url")
        .distinct()
    ):
        sources[role_change_id].append(url)
    people = {
        person.pk: person
        for person in Person.objects.filter(pk__in={t.person_id for t in tenures})
        .prefetch_related("other_names")
        .order_by("slug")
    }
    organizations = {
        organization.pk: organization
        for organization in Organization.objects.filter(pk__in={t.organization_id for t in tenures})
        .prefetch_related("other_names")
        .order_by("slug")
    }
    posts = {tenure.post.pk: tenure.post for tenure in tenures}
    posts |= {change.post.pk: change.post for change in changes.values()}
    post_ids = _post_ids(posts.values(), organizations)

    memberships = []
    by_person: dict[int, int] = defaultdict(int)
    for tenure in sorted(tenures, key=lambda t: _membership_order(t, people, organizations)):
        person = people[tenure.person_id]
        by_person[person.pk] += 1
        membership: dict[str, Any] = {
            "id": f"membership/{person.slug}/{by_person[person.pk]}",
            "person_id": f"person/{person.slug}",
            "organization_id": f"organization/{organizations[tenure.organization_id].slug}",
            "post_id": post_ids[tenure.post_id],
            "role": tenure.post.title,
        }
        if tenure.start:
            membership["start_date"] = tenure.start.isoformat()
        if tenure.end:
            membership["end_date"] = tenure.end.isoformat()
        urls: set[str] = set()
        if tenure.started_by is not None and tenure.start is not None:
            urls |= set(sources[tenure.started_by_id])
            membership["start"] = {
                "change": tenure.started_by.kind,
                "sources": sources[tenure.started_by_id],
            }
        if tenure.ended_by is not None:
            ended_by = tenure.ended_by
            urls |= set(sources[ended_by.pk])
            membership["end"] = {
                "change": ended_by.kind,
                "post_id": post_ids[ended_by.post_id],
                "leaves_organization": ended_by.leaves_organization,
                "sources": sources[ended_by.pk],
            }
        if held.get(tenure.pk):
            membership["held_on"] = [
                {"date": change.effective.isoformat(), "sources": sources[change.pk]}
                for change in held[tenure.pk]
            ]
            urls |= {url for change in held[tenure.pk] for url in sources[change.pk]}
        membership["sources"] = [{"url": url} for url in sorted(urls)]
        memberships.append(membership)

    return {
        "persons": [
            {
                "id": f"person/{person.slug}",
                "name": person.name,
                "sort_name": person.sort_name,
                "other_names": [
                    {"name": other.name, "lang": other.language, "note": other.note}
                    for other in sorted(
                        person.other_names.all(), key=lambda o: (o.language, o.name, o.note)
                    )
                ],
            }
            for person in people.values()
        ],
        "organizations": [
            {
                "id": f"organization/{organization.slug}",
                "name": organization.name,
                "classification": organization.kind,
                "other_names": [
                    {"name": other.name, "lang": other.language}
                    for other in sorted(
                        organization.other_names.all(), key=lambda o: (o.language, o.name)
                    )
                ],
            }
            for organization in organizations.values()
        ],
        "posts": sorted(
            (
                {
                    "id": post_ids[post.pk],
                    "label": post.title,
                    "organization_id": f"organization/{organizations[post.organization_id].slug}",
                    "seniority": post.rank,
                    "leadership": post.is_leadership,
                }
                for post in posts.values()
            ),
            key=lambda post: post["id"],
        ),
        "memberships": memberships,
    }


def _held_records(tenures: list[Tenure]) -> dict[int, list[RoleChange]]:
    """The public "held" records of each tenure, in date order: the one that opened it (its
    ``started_by``, start unknown), and those that fell within it and only confirmed it."""
    by_post: dict[tuple[int, int], list[Tenure]] = defaultdict(list)
    for tenure in tenures:
        by_post[tenure.person_id, tenure.post_id].append(tenure)
    found: dict[int, list[RoleChange]] = defaultdict(list)
    records = (
        RoleChange.objects.public()
        .filter(kind=RoleChangeKind.HELD, person_id__in={t.person_id for t in tenures})
        .select_related("post")
        .chronological()
    )
    for change in records:
        day = change.effective.latest
        for tenure in by_post.get((change.person_id, change.post_id), []):
            opened = tenure.started_by_id == change.pk
            within = (
                tenure.start is not None
                and tenure.start.earliest <= day
                and (tenure.end is None or day <= tenure.end.latest)
            )
            if opened or within:
                found[tenure.pk].append(change)
                break
    return found


def _post_ids(posts, organizations) -> dict[int, str]:
    """``post/<organization>/<title>``, with a numeric suffix for titles that slugify alike."""
    ids: dict[int, str] = {}
    taken: set[str] = set()
    for post in sorted(posts, key=lambda post: (post.organization_id, post.title.lower())):
        base = f"post/{organizations[post.organization_id].slug}/{slugify(post.title) or 'post'}"
        post_id, suffix = base, 2
        while post_id in taken:
            post_id, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(post_id)
        ids[post.pk] = post_id
    return ids


def _membership_order(tenure: Tenure, people, organizations) -> tuple:
    start = tenure.start or tenure.seen
    end = tenure.end
    return (
        people[tenure.person_id].slug,
        organizations[tenure.organization_id].slug,
        (0, start.earliest, start.latest) if start else (-1,),
        (0, end.earliest, end.latest) if end else (1,),
        tenure.post.title.lower(),
    )


def popolo_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# Import ---------------------------------------------------------------------------------------


class _Invalid(Exception):
    pass


class _Reader:
    """Checks a Popolo document, collecting every problem with the path where it is."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.errors: list[RowError] = []
        self.created = {"people": 0, "organizations": 0, "posts": 0}

    def refuse(self, where: str, message: str) -> None:
        self.errors.append(RowError(0, message, self.filename, where=where))

    def items(self, document: dict, key: str) -> list[tuple[str, dict]]:
        value = document.get(key, [])
        if not isinstance(value, list):
            self.refuse(key, "must be a list.")
            return []
        found = []
        for index, item in enumerate(value):
            where = f"{key}[{index}]"
            if isinstance(item, dict):
                found.append((where, item))
            else:
                self.refuse(where, "must be an object.")
        return found

    def text(self, item: dict, where: str, key: str, *, required: bool = True, limit=200) -> str:
        value = item.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.refuse(f"{where}.{key}", "must be text.")
            return ""
        value = " ".join(value.split())
        if required and not value:
            self.refuse(f"{where}.{key}", "is missing or empty.")
        elif len(value) > limit:
            self.refuse(f"{where}.{key}", f"is {len(value)} characters long; at most {limit} fit.")
        return value

    def slug(self, item: dict, where: str, prefix: str) -> str:
        value = self.text(item, where, "id")
        slug = value.removeprefix(f"{prefix}/")
        if value and (slug == value or not slug or not set(slug) <= SLUG_CHARACTERS):
            self.refuse(
                f"{where}.id",
                f"“{value}” is not an id of the form {prefix}/<slug> (lowercase ASCII letters, "
                "digits and hyphens).",
            )
            return ""
        return slug

    def date(self, item: dict, where: str, key: str) -> PartialDate | None:
        value = item.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.refuse(f"{where}.{key}", "must be a date written as text.")
            return None
        try:
            return PartialDate.parse(value)
        except InvalidPartialDate as invalid:
            self.refuse(f"{where}.{key}", str(invalid))
            return None

    def urls(self, item: dict, where: str) -> list[tuple[str, str]]:
        value = item.get("sources", [])
        if not isinstance(value, list):
            self.refuse(f"{where}.sources", "must be a list of URLs.")
            return []
        found = []
        for index, url in enumerate(value):
            if isinstance(url, dict):
                url = url.get("url")
            if not isinstance(url, str):
                self.refuse(f"{where}.sources[{index}]", "must be a URL.")
                continue
            try:
                found.append((url, canonical_url(url)))
            except InvalidSourceURL as invalid:
                self.refuse(f"{where}.sources[{index}]", invalid.message)
        return found


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
    reader = _Reader(filename)
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
                raise _Invalid
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
                raise _Invalid
            if dry_run:
                raise _Invalid
    except _Invalid:
        if reader.errors:
            result.errors = reader.errors
            result.outcomes = {}
    return result


def _rows(document: dict, reader: _Reader) -> tuple[list[MoveRow], dict[int, str]]:
    """Create what the document names (people, organizations, posts) and return one moves
    row per role change and source, with where in the document each row comes from."""
    people = _people(document, reader)
    organizations = _organizations(document, reader)
    posts = _posts(document, reader, organizations)
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
            date = reader.date(membership, path, f"{end}_date")
            change = membership.get(end)
            if (date is None) != (change is None):
                reader.refuse(
                    f"{path}.{end}",
                    f"give both {end}_date and {end} (the change), or neither.",
                )
                continue
            if date is None:
                continue
            if not isinstance(change, dict):
                reader.refuse(f"{path}.{end}", "must be an object.")
                continue
            kind = change.get("change")
            if kind not in RoleChangeKind.values:
                reader.refuse(
                    f"{path}.{end}.change",
                    f"{kind!r} is not a change; use joined, appointed, promoted or left.",
                )
                continue
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
                continue
            if end == "start" and not kind.opens_tenure:
                reader.refuse(f"{path}.start.change", "a tenure cannot start with “left”.")
                continue
            if end == "end":
                named_post = posts.get(str(change.get("post_id")))
                if named_post is None or named_post.organization_id != organization.pk:
                    reader.refuse(f"{path}.end.post_id", "names no post of this organization.")
                    continue
                leaves = bool(change.get("leaves_organization", False))
                if kind.opens_tenure:
                    previous_title = post.title
                    if leaves:
                        reader.refuse(f"{path}.end.leaves_organization", "only a departure leaves.")
                        continue
                elif named_post.pk != post.pk and not leaves:
                    reader.refuse(
                        f"{path}.end",
                        "a departure from another post ends this one only when it leaves the "
                        "organization.",
                    )
                    continue
            add(
                change,
                f"{path}.{end}",
                effective=date,
                kind=kind,
                title=named_post.title,
                previous_title=previous_title,
                leaves_organization=leaves,
            )
        held_on = membership.get("held_on", [])
        if not isinstance(held_on, list):
            reader.refuse(f"{path}.held_on", "must be a list.")
            continue
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
    return rows, where


def _rows_adder(rows: list[MoveRow], where: dict[int, str], reader: _Reader, person, organization):
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


def _people(document: dict, reader: _Reader) -> dict[str, Person]:
    found: dict[str, Person] = {}
    wanted = []
    for path, item in reader.items(document, "persons"):
        slug = reader.slug(item, path, "person")
        name = reader.text(item, path, "name", limit=NAME_MAX_LENGTH)
        sort_name = reader.text(item, path, "sort_name", required=False, limit=NAME_MAX_LENGTH)
        names = _other_names(reader, item, path, with_note=True)
        if slug and name:
            wanted.append((path, slug, name, sort_name, names))
    existing = {
        person.slug: person
        for person in Person.objects.filter(slug__in=[w[1] for w in wanted]).only(
            "pk", "slug", "name"
        )
    }
    created = []
    for path, slug, name, sort_name, _names in wanted:
        person = existing.get(slug)
        if person is not None and person.name.casefold() != name.casefold():
            reader.refuse(
                f"{path}.id",
                f"person/{slug} is {person.name} here, not {name}; rename one of them first.",
            )
            continue
        if person is None:
            person = Person(name=name, slug=slug, sort_name=sort_name or default_sort_name(name))
            created.append(person)
        found[f"person/{slug}"] = person
    if reader.errors:
        return found
    Person.objects.bulk_create(created)
    reader.created["people"] = len(created)
    _add_other_names(
        PersonName, "person", {f"person/{w[1]}": w[4] for w in wanted}, found, with_note=True
    )
    return found


def _organizations(document: dict, reader: _Reader) -> dict[str, Organization]:
    found: dict[str, Organization] = {}
    wanted = []
    for path, item in reader.items(document, "organizations"):
        slug = reader.slug(item, path, "organization")
        name = reader.text(item, path, "name", limit=NAME_MAX_LENGTH)
        kind = item.get("classification") or OrganizationKind.COMPANY
        if kind not in OrganizationKind.values:
            reader.refuse(
                f"{path}.classification",
                f"{kind!r} is not a kind of organization; use "
                f"{', '.join(OrganizationKind.values)}.",
            )
        names = _other_names(reader, item, path, with_note=False)
        if slug and name:
            wanted.append((path, slug, name, kind, names))
    existing = {
        organization.slug: organization
        for organization in Organization.objects.filter(slug__in=[w[1] for w in wanted]).only(
            "pk", "slug", "name"
        )
    }
    created = []
    for path, slug, name, kind, _names in wanted:
        organization = existing.get(slug)
        if organization is not None and organization.name.casefold() != name.casefold():
            reader.refuse(
                f"{path}.id",
                f"organization/{slug} is {organization.name} here, not {name}.",
            )
            continue
        if organization is None:
            organization = Organization(name=name, slug=slug, kind=kind)
            created.append(organization)
        found[f"organization/{slug}"] = organization
    if reader.errors:
        return found
    Organization.objects.bulk_create(created)
    reader.created["organizations"] = len(created)
    _add_other_names(
        OrganizationName, "organization", {f"organization/{w[1]}": w[4] for w in wanted}, found
    )
    return found


def _other_names(reader: _Reader, item: dict, path: str, *, with_note: bool) -> list[tuple]:
    names = []
    value = item.get("other_names", [])
    if not isinstance(value, list):
        reader.refuse(f"{path}.other_names", "must be a list.")
        return names
    for index, other in enumerate(value):
        where = f"{path}.other_names[{index}]"
        if not isinstance(other, dict):
            reader.refuse(where, "must be an object.")
            continue
        name = reader.text(other, where, "name", limit=NAME_MAX_LENGTH)
        language = reader.text(other, where, "lang", required=False, limit=35)
        note = reader.text(other, where, "note", required=False) if with_note else ""
        if name:
            names.append((name, language, note))
    return names


def _add_other_names(model, fk: str, wanted: dict[str, list], found: dict, *, with_note=False):
    owners = {key: owner for key, owner in found.items() if key in wanted}
    known = defaultdict(set)
    for owner_id, name in model.objects.filter(
        **{f"{fk}__in": [owner.pk for owner in owners.values()]}
    ).values_list(f"{fk}_id", "name"):
        known[owner_id].add(name.casefold())
    new = []
    for key, owner in owners.items():
        taken = known[owner.pk] | {owner.name.casefold()}
        for name, language, note in wanted[key]:
            if name.casefold() in taken:
                continue
            taken.add(name.casefold())
            fields = {fk: owner, "name": name, "language": language}
            if with_note:
                fields["note"] = note
            new.append(model(**fields))
    model.objects.bulk_create(new)


def _posts(document: dict, reader: _Reader, organizations: dict) -> dict[str, Post]:
    found: dict[str, Post] = {}
    wanted = []
    for path, item in reader.items(document, "posts"):
        post_id = reader.text(item, path, "id")
        label = reader.text(item, path, "label", limit=NAME_MAX_LENGTH)
        organization = organizations.get(str(item.get("organization_id")))
        if organization is None:
            reader.refuse(f"{path}.organization_id", "names no organization in this document.")
            continue
        rank = item.get("seniority", Rank.guess(label))
        if rank not in Rank.values:
            reader.refuse(f"{path}.seniority", f"{rank!r} is not a rank.")
            continue
        leadership = item.get("leadership", rank != Rank.OTHER)
        if post_id and label:
            wanted.append((post_id, label, organization, rank, bool(leadership)))
    if reader.errors:
        return found
    existing = {
        (post.organization_id, post.title.lower()): post
        for post in Post.objects.filter(organization__in=[w[2].pk for w in wanted]).order_by("-pk")
    }
    created = []
    for post_id, label, organization, rank, leadership in wanted:
        post = existing.get((organization.pk, label.lower()))
        if post is None:
            post = Post(organization=organization, title=label, rank=rank, is_leadership=leadership)
            existing[(organization.pk, label.lower())] = post
            created.append(post)
        found[post_id] = post
    Post.objects.bulk_create(created)
    reader.created["posts"] = len(created)
    return found
