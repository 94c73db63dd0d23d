"""schema.org JSON-LD for profile pages: a Person with their roles."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest

from people.models import Person, Tenure


def public_tenures(person: Person) -> list[Tenure]:
    """The roles structured data may state: confirmed ones only (rule 3), whoever reads."""
    return list(
        Tenure.objects.public()
        .filter(person=person)
        .select_related("organization", "post")
        .chronological()
    )


def person_data(
    person: Person, *, request: HttpRequest, tenures: Iterable[Tenure]
) -> dict[str, Any]:
    """The person, with each public tenure as an OrganizationRole (the schema.org Role
    pattern: the role wraps the organization it is held at). Dates keep their precision:
    "2018", "2022-05", "2024-09-25"."""
    tenures = list(tenures)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": person.name,
        "url": request.build_absolute_uri(person.get_absolute_url()),
    }
    if other_names := [other.name for other in person.other_names.all()]:
        data["alternateName"] = other_names
    if person.bio:
        data["description"] = person.bio
    if person.photo:
        data["image"] = request.build_absolute_uri(person.photo.url)
    if same_as := external_pages(person):
        data["sameAs"] = same_as
    if current := [role_name(tenure) for tenure in tenures if tenure.is_current]:
        data["jobTitle"] = current
    if tenures:
        data["worksFor"] = [organization_role(tenure, request=request) for tenure in tenures]
    return data


def external_pages(person: Person) -> list[str]:
    pages = []
    if person.wikidata_id:
        pages.append(f"https://www.wikidata.org/wiki/{person.wikidata_id}")
    if person.x_handle:
        pages.append(f"https://x.com/{person.x_handle}")
    if person.homepage:
        pages.append(person.homepage)
    return pages


def role_name(tenure: Tenure) -> str:
    return f"Interim {tenure.post.title}" if tenure.is_interim else tenure.post.title


def organization_role(tenure: Tenure, *, request: HttpRequest) -> dict[str, Any]:
    role: dict[str, Any] = {
        "@type": "OrganizationRole",
        "roleName": role_name(tenure),
        "worksFor": {
            "@type": "Organization",
            "name": tenure.organization.name,
            "url": request.build_absolute_uri(tenure.organization.get_absolute_url()),
        },
    }
    if tenure.start:
        role["startDate"] = tenure.start.isoformat()
    if tenure.end:
        role["endDate"] = tenure.end.isoformat()
    return role
