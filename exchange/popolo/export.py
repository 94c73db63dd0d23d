"""Popolo export: the public record (confirmed tenures, verified sources) as a document."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from django.utils.text import slugify

from people.models import Organization, Person, RoleChange, RoleChangeKind, Tenure
from stories.models import Citation


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
    sources = Citation.objects.verified().source_urls_by_move(changes)
    people = {
        person.pk: person
        for person in Person.objects.filter(pk__in={t.person_id for t in tenures})
        .prefetch_related("other_names", "identifiers")
        .order_by("slug")
    }
    organizations = {
        organization.pk: organization
        for organization in Organization.objects.filter(pk__in={t.organization_id for t in tenures})
        .prefetch_related("other_names", "identifiers")
        .order_by("slug")
    }
    posts = {tenure.post.pk: tenure.post for tenure in tenures}
    posts |= {change.post.pk: change.post for change in changes.values()}
    post_ids = _post_ids(posts.values(), organizations)

    memberships = _memberships(tenures, people, organizations, post_ids, sources, held)
    return {
        "persons": [_person(person) for person in people.values()],
        "organizations": [_organization(organization) for organization in organizations.values()],
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


def _person(person: Person) -> dict[str, Any]:
    document = {
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
    return document | _identifiers(person)


def _organization(organization: Organization) -> dict[str, Any]:
    document = {
        "id": f"organization/{organization.slug}",
        "name": organization.name,
        # A source's own classification (party, legislature) when it gave one, else the kind.
        "classification": organization.classification or organization.kind,
        "other_names": [
            {"name": other.name, "lang": other.language}
            for other in sorted(organization.other_names.all(), key=lambda o: (o.language, o.name))
        ],
    }
    if organization.founded:
        document["founding_date"] = organization.founded.isoformat()
    return document | _identifiers(organization)


def _identifiers(record: Person | Organization) -> dict[str, Any]:
    """Popolo ``identifiers``: those other publishers gave it, and its Wikidata QID."""
    found = [(other.scheme, other.identifier) for other in record.identifiers.all()]
    if record.wikidata_id:
        found.append(("wikidata", record.wikidata_id))
    if not found:
        return {}
    return {
        "identifiers": [
            {"identifier": identifier, "scheme": scheme} for scheme, identifier in sorted(found)
        ]
    }


def _memberships(tenures, people, organizations, post_ids, sources, held) -> list[dict[str, Any]]:
    """One membership per public tenure, in a stable order, numbered per person."""
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
        _membership_ends(membership, tenure, post_ids, sources, held.get(tenure.pk, []))
        memberships.append(membership)
    return memberships


def _membership_ends(membership, tenure, post_ids, sources, held: list[RoleChange]) -> None:
    """Dates at their precision, the role change at each end, held records, and sources."""
    if tenure.start:
        membership["start_date"] = tenure.start.isoformat()
    if tenure.end and tenure.end_is_bound:
        # Ended by a later title: the end is unknown, no later than this (not a Popolo
        # end_date, which would invent it). Importers derive it again from the later title.
        membership["ended_by_later_title"] = {
            "no_later_than": tenure.end.isoformat(),
            "post_id": post_ids[tenure.ended_by.post_id] if tenure.ended_by else None,
        }
    elif tenure.end:
        membership["end_date"] = tenure.end.isoformat()
    urls: set[str] = set()
    if tenure.started_by is not None and tenure.start is not None:
        urls |= set(sources[tenure.started_by_id])
        membership["start"] = {
            "change": tenure.started_by.kind,
            "sources": sources[tenure.started_by_id],
        }
    if tenure.ended_by is not None and not tenure.end_is_bound:
        ended_by = tenure.ended_by
        urls |= set(sources[ended_by.pk])
        membership["end"] = {
            "change": ended_by.kind,
            "post_id": post_ids[ended_by.post_id],
            "leaves_organization": ended_by.leaves_organization,
            "sources": sources[ended_by.pk],
        }
    if held:
        membership["held_on"] = [
            {"date": change.effective.isoformat(), "sources": sources[change.pk]} for change in held
        ]
        urls |= {url for change in held for url in sources[change.pk]}
    membership["sources"] = [{"url": url} for url in sorted(urls)]


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
