"""Atom feeds of stories and confirmed moves, read as a feed reader would read them.

Parsed with the standard library's XML parser rather than a lenient feed parser: a feed that
is not well-formed XML must fail here, not be repaired silently.
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exchange.feeds import FEED_SIZE
from people.models import RoleChange
from people.services import role_change_set_public
from people.tests.factories import (
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    editor,
    journalist,
    record,
)
from stories.services import story_add_correction, story_create, story_submit, story_withdraw
from stories.tests.factories import published_story as publish_story

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass
class Entry:
    id: str
    title: str
    link: str
    updated: str
    published: str = ""
    summary: str = ""
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    language: str = ""


@dataclass
class AtomFeed:
    title: str
    id: str
    updated: str
    alternate: str
    entries: list[Entry]


def parse_atom(response) -> AtomFeed:
    """The feed as a reader sees it; fails on anything that is not well-formed Atom 1.0."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    # Raises ParseError unless well-formed. The XML is the app's own, produced in this test.
    root = ET.fromstring(response.content)  # noqa: S314
    assert root.tag == f"{ATOM}feed"

    def text(element, name: str, *, required: bool = True) -> str:
        child = element.find(f"{ATOM}{name}")
        if required:
            assert child is not None and (child.text or "").strip(), f"<{name}> is missing"
        return child.text if child is not None and child.text else ""

    def alternate(element) -> str:
        links = [
            link
            for link in element.findall(f"{ATOM}link")
            if link.get("rel") in (None, "alternate")
        ]
        assert links, "no alternate link"
        return links[0].get("href")

    entries = []
    for entry in root.findall(f"{ATOM}entry"):
        entries.append(
            Entry(
                id=text(entry, "id"),
                title=text(entry, "title"),
                link=alternate(entry),
                updated=text(entry, "updated"),
                published=text(entry, "published", required=False),
                summary=text(entry, "summary", required=False),
                authors=[name.text for name in entry.findall(f"{ATOM}author/{ATOM}name")],
                categories=[category.get("term") for category in entry.findall(f"{ATOM}category")],
                language=entry.get("{http://www.w3.org/XML/1998/namespace}lang", ""),
            )
        )
    feed = AtomFeed(
        title=text(root, "title"),
        id=text(root, "id"),
        updated=text(root, "updated"),
        alternate=alternate(root),
        entries=entries,
    )
    # Atom: every entry has an author, its own or the feed's.
    assert root.find(f"{ATOM}author/{ATOM}name") is not None or all(e.authors for e in entries)
    assert len({entry.id for entry in entries}) == len(entries), "entry ids must be unique"
    return feed


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# Stories -----------------------------------------------------------------------------------


@pytest.fixture
def desk():
    return journalist(first_name="Ada", last_name="Lovelace"), editor()


def published_story(desk, title: str, **kwargs):
    author, publisher = desk
    return publish_story(author=author, publisher=publisher, title=title, **kwargs)


def test_stories_feed_lists_published_stories_newest_first_with_dates_and_authors(client, desk):
    first = published_story(desk, "First story", dek="Who left & who stayed <b>now</b>")
    second = published_story(desk, "Second story", language="ja")
    second.authors.add(UserFactory(username="kenji"))

    feed = parse_atom(client.get(reverse("feeds:stories")))

    assert feed.alternate == "http://testserver/stories/"
    assert [entry.title for entry in feed.entries] == ["Second story", "First story"]
    newest, oldest = feed.entries
    assert oldest.link == f"http://testserver{first.get_absolute_url()}"
    # The dek is text: a reader shows the characters typed, never markup.
    assert oldest.summary == "Who left &amp; who stayed &lt;b&gt;now&lt;/b&gt;"
    assert oldest.published == first.first_published_at.isoformat()
    assert oldest.updated == first.last_updated_at.isoformat()
    assert oldest.authors == ["Ada Lovelace"]
    assert sorted(newest.authors) == ["Ada Lovelace", "kenji"]
    assert newest.language == "ja"


def test_stories_feed_leaves_out_drafts_and_reviews_and_carries_a_withdrawal(client, desk):
    """A withdrawn story keeps its entry, updated at the withdrawal with the notice: a
    reader who has the entry learns it was withdrawn, and why."""
    author, publisher = desk
    published_story(desk, "Out in the open")
    story_create(author=author, title="A draft")
    in_review = story_create(author=author, title="In review")
    story_submit(story=in_review, user=author)
    withdrawn = published_story(desk, "Taken down")
    withdrawn = story_withdraw(story=withdrawn, editor=publisher, note="Wrong person named.")

    feed = parse_atom(client.get(reverse("feeds:stories")))

    assert [entry.title for entry in feed.entries] == ["Withdrawn: Taken down", "Out in the open"]
    entry = feed.entries[0]
    assert entry.summary == "Wrong person named."
    assert entry.updated == withdrawn.withdrawn_at.isoformat()
    assert entry.published == withdrawn.first_published_at.isoformat()
    assert entry.link == f"http://testserver{withdrawn.get_absolute_url()}"


