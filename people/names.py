"""Names in the reader's script: on Japanese pages a person's or an organization's Japanese
name (an other name in ``ja`` with no note, so not a given name or a family name alone)
leads, with the Latin name beside it.

One lookup for the whole desk, cached on the data version (newsroom/cache.py): a Japanese
page asks nothing of the database for its names once the map is built, and English pages
never ask at all.
"""

from __future__ import annotations

from django.utils.translation import get_language

from newsroom.cache import cached, data_version
from people.models import Organization, OrganizationName, Person, PersonName

# The site's editions whose readers get a name in their script, and the tags that count.
SCRIPT_LANGUAGES = {"ja": ("ja", "ja-JP", "ja-Jpan")}


def _build(tags: tuple[str, ...]) -> dict[str, dict[int, str]]:
    people: dict[int, str] = {}
    for person_id, name in (
        PersonName.objects.filter(language__in=tags, note="")
        .order_by("pk")
        .values_list("person_id", "name")
    ):
        people.setdefault(person_id, name)
    organizations: dict[int, str] = {}
    for organization_id, name in (
        OrganizationName.objects.filter(language__in=tags)
        .order_by("pk")
        .values_list("organization_id", "name")
    ):
        organizations.setdefault(organization_id, name)
    return {"person": people, "organization": organizations}


def names_in(language: str) -> dict[str, dict[int, str]] | None:
    """Every person's and organization's name in ``language`` (None for English)."""
    tags = SCRIPT_LANGUAGES.get(language)
    if tags is None:
        return None
    return cached(f"names:{language}:{data_version()}", lambda: _build(tags))


def local_name(entity: Person | Organization) -> str | None:
    """The name that leads on this page, when it is not the Latin one."""
    names = names_in(get_language() or "en")
    if names is None or entity is None:
        return None
    kind = "organization" if isinstance(entity, Organization) else "person"
    return names[kind].get(entity.pk)
