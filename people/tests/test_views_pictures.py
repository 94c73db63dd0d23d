"""The pictures as readers get them: on the organization page and the profile, and each on
its own URL as SVG (well-formed, ``image/svg+xml``, credited, linking back), public data
only, within the pages' query budget."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.tests.factories import OrganizationFactory, PersonFactory, journalist, record

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def demo():
    call_command("load_demo_desk", verbosity=0)


def svg_of(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 - the app's own output; raises unless well-formed


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(queries)


def test_the_timeline_answers_on_its_own_url_as_well_formed_svg(client, demo):
    root = svg_of(client.get("/organizations/openai/timeline.svg?as_of=2023-11-20"))
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "Leadership of OpenAI over time"
    assert "hatched bars are interim" in root.find(f"{SVG}desc").text.lower()
    assert "The red line marks November 20, 2023." in root.find(f"{SVG}desc").text
    texts = [text.text or "" for text in root.iter(f"{SVG}text")]
    assert any(text.startswith("Sources: ") and "Wikipedia" in text for text in texts)
    # A link back to the page, absolute (the picture travels to slides and social posts).
    links = [link.get("href") for link in root.iter(f"{SVG}a")]
    assert "http://testserver/organizations/openai/" in links
    assert "http://testserver/organizations/openai/?as_of=2019-12-31" in links
    # On its own, nothing in it is scripted: no htmx, no script, no style.
    assert b"hx-get" not in client.get("/organizations/openai/timeline.svg").content
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter(f"{SVG}style"))


def test_interim_tenures_are_hatched_and_partial_edges_faded_in_the_svg(client, demo):
    root = svg_of(client.get("/organizations/openai/timeline.svg?from=2023-11-06&to=2023-12-04"))
    bars = {}
    for group in root.iter(f"{SVG}g"):
        if "bar" in (group.get("class") or "").split():
            bars.setdefault(group.find(f"{SVG}title").text, group)
    murati = bars["Mira Murati, interim CEO, November 17, 2023 – November 20, 2023"]
    assert "is-interim" in murati.get("class")
    assert [rect.get("fill") for rect in murati.iter(f"{SVG}rect")] == ["url(#timeline-hatch)"]
    altman = bars["Sam Altman, CEO, since November 22, 2023"]
    assert [rect.get("fill") for rect in altman.iter(f"{SVG}rect")] == ["#cfe0f3"]
    whole = svg_of(client.get("/organizations/openai/timeline.svg"))
    kinds = {
        group.find(f"{SVG}title").text: [rect.get("data-kind") for rect in group.iter(f"{SVG}rect")]
        for group in whole.iter(f"{SVG}g")
        if "bar" in (group.get("class") or "").split()
    }
    assert kinds["Ilya Sutskever, Chief Scientist, December 2015 – May 2024"] == [
        "fade_in",
        "certain",
        "fade_out",
    ]
    assert kinds["Sam Altman, CEO, 2019 – November 17, 2023"] == ["fade_in", "certain"]
    assert kinds["Jason Kwon, Chief Strategy Officer, since at least September 25, 2024"] == [
        "unknown_start",
        "certain",
    ]
    faded = [
        rect
        for rect in whole.iter(f"{SVG}rect")
        if rect.get("data-kind") in ("fade_in", "fade_out", "unknown_start")
    ]
    assert faded and all(rect.get("mask", "").startswith("url(#timeline-m") for rect in faded)


def test_the_as_of_line_is_drawn_only_when_asked_for(client, demo):
    with_line = svg_of(client.get("/organizations/openai/timeline.svg?as_of=2024-09-26"))
    assert [g for g in with_line.iter(f"{SVG}g") if g.get("class") == "as-of"]
    without = svg_of(client.get("/organizations/openai/timeline.svg"))
    assert not [g for g in without.iter(f"{SVG}g") if g.get("class") == "as-of"]


def test_turnover_and_career_answer_as_svg_too(client, demo):
    turnover = svg_of(client.get("/organizations/openai/turnover.svg"))
    assert turnover.find(f"{SVG}title").text == "Departures from OpenAI per quarter"
    kinds = {rect.get("data-kind") for rect in turnover.iter(f"{SVG}rect")}
    assert {"certain", "possible"} <= kinds
    career = svg_of(client.get("/people/bob-mcgrew/career.svg"))
    assert career.find(f"{SVG}title").text == "Career of Bob McGrew"
    assert "http://testserver/people/bob-mcgrew/" in [a.get("href") for a in career.iter(f"{SVG}a")]


@pytest.mark.parametrize(
    "url, name",
    [
        ("/organizations/openai/timeline.svg?as_of=2024-13-01", "as_of"),
        ("/organizations/openai/timeline.svg?from=yesterday", "from"),
        ("/organizations/openai/turnover.svg?to=2024", "to"),
    ],
)
def test_a_bad_parameter_is_a_400_that_says_which(client, demo, url, name):
    response = client.get(url)
    assert response.status_code == 400
    assert response.content.decode().startswith(f"The date in “{name}”")


def test_unknown_or_unconfirmed_subjects_are_404(client):
    assert client.get("/organizations/nowhere/timeline.svg").status_code == 404
    assert client.get("/people/nobody/career.svg").status_code == 404
    secret = OrganizationFactory(name="Secret Labs")
    record(PersonFactory(), secret, "appointed", "CEO", "2020", public=False)
    assert client.get(f"/organizations/{secret.slug}/timeline.svg").status_code == 404


def test_pictures_show_confirmed_moves_only_even_to_journalists(client):
    acme = OrganizationFactory(name="Acme")
    record(PersonFactory(name="Public Person"), acme, "appointed", "CEO", "2020")
    record(PersonFactory(name="Pending Person"), acme, "appointed", "CTO", "2021", public=False)
    client.force_login(journalist())
    page = client.get(acme.get_absolute_url()).content.decode()
    timeline = page[page.index('id="timeline"') : page.index('id="leadership-heading"')]
    assert "Public Person" in timeline and "Pending Person" not in timeline
    assert b"Pending Person" not in client.get(f"/organizations/{acme.slug}/timeline.svg").content


def test_the_organization_page_draws_the_timeline_with_links_for_htmx_and_without(client, demo):
    page = client.get(
        "/organizations/openai/", {"as_of": "2023-11-20", "from": "2023-11-06", "to": "2023-12-04"}
    )
    html = page.content.decode()
    assert 'id="timeline-heading"' in html and 'id="turnover-heading"' in html
    href = "/organizations/openai/?as_of=2023-11-17&amp;from=2023-11-06&amp;to=2023-12-04"
    assert f'<a href="{href}" hx-get="{href}" hx-target="#leadership-section"' in html
    # The same data as a table, and the pictures on their own.
    assert "<caption>Leadership of OpenAI over time</caption>" in html
    assert re.search(
        r"<td>November 17, 2023 – November 20, 2023</td>\s*<td>interim \(hatched\)", html
    )
    assert "/organizations/openai/timeline.svg?as_of=2023-11-20&amp;from=2023-11-06" in html
    # A click swaps the whole region, the line with it.
    partial = client.get(
        "/organizations/openai/",
        {"as_of": "2023-11-17", "from": "2023-11-06"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert partial.lstrip().startswith('<div id="leadership-section">')
    assert 'class="as-of"' in partial and "<!doctype" not in partial.lower()


def test_a_bad_zoom_is_a_400_with_a_message_on_the_page(client, demo):
    response = client.get("/organizations/openai/", {"from": "2024-02-30"})
    assert response.status_code == 400
    assert "February 2024 has 29 days" in response.content.decode()


def test_the_profile_draws_the_career(client, demo):
    html = client.get("/people/bob-mcgrew/").content.decode()
    assert 'id="career-timeline-heading"' in html
    assert "<caption>Career of Bob McGrew</caption>" in html
    assert "uncertain on every day" in html  # Chief Research Officer, start unknown
    # VP of Research, ended by the later title: uncertain too, linked from its first day.
    assert 'href="/organizations/openai/?as_of=2018-01-01"' in html


def history(organization, count: int) -> None:
    """``count`` leadership tenures over the years, with partial dates, interim holders and
    departures (some known only to the year)."""
    for index in range(count):
        person = PersonFactory()
        year = 1980 + index % 40
        title = f"VP of Area {index % 7}"
        record(
            person,
            organization,
            "joined",
            title,
            f"{year}-{index % 12 + 1:02d}",
            is_interim=index % 5 == 0,
        )
        record(
            person,
            organization,
            "left",
            title,
            f"{year + 1}" if index % 3 else f"{year + 1}-06-30",
            leaves_organization=True,
        )


@pytest.mark.parametrize(
    "path",
    [
        "/organizations/{slug}/?as_of=1981-03-01",
        "/organizations/{slug}/timeline.svg",
        "/organizations/{slug}/turnover.svg",
    ],
)
def test_pictures_cost_the_same_queries_for_3_and_50_tenures(client, path):
    organization = OrganizationFactory()
    history(organization, 3)
    url = path.format(slug=organization.slug)
    few = count_queries(client, url)
    history(organization, 47)
    assert count_queries(client, url) == few
    # Cached once seen: nothing read until the data changes.
    assert count_queries(client, url) == 0


def test_the_organization_page_stays_within_its_query_budget(client):
    """Six queries before the pictures (README, Performance), three for them: the
    leadership tenures, the departures, and the sources credited for both."""
    organization = OrganizationFactory()
    history(organization, 10)
    assert count_queries(client, f"{organization.get_absolute_url()}?as_of=2001-01-01") <= 10


def test_a_new_move_is_in_the_picture_on_the_next_request(client):
    acme = OrganizationFactory(name="Acme")
    record(PersonFactory(name="First Chief"), acme, "appointed", "CEO", "2020")
    assert b"Second Chief" not in client.get(f"/organizations/{acme.slug}/timeline.svg").content
    record(PersonFactory(name="Second Chief"), acme, "appointed", "CTO", "2021")
    assert b"Second Chief" in client.get(f"/organizations/{acme.slug}/timeline.svg").content


def test_a_zoom_stays_within_the_history_on_record(client, demo):
    """A range of centuries, or one outside the history, is cut to what the organization's
    history covers (a week at least): never thousands of axis links for a reader to wait for."""
    root = svg_of(client.get("/organizations/openai/timeline.svg?from=0002-01-01&to=9998-12-31"))
    assert len(list(root.iter(f"{SVG}a"))) < 100
    years = [int(text.text) for text in root.iter(f"{SVG}text") if (text.text or "").isdigit()]
    assert 2016 in years and all(2015 <= year <= datetime.date.today().year + 1 for year in years)
    later = svg_of(client.get("/organizations/openai/timeline.svg?from=2300-01-01"))
    assert "Sam Altman" in [text.text for text in later.iter(f"{SVG}text")]
