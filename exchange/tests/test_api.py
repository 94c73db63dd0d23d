"""The public JSON API: shapes, errors, verified data only, caching, CORS, its OpenAPI
document, and a schemathesis run against that document."""

import datetime
import json
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.generation.modes import GenerationMode

from newsroom.dates import PartialDate
from newsroom.models import ProposedEdit
from people.models import Person, RoleChange
from people.services import role_change_update
from people.tests.factories import (
    OrganizationFactory,
    PersonFactory,
    PersonNameFactory,
    editor,
    record,
)
from stories.services import (
    citation_add,
    citation_decide,
    proposed_edit_decide,
    source_get_or_create,
)

pytestmark = pytest.mark.django_db

LEADERSHIP = "/api/organizations/{}/leadership"
CHANGES = "/api/organizations/{}/changes"


def cite(move, url, *, verify=True, checker=None):
    source, _ = source_get_or_create(url=url)
    citation = citation_add(role_change=move, source=source)
    if verify:
        citation_decide(citation=citation, editor=checker or editor(), decision="verified")
    return citation


@pytest.fixture
def desk():
    """OpenAI with a verified CEO, a CTO known to the month, and a pending move."""
    checker = editor()
    openai = OrganizationFactory(name="OpenAI")
    sam = PersonFactory(name="Sam Altman")
    mira = PersonFactory(name="Mira Murati")
    PersonNameFactory(person=mira, name="ミラ・ムラティ", language="ja")
    hidden = PersonFactory(name="Pending Person")
    ceo = record(sam, openai, "appointed", "CEO", "2019-03", public=False)
    cite(ceo, "https://example.com/altman?utm_source=feed", checker=checker)
    cto = record(mira, openai, "appointed", "Chief Technology Officer", "2022-05", public=False)
    cite(cto, "https://example.com/murati", checker=checker)
    cite(cto, "https://example.com/murati-b", verify=False)
    left = record(mira, openai, "left", "Chief Technology Officer", "2024-09-25", public=False)
    cite(left, "https://x.com/miramurati/status/1", checker=checker)
    pending = record(hidden, openai, "joined", "Chief Scientist", "2020", public=False)
    cite(pending, "https://example.com/pending", verify=False)
    return {"openai": openai, "sam": sam, "mira": mira, "hidden": hidden}


def get(client, url, **params):
    return client.get(url, params, headers={"origin": "https://graphics.example"})


# Leadership ---------------------------------------------------------------------------------


def test_leadership_on_a_day_lists_verified_leaders_with_their_sources(client, desk):
    response = get(client, LEADERSHIP.format("openai"), as_of="2023-01-01")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "organization": {"slug": "openai", "name": "OpenAI"},
        "as_of": "2023-01-01",
        "leaders": [
            {
                "person": {"slug": "sam-altman", "name": "Sam Altman"},
                "title": "CEO",
                "since": "2019-03",
                "held_on": None,
                "certainty": "certain",
                "sources": ["https://example.com/altman"],
            },
            {
                "person": {"slug": "mira-murati", "name": "Mira Murati"},
                "title": "Chief Technology Officer",
                "since": "2022-05",
                "held_on": None,
                "certainty": "certain",
                "sources": ["https://example.com/murati", "https://x.com/miramurati/status/1"],
            },
        ],
    }


def test_a_day_a_partial_date_leaves_open_is_uncertain(client, desk):
    leaders = get(client, LEADERSHIP.format("openai"), as_of="2022-05-10").json()["leaders"]
    assert [(leader["title"], leader["certainty"]) for leader in leaders] == [
        ("CEO", "certain"),
        ("Chief Technology Officer", "uncertain"),
    ]


def test_the_departure_day_is_not_in_leadership(client, desk):
    leaders = get(client, LEADERSHIP.format("openai"), as_of="2024-09-25").json()["leaders"]
    assert [leader["title"] for leader in leaders] == ["CEO"]


def test_leadership_defaults_to_today(client, desk):
    data = get(client, LEADERSHIP.format("openai")).json()
    assert data["as_of"] == timezone.localdate().isoformat()


@pytest.mark.parametrize("as_of", ["2024-13-01", "2024-02-30", "2024-05", "yesterday", ""])
def test_an_invalid_as_of_answers_400_naming_it(client, desk, as_of):
    response = get(client, LEADERSHIP.format("openai"), as_of=as_of)
    assert response.status_code == 400
    assert "as_of" in response.json()["error"]
    assert "YYYY, YYYY-MM" not in response.json()["error"]  # only a day will do


@pytest.mark.parametrize("slug", ["nobody", "bad slug", "a%00b"])
def test_an_unknown_organization_answers_404(client, desk, slug):
    response = get(client, LEADERSHIP.format(slug))
    assert response.status_code == 404
    assert response.json()["error"]


