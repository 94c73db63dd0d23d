"""People search: every name and other name, in any script, once each; indexed on PostgreSQL."""

import pytest
from django.db import connection
from django.db.models import F

from people.models import Organization, OrganizationName, Person
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


# Exact names, ignoring case ----------------------------------------------------------------

EXACT_IN_ANOTHER_CASE = [
    ("Émile Dupont", "ÉMILE DUPONT"),
    ("ÉMILE DUPONT", "émile dupont"),
    ("Иван Петров", "ИВАН ПЕТРОВ"),
    ("ИВАН ПЕТРОВ", "иван петров"),
    ("Σωκράτης Παππάς", "ΣΩΚΡΆΤΗΣ ΠΑΠΠΆΣ"),
    ("Jürgen Straße", "JÜRGEN STRAßE"),
]


@pytest.mark.parametrize(("stored", "typed"), EXACT_IN_ANOTHER_CASE)
def test_folded_exact_ignores_case_in_every_script(stored, typed):
    """On SQLite too, whose iexact (a LIKE) ignores case for ASCII letters only."""
    person = PersonFactory(name=stored)
    PersonFactory(name=stored + " Jr.")
    assert list(Person.objects.filter(name__folded_exact=typed)) == [person]


def test_folded_exact_matches_whole_names_only():
    PersonFactory(name="Émile Dupont")
    assert not Person.objects.filter(name__folded_exact="ÉMILE").exists()
    assert not Person.objects.filter(name__folded_exact="É%").exists()
    assert not Person.objects.filter(name__folded_exact="_mile Dupont").exists()


def test_folded_exact_compares_with_another_column_ignoring_case():
    person = PersonFactory(name="Иван Петров", sort_name="ИВАН ПЕТРОВ")
    PersonFactory(name="Иван Петров", sort_name="Петров, Иван")
    assert list(Person.objects.filter(name__folded_exact=F("sort_name"))) == [person]


def test_sharp_s_equals_ss_where_names_are_casefolded():
    """SQLite compares casefolded names ("straße" is "strasse"); PostgreSQL's UPPER() keeps
    "ß", so there "STRASSE" stays another name, as iexact always had it."""
    person = PersonFactory(name="Jürgen Straße")
    found = list(Person.objects.filter(name__folded_exact="JÜRGEN STRASSE"))
    assert found == ([person] if connection.vendor == "sqlite" else [])


@pytest.mark.postgres_only
def test_folded_exact_is_iexact_on_postgresql():
    """The SQL PostgreSQL ran before, unchanged: UPPER(name) = UPPER(%s)."""
    folded = str(Person.objects.filter(name__folded_exact="Иван").query)
    assert folded == str(Person.objects.filter(name__iexact="Иван").query)
    assert 'UPPER("people_person"."name"::text) = UPPER(Иван)' in folded


@pytest.mark.parametrize(("stored", "typed"), EXACT_IN_ANOTHER_CASE)
def test_a_person_is_named_exactly_by_a_name_in_another_case(stored, typed):
    person = PersonFactory(name=stored)
    other = PersonFactory(name="Olga Ivanova")
    PersonNameFactory(person=other, name=stored + " Jr.")
    assert list(Person.objects.named_exactly(f"  {typed} ")) == [person]


def test_a_person_is_named_exactly_by_an_other_name_in_another_case():
    person = PersonFactory(name="Ivan Petrov")
    PersonNameFactory(person=person, name="Иван Петров", language="ru")
    assert list(Person.objects.named_exactly("ИВАН ПЕТРОВ")) == [person]


def test_an_organization_is_named_exactly_by_any_name_in_another_case():
    yandex = OrganizationFactory(name="Yandex")
    OrganizationName.objects.create(organization=yandex, name="Яндекс", language="ru")
    greek = OrganizationFactory(name="Ελληνική Τεχνολογία")
    assert list(Organization.objects.named_exactly("ЯНДЕКС")) == [yandex]
    assert list(Organization.objects.named_exactly("ΕΛΛΗΝΙΚΉ ΤΕΧΝΟΛΟΓΊΑ")) == [greek]
