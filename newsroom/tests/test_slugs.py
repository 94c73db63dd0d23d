import pytest

from newsroom.slugs import slug_base
from people.tests.factories import OrganizationFactory, PersonFactory


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Mira Murati", "mira-murati"),
        ("OpenAI", "openai"),
        ("Łukasz Kaiser", "lukasz-kaiser"),
        ("José  Núñez", "jose-nunez"),
        ("ミラ", "mira"),
    ],
)
def test_slug_is_lowercase_ascii_of_the_name(name, slug):
    assert slug_base(name, fallback="person") == slug


def test_a_name_with_nothing_to_transliterate_falls_back():
    assert slug_base("!!!", fallback="person") == "person"


@pytest.mark.django_db
def test_colliding_slugs_get_a_numeric_suffix():
    first = PersonFactory(name="Mark Chen")
    second = PersonFactory(name="Mark Chen")
    third = PersonFactory(name="Mark  Chen")
    assert [first.slug, second.slug, third.slug] == ["mark-chen", "mark-chen-2", "mark-chen-3"]


@pytest.mark.django_db
def test_a_slug_does_not_change_when_the_name_does():
    organization = OrganizationFactory(name="OpenAI")
    organization.name = "OpenAI Inc."
    organization.save()
    organization.refresh_from_db()
    assert organization.slug == "openai"
