"""Cached pages and fragments follow the data at once (newsroom/cache.py)."""

import pytest

from people.tests.factories import (
    OrganizationFactory,
    PersonFactory,
    PersonNameFactory,
    editor,
    journalist,
    record,
)
from stories.services import story_add_correction
from stories.tests.test_articles import acme_story, publish, write

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
    english = client.get(story.get_absolute_url()).content.decode()
    japanese = client.get(f"/ja{story.get_absolute_url()}").content.decode()
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


def test_a_cached_story_list_reads_nothing_from_the_database(client, django_assert_num_queries):
    acme_story(journalist(), editor(), OrganizationFactory(name="Acme Robotics"), title="Cached")
    first = client.get("/stories/").content.decode()
    with django_assert_num_queries(0):  # the count and the list come from the cache
        again = client.get("/stories/").content.decode()
    assert "Cached" in again
    assert first.count('class="story-teaser"') == again.count('class="story-teaser"') == 1


def test_a_cached_article_reads_nothing_from_the_database(client, django_assert_num_queries):
    story = acme_story(journalist(), editor(), OrganizationFactory(name="Acme Robotics"))
    first = client.get(story.get_absolute_url())
    with django_assert_num_queries(0):  # the article and the sidebar come from the cache
        again = client.get(story.get_absolute_url())
    assert again.status_code == 200
    body = again.content.decode()
    assert story.title in body and 'id="leadership-sidebar"' in body
    # Nothing per request: no nonce in the policy or the page.
    assert first["Content-Security-Policy"] == again["Content-Security-Policy"]
    assert "nonce" not in body


def test_an_article_cached_for_the_desk_is_never_served_to_readers(client):
    author = journalist()
    draft = write(author, title="Desk only")
    client.force_login(author)
    assert (
        "Not public: this story is draft." in client.get(draft.get_absolute_url()).content.decode()
    )
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_404_cached_for_readers_ends_when_the_story_is_published(client):
    author, publisher = journalist(), editor()
    story = write(author, title="Soon out")
    assert client.get(story.get_absolute_url()).status_code == 404
    publish(story, author, publisher)
    assert "<h1>Soon out</h1>" in client.get(story.get_absolute_url()).content.decode()


def test_a_correction_added_after_the_article_was_cached_is_shown(client):
    author, publisher = journalist(), editor()
    story = publish(write(author), author, publisher)
    assert "corrections-heading" not in client.get(story.get_absolute_url()).content.decode()
    story_add_correction(story=story, editor=publisher, text="The date was wrong.")
    assert "The date was wrong." in client.get(story.get_absolute_url()).content.decode()
