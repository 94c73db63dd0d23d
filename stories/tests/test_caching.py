"""Cached feeds, API answers and search results follow the data at once (people/cache.py)."""

import pytest

from people.tests.factories import (
    OrganizationFactory,
    PersonFactory,
    PersonNameFactory,
    editor,
    journalist,
    record,
)
from stories.tests.test_articles import acme_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def mira():
    return PersonFactory(name="Mira Murati")


@pytest.fixture
def openai(mira):
    organization = OrganizationFactory(name="OpenAI", slug="openai")
    record(mira, organization, "appointed", "CTO", "2018-06-01")
    organization.posts.update(is_leadership=True)
    return organization


def test_a_feed_lists_a_move_recorded_after_it_was_cached(client, openai):
    url = "/feeds/organizations/openai/moves/"
    assert "Bob McGrew" not in client.get(url).content.decode()
    record(PersonFactory(name="Bob McGrew"), openai, "joined", "Chief Research Officer", "2024-01")
    assert "Bob McGrew" in client.get(url).content.decode()


def test_the_leadership_api_answers_a_departure_recorded_after_it_was_cached(client, openai, mira):
    url = "/api/organizations/openai/leadership?as_of=2024-10-01"
    assert [leader["person"]["name"] for leader in client.get(url).json()["leaders"]] == [
        "Mira Murati"
    ]
    record(mira, openai, "left", "CTO", "2024-09-25")
    assert client.get(url).json()["leaders"] == []


def test_search_results_include_a_name_added_after_they_were_cached(client, openai, mira):
    assert 'class="person-name">Mira Murati<' not in client.get("/people/?q=ミラ").content.decode()
    PersonNameFactory(person=mira, name="ミラ・ムラティ")
    html = client.get("/people/?q=ミラ").content.decode()
    assert 'class="person-name">Mira Murati<' in html
    htmx = client.get("/people/?q=ミラ", HTTP_HX_REQUEST="true")
    assert 'class="person-name">Mira Murati<' in htmx.content.decode()
    assert "HX-Request" in htmx["Vary"]


def test_cached_search_results_read_nothing_but_the_version(
    client, openai, django_assert_num_queries
):
    client.get("/people/?q=mira")
    with django_assert_num_queries(0):
        client.get("/people/?q=mira")


def test_the_cached_sidebar_follows_the_readers_language(client):
    acme = OrganizationFactory(name="Acme Robotics")
    record(PersonFactory(name="Carl Chief"), acme, "appointed", "CEO", "2025-03-05")
    acme.posts.update(is_leadership=True)
    story = acme_story(journalist(), editor(), acme)
    english = client.get(story.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    japanese = client.get(story.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "March 5, 2025" in english
    assert "March 5, 2025" not in japanese
    assert "Carl Chief" in japanese


def test_the_story_list_counts_a_story_published_after_the_count_was_cached(client):
    acme = OrganizationFactory(name="Acme Robotics")
    author, publisher = journalist(), editor()
    acme_story(author, publisher, acme)
    assert client.get("/stories/").context["page"].paginator.count == 1
    acme_story(author, publisher, acme, title="Second story")
    response = client.get("/stories/")
    assert response.context["page"].paginator.count == 2
    assert "Second story" in response.content.decode()


def test_a_cached_story_count_spares_its_query(client, django_assert_num_queries):
    acme_story(journalist(), editor(), OrganizationFactory(name="Acme Robotics"))
    client.get("/stories/")
    with django_assert_num_queries(2):  # the page and its authors
        client.get("/stories/")
