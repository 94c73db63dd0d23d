"""/corrections/: every correction and withdrawal, newest first, with the date, the story and
the text (stories/views/corrections.py); its feed is in exchange/tests/test_feeds.py."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone

from people.tests.factories import editor, journalist
from stories.models import Correction, Story
from stories.services import story_add_correction, story_save, story_withdraw
from stories.tests.factories import published_story
from stories.views.corrections import PAGE_SIZE

pytestmark = pytest.mark.django_db

URL = reverse("stories:correction-list")


@pytest.fixture
def desk():
    return journalist(), editor()


def story(desk, title: str) -> Story:
    author, publisher = desk
    return published_story(author=author, publisher=publisher, title=title)


def at(moment: datetime.datetime, model, **lookup) -> None:
    field = "created_at" if model is Correction else "withdrawn_at"
    model.objects.filter(**lookup).update(**{field: moment})


def test_corrections_and_withdrawals_are_listed_newest_first(client, desk):
    _, publisher = desk
    corrected, withdrawn = story(desk, "Corrected story"), story(desk, "Withdrawn story")
    first = story_add_correction(story=corrected, editor=publisher, text="The date was wrong.")
    story_withdraw(story=withdrawn, editor=publisher, note="The post was fake.")
    second = story_add_correction(story=corrected, editor=publisher, text="So was the title.")
    base = datetime.datetime(2025, 1, 10, 12, tzinfo=datetime.UTC)
    at(base, Correction, pk=first.pk)
    at(base + datetime.timedelta(days=1), Story, pk=withdrawn.pk)
    at(base + datetime.timedelta(days=2), Correction, pk=second.pk)
    story(desk, "Never corrected")

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    order = [page.index(text) for text in ("So was the title.", "The post was fake.", "wrong.")]
    assert order == sorted(order)
    assert "Never corrected" not in page
    assert f'href="{corrected.get_absolute_url()}#correction-{second.pk}"' in page
    assert f'href="{withdrawn.get_absolute_url()}">Withdrawn story</a>' in page
    day = formats.date_format(timezone.localtime(base), "DATE_FORMAT")
    assert f'<time datetime="{base.isoformat()}">{day}</time>' in page
    assert 'type="application/atom+xml"' in page and reverse("feeds:corrections") in page


def test_a_correction_by_edit_of_the_text_is_listed_too(client, desk):
    _, publisher = desk
    corrected = story(desk, "Edited story")
    story_save(
        story=corrected,
        editor=publisher,
        base_version=corrected.version,
        title=corrected.title,
        dek=corrected.dek,
        body=corrected.body + " Fixed.",
        language=corrected.language,
        change="correction",
        correction="We named the wrong company.",
    )
    assert "We named the wrong company." in client.get(URL).content.decode()


def test_an_empty_record_says_so_and_a_page_that_does_not_exist_is_404(client):
    assert "No correction or withdrawal yet." in client.get(URL).content.decode()
    assert client.get(URL, {"page": 2}).status_code == 404
    assert client.get(URL, {"page": "abc"}).status_code == 404


def test_the_page_costs_the_same_queries_at_3_and_50_entries(
    client, desk, django_assert_num_queries
):
    _, publisher = desk
    for number in range(3):
        story_add_correction(story=story(desk, f"Story {number}"), editor=publisher, text="Fix.")
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for number in range(3, 50):
        published = story(desk, f"Story {number}")
        if number % 2:
            story_withdraw(story=published, editor=publisher, note="Withdrawn.")
        else:
            story_add_correction(story=published, editor=publisher, text="Fix.")

    with django_assert_num_queries(len(few)):
        response = client.get(URL)

    assert response.content.decode().count('<li class="record-') == 50 == PAGE_SIZE
    assert len(few) <= 10
