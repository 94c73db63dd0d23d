"""The published record in Chromium (issue 15): a source rejected after publication marked on
the open article, a typo fix verified in one click that never takes the fact down, the
tombstone of a withdrawn story, "since this story was published" after a move is verified,
the sidebar toggle keeping the keyboard focus, and desk tables on a 390 px phone."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from newsroom.dates import PartialDate
from newsroom.tests.browser.support import PLAYWRIGHT_MISSING, missing, sign_in
from people.models import RoleChange
from people.services import organization_create, person_create
from people.tests.factories import editor, journalist
from stories.models import Citation, Story
from stories.services import (
    citation_decide,
    move_record_with_citation,
    statement_update,
    story_withdraw,
)
from stories.tests.factories import published_story

try:
    from playwright.sync_api import expect
except ImportError:
    missing(PLAYWRIGHT_MISSING)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PUBLISHED_AT = datetime.datetime(2024, 9, 26, 9, 0, tzinfo=datetime.UTC)


def recorded_move(*, organization, name, title, effective, quote, url, by):
    """A move with its quote and source, recorded as the desk records it (pending)."""
    return move_record_with_citation(
        person=person_create(name=name),
        organization=organization,
        title=title,
        kind="appointed",
        effective=effective,
        recorded_by=by,
        source_url=url,
        source_title=f"{name}: {title}",
        quote=quote,
    )


@pytest.fixture
def newsroom_desk():
    """Acme Robotics, a verified move with its quote, and a story citing it published on
    September 26, 2024."""
    acme = organization_create(name="Acme Robotics")
    writer, checker = journalist(username="jo"), editor(username="ed")
    grace = recorded_move(
        organization=acme,
        name="Grace Hopper",
        title="Chief Technology Officer",
        effective=PartialDate.parse("2024-09-25"),
        quote="Grace Hopper joins Acme Robotics as Chief Technology Officer",
        url="https://acme.example/news/grace",
        by=writer,
    )
    citation_decide(citation=grace.citation, editor=checker, decision="verified")
    story = published_story(
        author=writer,
        publisher=checker,
        title="Acme Robotics hires a CTO",
        body="Acme Robotics named Grace Hopper its chief technology officer.",
        citations=[Citation.objects.get(pk=grace.citation.pk)],
    )
    Story.objects.filter(pk=story.pk).update(
        first_published_at=PUBLISHED_AT, last_updated_at=PUBLISHED_AT
    )
    return {
        "acme": acme,
        "writer": writer,
        "checker": checker,
        "citation": Citation.objects.select_related("statement").get(pk=grace.citation.pk),
        "story": Story.objects.get(pk=story.pk),
    }


def test_a_citation_rejected_after_publication_is_marked_on_the_open_article(
    new_page, newsroom_desk
):
    story, citation = newsroom_desk["story"], newsroom_desk["citation"]
    reader = new_page(name="reader")
    reader.clock.install()
    reader.goto(story.get_absolute_url())
    sources = reader.locator("section.sources")
    expect(sources).to_contain_text("Grace Hopper joins Acme Robotics")
    reader.evaluate("window.__noReload = 1")

    # An editor rejects the citation in the queue's citation page.
    office = new_page(name="editor")
    sign_in(office, newsroom_desk["checker"])
    office.goto(f"/desk/citations/{citation.pk}/")
    office.get_by_label("Note").fill("The post was deleted: Acme says it never said this.")
    office.get_by_role("button", name="Reject").click()
    expect(office.locator(".messages")).to_contain_text(f"Citation {citation.pk} marked rejected.")

    # The open article marks the footnote at its next poll, without a reload.
    reader.clock.fast_forward("01:05")
    expect(sources).to_contain_text("The editors are re-checking this source")
    expect(sources).not_to_contain_text("Grace Hopper joins Acme Robotics")
    assert reader.evaluate("window.__noReload") == 1, "the article reloaded"
    # Read afresh, the reference in the text is marked too, and the desk has the flag.
    reader.reload()
    expect(reader.locator("article sup.footnote-ref.under-review")).to_have_count(1)
    office.goto("/desk/review/")
    expect(office.locator("#flags-heading + ul")).to_contain_text("Acme Robotics hires a CTO")


def test_a_typo_fix_is_verified_in_one_click_and_never_takes_the_fact_down(new_page, newsroom_desk):
    citation = newsroom_desk["citation"]
    office = new_page(name="editor")
    sign_in(office, newsroom_desk["checker"])
    office.goto(f"/desk/statements/{citation.statement_id}/edit/")
    quote = office.get_by_label(re.compile(r"^Exact quoted words:?$"))
    quote.fill(citation.statement.quote + ".")
    office.get_by_role("button", name="Propose the edit").click()
    expect(office.locator(".messages")).to_contain_text("Edit proposed")

    # Readers still see Grace Hopper as CTO, with the verified words.
    reader = new_page(name="reader")
    reader.goto("/people/grace-hopper/")
    expect(reader.locator("main")).to_contain_text("Chief Technology Officer")
    reader.goto(newsroom_desk["story"].get_absolute_url())
    expect(reader.locator("#leadership-sidebar")).to_contain_text("Grace Hopper")
    expect(reader.locator("section.sources mark")).to_have_text(citation.statement.quote)

    # The queue shows the edit word by word; one click verifies it, in place.
    office.goto("/desk/verify/")
    office.evaluate("window.__noReload = 1")
    row = office.locator("tr.edit-row")
    expect(row.locator("ins")).to_have_text(".")
    row.get_by_role("button", name="Verify the edit").click()
    expect(row.locator(".badge")).to_have_text("verified")
    assert office.evaluate("window.__noReload") == 1, "the queue reloaded instead of a swap"

    reader.reload()
    expect(reader.locator("section.sources mark")).to_have_text(citation.statement.quote + ".")
    expect(reader.locator("#leadership-sidebar")).to_contain_text("Grace Hopper")
    office.goto("/desk/review/")
    expect(office.locator("main")).to_contain_text("No story needs a correction.")


def test_a_withdrawn_story_leaves_its_tombstone(new_page, newsroom_desk):
    story = story_withdraw(
        story=newsroom_desk["story"],
        editor=newsroom_desk["checker"],
        note="Grace Hopper did not join Acme Robotics: the announcement was a hoax.",
    )
    reader = new_page(name="reader")
    response = reader.goto(story.get_absolute_url())
    assert response is not None and response.status == 410
    expect(reader.get_by_role("heading", level=1)).to_have_text("Acme Robotics hires a CTO")
    expect(reader.locator(".withdrawal-notice")).to_contain_text("the announcement was a hoax")
    expect(reader.locator("main")).to_contain_text("Published September 26, 2024")
    expect(reader.locator('script[type="application/ld+json"]')).to_have_count(0)
    reader.get_by_role("link", name="Every correction and withdrawal").click()
    expect(reader).to_have_url(re.compile(r"/corrections/$"))
    expect(reader.locator(".public-record")).to_contain_text("the announcement was a hoax")


def test_since_publication_shows_a_move_once_an_editor_verifies_it(new_page, newsroom_desk):
    later = recorded_move(
        organization=newsroom_desk["acme"],
        name="Ada Lovelace",
        title="Chief Executive Officer",
        effective=PartialDate.from_day(timezone.localdate()),
        quote="Ada Lovelace is our new chief executive.",
        url="https://acme.example/news/ada",
        by=newsroom_desk["writer"],
    )
    reader = new_page(name="reader")
    reader.clock.install()
    reader.goto(newsroom_desk["story"].get_absolute_url())
    sidebar = reader.locator("#leadership-sidebar")
    expect(sidebar).to_contain_text("Grace Hopper")
    expect(sidebar).not_to_contain_text("Ada Lovelace")

    office = new_page(name="editor")
    sign_in(office, newsroom_desk["checker"])
    office.goto("/desk/verify/")
    office.locator(f"#citation-{later.citation.pk}").get_by_role("button", name="Verify").click()
    expect(office.locator(f"#citation-{later.citation.pk} .badge")).to_have_text("verified")
    assert RoleChange.objects.get(pk=later.role_change.pk).is_public

    reader.clock.fast_forward("01:05")
    since = sidebar.locator(".since-published")
    expect(since).to_contain_text("Ada Lovelace")
    expect(sidebar.get_by_role("heading", name="Since this story was published")).to_be_visible()
    # The story's own move is what it reports, not news since.
    expect(since).not_to_contain_text("Grace Hopper")


def test_the_sidebar_toggle_keeps_the_keyboard_focus(new_page, newsroom_desk):
    reader = new_page(name="reader")
    reader.goto(newsroom_desk["story"].get_absolute_url())
    toggle = reader.locator("#sidebar-toggle")
    toggle.focus()
    expect(toggle).to_have_text(re.compile("Show it as on September 26, 2024"))
    reader.keyboard.press("Enter")
    expect(
        reader.get_by_role("heading", name="Leadership when this story was published")
    ).to_be_visible()
    expect(toggle).to_have_text("Show today's leadership")
    expect(toggle).to_be_focused()
    reader.keyboard.press("Enter")
    expect(toggle).to_have_text(re.compile("Show it as on"))
    expect(toggle).to_be_focused()


def test_desk_tables_wrap_on_a_390_pixel_phone(browser, live_server, newsroom_desk):
    """Issue 15: a 10,000-character quote made the queue 95,000 px wide. Quotes now stop at
    the limit, and every desk table fits the screen, its cells labelled by column."""
    long_quote = " ".join(["Acme-Robotics-announces-a-new-chief-executive-officer"] * 36)
    pending = recorded_move(
        organization=newsroom_desk["acme"],
        name="Ada Lovelace",
        title="Chief Executive Officer",
        effective=PartialDate.parse("2025-01"),
        quote=long_quote,
        url="https://acme.example/news/" + "very-long-path-segment-" * 40,
        by=newsroom_desk["writer"],
    )
    statement_update(
        statement=newsroom_desk["citation"].statement,
        editor=newsroom_desk["checker"],
        quote=long_quote,
    )
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="en-US"
    )
    page = context.new_page()
    sign_in(page, newsroom_desk["checker"])
    for url in (
        "/desk/verify/",
        "/desk/audit/",
        f"/desk/citations/{pending.citation.pk}/",
        f"/desk/stories/{newsroom_desk['story'].pk}/revisions/",
    ):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url} is {width} px wide on a 390 px screen"
    page.goto("/desk/verify/")
    label = page.locator("td[data-label]").first.evaluate(
        "cell => getComputedStyle(cell, '::before').content"
    )
    assert label.strip('"') in {"What changes", "Claim"}
    context.close()
