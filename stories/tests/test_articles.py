"""The reader's side of stories: the article page, its leadership sidebar, the story list.

Everything here is read through the test client as a reader (signed out, or signed in on
the desk) reads it; stories are written, published and corrected through the services.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone

from people.models import RoleChange
from people.tests.factories import (
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    editor,
    journalist,
    record,
)
from stories.models import Citation, CitationState, CorrectionFlag, Story
from stories.services import (
    StoryNotPublishable,
    citation_decide,
    story_add_correction,
    story_attach,
    story_create,
    story_publish,
    story_save,
    story_submit,
    story_withdraw,
)
from stories.tests.factories import pending_citation, verified_source_citation
from stories.views.articles import PAGE_SIZE

pytestmark = pytest.mark.django_db

PUBLISHED_AT = datetime.datetime(2024, 9, 26, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _empty_cache():
    """The sidebar is a cached fragment: no test may see another test's fragments."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def author():
    return journalist(first_name="Ada", last_name="Lovelace")


@pytest.fixture
def publisher():
    return editor()


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def sidebar_of(page: str) -> str:
    """The sidebar element's HTML, from its opening tag to its closing tag."""
    start = page.index('id="leadership-sidebar"')
    start = page.rindex("<aside", 0, start)
    return page[start : page.index("</aside>", start) + len("</aside>")]


def leaders_of(page: str) -> list[str]:
    """Names in the sidebar's current-leadership lists, in page order."""
    sidebar = sidebar_of(page)
    names = []
    for block in re.findall(r'<ul class="leaders">(.*?)</ul>', sidebar, re.S):
        names += re.findall(r'<a href="/people/[^"]+/">([^<]+)</a>', block)
    return names


def since_of(page: str) -> str:
    found = re.search(r'<ul class="moves since-published">(.*?)</ul>', sidebar_of(page), re.S)
    return found.group(1) if found else ""


def verified(publisher, **kwargs):
    citation = pending_citation(**kwargs)
    citation_decide(citation=citation, editor=publisher, decision=CitationState.VERIFIED)
    citation.refresh_from_db()
    return citation


def write(author, *, title="A story", dek="", body="", language="en", citations=None, **attach):
    """A draft citing ``citations`` in order, one marker each, after ``body``; by default a
    verified source that supports no move, so the story can be published (rule 4) without
    covering anyone."""
    if citations is None:
        citations = [verified_source_citation()]
    story = story_create(author=author, title=title, dek=dek, language=language)
    if citations or attach:
        story_attach(story=story, user=author, citations=list(citations), **attach)
    markers = " ".join(f"Claim {n}.{c.marker}" for n, c in enumerate(citations, start=1))
    return story_save(
        story=story,
        editor=author,
        base_version=story.version,
        title=title,
        dek=dek,
        body=f"{body}\n\n{markers}".strip(),
        language=language,
    )


def publish(story, author, publisher, *, at: datetime.datetime | None = None) -> Story:
    story_submit(story=story, user=author)
    story = story_publish(story=story, editor=publisher)
    if at is not None:
        # Date the story in the past, as the demo does, so "since it was published" has room.
        Story.objects.filter(pk=story.pk).update(first_published_at=at, last_updated_at=at)
        story.refresh_from_db()
    return story


# Who may read what ------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "in_review"])
def test_stories_not_out_answer_404_to_readers(client, author, publisher, state):
    story = write(author, title=f"Not out: {state}")
    if state != "draft":
        story_submit(story=story, user=author)
    url = story.get_absolute_url()
    sidebar = reverse("stories:story-sidebar", args=[story.slug])

    assert client.get(url).status_code == 404
    assert client.get(sidebar).status_code == 404
    client.force_login(UserFactory())  # signed in, but not on the desk
    assert client.get(url).status_code == 404
    assert client.get(sidebar).status_code == 404


def test_the_desk_sees_an_unpublished_story_marked_as_not_public(client, author):
    story = write(author, title="Still a draft")
    client.force_login(author)

    page = html(client.get(story.get_absolute_url()))

    assert "Not public: this story is draft." in page
    assert reverse("stories:story-edit", args=[story.pk]) in page


def test_published_and_corrected_stories_are_shown(client, author, publisher):
    story = publish(write(author, title="Out in the open"), author, publisher)
    assert "<h1>Out in the open</h1>" in html(client.get(story.get_absolute_url()))

    story_add_correction(story=story, editor=publisher, text="The date was wrong.")

    page = html(client.get(story.get_absolute_url()))
    assert "<h1>Out in the open</h1>" in page
    assert "Not public" not in page


def test_an_unknown_slug_is_404(client):
    assert client.get("/stories/no-such-story/").status_code == 404