def test_an_organization_with_nothing_verified_is_not_published(client):
    hidden = OrganizationFactory(name="Stealth Co")
    record(PersonFactory(), hidden, "joined", "CEO", "2024", public=False)
    assert get(client, LEADERSHIP.format(hidden.slug)).status_code == 404


# Changes ----------------------------------------------------------------------------------


def test_changes_between_two_days_in_date_order(client, desk):
    response = get(client, CHANGES.format("openai"), **{"from": "2019-01-01", "to": "2024-12-31"})
    assert response.status_code == 200
    assert response.json() == {
        "changes": [
            {
                "date": "2019-03",
                "person": {"slug": "sam-altman", "name": "Sam Altman"},
                "change": "appointed",
                "title": "CEO",
                "sources": ["https://example.com/altman"],
            },
            {
                "date": "2022-05",
                "person": {"slug": "mira-murati", "name": "Mira Murati"},
                "change": "appointed",
                "title": "Chief Technology Officer",
                "sources": ["https://example.com/murati"],
            },
            {
                "date": "2024-09-25",
                "person": {"slug": "mira-murati", "name": "Mira Murati"},
                "change": "left",
                "title": "Chief Technology Officer",
                "sources": ["https://x.com/miramurati/status/1"],
            },
        ]
    }


def test_a_change_known_to_the_month_is_in_a_range_touching_that_month(client, desk):
    changes = get(client, CHANGES.format("openai"), **{"from": "2022-05-31", "to": "2022-06-30"})
    assert [change["date"] for change in changes.json()["changes"]] == ["2022-05"]


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"from": "2024-99-01"}, "from"),
        ({"to": "soon"}, "to"),
        ({"from": "", "to": "2024-01-01"}, "from"),
        ({"to": "0000-01-01"}, "to"),
        ({"to": "2023-02-29"}, "to"),
    ],
)
def test_invalid_change_ranges_answer_400_naming_the_parameter(client, desk, params, named):
    response = get(client, CHANGES.format("openai"), **params)
    assert response.status_code == 400
    assert named in response.json()["error"]


@pytest.mark.parametrize(
    "params",
    [{"from": "2024-06-01", "to": "2024-01-01"}, {"from": "9999-12-31"}],
)
def test_a_range_whose_first_day_is_after_its_last_holds_no_change(client, desk, params):
    """Each is a day the document allows, so the request is answered: no day, no change."""
    response = get(client, CHANGES.format("openai"), **params)
    assert response.status_code == 200
    assert response.json() == {"changes": []}


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (LEADERSHIP, {"as_of": "0001-01-01"}),
        (LEADERSHIP, {"as_of": "9999-12-31"}),
        (CHANGES, {"to": "0001-01-01"}),
        (CHANGES, {"from": "0001-01-01", "to": "9999-12-31"}),
        (CHANGES, {"from": "9999-12-31", "to": "9999-12-31"}),
        (CHANGES, {"to": "0004-02-29"}),
    ],
)
def test_the_first_and_last_days_python_holds_are_answered(client, desk, url, params):
    response = get(client, url.format("openai"), **params)
    assert response.status_code == 200, response.content


# People -------------------------------------------------------------------------------------


def test_people_search_finds_other_names_in_any_script(client, desk):
    response = get(client, "/api/people", q="ミラ")
    assert response.json() == {"results": [{"slug": "mira-murati", "name": "Mira Murati"}]}


def test_people_search_never_shows_people_without_verified_moves(client, desk):
    assert get(client, "/api/people", q="Person").json() == {"results": []}


@pytest.mark.parametrize("params", [{}, {"q": "   "}, {"q": "x" * 201}])
def test_people_search_needs_a_query(client, desk, params):
    response = get(client, "/api/people", **params)
    assert response.status_code == 400
    assert response.json()["error"].startswith("q")


def test_control_characters_in_a_search_are_ignored(client, desk):
    response = get(client, "/api/people", q="Mi\x00ra")
    assert response.json() == {"results": [{"slug": "mira-murati", "name": "Mira Murati"}]}


@pytest.mark.parametrize("q", ["\x1f", "\x00\t", "\u3000", "\ufeff", "\x85 "])
def test_a_search_of_nothing_searchable_is_refused_as_the_document_says(client, desk, q):
    """The document's pattern for q refuses what the API refuses (a value it allows would
    have to be answered)."""
    response = get(client, "/api/people", q=q)
    assert response.status_code == 400
    assert not re.search(search_pattern(client), q)


