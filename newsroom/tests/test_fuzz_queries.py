"""No query string makes a page fail (ASVS V5.1.3, V5.1.4): searches, filters, page numbers,
dates and the API's parameters, fuzzed with hypothesis on SQLite and PostgreSQL.

The API's documented parameters are also fuzzed by schemathesis (stories/tests/test_api.py);
here every parameter of the reader and desk pages that reads ``request.GET`` gets any text,
including control characters, NUL (which PostgreSQL refuses in text), other scripts and
very long values.
"""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from people.tests.factories import OrganizationFactory, PersonFactory, editor, record
from stories.services import story_create
from stories.tests.factories import pending_citation

pytestmark = pytest.mark.django_db

# Any text a URL can carry: every code point but lone surrogates (not encodable in UTF-8).
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
NASTY = st.sampled_from(
    [
        "\x00",
        "%",
        "_",
        "\\",
        "'",
        '"',
        "' OR 1=1 --",
        "<script>",
        "9" * 40,
        "-1",
        "0",
        "1e9",
        "ミラ",
        "İ",
        "ß",
        "\u202e",
        " ",
        "2024-02-30",
        "2024-13",
        "0000-01-01",
        "9999-12-31",
    ]
)
VALUE = st.one_of(ANY_TEXT, NASTY)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def site(db):
    mira = PersonFactory(name="Mira Murati")
    openai = OrganizationFactory(name="OpenAI", slug="openai")
    record(mira, openai, "appointed", "Chief Technology Officer", "2022-05")
    citation = pending_citation(person=mira, organization=openai)
    desk = editor()
    story = story_create(author=desk, title="Who runs OpenAI", body="Intro.")
    client = Client()
    client.force_login(desk)
    return {"client": client, "story": story, "citation": citation}


def pages(story):
    return {
        reverse("home"): [],
        reverse("people:person-list"): ["q", "page"],
        reverse("people:organization-list"): ["q", "page"],
        reverse("people:organization-detail", args=["openai"]): ["as_of", "from", "to"],
        reverse("people:organization-timeline-svg", args=["openai"]): ["as_of", "from", "to"],
        reverse("people:organization-turnover-svg", args=["openai"]): ["from", "to"],
        reverse("people:person-career-svg", args=["mira-murati"]): [],
        reverse("stories:story-list"): ["page"],
        reverse("stories:correction-list"): ["page"],
        reverse("stories:story-new"): ["q", "citation"],
        reverse("stories:verify-queue"): ["organization", "person", "page"],
        reverse("stories:audit-log"): ["action", "user", "page"],
        reverse("stories:lookup", args=["person"]): ["person_name", "person_choice"],
        reverse("stories:lookup", args=["organization"]): ["organization_name"],
        reverse("stories:source-preview"): ["source_url"],
        reverse("stories:story-attach-search", args=[story.pk]): ["q"],
        reverse("stories:story-revisions", args=[story.pk]): ["a", "b"],
        "/api/people": ["q"],
        "/api/organizations/openai/leadership": ["on"],
        "/api/organizations/openai/changes": ["from", "to"],
    }


def test_no_query_string_breaks_a_page(site):
    client, story = site["client"], site["story"]

    @settings(FUZZ, max_examples=25)
    @given(data=st.data(), htmx=st.booleans())
    def check(data, htmx):
        for url, names in pages(story).items():
            params = {name: data.draw(VALUE, label=f"{url}?{name}") for name in names}
            headers = {"HX-Request": "true"} if htmx else {}
            response = client.get(url, params, headers=headers)
            assert response.status_code < 500, (url, params)

    check()


@FUZZ
@given(q=VALUE)
def test_the_people_search_answers_any_text(site, q):
    """A search never fails, and a name that is there is always found."""
    response = site["client"].get(reverse("people:person-list"), {"q": q})
    assert response.status_code in (200, 400)
    if q.strip() and q.strip().casefold() in "mira murati":
        assert "Mira Murati" in response.content.decode()


@FUZZ
@given(q=VALUE)
def test_the_api_search_answers_any_text_with_json(site, q):
    response = Client().get("/api/people", {"q": q})
    assert response.status_code in (200, 400, 422)
    assert response["Content-Type"].startswith("application/json")


def test_a_nul_character_in_a_query_string_is_a_bad_request(site):
    """PostgreSQL refuses NUL in text; the site says the address is wrong instead of failing."""
    for url in (reverse("people:person-list"), reverse("stories:verify-queue")):
        response = site["client"].get(url, {"q": "Mira\x00", "person": "\x00"})
        assert response.status_code == 400
        assert "Check the address" in response.content.decode()