# The article ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_article_language_follows_the_story(client, author, publisher, language):
    """The page's language is its edition's (English at the root, Japanese under /ja/); the
    article element carries the story's own."""
    story = write(author, title=f"Story in {language}", language=language)
    story = publish(story, author, publisher)

    page = html(client.get(story.get_absolute_url()))

    assert re.search(r'<html lang="en"', page)
    assert f'<article class="article" lang="{language}">' in page
    page = html(client.get(f"/ja{story.get_absolute_url()}"))
    assert re.search(r'<html lang="ja"', page)
    assert f'<article class="article" lang="{language}">' in page


def test_headline_dek_byline_and_dates(client, author, publisher):
    second_author = UserFactory(username="kenji")
    story = write(author, title="Who left & why", dek="Three leaders <em>in a day</em>")
    story.authors.add(second_author)
    story = publish(story, author, publisher, at=PUBLISHED_AT)
    later = PUBLISHED_AT + datetime.timedelta(days=2)
    Story.objects.filter(pk=story.pk).update(last_updated_at=later)

    page = html(client.get(story.get_absolute_url()))

    assert "<h1>Who left &amp; why</h1>" in page
    assert '<p class="dek">Three leaders &lt;em&gt;in a day&lt;/em&gt;</p>' in page
    assert re.search(r"By (Ada Lovelace and kenji|kenji and Ada Lovelace)\s", page)
    shown = formats.date_format(timezone.localtime(PUBLISHED_AT), "DATETIME_FORMAT")
    assert f'Published <time datetime="{PUBLISHED_AT.isoformat()}">{shown}</time>' in page
    assert f'Updated <time datetime="{later.isoformat()}">' in page


def test_the_article_names_its_absolute_canonical_url_and_the_site(client, author, publisher):
    story = publish(write(author, title="Who left & why", dek="Three leaders"), author, publisher)

    page = html(client.get(story.get_absolute_url(), {"utm_source": "newsletter"}))

    head = page[: page.index("</head>")]
    url = f"http://testserver/stories/{story.slug}/"
    assert head.count('rel="canonical"') == 1
    assert f'<link rel="canonical" href="{url}">' in head
    assert f'<meta property="og:url" content="{url}">' in head
    assert '<meta property="og:site_name" content="Newsroom">' in head
    assert '<meta property="og:title" content="Who left &amp; why">' in head
    assert '<meta property="og:type" content="article">' in head


def test_an_article_never_updated_shows_no_update_date(client, author, publisher):
    story = publish(write(author), author, publisher)

    page = html(client.get(story.get_absolute_url()))

    assert "Published <time" in page
    assert "Updated <time" not in page


def test_footnotes_link_to_a_sources_list_with_everything_a_reader_checks(
    client, author, publisher
):
    speaker = PersonFactory(name="Barret Zoph")
    zoph = verified(
        publisher,
        quote="I posted this note to OpenAI.",
        speaker=speaker,
        source__canonical_url="https://x.com/barret_zoph/status/1839095143397515452",
        source__title="Barret Zoph on X",
        source__publisher="X",
        source__published_date=datetime.date(2024, 9, 25),
        source__published_precision="day",
        source__archive_url="https://web.archive.org/web/2024/https://x.com/barret_zoph",
        source__archive_date=datetime.date(2024, 9, 26),
    )
    memo = verified(publisher, source__title="All-hands memo", source__publisher="Example Corp")
    story = publish(write(author, citations=[zoph, memo]), author, publisher)

    page = html(client.get(story.get_absolute_url()))

    body = page[page.index('<div class="story-body">') : page.index('<section class="sources"')]
    assert f'<sup class="footnote-ref" id="cite-{zoph.pk}-1"><a href="#source-1"' in body
    assert f'<sup class="footnote-ref" id="cite-{memo.pk}-1"><a href="#source-2"' in body
    sources = page[page.index('<section class="sources"') : page.index("</section>")]
    assert '<h2 id="sources-heading">Sources</h2>' in sources
    first = sources[sources.index('id="source-1"') : sources.index('id="source-2"')]
    assert "<mark>I posted this note to OpenAI.</mark>" in first
    assert f'— <a href="{speaker.get_absolute_url()}">Barret Zoph</a>' in first
    assert (
        '<a href="https://x.com/barret_zoph/status/1839095143397515452" target="_blank" '
        'rel="noopener noreferrer">Barret Zoph on X</a>, X, '
        '<time datetime="2024-09-25">September 25, 2024</time>'
    ) in first
    assert (
        '<a href="https://web.archive.org/web/2024/https://x.com/barret_zoph" target="_blank" '
        'rel="noopener noreferrer">archived'
    ) in first
    assert f'href="#cite-{zoph.pk}-1" class="backlink"' in first
    second = sources[sources.index('id="source-2"') :]
    assert "All-hands memo</a>, Example Corp" in second


