"""The pictures in Chromium (issue 20): OpenAI's leadership around November 2023 and Bob
McGrew's career at 1280 and 390 px, with screenshots in test-artifacts/; a click on a bar or
on a point in time loads the leadership on that day with htmx; no label overlaps another;
axe-core finds nothing serious or critical on the pages that hold a picture."""

from __future__ import annotations

from itertools import combinations

import pytest
from django.core.management import call_command

from newsroom.tests.browser.support import ARTIFACTS, AXE_SCRIPT, PLAYWRIGHT_MISSING, missing
from newsroom.tests.browser.test_browser import axe_violations
from stories.models import Story

try:
    from playwright.sync_api import expect
except ImportError:
    missing(PLAYWRIGHT_MISSING)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NOVEMBER_2023 = "/organizations/openai/?as_of=2023-11-20&from=2023-11-06&to=2023-12-04"
WIDTHS = (1280, 390)


@pytest.fixture
def demo():
    call_command("load_demo_desk", verbosity=0)


def label_boxes(page, selector: str) -> list[tuple[str, dict]]:
    texts = page.locator(f"{selector} g.bar text")
    return [
        (texts.nth(n).text_content(), texts.nth(n).bounding_box()) for n in range(texts.count())
    ]


def overlapping(boxes: list[tuple[str, dict]]) -> list[tuple[str, str]]:
    def overlaps(one: dict, other: dict) -> bool:
        return not (
            one["x"] + one["width"] <= other["x"]
            or other["x"] + other["width"] <= one["x"]
            or one["y"] + one["height"] <= other["y"]
            or other["y"] + other["height"] <= one["y"]
        )

    return [
        (one_name, other_name)
        for (one_name, one), (other_name, other) in combinations(boxes, 2)
        if overlaps(one, other)
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_openai_around_november_2023_is_readable_and_answers_clicks(new_page, demo, width):
    ARTIFACTS.mkdir(exist_ok=True)
    page = new_page(name="reader")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(NOVEMBER_2023)
    timeline = page.locator("#timeline svg")
    expect(timeline).to_be_visible()
    for name in ("Sam Altman", "Mira Murati", "Emmett Shear"):
        expect(timeline.locator("g.bar text", has_text=name).first).to_be_attached()
    assert not overlapping(label_boxes(page, "#timeline")), "labels overlap"
    # Labels keep their size on a phone: the picture scrolls instead of shrinking.
    font_size = page.locator("#timeline g.bar text").first.evaluate(
        "text => text.getBoundingClientRect().height"
    )
    assert font_size >= 11
    page.locator("#timeline").screenshot(path=ARTIFACTS / f"timeline-openai-2023-11-{width}.png")
    page.screenshot(path=ARTIFACTS / f"organization-openai-2023-11-{width}.png", full_page=True)

    # A click on Mira Murati's interim bar loads the leadership on her first day, in place.
    page.evaluate("() => { window.stillTheSamePage = true; }")
    murati = timeline.locator(
        "g.bar", has=page.locator("title", has_text="Mira Murati, interim CEO")
    ).locator("a")
    murati.scroll_into_view_if_needed()
    murati.click()
    expect(page.locator("#leadership-heading")).to_have_text("Leadership on November 17, 2023")
    assert "as_of=2023-11-17" in page.url and "from=2023-11-06" in page.url
    assert page.evaluate("() => window.stillTheSamePage === true"), "the page was reloaded"
    leaders = page.locator("#leadership .leader")
    expect(leaders.filter(has_text="Interim CEO").first).to_contain_text("Mira Murati")
    # The line moved with it.
    line_day = page.locator("#timeline g.as-of text")
    expect(line_day).to_have_text("November 17, 2023")


def test_a_click_on_a_point_in_time_loads_that_day(new_page, demo):
    page = new_page(name="reader")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(NOVEMBER_2023)
    band = page.locator(
        "#timeline g.bands a", has=page.locator("title", has_text="November 21, 2023")
    )
    box = band.locator("rect").bounding_box()
    # A point in the axis, above the bars: what a reader clicks to ask "who led then?".
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + 12)
    expect(page.locator("#leadership-heading")).to_have_text("Leadership on November 21, 2023")
    expect(page.locator("#leadership .leader").filter(has_text="Interim CEO")).to_contain_text(
        "Emmett Shear"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_bob_mcgrews_career_is_drawn(new_page, demo, width):
    ARTIFACTS.mkdir(exist_ok=True)
    page = new_page(name="reader")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/people/bob-mcgrew/")
    career = page.locator("#career-timeline svg")
    expect(career).to_be_visible()
    # VP of Research, ended by the later title (issue 14): a bound, and uncertain like the
    # Chief Research Officer whose start is unknown.
    expect(career.locator("g.bar text", has_text="2018 – by September 25, 2024")).to_be_attached()
    expect(career.locator("rect[data-kind=uncertain]")).to_have_count(2)
    assert not overlapping(label_boxes(page, "#career-timeline"))
    page.locator("#career-timeline").screenshot(path=ARTIFACTS / f"career-bob-mcgrew-{width}.png")
    # The same data as a table, for anyone who cannot see the picture.
    page.get_by_text("The same data as a table").click()
    expect(page.locator("#career-timeline table")).to_contain_text("Chief Research Officer")


def test_pages_with_pictures_have_no_serious_accessibility_violations(new_page, demo):
    """With every table opened (which scrolls the pictures into view, where axe-core reads
    the links' visible text)."""
    if not AXE_SCRIPT.exists():
        missing(f"axe-core is not installed at {AXE_SCRIPT}: run `make browser-deps`")
    story = Story.objects.published().get(language="en")
    found = {}
    for width in WIDTHS:
        page = new_page(name=f"reader-{width}")
        page.set_viewport_size({"width": width, "height": 900})
        for url in (
            NOVEMBER_2023,
            "/organizations/openai/",
            "/people/bob-mcgrew/",
            story.get_absolute_url(),
        ):
            assert page.goto(url).status == 200, url
            for details in page.locator("details.chart-data").all():
                details.locator("summary").click()
            found[f"{url} at {width} px"] = axe_violations(page)
    report = [f"{where}: {line}" for where, lines in found.items() for line in lines]
    assert not report, "axe-core found:\n" + "\n".join(report)


def test_the_article_draws_its_timeline_as_of_publication(new_page, demo):
    story = Story.objects.published().get(language="en")
    page = new_page(name="reader")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(story.get_absolute_url())
    figure = page.locator("figure.story-timeline")
    expect(figure).to_contain_text("Leadership of OpenAI when this story was published")
    expect(figure.locator("g.as-of text")).to_have_text("September 26, 2024")
    figure.screenshot(path=ARTIFACTS / "article-timeline.png")
