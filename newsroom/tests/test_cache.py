"""The data version: every write to desk data bumps it, reads never do."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction

from newsroom.cache import KEY, data_version, versions
from people.models import Person, RoleChange
from people.tests.factories import OrganizationFactory, PersonFactory, journalist, record

pytestmark = pytest.mark.django_db


def leadership_html(response) -> str:
    html = response.content.decode()
    start = html.index('id="leadership"')
    return html[start : html.index("</section>", start)]


def test_a_save_bumps_the_version_and_a_read_does_not():
    person = PersonFactory(name="Mira Murati")
    before = data_version()
    list(Person.objects.all())
    assert data_version() == before
    person.bio = "CTO"
    person.save()
    assert data_version() > before


def test_writes_that_send_no_signal_bump_it_too():
    """QuerySet.update, bulk_create and raw SQL reach the tables without a model save."""
    move = record(
        PersonFactory(name="Mira Murati"),
        OrganizationFactory(name="OpenAI"),
        "joined",
        "Chief Technology Officer",
        "2018",
    )
    before = data_version()
    RoleChange.objects.filter(pk=move.pk).update(reason="New venture")
    after_update = data_version()
    assert after_update > before
    Person.objects.bulk_create([Person(name="Ilya", slug="ilya")])
    after_bulk = data_version()
    assert after_bulk > after_update
    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_person SET bio = %s", ["—"])
    assert data_version() > after_bulk


def test_a_transaction_bumps_at_once_and_again_when_it_commits(
    django_capture_on_commit_callbacks,
):
    before = data_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        PersonFactory(name="Bob McGrew")
        PersonFactory(name="Mark Chen")
        during = data_version()
        assert during > before
    # One bump of the version and one of the page tags on commit, however many writes.
    assert len(callbacks) == 2
    assert data_version() > during


def test_writes_outside_desk_data_leave_it_alone():
    before = data_version()
    session = SessionStore()
    session["seen"] = True
    session.save()
    assert data_version() == before


def test_a_lost_version_starts_again_above_every_earlier_one():
    """A cache that drops the key must not hand out an old number again."""
    PersonFactory(name="Mira Murati")
    before = data_version()
    versions().delete(KEY)
    assert data_version() > before
    versions().delete(KEY)
    PersonFactory(name="Bob McGrew")  # a bump with no key at all
    assert data_version() > before


def test_a_profile_shows_a_move_recorded_after_its_career_was_cached(client):
    mira, openai = PersonFactory(name="Mira Murati"), OrganizationFactory(name="OpenAI")
    record(mira, openai, "joined", "Member of Technical Staff", "2018-06")
    url = mira.get_absolute_url()
    assert "Member of Technical Staff" in client.get(url).content.decode()
    record(mira, openai, "promoted", "Chief Technology Officer", "2022-05")
    html = client.get(url).content.decode()
    assert "Chief Technology Officer" in html


def test_readers_never_get_the_career_cached_for_the_desk(client):
    mira, openai = PersonFactory(name="Mira Murati"), OrganizationFactory(name="OpenAI")
    record(mira, openai, "joined", "Chief Technology Officer", "2018-06", public=False)
    client.force_login(journalist())
    assert "pending verification" in client.get(mira.get_absolute_url()).content.decode()
    client.logout()
    html = client.get(mira.get_absolute_url()).content.decode()
    assert "Chief Technology Officer" not in html
    assert "pending verification" not in html


def test_the_cached_career_follows_the_readers_language(client):
    mira, openai = PersonFactory(name="Mira Murati"), OrganizationFactory(name="OpenAI")
    record(mira, openai, "joined", "Chief Technology Officer", "2018-06")
    url = mira.get_absolute_url()
    assert "June 2018" in client.get(url).content.decode()
    assert "June 2018" not in client.get(f"/ja{url}").content.decode()


def test_a_cached_profile_reads_nothing_from_the_database(client, django_assert_num_queries):
    mira, openai = PersonFactory(name="Mira Murati"), OrganizationFactory(name="OpenAI")
    record(mira, openai, "joined", "Chief Technology Officer", "2018-06")
    client.get(mira.get_absolute_url())
    with django_assert_num_queries(0):
        assert "Mira Murati" in client.get(mira.get_absolute_url()).content.decode()


def test_a_renamed_person_shows_the_new_name_on_the_next_request(client):
    mira, openai = PersonFactory(name="Mira Murati"), OrganizationFactory(name="OpenAI")
    record(mira, openai, "joined", "Chief Technology Officer", "2018-06")
    client.get(mira.get_absolute_url())
    mira.name = "Ermira Murati"
    mira.save()
    assert "Ermira Murati" in client.get(mira.get_absolute_url()).content.decode()


def test_an_organization_page_shows_a_departure_recorded_after_it_was_cached(client):
    mira, openai = PersonFactory(name="Mira Murati"), OrganizationFactory(name="OpenAI")
    record(mira, openai, "appointed", "Chief Technology Officer", "2018-06-01")
    openai.posts.update(is_leadership=True)
    url = f"{openai.get_absolute_url()}?as_of=2024-10-01"
    assert "Mira Murati" in leadership_html(client.get(url))
    record(mira, openai, "left", "Chief Technology Officer", "2024-09-25")
    assert "Mira Murati" not in leadership_html(client.get(url))
    htmx = client.get(url, HTTP_HX_REQUEST="true")
    assert "Mira Murati" not in leadership_html(htmx)


def test_a_cached_organization_page_reads_nothing_from_the_database(
    client, django_assert_num_queries
):
    openai = OrganizationFactory(name="OpenAI")
    record(PersonFactory(), openai, "joined", "Chief Technology Officer", "2018-06-01")
    url = f"{openai.get_absolute_url()}?as_of=2024-10-01"
    client.get(url)
    with django_assert_num_queries(0):
        assert "OpenAI" in client.get(url).content.decode()


def test_an_unknown_profile_stays_404_when_cached(client):
    assert client.get("/people/nobody/").status_code == 404
    assert client.get("/people/nobody/").status_code == 404