def test_a_draft_citing_nothing_has_no_sources_list(client, author):
    """(A published story always cites something: rule 4.)"""
    story = write(author, body="Plain words.", citations=())
    client.force_login(author)

    page = html(client.get(story.get_absolute_url()))

    assert "<p>Plain words.</p>" in page
    assert 'class="sources"' not in page


def test_corrections_are_shown_with_their_dates_in_order(client, author, publisher):
    story = publish(write(author), author, publisher)
    first = story_add_correction(story=story, editor=publisher, text="The title was wrong.")
    second = story_add_correction(story=story, editor=publisher, text="And so was <the> date.")

    page = html(client.get(story.get_absolute_url()))

    corrections = page[page.index('<aside class="corrections"') :]
    corrections = corrections[: corrections.index("</aside>")]
    assert '<h2 id="corrections-heading">Corrections</h2>' in corrections
    for correction in (first, second):
        shown = formats.date_format(timezone.localtime(correction.created_at), "DATE_FORMAT")
        assert f'<time datetime="{correction.created_at.isoformat()}">{shown}</time>' in (
            corrections
        )
    assert corrections.index("The title was wrong.") < corrections.index("And so was &lt;the&gt;")


# The leadership sidebar -------------------------------------------------------------------


@pytest.fixture
def acme():
    return OrganizationFactory(name="Acme Robotics")


def acme_story(author, publisher, acme, **kwargs) -> Story:
    story = write(author, organizations=[acme], **kwargs)
    return publish(story, author, publisher, at=PUBLISHED_AT)


def test_sidebar_lists_current_verified_leadership_by_seniority(client, author, publisher, acme):
    record(PersonFactory(name="Vera Vice"), acme, "appointed", "VP of Sales", "2020")
    record(PersonFactory(name="Carl Chief"), acme, "appointed", "Chief Executive Officer", "2019")
    record(PersonFactory(name="Tina Tech"), acme, "appointed", "Chief Technology Officer", "2021")
    record(PersonFactory(name="Intern Ian"), acme, "joined", "Intern", "2022")
    pending_citation(person=PersonFactory(name="Pam Pending"), organization=acme, title="CFO")
    story = acme_story(author, publisher, acme)

    page = html(client.get(story.get_absolute_url()))

    assert leaders_of(page) == ["Carl Chief", "Tina Tech", "Vera Vice"]
    sidebar = sidebar_of(page)
    assert "Pam Pending" not in sidebar
    assert "Intern Ian" not in sidebar
    assert '<a href="/people/carl-chief/">Carl Chief</a>' in sidebar
    assert f'<a href="{acme.get_absolute_url()}">Acme Robotics</a>' in sidebar


def test_staff_see_the_same_confirmed_sidebar_as_readers(client, author, publisher, acme):
    pending_citation(person=PersonFactory(name="Pam Pending"), organization=acme, title="CFO")
    story = acme_story(author, publisher, acme)
    client.force_login(publisher)

    assert "Pam Pending" not in sidebar_of(html(client.get(story.get_absolute_url())))


def test_sidebar_has_a_section_per_covered_organization(client, author, publisher, acme):
    globex = OrganizationFactory(name="Globex")
    record(PersonFactory(name="Carl Chief"), acme, "appointed", "CEO", "2019")
    record(PersonFactory(name="Hank Scorpio"), globex, "appointed", "CEO", "2015")
    story = publish(write(author, organizations=[acme, globex]), author, publisher, at=PUBLISHED_AT)

    sidebar = sidebar_of(html(client.get(story.get_absolute_url())))

    assert sidebar.count('<section class="sidebar-organization">') == 2
    assert sidebar.index("Acme Robotics") < sidebar.index("Carl Chief") < sidebar.index("Globex")
    assert sidebar.index("Globex") < sidebar.index("Hank Scorpio")


def test_moves_since_publication_are_highlighted(client, author, publisher, acme):
    old_cto = PersonFactory(name="Olga Old")
    record(old_cto, acme, "appointed", "Chief Technology Officer", "2019")
    record(PersonFactory(name="Before Bea"), acme, "appointed", "CFO", "2024-09-01")
    story = acme_story(author, publisher, acme)
    record(old_cto, acme, "left", "Chief Technology Officer", "2025-01-15")
    record(PersonFactory(name="Nina New"), acme, "appointed", "Chief Technology Officer", "2025-02")

    page = html(client.get(story.get_absolute_url()))

    assert leaders_of(page) == ["Before Bea", "Nina New"]
    since = since_of(page)
    assert "Since this story was published" in sidebar_of(page)
    assert "Nina New" in since and "Olga Old" in since
    assert since.count("since this story was published") == 2
    assert since.index("Nina New") < since.index("Olga Old")  # newest first
    assert "Before Bea" not in since


