"""The people, organizations and posts a Popolo document names: found by id (slug) or
created with it, with their other names."""

from __future__ import annotations

from collections import defaultdict

from exchange.csv_format import NAME_MAX_LENGTH
from exchange.popolo.reader import Reader
from people.models import (
    Organization,
    OrganizationKind,
    OrganizationName,
    Person,
    PersonName,
    Post,
    Rank,
)
from people.models.people import default_sort_name


def people(document: dict, reader: Reader) -> dict[str, Person]:
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


def organizations(document: dict, reader: Reader) -> dict[str, Organization]:
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


def _other_names(reader: Reader, item: dict, path: str, *, with_note: bool) -> list[tuple]:
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


def posts(document: dict, reader: Reader, organizations: dict) -> dict[str, Post]:
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
