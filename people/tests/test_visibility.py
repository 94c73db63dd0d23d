"""People and organizations known only from pending desk work stay off reader pages.

A journalist records a scoop ("Zed Pending joins Secret Startup") with a person and an
organization created on the spot; until an editor verifies it, no reader page, list, search,
feed, sitemap or API answer may carry those names.
"""

import pytest
from django.urls import reverse

from people.tests.factories import OrganizationFactory, PersonFactory, editor, journalist, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoop():
    person = PersonFactory(name="Zed Pending")
    organization = OrganizationFactory(name="Secret Startup")
    move = record(person, organization, "appointed", "CEO", "2026-11", public=False)
    return person, organization, move


def reader_pages(person, organization) -> dict[str, str]:
    return {
        "profile": person.get_absolute_url(),
        "organization": organization.get_absolute_url(),
        "person feed": reverse("feeds:person-moves", args=[person.slug]),
        "organization feed": reverse("feeds:organization-moves", args=[organization.slug]),
        "API person": f"/api/people/{person.slug}",
        "API leadership": f"/api/organizations/{organization.slug}/leadership",
    }


def test_readers_get_404_for_someone_known_only_from_a_pending_move(client, scoop):
    person, organization, _ = scoop
    for name, url in reader_pages(person, organization).items():
        assert client.get(url).status_code == 404, name


def test_readers_never_see_their_names_in_lists_or_searches(client, scoop):
    for url in (
        reverse("people:person-list") + "?q=Zed",
        reverse("people:person-list"),
        reverse("people:organization-list"),
        reverse("home"),
        "/api/people?q=Zed",
        "/sitemap.xml",
    ):
        page = client.get(url).content.decode()
        assert "Zed Pending" not in page and "zed-pending" not in page, url
        assert "Secret Startup" not in page and "secret-startup" not in page, url


@pytest.mark.parametrize("member", [journalist, editor])
def test_the_desk_sees_them(client, scoop, member):
    person, organization, _ = scoop
    client.force_login(member())
    assert client.get(person.get_absolute_url()).status_code == 200
    assert client.get(organization.get_absolute_url()).status_code == 200
    assert "Zed Pending" in client.get(reverse("people:person-list") + "?q=Zed").content.decode()
    assert "Secret Startup" in client.get(reverse("people:organization-list")).content.decode()


def test_they_appear_once_the_move_is_confirmed(client, scoop):
    from people.services import role_change_set_public

    person, organization, move = scoop
    role_change_set_public(role_change=move, is_public=True)
    assert client.get(person.get_absolute_url()).status_code == 200
    assert client.get(organization.get_absolute_url()).status_code == 200
    assert "Zed Pending" in client.get(reverse("people:person-list") + "?q=Zed").content.decode()