def test_the_toggle_shows_leadership_as_on_the_publication_date(client, author, publisher, acme):
    old_cto = PersonFactory(name="Olga Old")
    record(old_cto, acme, "appointed", "Chief Technology Officer", "2019")
    story = acme_story(author, publisher, acme)
    record(old_cto, acme, "left", "Chief Technology Officer", "2025-01-15")
    record(PersonFactory(name="Nina New"), acme, "appointed", "Chief Technology Officer", "2025-02")
    today = html(client.get(story.get_absolute_url()))
    assert 'href="?sidebar=published"' in sidebar_of(today)

    then = html(client.get(story.get_absolute_url(), {"sidebar": "published"}))

    assert leaders_of(then) == ["Olga Old"]
    sidebar = sidebar_of(then)
    assert "Leadership when this story was published" in sidebar
    assert "Nina New" not in sidebar
    assert "Show today" in sidebar
    # The fragment the page polls keeps showing the same view.
    assert f'hx-get="/stories/{story.slug}/sidebar/?sidebar=published"' in sidebar
    fragment = html(
        client.get(reverse("stories:story-sidebar", args=[story.slug]), {"sidebar": "published"})
    )
    assert leaders_of(fragment) == ["Olga Old"]


def test_the_sidebar_endpoint_returns_the_fragment_the_page_polls(client, author, publisher, acme):
    record(PersonFactory(name="Carl Chief"), acme, "appointed", "CEO", "2019")
    story = acme_story(author, publisher, acme)
    url = reverse("stories:story-sidebar", args=[story.slug])
    page = html(client.get(story.get_absolute_url()))
    polling = re.search(r"<aside[^>]*>", sidebar_of(page)).group(0)
    assert f'hx-get="{url}"' in polling
    assert 'hx-trigger="every 60s"' in polling
    assert 'hx-swap="outerHTML"' in polling

    response = client.get(url, headers={"HX-Request": "true"})

    fragment = html(response)
    assert fragment.lstrip().startswith("<aside")
    assert "<html" not in fragment and "<article" not in fragment
    assert leaders_of(fragment) == ["Carl Chief"]
    assert "HX-Request" in response["Vary"]
    assert "no-cache" in response["Cache-Control"]


def test_a_move_verified_after_the_page_was_read_shows_on_the_next_request(
    client, author, publisher, acme
):
    """The sidebar is cached; verifying an already recorded move must still show at once."""
    record(PersonFactory(name="Carl Chief"), acme, "appointed", "CEO", "2019")
    waiting = pending_citation(
        person=PersonFactory(name="Nina New"), organization=acme, title="Chief Technology Officer"
    )
    story = acme_story(author, publisher, acme)
    sidebar = reverse("stories:story-sidebar", args=[story.slug])
    assert leaders_of(html(client.get(story.get_absolute_url()))) == ["Carl Chief"]
    assert leaders_of(html(client.get(sidebar))) == ["Carl Chief"]

    citation_decide(citation=waiting, editor=publisher, decision=CitationState.VERIFIED)

    assert leaders_of(html(client.get(story.get_absolute_url()))) == ["Carl Chief", "Nina New"]
    assert leaders_of(html(client.get(sidebar))) == ["Carl Chief", "Nina New"]


def test_an_unchanged_sidebar_is_served_from_the_cache(client, author, publisher, acme):
    record(PersonFactory(name="Carl Chief"), acme, "appointed", "CEO", "2019")
    story = acme_story(author, publisher, acme)
    url = reverse("stories:story-sidebar", args=[story.slug])
    cold = count_queries(client, url)

    with CaptureQueriesContext(connection) as warm:
        response = client.get(url)

    assert len(warm) < cold
    assert leaders_of(html(response)) == ["Carl Chief"]
    assert not any("people_tenure" in query["sql"] for query in warm.captured_queries)


def test_a_disputed_citation_takes_its_move_out_of_the_sidebar(client, author, publisher, acme):
    citation = verified(
        publisher, person=PersonFactory(name="Nina New"), organization=acme, title="CTO"
    )
    story = acme_story(author, publisher, acme)
    assert leaders_of(html(client.get(story.get_absolute_url()))) == ["Nina New"]

    citation_decide(
        citation=citation, editor=publisher, decision=CitationState.DISPUTED, note="Denied."
    )

    page = html(client.get(story.get_absolute_url()))
    assert "Nina New" not in sidebar_of(page)


