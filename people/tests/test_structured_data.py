"""Profile pages for machines: schema.org Person JSON-LD and Open Graph tags."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command

from people.models import Person
from people.tests.factories import (
    OrganizationFactory,
    PersonFactory,
    PersonNameFactory,
    journalist,
    record,
)

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(response) -> list[dict]:
    assert response.status_code == 200
    return [json.loads(content) for content in JSON_LD.findall(response.content.decode())]


def head_of(response) -> str:
    html = response.content.decode()
    return html[: html.index("</head>")]


def roles_by_name(person: dict) -> dict[str, dict]:
    return {role["roleName"]: role for role in person["worksFor"]}


def test_a_demo_profile_lists_the_persons_roles_with_dates_at_their_precision(client):
    call_command("load_demo_desk", verbosity=0)

    [person] = json_ld(client.get("/people/bob-mcgrew/"))

    assert person["@context"] == "https://schema.org"
    assert person["@type"] == "Person"
    assert person["name"] == "Bob McGrew"
    assert person["url"] == "http://testserver/people/bob-mcgrew/"
    assert person["alternateName"] == ["ボブ・マグルー"]
    roles = roles_by_name(person)
    assert roles["Member of Technical Staff"] == {
        "@type": "OrganizationRole",
        "roleName": "Member of Technical Staff",
        "worksFor": {
            "@type": "Organization",
            "name": "OpenAI",
            "url": "http://testserver/organizations/openai/",
        },
        "startDate": "2017-01",
        "endDate": "2018",
    }
    assert roles["VP of Research"]["startDate"] == "2018"
    assert roles["VP of Research"]["endDate"] == "2024-09-25"
    assert "jobTitle" not in person  # he left OpenAI: no current role


def test_current_roles_are_job_titles_and_external_ids_are_same_as(client):
    person = PersonFactory(
        name="Mark Chen", wikidata_id="Q42", x_handle="markchen90", homepage="https://mark.example/"
    )
    PersonNameFactory(person=person, name="マーク・チェン")
    openai = OrganizationFactory(name="OpenAI")
    record(person, openai, "joined", "Research staff", "2018")
    record(
        person, openai, "promoted", "SVP of Research", "2024-09-25", previous_title="Research staff"
    )

    [data] = json_ld(client.get(person.get_absolute_url()))

    assert data["sameAs"] == [
        "https://www.wikidata.org/wiki/Q42",
        "https://x.com/markchen90",
        "https://mark.example/",
    ]
    assert data["alternateName"] == ["マーク・チェン"]
    assert data["jobTitle"] == ["SVP of Research"]
    assert roles_by_name(data)["SVP of Research"]["startDate"] == "2024-09-25"
    assert "endDate" not in roles_by_name(data)["SVP of Research"]


def test_structured_data_states_confirmed_roles_only_even_to_staff(client):
    person = PersonFactory(name="Matt Knight")
    openai = OrganizationFactory(name="OpenAI")
    record(person, openai, "joined", "Security lead", "2020")
    record(person, openai, "appointed", "Chief Information Officer", "2024-09-25", public=False)
    client.force_login(journalist())

    response = client.get(person.get_absolute_url())

    assert "Chief Information Officer" in response.content.decode()  # the page shows it, pending
    [data] = json_ld(response)
    assert list(roles_by_name(data)) == ["Security lead"]


def test_a_person_without_roles_or_other_names_leaves_those_properties_out(client):
    """Read by the desk: readers do not see someone with nothing confirmed yet."""
    person = PersonFactory(name="New Person")
    client.force_login(journalist())

    [data] = json_ld(client.get(person.get_absolute_url()))

    assert data == {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": "New Person",
        "url": "http://testserver/people/new-person/",
    }


def test_a_name_closing_the_script_element_stays_inside_the_json(client):
    person = Person.objects.create(name="</script><script>alert(1)</script>")
    record(person, OrganizationFactory(), "joined", "Engineer", "2020")

    response = client.get(person.get_absolute_url())

    assert "<script>alert(1)" not in response.content.decode()
    assert json_ld(response)[0]["name"] == "</script><script>alert(1)</script>"


def test_person_and_organization_pages_have_open_graph_tags(client):
    person = PersonFactory(name="Mira Murati", bio="Engineer & executive.")
    organization = OrganizationFactory(name="OpenAI")
    record(person, organization, "joined", "Engineer", "2018")

    person_head = head_of(client.get(person.get_absolute_url()))
    organization_head = head_of(
        client.get(organization.get_absolute_url(), {"as_of": "2024-09-26"})
    )

    assert '<meta property="og:type" content="profile">' in person_head
    assert '<meta property="og:title" content="Mira Murati">' in person_head
    assert '<meta property="og:description" content="Engineer &amp; executive.">' in person_head
    assert '<meta property="og:url" content="http://testserver/people/mira-murati/">' in person_head
    assert '<meta property="og:type" content="website">' in organization_head
    assert '<meta property="og:title" content="OpenAI">' in organization_head
    # The organization's page itself, whatever date the reader picked.
    assert (
        '<meta property="og:url" content="http://testserver/organizations/openai/">'
        in organization_head
    )
