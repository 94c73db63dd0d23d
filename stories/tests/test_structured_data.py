"""schema.org JSON-LD on the article page, read back from the page as a crawler reads it."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command

from people.tests.factories import editor, journalist
from stories.models import CitationState, Story
from stories.services import (
    citation_decide,
    story_add_correction,
    story_attach,
    story_create,
    story_publish,
    story_save,
    story_submit,
)
from stories.tests.factories import pending_citation, published_story

pytestmark = pytest.mark.django_db

ZOPH = "https://x.com/barret_zoph/status/1839095143397515452"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(response) -> list[dict]:
    assert response.status_code == 200
    return [json.loads(content) for content in JSON_LD.findall(response.content.decode())]


def test_the_demo_story_is_a_news_article_citing_barret_zophs_post(client):
    call_command("load_demo_desk", verbosity=0)
    story = Story.objects.get(title__startswith="OpenAI loses its CTO")

    [article] = json_ld(client.get(story.get_absolute_url()))

    assert article["@context"] == "https://schema.org"
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == story.title
    assert article["description"] == story.dek
    assert article["datePublished"] == "2024-09-26T09:00:00+00:00"
    assert article["dateModified"] == "2024-09-26T09:00:00+00:00"
    assert article["inLanguage"] == "en"
    assert article["url"] == f"http://testserver{story.get_absolute_url()}"
    assert article["author"] == [{"@type": "Person", "name": "journalist"}]
    urls = [work["url"] for work in article["citation"]]
    assert ZOPH in urls
    zoph = article["citation"][urls.index(ZOPH)]
    assert zoph["@type"] == "CreativeWork"
    assert zoph["publisher"] == {"@type": "Organization", "name": "X"}
    assert zoph["datePublished"] == "2024-09-25"
    # One CreativeWork per entry of the page's Sources list, in footnote order.
    assert [work["position"] for work in article["citation"]] == list(
        range(1, len(story.cited_ids) + 1)
    )
    # A source known to the month is dated to the month, not to an invented day.
    assert "2024-09" in [work.get("datePublished") for work in article["citation"]]


def test_the_script_element_is_a_data_block_without_a_nonce(client):
    # A data block is never run, so the policy does not apply to it: no per-request nonce,
    # and the page can be cached whole.
    call_command("load_demo_desk", verbosity=0)
    story = Story.objects.get(title__startswith="OpenAI loses its CTO")

    response = client.get(story.get_absolute_url())

    [_] = JSON_LD.findall(response.content.decode())
    assert "nonce" not in response["Content-Security-Policy"]


@pytest.fixture
def publisher():
    return editor()


def publish(story: Story, author, publisher) -> Story:
    story_submit(story=story, user=author)
    return story_publish(story=story, editor=publisher)


def test_a_title_closing_the_script_element_stays_inside_the_json(client, publisher):
    author = journalist()
    title = "</script><script>alert(1)</script> & <!-- more"
    story = published_story(author=author, publisher=publisher, title=title, dek="<b>bold</b>")

    response = client.get(story.get_absolute_url())

    assert "<script>alert(1)" not in response.content.decode()
    [article] = json_ld(response)
    assert article["headline"] == title
    assert article["description"] == "<b>bold</b>"


def test_citations_and_corrections_are_in_the_article(client, publisher):
    author = journalist(first_name="Ada", last_name="Lovelace")
    citation = pending_citation(
        source__canonical_url="https://example.com/memo",
        source__title="All-hands memo",
        source__publisher="Example Corp",
        source__published_date="2024-09-01",
        source__published_precision="month",
        source__archive_url="https://web.archive.org/web/2024/https://example.com/memo",
    )
    citation_decide(citation=citation, editor=publisher, decision=CitationState.VERIFIED)
    story = story_create(author=author, title="A memo")
    story_attach(story=story, user=author, citations=[citation])
    story = story_save(
        story=story,
        editor=author,
        base_version=story.version,
        title=story.title,
        dek="",
        body=f"The memo says so.{citation.marker}",
        language="en",
    )
    story = publish(story, author, publisher)
    correction = story_add_correction(
        story=story, editor=publisher, text="An earlier version misnamed the memo."
    )

    [article] = json_ld(client.get(story.get_absolute_url()))

    assert article["author"] == [{"@type": "Person", "name": "Ada Lovelace"}]
    assert "description" not in article
    assert article["citation"] == [
        {
            "@type": "CreativeWork",
            "position": 1,
            "name": "All-hands memo",
            "url": "https://example.com/memo",
            "publisher": {"@type": "Organization", "name": "Example Corp"},
            "datePublished": "2024-09",
            "archivedAt": "https://web.archive.org/web/2024/https://example.com/memo",
        }
    ]
    assert article["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "An earlier version misnamed the memo.",
            "datePublished": correction.created_at.isoformat(),
        }
    ]
    assert article["dateModified"] == correction.created_at.isoformat()
    assert [about["name"] for about in article["about"]] == [citation.role_change.organization.name]


def test_a_source_no_longer_verified_and_no_correction_leave_those_properties_out(
    client, publisher
):
    """Only verified sources support the article: one the editors rejected after
    publication is not a citation of it any more (rule 6)."""
    author = journalist()
    story = published_story(author=author, publisher=publisher, title="Plain")
    [cited] = story.citations.all()
    citation_decide(citation=cited, editor=publisher, decision="rejected", note="Fake page.")

    [article] = json_ld(client.get(story.get_absolute_url()))

    assert "citation" not in article
    assert "correction" not in article