def test_a_story_covering_no_organization_says_so(client, author, publisher):
    story = publish(write(author), author, publisher)

    assert "This story covers no organization." in sidebar_of(
        html(client.get(story.get_absolute_url()))
    )


# The story list and the home page ---------------------------------------------------------


def teaser_titles(page: str) -> list[str]:
    return re.findall(r'<li class="story-teaser"[^>]*>\s*<h2><a href="[^"]+">([^<]+)</a>', page)


def test_story_list_shows_published_stories_newest_first(client, author, publisher):
    for day, title in ((1, "Oldest"), (3, "Newest"), (2, "Middle")):
        at = datetime.datetime(2024, 9, day, tzinfo=datetime.UTC)
        publish(write(author, title=title), author, publisher, at=at)
    corrected = publish(write(author, title="Corrected"), author, publisher)
    story_add_correction(story=corrected, editor=publisher, text="Fixed.")
    write(author, title="A draft")
    story_submit(story=write(author, title="In review"), user=author)
    withdrawn = publish(write(author, title="Withdrawn"), author, publisher)
    story_withdraw(story=withdrawn, editor=publisher, note="Wrong.")

    page = html(client.get(reverse("stories:story-list")))

    assert teaser_titles(page) == ["Corrected", "Newest", "Middle", "Oldest"]
    assert f'href="{corrected.get_absolute_url()}"' in page


def test_story_list_is_paginated(client, author, publisher):
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    for number in range(PAGE_SIZE + 3):
        at = start + datetime.timedelta(days=number)
        publish(write(author, title=f"Story {number:02d}"), author, publisher, at=at)
    url = reverse("stories:story-list")

    first = html(client.get(url))
    second = html(client.get(url, {"page": 2}))

    assert len(teaser_titles(first)) == PAGE_SIZE
    assert teaser_titles(first)[0] == f"Story {PAGE_SIZE + 2:02d}"
    assert teaser_titles(second) == ["Story 02", "Story 01", "Story 00"]
    assert 'rel="next" href="?page=2"' in first
    assert 'rel="prev" href="?page=1"' in second


@pytest.mark.parametrize("page", ["0", "3", "abc", "-1", "2.5"])
def test_a_page_of_the_story_list_that_does_not_exist_is_404(client, author, publisher, page):
    """Each list URL means one thing: no page number silently shows another page."""
    for number in range(PAGE_SIZE + 1):
        publish(write(author, title=f"Story {number}"), author, publisher)

    assert client.get(reverse("stories:story-list"), {"page": page}).status_code == 404


def test_an_empty_story_list_is_a_page_not_an_error(client):
    assert "No stories published yet." in html(client.get(reverse("stories:story-list")))


def test_home_shows_latest_stories_and_latest_verified_moves(client, author, publisher, acme):
    publish(write(author, title="Out now"), author, publisher)
    write(author, title="A draft")
    record(PersonFactory(name="Carl Chief"), acme, "appointed", "CEO", "2019")
    pending_citation(person=PersonFactory(name="Pam Pending"), organization=acme, title="CFO")

    page = html(client.get(reverse("home")))

    stories = page[page.index('id="latest-stories"') : page.index('id="latest-moves"')]
    moves = page[page.index('id="latest-moves"') : page.index('id="organizations-heading"')]
    assert teaser_titles(stories) == ["Out now"]
    assert "A draft" not in page
    assert "Carl Chief" in moves
    assert "Pam Pending" not in page


# Queries do not grow with the page --------------------------------------------------------


def cite_moves(publisher, count: int) -> list:
    """Verified citations of ``count`` moves, each at its own organization, where someone
    else was appointed after the story's publication (a "since" entry each)."""
    citations = []
    for number in range(count):
        organization = OrganizationFactory()
        citation = verified(
            publisher,
            organization=organization,
            speaker=PersonFactory(),
            source__archive_url=f"https://web.archive.org/web/2024/{number}",
        )
        record(PersonFactory(), organization, "appointed", "CEO", "2025-01")
        citations.append(citation)
    return citations


def count_queries(client, url: str) -> int:
    cache.clear()  # every request computes the sidebar: the expensive case
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["article", "sidebar"])
def test_article_and_sidebar_cost_the_same_queries_at_3_and_50_citations(
    client, author, publisher, django_assert_num_queries, page
):
    story = publish(write(author, citations=cite_moves(publisher, 3)), author, publisher)
    Story.objects.filter(pk=story.pk).update(first_published_at=PUBLISHED_AT)
    url = {
        "article": story.get_absolute_url(),
        "sidebar": reverse("stories:story-sidebar", args=[story.slug]),
    }[page]
    few = count_queries(client, url)
    assert few <= 10
    # An editor's edit cites 47 more moves in the published story.
    more = cite_moves(publisher, 47)
    story.refresh_from_db()
    story_attach(story=story, user=publisher, citations=more)
    story_save(
        story=story,
        editor=publisher,
        base_version=story.version,
        title=story.title,
        dek=story.dek,
        body=story.body + " " + " ".join(citation.marker for citation in more),
        language=story.language,
        change="update",
    )
    cache.clear()

    with django_assert_num_queries(few):
        response = client.get(url)

    shown = html(response)
    assert shown.count('<section class="sidebar-organization">') == 50
    assert since_of(shown).count("since this story was published") == 1  # the last org's
    assert sidebar_of(shown).count("since this story was published") == 50
    if page == "article":
        assert shown.count('class="backlink"') == 50


