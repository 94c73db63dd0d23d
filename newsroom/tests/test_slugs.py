import pytest

from newsroom.slugs import slug_base, unique_slugs
from people.models import Person
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


@pytest.mark.django_db
def test_bulk_slugs_follow_the_same_rule_and_never_collide():
    PersonFactory(name="Mark Chen")
    PersonFactory(name="Mark Chen")
    PersonFactory(name="Mark Chenko")
    slugs = unique_slugs(Person, ["Mark Chen", "Mira Murati", "Mark Chen", "Mira  Murati"])
    assert slugs == ["mark-chen-3", "mira-murati", "mark-chen-4", "mira-murati-2"]


@pytest.mark.django_db
def test_bulk_slug_queries_are_bounded_by_batches(django_assert_max_num_queries):
    PersonFactory(name="Name 1")
    names = [f"Name {number}" for number in range(300)]
    with django_assert_max_num_queries(2):
        slugs = unique_slugs(Person, names)
    assert len(set(slugs)) == 300
    assert "name-1" not in slugs