def test_stories_feed_titles_are_text_not_markup(client, desk):
    published_story(desk, "</title><script>alert(1)</script> & more")

    feed = parse_atom(client.get(reverse("feeds:stories")))

    assert feed.entries[0].title == "</title><script>alert(1)</script> & more"


def test_stories_feed_costs_the_same_queries_at_3_and_past_its_size(client, desk):
    for number in range(3):
        published_story(desk, f"Story {number}")
    few = count_queries(client, reverse("feeds:stories"))
    for number in range(3, FEED_SIZE + 5):
        published_story(desk, f"Story {number}")

    many = count_queries(client, reverse("feeds:stories"))

    assert many == few
    assert len(parse_atom(client.get(reverse("feeds:stories"))).entries) == FEED_SIZE


# Moves -------------------------------------------------------------------------------------


@pytest.fixture
def openai():
    return OrganizationFactory(name="OpenAI")


@pytest.fixture
def murati():
    return PersonFactory(name="Mira Murati")


def test_moves_feed_lists_confirmed_moves_newest_first(client, openai, murati):
    record(murati, openai, "joined", "Engineering staff", "2018")
    record(murati, openai, "appointed", "Chief Technology Officer", "2022-05")
    record(murati, openai, "left", "Chief Technology Officer", "2024-09-25")

    feed = parse_atom(client.get(reverse("feeds:moves")))

    assert [entry.title for entry in feed.entries] == [
        "Mira Murati left Chief Technology Officer at OpenAI",
        "Mira Murati appointed Chief Technology Officer at OpenAI",
        "Mira Murati joined Engineering staff at OpenAI",
    ]
    left = feed.entries[0]
    assert left.link == "http://testserver/people/mira-murati/"
    assert left.published.startswith("2024-09-25")
    assert left.categories == ["left", "OpenAI"]
    assert "effective September 25, 2024" in left.summary


def test_a_feed_is_served_as_one_body_not_a_chunk_per_xml_element(client, openai, murati):
    """A WSGI server writes each chunk of a response to the socket on its own; the feed
    writer made one per XML event, and served that way the moves feed ran at a third of the
    article page's rate (README, Performance). Cached or not, the body is one chunk."""
    for index in range(20):
        record(PersonFactory(name=f"Person {index}"), openai, "joined", "Engineer", "2020")
    for _ in range(2):  # the first answer is built, the second comes from the cache
        response = client.get(reverse("feeds:moves"))
        assert response.status_code == 200
        assert len(list(response)) == 1
        assert len(parse_atom(response).entries) == 20


def test_moves_feeds_leave_out_records_that_someone_held_a_post(client, openai, murati):
    """ "Mira Murati was Chief Technology Officer on September 1, 2024" is not a move."""
    record(murati, openai, "appointed", "Chief Technology Officer", "2022-05")
    record(murati, openai, "held", "Chief Technology Officer", "2024-09-01")
    for url in (
        reverse("feeds:moves"),
        reverse("feeds:organization-moves", args=[openai.slug]),
        reverse("feeds:person-moves", args=[murati.slug]),
    ):
        titles = [entry.title for entry in parse_atom(client.get(url)).entries]
        assert titles == ["Mira Murati appointed Chief Technology Officer at OpenAI"], url


def test_a_move_known_to_the_month_or_year_is_described_at_that_precision(client, openai, murati):
    record(murati, openai, "joined", "Engineering staff", "2018")
    record(murati, openai, "appointed", "Chief Technology Officer", "2022-05")

    appointed, joined = parse_atom(client.get(reverse("feeds:moves"))).entries

    assert "effective May 2022." in appointed.summary
    assert "May 1" not in appointed.summary
    assert "effective 2018." in joined.summary
    assert "January" not in joined.summary


def test_moves_feed_leaves_out_moves_not_yet_confirmed_even_for_editors(client, openai, murati):
    record(murati, openai, "joined", "Chief Technology Officer", "2018")
    record(
        PersonFactory(name="Matt Knight"), openai, "appointed", "CIO", "2024-09-25", public=False
    )
    client.force_login(editor())

    for url in (
        reverse("feeds:moves"),
        reverse("feeds:organization-moves", args=[openai.slug]),
    ):
        titles = [entry.title for entry in parse_atom(client.get(url)).entries]
        assert not any("Matt Knight" in title for title in titles), url
    # Known only from a pending move: no feed of his own, not even an empty one with his name.
    assert client.get(reverse("feeds:person-moves", args=["matt-knight"])).status_code == 404