def test_story_list_costs_the_same_queries_at_3_and_50_stories(
    client, author, publisher, django_assert_num_queries
):
    for number in range(3):
        publish(write(author, title=f"Story {number}"), author, publisher)
    url = reverse("stories:story-list")
    few = count_queries(client, url)
    for number in range(3, 50):
        story = publish(write(author, title=f"Story {number}"), author, publisher)
        story.authors.add(UserFactory())

    with django_assert_num_queries(few):
        response = client.get(url)

    assert len(teaser_titles(html(response))) == PAGE_SIZE


def test_home_costs_the_same_queries_at_3_and_50_stories_and_moves(
    client, author, publisher, acme, django_assert_num_queries
):
    for number in range(3):
        publish(write(author, title=f"Story {number}"), author, publisher)
        record(PersonFactory(), acme, "joined", f"Title {number}", "2024-01")
    url = reverse("home")
    few = count_queries(client, url)
    for number in range(3, 50):
        publish(write(author, title=f"Story {number}"), author, publisher)
        record(PersonFactory(), OrganizationFactory(), "joined", f"Title {number}", "2024-01")

    with django_assert_num_queries(few):
        assert client.get(url).status_code == 200


# The demo desk ----------------------------------------------------------------------------


@pytest.fixture
def demo():
    call_command("load_demo_desk", verbosity=0)


def test_the_demo_story_list_links_the_published_story_only(client, demo):
    published = Story.objects.get(title__startswith="OpenAI loses its CTO")
    in_review = Story.objects.get(status="in_review")

    page = html(client.get(reverse("stories:story-list")))

    assert f'href="{published.get_absolute_url()}"' in page
    assert in_review.get_absolute_url() not in page
    assert client.get(in_review.get_absolute_url()).status_code == 404


def test_the_demo_sidebar_lists_mark_chen_and_not_mira_murati_as_current(client, demo):
    story = Story.objects.get(title__startswith="OpenAI loses its CTO")

    page = html(client.get(story.get_absolute_url()))

    leaders = leaders_of(page)
    assert "Mark Chen" in leaders
    assert "Mira Murati" not in leaders
    assert leaders[0] == "Sam Altman"
    # On the day it was published, too: she had left the day before.
    then = leaders_of(html(client.get(story.get_absolute_url(), {"sidebar": "published"})))
    assert "Mark Chen" in then and "Mira Murati" not in then


def test_the_demo_story_in_review_cannot_be_published_while_a_citation_is_pending(client, demo):
    story = Story.objects.get(status="in_review")
    editor_account = editor()

    with pytest.raises(StoryNotPublishable) as refused:
        story_publish(story=story, editor=editor_account)

    assert [citation.state for citation in refused.value.blocking] == ["pending"]
    client.force_login(editor_account)
    response = client.post(
        reverse("stories:story-workflow", args=[story.pk, "publish"]), follow=True
    )
    page = html(response)
    assert "Not published: first resolve each thing that blocks it." in page
    assert f"Citation {refused.value.blocking[0].pk}" in page
    story.refresh_from_db()
    assert story.status == "in_review"


# Rule 6 for readers: a source the editors are re-checking --------------------------------


def sources_of(page: str) -> str:
    return page[page.index('<section class="sources"') : page.index("</article>")]


