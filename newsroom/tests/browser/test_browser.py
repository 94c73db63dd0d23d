"""The flows a person clicks through, in Chromium: draft → cite → verify → publish, the live
sidebar, keyboard use, and axe-core's accessibility check of the main pages.

Run them with ``make test ARGS="-m browser"`` (Chromium from ``apt-get install -y chromium``,
axe-core from ``make browser-deps``).
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from newsroom.dates import PartialDate
from newsroom.tests.browser.support import (
    ARTIFACTS,
    AXE_SCRIPT,
    PLAYWRIGHT_MISSING,
    missing,
    sign_in,
)
from people.models import Organization
from people.services import organization_create, person_create
from people.tests.factories import editor, journalist
from stories.models import Citation, Story, StoryStatus
from stories.services import citation_decide, move_record_with_citation

try:
    from playwright.sync_api import expect
except ImportError:
    missing(PLAYWRIGHT_MISSING)

pytestmark = [
    pytest.mark.browser,
    # live_server needs a transactional database; serialized rollback restores what the
    # migrations put there (the Journalists and Editors groups) before each test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SOURCE_URL = "https://acme.example/news/grace-hopper-joins"
QUOTE = "Grace Hopper joins Acme Robotics as Chief Technology Officer."
BODY = "Acme Robotics named Grace Hopper its chief technology officer."


def test_a_move_goes_from_the_desk_to_an_open_article_without_a_reload(new_page):
    """Issue 4's flow: journalist, editor, reader, and the sidebar that follows the news."""
    ARTIFACTS.mkdir(exist_ok=True)
    organization_create(name="Acme Robotics")
    writer = journalist(username="jo", first_name="Jo", last_name="Writer")
    checker = editor(username="ed", first_name="Ed", last_name="Checker")

    # The journalist records the move with its citation; the names get live suggestions.
    desk = new_page(name="journalist")
    sign_in(desk, writer)
    desk.goto("/desk/moves/new/")
    desk.get_by_label("Organization", exact=True).press_sequentially("Acme")
    organization_options = desk.locator("#organization-options")
    expect(organization_options).to_contain_text("Which organization is “Acme”?")
    organization_options.get_by_label("Acme Robotics").check()
    desk.get_by_label("Person", exact=True).press_sequentially("Grace Hopper")
    person_options = desk.locator("#person-options")
    expect(person_options).to_contain_text("Which person is “Grace Hopper”?")
    person_options.get_by_label("New person: “Grace Hopper”").check()
    desk.get_by_label("What happened").select_option("joined")
    desk.get_by_label(re.compile(r"^Title:?$")).fill("Chief Technology Officer")
    desk.get_by_label("Effective date").fill("2024-09-25")
    desk.get_by_label("Source URL").press_sequentially(f"{SOURCE_URL}?utm_source=feed")
    expect(desk.locator("#source-preview")).to_contain_text(f"Will be saved as {SOURCE_URL}")
    desk.get_by_label("Source title").fill("Grace Hopper joins Acme Robotics")
    desk.get_by_label(re.compile(r"^Quote:?$")).fill(QUOTE)
    desk.get_by_role("button", name="Record the move").click()
    expect(desk.locator(".messages")).to_contain_text("Move recorded.")
    citation = Citation.objects.get(source__canonical_url=SOURCE_URL)
    marker = f"[^c{citation.pk}]"

    # ... drafts a story, attaches the move's citation and cites it in the body.
    desk.goto("/desk/stories/new/")
    desk.get_by_label(re.compile(r"^Title:?$")).fill("Acme Robotics hires a CTO")
    desk.get_by_label("Dek").fill("Grace Hopper joins from the Navy.")
    desk.get_by_label(re.compile(r"^Body:?$")).fill(BODY)
    desk.get_by_role("button", name="Start the draft").click()
    expect(desk.locator(".messages")).to_contain_text("Draft started.")
    # The message shows while the page is still loading; what comes next needs its scripts
    # (htmx's live search): typing before they run would go unheard, as for a person only
    # in the first milliseconds, but here every time the machine is busy.
    desk.wait_for_load_state()
    desk.get_by_label(re.compile("Find moves and citations to attach")).press_sequentially("Grace")
    desk.get_by_role("button", name="Attach the move and its 1 citation").click()
    expect(desk.locator(".messages")).to_contain_text("Attached.")
    desk.wait_for_load_state()  # the marker buttons and the live preview are scripts too
    body = desk.get_by_label(re.compile(r"^Body:?$"))
    body.click()
    body.press("Control+End")
    desk.get_by_role("button", name=f"Insert {marker}").click()
    expect(body).to_have_value(BODY + marker)
    preview = desk.locator("#preview")
    expect(preview.locator("sup.footnote-ref")).to_have_text("1")
    expect(preview).to_contain_text(QUOTE)
    desk.get_by_role("button", name="Save", exact=True).click()
    expect(desk.locator(".messages")).to_contain_text("Saved.")
    desk.get_by_role("button", name="Submit for review").click()
    expect(desk.locator(".messages")).to_contain_text("Sent to the editors for review.")
    story = Story.objects.get(title="Acme Robotics hires a CTO")

    # The editor cannot publish while the citation is pending: the refusal names it.
    office = new_page(name="editor")
    sign_in(office, checker)
    office.goto("/desk/review/")
    office.get_by_role("link", name="Acme Robotics hires a CTO").click()
    office.get_by_role("button", name="Publish").click()
    messages = office.locator(".messages")
    expect(messages).to_contain_text("Not published: first resolve each thing that blocks it.")
    expect(messages).to_contain_text(
        f"Citation {citation.pk} (Grace Hopper, Chief Technology Officer) is pending, not verified."
    )

    # ... follows the link to the queue and verifies the citation in place.
    office.get_by_role("link", name=f"citation {citation.pk} in the verification queue").click()
    expect(office).to_have_url(
        re.compile(rf"/desk/verify/\?person=grace-hopper#citation-{citation.pk}$")
    )
    office.evaluate("window.__noReload = 1")
    row = office.locator(f"#citation-{citation.pk}")
    expect(row).to_contain_text(QUOTE)
    office.screenshot(path=ARTIFACTS / "verification-queue.png", full_page=True)
    row.get_by_role("button", name="Verify").click()
    expect(row.locator(".badge")).to_have_text("verified")
    expect(row).to_contain_text("by ed")
    assert office.evaluate("window.__noReload") == 1, "the queue reloaded instead of a row swap"

    office.goto(f"/desk/stories/{story.pk}/")
    office.get_by_role("button", name="Publish").click()
    expect(office.locator(".messages")).to_contain_text("Published.")

    # A reader, signed out, reads the article with its footnote and its sources.
    reader = new_page(name="reader")
    reader.clock.install()
    response = reader.goto(f"/stories/{Story.objects.get(pk=story.pk).slug}/")
    assert response is not None and response.status == 200
    article = reader.locator("article")
    expect(article.locator("sup.footnote-ref a")).to_have_text("1")
    sources = reader.locator("section.sources")
    expect(sources.get_by_role("heading", name="Sources")).to_be_visible()
    expect(sources).to_contain_text(QUOTE)
    expect(sources.get_by_role("link", name="Grace Hopper joins Acme Robotics")).to_have_attribute(
        "href", SOURCE_URL
    )
    sidebar = reader.locator("#leadership-sidebar")
    expect(sidebar).to_contain_text("Grace Hopper")
    expect(sidebar).not_to_contain_text("Ada Lovelace")
    reader.screenshot(path=ARTIFACTS / "article.png", full_page=True)
    reader.evaluate("window.__noReload = 1")

    # A new move at the organization the story covers is recorded and verified...
    today = PartialDate.from_day(timezone.localdate())
    recorded = move_record_with_citation(
        person=person_create(name="Ada Lovelace"),
        organization=Organization.objects.get(name="Acme Robotics"),
        title="Chief Executive Officer",
        kind="appointed",
        effective=today,
        recorded_by=writer,
        source_url="https://acme.example/news/new-ceo",
        quote="Ada Lovelace is our new chief executive.",
    )
    citation_decide(citation=recorded.citation, editor=checker, decision="verified")

    # ... and the open page shows it at its next poll, a minute later, without a reload.
    reader.clock.fast_forward("01:05")
    expect(sidebar.locator(".leaders")).to_contain_text("Ada Lovelace")
    expect(sidebar.locator(".since-published")).to_contain_text("Ada Lovelace")
    assert reader.evaluate("window.__noReload") == 1, "the article reloaded"

    assert (ARTIFACTS / "article.png").stat().st_size > 0
    assert (ARTIFACTS / "verification-queue.png").stat().st_size > 0