@pytest.mark.parametrize("q", ["\u200b", "x", "\x1fMira", "ミ"])
def test_a_search_the_document_allows_is_answered(client, desk, q):
    assert re.search(search_pattern(client), q)
    assert get(client, "/api/people", q=q).status_code == 200


def search_pattern(client) -> str:
    document = client.get("/api/openapi.json").json()
    [q] = document["paths"]["/api/people"]["get"]["parameters"]
    return q["schema"]["pattern"]


def test_a_person_with_names_and_public_tenures(client, desk):
    response = get(client, "/api/people/mira-murati")
    assert response.json() == {
        "slug": "mira-murati",
        "name": "Mira Murati",
        "names": [{"name": "ミラ・ムラティ", "language": "ja"}],
        "tenures": [
            {
                "organization": {"slug": "openai", "name": "OpenAI"},
                "title": "Chief Technology Officer",
                "start": "2022-05",
                "held_on": None,
                "end": "2024-09-25",
                "end_by": None,
            }
        ],
    }


def test_an_edit_of_a_verified_move_reaches_the_api_only_once_an_editor_verifies_it(client, desk):
    """Rule 5: the API never answers with an unverified version of a move."""
    departure = RoleChange.objects.for_display().get(person=desk["mira"], kind="left")
    chief = editor()
    role_change_update(
        role_change=departure, proposed_by=chief, effective=PartialDate.parse("2024-10")
    )

    def end():
        return get(client, "/api/people/mira-murati").json()["tenures"][0]["end"]

    assert end() == "2024-09-25"
    proposed_edit_decide(
        edit=ProposedEdit.objects.pending().get(), editor=chief, decision="verified"
    )
    assert end() == "2024-10"


def test_a_post_held_on_a_date_gives_that_date_and_no_start(client, desk):
    kwon = PersonFactory(name="Jason Kwon")
    move = record(
        kwon, desk["openai"], "held", "Chief Strategy Officer", "2024-09-25", public=False
    )
    cite(move, "https://example.com/kwon")
    [tenure] = get(client, "/api/people/jason-kwon").json()["tenures"]
    assert (tenure["start"], tenure["held_on"], tenure["end"]) == (None, "2024-09-25", None)
    leaders = get(client, LEADERSHIP.format("openai"), as_of="2024-09-25").json()["leaders"]
    [leader] = [leader for leader in leaders if leader["person"]["slug"] == "jason-kwon"]
    assert leader["since"] is None and leader["held_on"] == "2024-09-25"
    assert (leader["certainty"], leader["sources"]) == ("certain", ["https://example.com/kwon"])


def test_a_tenure_with_an_unknown_start_or_still_held_has_null_dates(client, desk):
    jan = PersonFactory(name="Jan Leike")
    move = record(jan, desk["openai"], "left", "Superalignment co-lead", "2024-05", public=False)
    cite(move, "https://example.com/leike")
    tenures = get(client, "/api/people/jan-leike").json()["tenures"]
    assert tenures[0]["start"] is None
    assert tenures[0]["end"] == "2024-05"
    assert get(client, "/api/people/sam-altman").json()["tenures"][0]["end"] is None


def test_a_person_without_verified_moves_is_404(client, desk):
    assert get(client, f"/api/people/{desk['hidden'].slug}").status_code == 404
    assert get(client, "/api/people/nobody").status_code == 404


# Caching and CORS ---------------------------------------------------------------------------


def test_answers_carry_an_etag_and_a_conditional_get_answers_304(client, desk):
    url = LEADERSHIP.format("openai") + "?as_of=2023-01-01"
    first = client.get(url)
    assert first["ETag"].startswith('"')
    assert "max-age=60" in first["Cache-Control"]
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"
    other_day = client.get(url.replace("2023", "2020"), headers={"if-none-match": first["ETag"]})
    assert other_day.status_code == 200


def test_the_etag_changes_when_the_data_does(client, desk):
    url = "/api/people/sam-altman"
    before = client.get(url)["ETag"]
    PersonNameFactory(person=desk["sam"], name="サム・アルトマン", language="ja")
    assert client.get(url)["ETag"] != before