@pytest.mark.parametrize("decision", ["disputed", "rejected"])
def test_a_source_no_longer_verified_is_marked_at_once_and_not_shown_as_support(
    client, author, publisher, decision
):
    """Issue 15: after a rejection the article kept listing the source and its claim."""
    kept = verified(publisher, quote="We welcome our new CTO.", source__title="Kept memo")
    doubted = verified(
        publisher, quote="Mira is leaving.", source__title="The doubted post", speaker=None
    )
    story = publish(write(author, citations=[kept, doubted]), author, publisher)
    assert "The editors are re-checking" not in html(client.get(story.get_absolute_url()))

    citation_decide(citation=doubted, editor=publisher, decision=decision, note="Not said.")

    page = html(client.get(story.get_absolute_url()))
    sources = sources_of(page)
    second = sources[sources.index('id="source-2"') :]
    day = formats.date_format(
        timezone.localtime(Citation.objects.get(pk=doubted.pk).decided_at), "DATE_FORMAT"
    )
    assert f"The editors are re-checking this source</strong> (since {day})." in second
    assert "Mira is leaving." not in page  # its claim is no longer presented as confirmed
    assert ("The doubted post" in second) == (decision == "disputed")
    assert "Not confirmed:" in second or decision == "rejected"
    assert '<sup class="footnote-ref under-review" title="The editors are re-checking' in page
    assert f'id="cite-{doubted.pk}-1"' in page
    first = sources[sources.index('id="source-1"') : sources.index('id="source-2"')]
    assert "<mark>We welcome our new CTO.</mark>" in first and "re-checking" not in first
    assert CorrectionFlag.objects.filter(story=story, resolved_at__isnull=True).count() == 1


def test_the_mark_links_to_the_correction_once_it_is_published(client, author, publisher):
    doubted = verified(publisher, source__title="The doubted post")
    story = publish(write(author, citations=[doubted]), author, publisher)
    citation_decide(citation=doubted, editor=publisher, decision="rejected", note="Fake.")
    flag = CorrectionFlag.objects.get(story=story)
    assert "Read the correction" not in html(client.get(story.get_absolute_url()))

    correction = story_add_correction(
        story=story,
        editor=publisher,
        text="The post we cited was fake.",
        resolved_flag_ids=[flag.pk],
    )

    page = html(client.get(story.get_absolute_url()))
    day = formats.date_format(timezone.localtime(correction.created_at), "DATE_FORMAT")
    assert f'<a href="#correction-{correction.pk}">Read the correction of {day}</a>' in page
    assert f'<li id="correction-{correction.pk}">' in page
    # Checked again and confirmed: the mark goes, the source supports the story once more.
    citation_decide(citation=doubted, editor=publisher, decision="verified", note="Real after all.")
    assert "re-checking" not in sources_of(html(client.get(story.get_absolute_url())))


def test_readers_and_staff_see_the_same_mark(client, author, publisher):
    doubted = verified(publisher)
    story = publish(write(author, citations=[doubted]), author, publisher)
    citation_decide(citation=doubted, editor=publisher, decision="disputed", note="Unclear.")
    client.force_login(publisher)
    assert "The editors are re-checking this source" in html(client.get(story.get_absolute_url()))


# Withdrawn stories ------------------------------------------------------------------------


def test_a_withdrawn_story_answers_410_with_its_tombstone(client, author, publisher):
    """Issue 15: readers who followed a link got a bare 404 and no notice."""
    story = publish(write(author, title="Murati joins Acme", dek="A big move."), author, publisher)
    story = story_withdraw(
        story=story, editor=publisher, note="Ms Murati did not join Acme: the post was fake."
    )

    response = client.get(story.get_absolute_url())

    assert response.status_code == 410
    page = response.content.decode()
    assert "<h1>Murati joins Acme</h1>" in page
    published = formats.date_format(timezone.localtime(story.first_published_at), "DATE_FORMAT")
    withdrawn = formats.date_format(timezone.localtime(story.withdrawn_at), "DATE_FORMAT")
    assert f'Published <time datetime="{story.first_published_at.isoformat()}">{published}' in page
    assert f'Withdrawn <time datetime="{story.withdrawn_at.isoformat()}">{withdrawn}' in page
    assert "Ms Murati did not join Acme: the post was fake." in page
    assert "A big move." not in page and 'class="sources"' not in page
    assert "application/ld+json" not in page
    assert '<meta name="robots" content="noindex">' in page
    assert 'href="/corrections/"' in page
    sidebar = client.get(reverse("stories:story-sidebar", args=[story.slug]))
    assert sidebar.status_code == 410


def test_staff_get_the_tombstone_too_with_a_way_to_the_desk(client, author, publisher):
    story = publish(write(author), author, publisher)
    story_withdraw(story=story, editor=publisher, note="Wrong.")
    client.force_login(author)
    response = client.get(story.get_absolute_url())
    assert response.status_code == 410
    assert reverse("stories:story-edit", args=[story.pk]) in response.content.decode()


def test_a_tombstone_costs_the_same_queries_however_much_the_story_cited(
    client, author, publisher, django_assert_num_queries
):
    few = publish(write(author, title="Few", citations=cite_moves(publisher, 3)), author, publisher)
    many = publish(
        write(author, title="Many", citations=cite_moves(publisher, 30)), author, publisher
    )
    for story in (few, many):
        story_withdraw(story=story, editor=publisher, note="Withdrawn.")
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(few.get_absolute_url())
    cache.clear()
    with django_assert_num_queries(len(queries)):
        assert client.get(many.get_absolute_url()).status_code == 410