def axe_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one readable line each.

    Evaluated through the DevTools protocol, which the page's Content Security Policy does
    not apply to: the site itself stays without any inline script.
    """
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['impact']}: {violation['id']} ({violation['help']}) at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def test_main_pages_have_no_serious_accessibility_violations(new_page):
    """Issue 7: axe-core finds nothing serious or critical for readers, journalists or editors."""
    if not AXE_SCRIPT.exists():
        missing(f"axe-core is not installed at {AXE_SCRIPT}: run `make browser-deps`")
    call_command("load_demo_desk", verbosity=0)
    published = Story.objects.published().get(language="en")
    in_review = Story.objects.get(status=StoryStatus.IN_REVIEW)
    pending = Citation.objects.pending().order_by("pk").first()
    reader_pages = {
        "home page": "/",
        "story list": "/stories/",
        "story": published.get_absolute_url(),
        "people search": "/people/?q=mira",
        "profile": "/people/mira-murati/",
        "organization page": "/organizations/openai/",
        "sign-in": "/accounts/login/",
        "corrections": "/corrections/",
    }
    desk_pages = {
        "desk": "/desk/",
        "verification queue": "/desk/verify/",
        "citation": f"/desk/citations/{pending.pk}/",
        "record a move": "/desk/moves/new/",
        "story editor": f"/desk/stories/{in_review.pk}/",
        "new story (with the citation picker)": "/desk/stories/new/?q=Knight",
        "review queue": "/desk/review/",
    }
    found = {}
    reader = new_page(name="reader")
    for name, url in reader_pages.items():
        assert reader.goto(url).status == 200, name
        found[f"{name} ({url})"] = axe_violations(reader)
    desk = new_page(name="editor")
    sign_in(desk, editor(username="ed"))
    for name, url in desk_pages.items():
        assert desk.goto(url).status == 200, name
        found[f"{name} ({url})"] = axe_violations(desk)
    report = [f"{page}: {line}" for page, lines in found.items() for line in lines]
    assert not report, "axe-core found:\n" + "\n".join(report)


def tab_to(page, target, *, limit: int = 80) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} cannot be reached with Tab ({limit} presses)")


def test_readers_and_editors_can_do_everything_with_the_keyboard(new_page):
    call_command("load_demo_desk", verbosity=0)
    story = Story.objects.published().get(language="en")
    reader = new_page(name="reader")

    # The first Tab offers to skip the navigation; Enter moves the focus to the content.
    reader.goto("/")
    reader.keyboard.press("Tab")
    expect(reader.get_by_role("link", name="Skip to content")).to_be_focused()
    reader.keyboard.press("Enter")
    expect(reader.locator("main#main")).to_be_focused()

    # Live people search: type, Tab to a result, Enter opens it.
    reader.goto("/people/")
    tab_to(reader, reader.get_by_label("Search by any name, in any script"))
    reader.keyboard.type("ミラ")
    result = reader.locator("#people-results").get_by_role("link", name="Mira Murati")
    expect(result).to_be_visible()
    tab_to(reader, result)
    reader.keyboard.press("Enter")
    expect(reader).to_have_url(re.compile(r"/people/mira-murati/$"))

    # A footnote leads to its source.
    reader.goto(story.get_absolute_url())
    footnote = reader.locator("article sup.footnote-ref a").first
    tab_to(reader, footnote)
    reader.keyboard.press("Enter")
    expect(reader).to_have_url(re.compile(r"#source-1$"))

    # The editor works the queue without a mouse. After each in-place decision the focus
    # stays in the row that changed, so the next Tab goes on to the next row.
    desk = new_page(name="editor")
    sign_in(desk, editor(username="ed"))
    desk.goto("/desk/verify/")
    first, second = (
        desk.locator(f"#{row_id}")
        for row_id in desk.locator("tr.citation-row").evaluate_all(
            "rows => rows.slice(0, 2).map(row => row.id)"
        )
    )
    tab_to(desk, first.get_by_role("button", name="Verify"))
    desk.keyboard.press("Enter")
    expect(first.get_by_role("status")).to_be_focused()
    expect(first.locator(".badge")).to_have_text("verified")
    desk.keyboard.press("Tab")
    assert desk.evaluate("document.activeElement.closest('tr').id") == second.get_attribute("id")

    tab_to(desk, second.get_by_role("button", name="Dispute"))
    desk.keyboard.press("Enter")
    note = second.get_by_label("Note")
    expect(note).to_be_focused()
    expect(second.locator(".errorlist")).to_contain_text("Say why you dispute it.")
    desk.keyboard.type("The source does not name the title.")
    tab_to(desk, second.get_by_role("button", name="Dispute"))
    desk.keyboard.press("Enter")
    expect(second.locator(".badge")).to_have_text("disputed")
    expect(second.get_by_role("status")).to_be_focused()
