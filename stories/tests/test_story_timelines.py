"""A timeline in a story body: ``[timeline:slug]`` draws the organization's leadership as of
the publication date; anything newer is listed under it, "since this story was published",
as the sidebar does, never drawn into it (people/embeds.py)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.tests.factories import OrganizationFactory, PersonFactory, editor, journalist, record
from stories.rendering import render_body
from stories.services import story_create
from stories.tests.test_articles import publish, verified, write

pytestmark = pytest.mark.django_db

PUBLISHED = datetime.datetime(2024, 9, 26, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def acme():
    acme = OrganizationFactory(name="Acme")
    old = PersonFactory(name="Olga Old")
    record(old, acme, "appointed", "CEO", "2019")
    record(old, acme, "left", "CEO", "2023-11-17")
    record(
        PersonFactory(name="Ian Interim"), acme, "appointed", "CEO", "2023-11-17", is_interim=True
    )
    return acme


def figure_of(page: str) -> str:
    start = page.index('<figure class="story-timeline')
    return page[start : page.index("</figure>", start)]


def test_a_marker_on_its_own_line_becomes_a_placeholder_and_anything_else_stays_text():
    rendered = render_body("Intro.\n\n[timeline:acme 2023-11-01..2023-12-01]\n\n`[timeline:acme]`")
    assert [(m.slug, m.first, m.last) for m in rendered.timelines] == [
        ("acme", datetime.date(2023, 11, 1), datetime.date(2023, 12, 1))
    ]
    assert 'data-organization="acme"' in rendered.html
    assert "<code>[timeline:acme]</code>" in rendered.html


def test_the_desk_refuses_a_timeline_it_cannot_draw(acme):
    author = journalist()
    for body, message in [
        ("[timeline:nobody]", "[timeline:nobody] names no organization"),
        ("[timeline:Acme]", "[timeline:Acme] cannot be drawn: name the organization"),
        (
            "[timeline:acme 2024-02-01..2024-01-01]",
            "cannot be drawn: its range ends before it starts",
        ),
    ]:
        with pytest.raises(ValidationError) as refused:
            story_create(author=author, title="A story", body=body)
        assert any(message in error for error in refused.value.message_dict["body"])


def test_the_article_draws_the_timeline_as_of_publication_and_lists_what_is_newer(client, acme):
    author, checker = journalist(), editor()
    citation = verified(checker)
    story = write(
        author, body=f"Acme changed chiefs.\n\n[timeline:{acme.slug}]", citations=[citation]
    )
    story = publish(story, author, checker, at=PUBLISHED)
    # After publication: the interim chief leaves, a new one arrives.
    record(PersonFactory(name="Nina New"), acme, "appointed", "CEO", "2024-10-01")
    page = client.get(story.get_absolute_url()).content.decode()
    figure = figure_of(page)
    assert "Leadership of Acme when this story was published" in figure
    assert "Olga Old" in figure and "Ian Interim" in figure
    # Drawn up to the publication day, with the line on it; nothing newer is drawn.
    svg = figure[figure.index("<svg") : figure.index("</svg>")]
    assert "Nina New" not in svg
    assert 'class="as-of"' in svg and "September 26, 2024" in svg
    # The newer move is listed as the sidebar lists it.
    since = figure[figure.index('<ul class="moves since-published">') :]
    assert re.search(
        r"since this story was published</span>\s*<a href=\"/people/nina-new/\">Nina New</a>", since
    )
    # The interim tenure is hatched, and the table says so.
    assert "url(#story-timeline-1-hatch)" in svg
    assert "interim (hatched)" in figure


def test_a_timeline_costs_the_article_two_queries_on_a_first_visit(client, acme):
    author, checker = journalist(), editor()
    citation = verified(checker)
    plain = publish(
        write(author, title="Plain", citations=[citation]), author, checker, at=PUBLISHED
    )
    drawn = publish(
        write(author, title="Drawn", body=f"[timeline:{acme.slug}]", citations=[citation]),
        author,
        checker,
        at=PUBLISHED,
    )
    counts = []
    for story in (plain, drawn):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(story.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[1] == counts[0] + 2
    assert counts[1] <= 10