def test_move_entry_ids_are_unique_and_stable(client, openai, murati):
    record(murati, openai, "left", "Chief Technology Officer", "2024-09-25")
    record(PersonFactory(name="Bob McGrew"), openai, "left", "Chief Research Officer", "2024-09-25")

    first = parse_atom(client.get(reverse("feeds:moves")))
    record(PersonFactory(name="Barret Zoph"), openai, "left", "VP of Research", "2024-09-25")
    second = parse_atom(client.get(reverse("feeds:moves")))

    assert {entry.id for entry in first.entries} < {entry.id for entry in second.entries}
    assert all(entry.id.startswith("urn:uuid:") for entry in second.entries)


def test_a_move_entry_is_updated_when_the_move_was_confirmed_not_when_it_took_effect(
    client, openai, murati
):
    move = record(murati, openai, "left", "Chief Technology Officer", "2024-09-25", public=False)
    RoleChange.objects.filter(pk=move.pk).update(
        updated_at=datetime.datetime(2024, 9, 26, 8, 30, tzinfo=datetime.UTC)
    )
    move.refresh_from_db()
    role_change_set_public(role_change=move, is_public=True)
    move.refresh_from_db()

    feed = parse_atom(client.get(reverse("feeds:moves")))

    (entry,) = feed.entries
    assert entry.published.startswith("2024-09-25T00:00:00")
    assert entry.updated == move.updated_at.isoformat()
    assert move.updated_at > datetime.datetime(2024, 9, 26, 8, 30, tzinfo=datetime.UTC)
    assert feed.updated == move.updated_at.isoformat()


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("feeds:stories", []),
        ("feeds:corrections", []),
        ("feeds:moves", []),
        ("feeds:organization-moves", ["openai"]),
        ("feeds:person-moves", ["mira-murati"]),
    ],
)
def test_a_feed_id_does_not_depend_on_the_host_that_served_it(
    client, settings, desk, openai, murati, name, args
):
    settings.ALLOWED_HOSTS = ["testserver", "newsroom.example"]
    record(murati, openai, "left", "Chief Technology Officer", "2024-09-25")
    published_story(desk, "Murati leaves")
    url = reverse(name, args=args)

    here = parse_atom(client.get(url))
    there = parse_atom(client.get(url, HTTP_HOST="newsroom.example"))

    assert there.alternate.startswith("http://newsroom.example/")
    assert here.id == there.id
    assert here.id.startswith("urn:uuid:")


def test_every_feed_has_its_own_id(client, openai, murati):
    record(murati, openai, "left", "Chief Technology Officer", "2024-09-25")
    record(PersonFactory(name="Bob McGrew"), openai, "left", "Chief Research Officer", "2024-09")
    urls = [
        reverse("feeds:stories"),
        reverse("feeds:moves"),
        reverse("feeds:organization-moves", args=["openai"]),
        reverse("feeds:person-moves", args=["mira-murati"]),
        reverse("feeds:person-moves", args=["bob-mcgrew"]),
    ]
    assert len({parse_atom(client.get(url)).id for url in urls}) == len(urls)


def test_organization_feed_lists_only_that_organizations_moves(client, openai, murati):
    anthropic = OrganizationFactory(name="Anthropic")
    record(murati, openai, "left", "Chief Technology Officer", "2024-09-25")
    record(PersonFactory(name="John Schulman"), anthropic, "joined", "Researcher", "2024-08")

    feed = parse_atom(client.get(reverse("feeds:organization-moves", args=["anthropic"])))

    assert feed.title == "Newsroom: confirmed moves at Anthropic"
    assert feed.alternate == "http://testserver/organizations/anthropic/"
    assert [entry.title for entry in feed.entries] == [
        "John Schulman joined Researcher at Anthropic"
    ]


def test_person_feed_lists_only_that_persons_moves(client, openai, murati):
    record(murati, openai, "left", "Chief Technology Officer", "2024-09-25")
    record(PersonFactory(name="Bob McGrew"), openai, "left", "Chief Research Officer", "2024-09-25")

    feed = parse_atom(client.get(reverse("feeds:person-moves", args=["mira-murati"])))

    assert feed.alternate == "http://testserver/people/mira-murati/"
    assert [entry.title for entry in feed.entries] == [
        "Mira Murati left Chief Technology Officer at OpenAI"
    ]


def test_feeds_of_unknown_organizations_and_people_are_404(client):
    assert client.get(reverse("feeds:organization-moves", args=["nowhere"])).status_code == 404
    assert client.get(reverse("feeds:person-moves", args=["nobody"])).status_code == 404


def test_an_empty_feed_is_still_valid_atom(client):
    assert parse_atom(client.get(reverse("feeds:moves"))).entries == []
    assert parse_atom(client.get(reverse("feeds:stories"))).entries == []