@pytest.mark.parametrize(
    "url",
    [
        LEADERSHIP.format("openai"),
        CHANGES.format("openai"),
        "/api/people?q=mira",
        "/api/people/mira-murati",
        "/api/people/nobody",
        "/api/people",
        "/api/openapi.json",
    ],
)
def test_any_origin_may_read_every_answer(client, desk, url):
    response = get(client, url)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_a_preflight_request_is_answered(client, desk):
    response = client.options(
        "/api/people/mira-murati",
        headers={
            "origin": "https://graphics.example",
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]


def api_paths() -> list[str]:
    """Every route the API documents, with the demo desk's slugs filled in."""
    from exchange.api import api

    paths = api.get_openapi_schema()["paths"]
    return [
        path.replace("{slug}", "mira-murati" if "people" in path else "openai") for path in paths
    ]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_every_api_route_is_read_only(client, desk, method):
    paths = api_paths()
    assert len(paths) >= 4
    for path in paths:
        assert client.get(path).status_code in (200, 400), path  # 400: /people needs q
        response = getattr(client, method)(path)
        assert response.status_code == 405, (method, path)
    assert (Person.objects.count(), RoleChange.objects.count()) == (3, 4)


# Queries ----------------------------------------------------------------------------------


def grow(organization, count, *, start=0):
    checker = editor(username=f"checker{start}")
    for number in range(start, start + count):
        person = PersonFactory(name=f"Leader {number:03d}")
        PersonNameFactory(person=person, name=f"リーダー{number}")
        move = record(
            person, organization, "appointed", f"VP of Things {number}", "2020", public=False
        )
        cite(move, f"https://example.com/move/{number}", checker=checker)
        cite(move, f"https://example.com/move/{number}/b", checker=checker)


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        LEADERSHIP.format("openai") + "?as_of=2021-06-01",
        CHANGES.format("openai") + "?from=2019-01-01&to=2021-01-01",
        "/api/people?q=Leader",
        "/api/people/leader-000",
    ],
)
def test_queries_do_not_grow_with_the_data(client, url):
    openai = OrganizationFactory(name="OpenAI")
    grow(openai, 3)
    small = queries_for(client, url)
    grow(openai, 30, start=3)
    assert queries_for(client, url) == small


# The OpenAPI document and schemathesis -------------------------------------------------------


def test_the_openapi_document_describes_every_endpoint(client):
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/api/organizations/{slug}/leadership",
        "/api/organizations/{slug}/changes",
        "/api/people",
        "/api/people/{slug}",
    }
    leadership = document["paths"]["/api/organizations/{slug}/leadership"]["get"]
    assert {"200", "400", "404"} <= set(leadership["responses"])
    assert json.dumps(document)


def test_date_parameters_are_declared_as_days_with_a_pattern_python_holds(client):
    """Every value the pattern allows is a day of the years 1 to 9999, and every such day
    is allowed: the pattern is checked against every day of a few hundred years, leap
    years and the first and last included."""
    document = client.get("/api/openapi.json").json()
    schemas = [
        parameter["schema"]
        for path in document["paths"].values()
        for parameter in path["get"].get("parameters", [])
        if parameter["name"] in ("as_of", "from", "to")
    ]
    assert len(schemas) == 3
    for schema in schemas:
        assert (schema["type"], schema["format"]) == ("string", "date")
        assert "anyOf" not in schema
    pattern = re.compile(schemas[0]["pattern"])
    years = [*range(1, 10), *range(1896, 2105), 2400, *range(9990, 10000)]
    for year in years:
        for month in range(1, 13):
            for day in range(1, 32):
                text = f"{year:04d}-{month:02d}-{day:02d}"
                try:
                    datetime.date(year, month, day)
                except ValueError:
                    assert not pattern.search(text), text
                else:
                    assert pattern.search(text), text
    for text in ("0000-01-01", "0000-02-29", "1900-02-29", "2024-1-01", "2024-01-01T00:00", ""):
        assert not pattern.search(text), text


def examples(operation, mode):
    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case):
        # Every check, positive_data_acceptance included: a request the document allows is
        # answered 2xx (or a documented 404 for a slug nothing is published under).
        case.call_and_validate()

    return check


@pytest.fixture
def wsgi_app(settings):
    """The WSGI app schemathesis calls, in the test's transaction: as Django's test client
    does, keep each request from closing the test's database connection."""
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_keeps_the_promises_of_its_openapi_document(desk, wsgi_app, mode):
    """schemathesis generates requests from the document (valid ones, then invalid ones) and
    checks each answer against it: no server error, only documented statuses, bodies and
    headers, valid data accepted (on every endpoint) and invalid data refused."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 4
    for operation in operations:
        if mode == GenerationMode.NEGATIVE and operation.path == "/api/people/{slug}":
            continue  # any text is a slug (an unknown one is a 404): nothing invalid to send
        examples(operation, mode)()


def test_a_tenure_ended_by_a_later_title_gives_its_bound_not_an_end(client, desk):
    from people.tests.factories import record

    record(desk["mira"], desk["openai"], "held", "Advisor", "2024-10")
    record(desk["mira"], desk["openai"], "joined", "Board", "2025")
    tenures = get(client, "/api/people/mira-murati").json()["tenures"]
    advisor = next(tenure for tenure in tenures if tenure["title"] == "Advisor")
    assert (advisor["end"], advisor["end_by"]) == (None, "2025")
