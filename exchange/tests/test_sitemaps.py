"""The sitemap and robots.txt: what crawlers are pointed at, and kept away from."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from people.tests.factories import OrganizationFactory, PersonFactory, editor, journalist, record
from stories.services import story_create, story_withdraw
from stories.tests.factories import published_story

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_entries(client) -> dict[str, str | None]:
    """Each listed URL with its lastmod (None when the sitemap gives none)."""
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - the app's own output
    assert root.tag == f"{SITEMAP}urlset"
    entries = {}
    for url in root.findall(f"{SITEMAP}url"):
        lastmod = url.find(f"{SITEMAP}lastmod")
        entries[url.find(f"{SITEMAP}loc").text] = lastmod.text if lastmod is not None else None
    return entries


def test_sitemap_lists_published_stories_with_lastmod_people_and_organizations(client):
    author = journalist()
    published = published_story(author=author, publisher=editor(), title="Out in the open")
    withdrawn = published_story(author=author, publisher=editor(), title="Taken down")
    story_withdraw(story=withdrawn, editor=editor(), note="Wrong person named.")
    story_create(author=author, title="Still a draft")
    record(
        PersonFactory(name="Mira Murati"),
        OrganizationFactory(name="OpenAI"),
        "joined",
        "CTO",
        "2018",
    )
    record(
        PersonFactory(name="Zed Pending"),
        OrganizationFactory(name="Secret Startup"),
        "joined",
        "CEO",
        "2026",
        public=False,
    )

    entries = sitemap_entries(client)

    assert entries["http://testserver/stories/out-in-the-open/"] == (
        published.last_updated_at.date().isoformat()
    )
    assert "http://testserver/stories/still-a-draft/" not in entries
    assert "http://testserver/stories/taken-down/" not in entries  # withdrawn: a tombstone
    assert "http://testserver/people/mira-murati/" in entries
    assert "http://testserver/organizations/openai/" in entries
    # Known only from a pending move: not on the sitemap (nor anywhere readers look).
    assert "http://testserver/people/zed-pending/" not in entries
    assert "http://testserver/organizations/secret-startup/" not in entries
    assert "http://testserver/" in entries
    assert not any("/desk/" in url or "/admin/" in url for url in entries)


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_off_the_desk(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /desk/" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


XHTML = "{http://www.w3.org/1999/xhtml}"


def test_every_page_is_listed_in_both_editions_with_its_alternates(client):
    record(
        PersonFactory(name="Mira Murati"),
        OrganizationFactory(name="OpenAI"),
        "joined",
        "CTO",
        "2018",
    )
    response = client.get(reverse("sitemap"))
    root = ET.fromstring(response.content)  # noqa: S314 - the app's own output
    alternates = {}
    for url in root.findall(f"{SITEMAP}url"):
        links = url.findall(f"{XHTML}link")
        alternates[url.find(f"{SITEMAP}loc").text] = {
            link.get("hreflang"): link.get("href") for link in links
        }
    expected = {
        "en": "http://testserver/people/mira-murati/",
        "ja": "http://testserver/ja/people/mira-murati/",
        "x-default": "http://testserver/people/mira-murati/",
    }
    assert alternates["http://testserver/people/mira-murati/"] == expected
    assert alternates["http://testserver/ja/people/mira-murati/"] == expected
    assert "http://testserver/ja/" in alternates