def add_moves(count: int, *, organization, person=None, start: int = 0) -> None:
    for number in range(start, start + count):
        record(
            person or PersonFactory(),
            organization,
            "joined",
            f"Title {number}",
            f"{2000 + number % 25}-{number % 12 + 1:02d}",
        )


@pytest.mark.parametrize("feed", ["moves", "organization-moves", "person-moves"])
def test_move_feeds_cost_the_same_queries_at_3_and_past_their_size(client, openai, murati, feed):
    args = {"moves": [], "organization-moves": [openai.slug], "person-moves": [murati.slug]}
    url = reverse(f"feeds:{feed}", args=args[feed])
    person = murati if feed == "person-moves" else None
    add_moves(3, organization=openai, person=person)
    few = count_queries(client, url)
    add_moves(FEED_SIZE + 2, organization=openai, person=person, start=3)

    many = count_queries(client, url)

    assert many == few
    assert len(parse_atom(client.get(url)).entries) == FEED_SIZE


# Advertised on the pages readers open ----------------------------------------------------------


def alternate_feeds(response) -> str:
    html = response.content.decode()
    return html[: html.index("</head>")]


def test_pages_advertise_their_feeds(client, openai, murati):
    record(murati, openai, "joined", "Chief Technology Officer", "2018")
    home = alternate_feeds(client.get(reverse("home")))
    assert 'type="application/atom+xml"' in home
    assert f'href="{reverse("feeds:stories")}"' in home
    assert f'href="{reverse("feeds:moves")}"' in home
    stories = alternate_feeds(client.get(reverse("stories:story-list")))
    assert f'href="{reverse("feeds:stories")}"' in stories
    organization = alternate_feeds(client.get(openai.get_absolute_url()))
    assert f'href="{reverse("feeds:organization-moves", args=[openai.slug])}"' in organization
    person = alternate_feeds(client.get(murati.get_absolute_url()))
    assert f'href="{reverse("feeds:person-moves", args=[murati.slug])}"' in person


# The demo desk -----------------------------------------------------------------------------


def test_both_feeds_parse_and_have_entries_on_the_demo_desk(client):
    call_command("load_demo_desk", verbosity=0)

    stories = parse_atom(client.get(reverse("feeds:stories")))
    moves = parse_atom(client.get(reverse("feeds:moves")))

    assert [entry.title for entry in stories.entries] == [
        "OpenAI、CTOと研究部門の幹部2人が同じ日に退社",  # its Japanese version, hours later
        "OpenAI loses its CTO and two research leaders in one day",
    ]
    assert "Mira Murati left Chief Technology Officer at OpenAI" in [
        entry.title for entry in moves.entries
    ]
    # The trap the editor has not verified stays out.
    assert not any("Chief Information Officer" in entry.title for entry in moves.entries)


# Corrections and withdrawals ---------------------------------------------------------------


def test_corrections_feed_lists_every_correction_and_withdrawal_newest_first(client, desk):
    _, publisher = desk
    corrected = published_story(desk, "Corrected story")
    correction = story_add_correction(story=corrected, editor=publisher, text="The date <was> off.")
    withdrawn = story_withdraw(
        story=published_story(desk, "Withdrawn story"), editor=publisher, note="Fake post."
    )

    feed = parse_atom(client.get(reverse("feeds:corrections")))

    assert feed.alternate == "http://testserver/corrections/"
    assert [entry.title for entry in feed.entries] == [
        "Withdrawn: Withdrawn story",
        "Correction: Corrected story",
    ]
    gone, fixed = feed.entries
    assert gone.summary == "Fake post."
    assert gone.link == f"http://testserver{withdrawn.get_absolute_url()}"
    assert gone.published == withdrawn.withdrawn_at.isoformat()
    assert fixed.summary == "The date &lt;was&gt; off."
    assert fixed.link == (
        f"http://testserver{corrected.get_absolute_url()}#correction-{correction.pk}"
    )
    assert fixed.id.startswith("urn:uuid:") and fixed.id != gone.id


def test_corrections_feed_costs_the_same_queries_at_3_and_past_its_size(client, desk):
    _, publisher = desk
    for number in range(3):
        story_add_correction(
            story=published_story(desk, f"Story {number}"), editor=publisher, text="Fix."
        )
    few = count_queries(client, reverse("feeds:corrections"))
    for number in range(3, FEED_SIZE + 5):
        story_withdraw(
            story=published_story(desk, f"Story {number}"), editor=publisher, note="Gone."
        )

    many = count_queries(client, reverse("feeds:corrections"))

    assert many == few
    assert len(parse_atom(client.get(reverse("feeds:corrections"))).entries) == FEED_SIZE
