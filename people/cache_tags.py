"""What a write to people's data changes, as the page tags of newsroom/cache.py: reader
pages cached whole (newsroom/page_cache.py) are kept until a tag they depend on changes.

A person or an organization tags their own pages (``person:<slug>``, ``org:<slug>``); the
lists ``people``, ``organizations`` and ``moves`` (home, feeds, search) tag theirs. A write
fans out to every page that shows what it changed: a person's name is on the pages of the
organizations they held roles at and on the stories that cite their moves.
"""

from __future__ import annotations

from people.models import Organization, Person, RoleChange, Tenure

LISTS = ("people", "organizations", "moves")


def _story_tags(slugs) -> set[str]:
    return {f"story:{slug}" for slug in slugs if slug}


def person_tags(person: Person, *, new: bool = False) -> set[str]:
    tags = {f"person:{person.slug}", *LISTS}
    if new:  # nothing shows a person before they have a move
        return tags
    moves = RoleChange.objects.filter(person_id=person.pk)
    tags |= {f"org:{slug}" for slug in moves.values_list("organization__slug", flat=True)}
    tags |= _story_tags(moves.values_list("citations__stories__slug", flat=True))
    tags |= _story_tags(Person.objects.filter(pk=person.pk).values_list("stories__slug", flat=True))
    return tags


def organization_tags(organization: Organization, *, new: bool = False) -> set[str]:
    tags = {f"org:{organization.slug}", *LISTS}
    if new:
        return tags
    # Its parts' pages name it ("Part of …").
    parts = Organization.objects.filter(parent_id=organization.pk)
    tags |= {f"org:{slug}" for slug in parts.values_list("slug", flat=True)}
    moves = RoleChange.objects.filter(organization_id=organization.pk)
    tags |= {f"person:{slug}" for slug in moves.values_list("person__slug", flat=True)}
    tags |= _story_tags(moves.values_list("citations__stories__slug", flat=True))
    tags |= _story_tags(
        Organization.objects.filter(pk=organization.pk).values_list("stories__slug", flat=True)
    )
    return tags


def move_tags(*role_change_ids: int) -> set[str]:
    """A move recorded, edited, confirmed or withdrawn: its person's and organization's
    pages, everyone who held the same post there (whose successions it may change), the
    stories that cite it or report it, and the lists."""
    tags = set(LISTS)
    moves = RoleChange.objects.filter(pk__in=role_change_ids)
    posts = set()
    for person, organization, post_id, organization_id in moves.values_list(
        "person__slug", "organization__slug", "post_id", "organization_id"
    ):
        tags |= {f"person:{person}", f"org:{organization}"}
        posts.add((organization_id, post_id))
    for organization_id, post_id in posts:
        holders = Tenure.objects.filter(organization_id=organization_id, post_id=post_id)
        tags |= {f"person:{slug}" for slug in holders.values_list("person__slug", flat=True)}
    tags |= _story_tags(moves.values_list("citations__stories__slug", flat=True))
    tags |= _story_tags(moves.values_list("stories__slug", flat=True))
    return tags
