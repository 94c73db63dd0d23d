"""People search: every name and other name, in any script, once each; indexed on PostgreSQL."""

import pytest
from django.db import connection

from people.models import Organization, Person
from people.tests.factories import OrganizationFactory, PersonFactory, PersonNameFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    mira = PersonFactory(name="Mira Murati")
    PersonNameFactory(person=mira, name="ミラ・ムラティ", language="ja")
    PersonNameFactory(person=mira, name="Mira M.", language="en")
    wang = PersonFactory(name="王伟")
    PersonNameFactory(person=wang, name="Wei Wang", language="en")
    PersonFactory(name="Miranda Lee")
    return {"mira": mira, "wang": wang}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("murati", ["Mira Murati"]),
        ("ムラティ", ["Mira Murati"]),
        ("王", ["王伟"]),
        ("wei wang", ["王伟"]),
        ("MIRA", ["Mira Murati", "Miranda Lee"]),
        ("  mira   m ", ["Mira Murati"]),
        ("nobody", []),
    ],
)
def test_matching_finds_a_name_or_an_other_name_in_any_script(people, text, expected):
    assert sorted(Person.objects.matching(text).values_list("name", flat=True)) == expected


def test_a_person_matching_several_names_is_listed_once(people):
    """ "Mira" is in the display name and in both other names: one result, not three."""
    assert list(Person.objects.matching("mira").filter(pk=people["mira"].pk)) == [people["mira"]]
    assert Person.objects.matching("mira").count() == 2


def test_matching_nothing_but_spaces_finds_nobody(people):
    assert not Person.objects.matching("   ").exists()


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Émile Zola", "ÉMILE"),
        ("ÉMILE ZOLA", "émile"),
        ("Ольга Иванова", "ИВАНОВА"),
        ("ОЛЬГА ИВАНОВА", "ольга"),
        ("Σωκράτης Παππάς", "ΣΩΚΡΆΤΗΣ"),
        ("ΟΔΥΣΣΕΑΣ", "οδυσσεας"),
        ("Çağla Öztürk", "ÇAĞLA ÖZTÜRK"),
    ],
)
def test_matching_ignores_case_in_every_script(stored, typed):
    """On SQLite too, whose LIKE ignores case for ASCII letters only."""
    person = PersonFactory(name=stored)
    PersonFactory(name="Mira Murati")
    assert list(Person.objects.matching(typed)) == [person]


def test_matching_ignores_case_of_other_names_beyond_ascii():
    person = PersonFactory(name="Olga Ivanova")
    PersonNameFactory(person=person, name="Ольга Иванова", language="ru")
    assert list(Person.objects.matching("ольга ИВАНОВА")) == [person]


def test_people_search_page_finds_a_name_typed_in_another_case(client):
    from people.tests.factories import record

    person = PersonFactory(name="Ольга Иванова")
    record(person, OrganizationFactory(name="Яндекс"), "joined", "CTO", "2020")
    page = client.get("/people/", {"q": "ОЛЬГА"}).content.decode()
    assert person.get_absolute_url() in page


def test_organization_matching_ignores_case_in_every_script():
    organization = OrganizationFactory(name="Яндекс")
    OrganizationFactory(name="OpenAI")
    assert list(Organization.objects.matching("ЯНДЕКС")) == [organization]


def test_a_percent_sign_typed_is_not_a_wildcard():
    PersonFactory(name="Émile Zola")
    assert not Person.objects.matching("É%Z").exists()
    assert not Person.objects.matching("É_ile").exists()


@pytest.mark.postgres_only
def test_search_reads_the_trigram_indexes_on_postgresql(people):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be read whole
    plan = Person.objects.matching("murati").explain()
    assert "people_person_name_trgm" in plan
    assert "people_personname_name_trgm" in plan


def test_search_page_links_keep_the_search_and_nothing_else(client, people, monkeypatch):
    """The results are cached on the search and page alone: links carry nothing else, so a
    parameter one visitor added never reaches another visitor's page."""
    from html import unescape

    from django.urls import reverse

    from people import views
    from people.tests.factories import journalist

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client.force_login(journalist())
    page = client.get(reverse("people:person-list"), {"q": "mira", "utm_source": "x"})
    assert 'rel="next" href="?q=mira&amp;page=2"' in page.content.decode()
    page = unescape(client.get(reverse("people:person-list"), {"q": "mira"}).content.decode())
    assert 'rel="next" href="?q=mira&page=2"' in page