# "Since this story was published" ---------------------------------------------------------


def test_since_publication_lists_every_move_dated_from_the_publication_day_on(
    client, author, publisher, acme
):
    """Dated on the publication day or later, but not what the story itself reports, nor a
    month that may have been before it; a move announced for a later date is news already."""
    reported = verified(publisher, person=PersonFactory(name="Rita Reported"), organization=acme)
    record(PersonFactory(name="Same Month"), acme, "appointed", "COO", "2024-09")
    story = acme_story(author, publisher, acme, citations=[reported])
    RoleChange.objects.filter(pk=reported.role_change_id).update(
        effective_date=PUBLISHED_AT.date(), effective_latest=PUBLISHED_AT.date()
    )
    record(PersonFactory(name="Same Day"), acme, "appointed", "CFO", "2024-09-26")
    record(PersonFactory(name="Next Day"), acme, "appointed", "CTO", "2024-09-27")
    future = timezone.localdate() + datetime.timedelta(days=40)
    record(PersonFactory(name="Future Fiona"), acme, "appointed", "CEO", future.isoformat())
    pending_citation(person=PersonFactory(name="Pam Pending"), organization=acme, title="CMO")

    since = since_of(html(client.get(story.get_absolute_url())))

    for name in ("Future Fiona", "Next Day", "Same Day"):
        assert name in since
    assert since.index("Future Fiona") < since.index("Next Day") < since.index("Same Day")
    for name in ("Same Month", "Pam Pending", "Rita Reported"):
        assert name not in since


def test_since_publication_shows_a_move_on_the_request_after_its_verification(
    client, author, publisher, acme
):
    story = acme_story(author, publisher, acme)
    waiting = pending_citation(
        person=PersonFactory(name="Nina New"), organization=acme, title="Chief Technology Officer"
    )
    RoleChange.objects.filter(pk=waiting.role_change_id).update(
        effective_date=datetime.date(2025, 2, 1), effective_latest=datetime.date(2025, 2, 1)
    )
    sidebar = reverse("stories:story-sidebar", args=[story.slug])
    assert "Nina New" not in since_of(html(client.get(sidebar)))

    citation_decide(citation=waiting, editor=publisher, decision=CitationState.VERIFIED)

    assert "Nina New" in since_of(html(client.get(story.get_absolute_url())))
    assert "Nina New" in since_of(html(client.get(sidebar)))
    published_view = html(client.get(story.get_absolute_url(), {"sidebar": "published"}))
    assert 'id="sidebar-toggle"' in sidebar_of(published_view)
    assert "Since this story was published" not in sidebar_of(published_view)


def test_the_open_articles_poll_brings_the_marked_sources_along(client, author, publisher):
    doubted = verified(publisher, quote="Mira is leaving.")
    story = publish(write(author, citations=[doubted]), author, publisher)
    url = reverse("stories:story-sidebar", args=[story.slug])
    citation_decide(citation=doubted, editor=publisher, decision="rejected", note="Not said.")

    polled = html(client.get(url, headers={"HX-Request": "true"}))

    oob = polled[polled.index('<section class="sources" id="sources"') :]
    assert oob.startswith(
        '<section class="sources" id="sources" aria-labelledby="sources-heading" '
        'hx-swap-oob="true">'
    )
    assert "The editors are re-checking this source" in oob
    assert "Mira is leaving." not in oob
    assert "hx-swap-oob" not in html(client.get(url))  # only the poll swaps it
    assert "hx-swap-oob" not in html(client.get(story.get_absolute_url()))


def test_an_article_with_sources_under_review_costs_the_same_queries_at_3_and_50(
    client, author, publisher, django_assert_num_queries
):
    first = cite_moves(publisher, 3)
    story = publish(write(author, citations=first), author, publisher)
    for citation in first:
        citation_decide(citation=citation, editor=publisher, decision="rejected", note="No.")
    few = count_queries(client, story.get_absolute_url())
    more = cite_moves(publisher, 47)
    story.refresh_from_db()
    story_attach(story=story, user=publisher, citations=more)
    story_save(
        story=story,
        editor=publisher,
        base_version=story.version,
        title=story.title,
        dek=story.dek,
        body=story.body + " " + " ".join(citation.marker for citation in more),
        language=story.language,
        change="update",
    )
    for citation in more:
        citation_decide(citation=citation, editor=publisher, decision="disputed", note="Hm.")
    cache.clear()

    with django_assert_num_queries(few):
        page = html(client.get(story.get_absolute_url()))

    assert few <= 10
    assert page.count("The editors are re-checking this source</strong>") == 50
