"""Popolo as others write it: files shaped like an EveryPolitician legislature, a council
list and a company board (exchange/tests/fixtures/), and every way such files go wrong."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from exchange.popolo import popolo_export, popolo_import, popolo_json
from exchange.tests.test_popolo import empty_the_desk
from newsroom.dates import PartialDate
from newsroom.models import AuditAction, AuditEntry
from people.models import (
    Organization,
    OrganizationIdentifier,
    OrganizationKind,
    OrganizationName,
    Person,
    PersonIdentifier,
    PersonName,
    Post,
    RoleChange,
    Tenure,
)
from people.tests.factories import OrganizationFactory, PersonFactory, editor
from stories.models import Citation, Source

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
TABLES = (
    Person,
    PersonName,
    PersonIdentifier,
    Organization,
    OrganizationName,
    OrganizationIdentifier,
    Post,
    RoleChange,
    Tenure,
    Source,
    Citation,
)


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def run(document, *, filename="popolo.json", **options):
    data = document if isinstance(document, (str, bytes)) else json.dumps(document)
    return popolo_import(data=data, filename=filename, **options)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def moves(person: str) -> list[tuple[str, str, str]]:
    return [
        (change.kind, change.post.title, change.effective.isoformat())
        for change in RoleChange.objects.filter(person__name=person)
        .select_related("post")
        .order_by("effective_date", "pk")
    ]


def desk_tenures(person: str) -> list[tuple[str, str | None, str | None]]:
    return [
        (
            tenure.post.title,
            tenure.start.isoformat() if tenure.start else None,
            tenure.end.isoformat() if tenure.end else None,
        )
        for tenure in Tenure.objects.desk()
        .filter(person__name=person)
        .select_related("post")
        .order_by("start_date", "pk")
    ]


# EveryPolitician ----------------------------------------------------------------------------


def test_an_everypolitician_file_imports_with_its_ids_and_dates_at_their_precision():
    result = run(fixture("everypolitician.json"), filename="ep-popolo-v1.0.json")
    assert result.ok, [str(error) for error in result.errors]
    holm = Person.objects.get(name="Astrid Holm")
    assert holm.wikidata_id == "Q99000301"
    assert set(holm.identifiers.values_list("scheme", "identifier")) == {
        ("popolo", "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"),
        ("everypolitician_legacy", "holm-astrid"),
    }
    assert set(holm.other_names.values_list("name", "language")) == {
        ("Astrid Hólm", "nv"),
        ("Астрид Хольм", "ru"),
    }
    # A second term that starts while the first is open is that same seat, on record.
    assert moves("Astrid Holm") == [
        ("appointed", "member", "2011-04-04"),
        ("held", "member", "2015-03-30"),
    ]
    assert desk_tenures("Astrid Holm") == [("member", "2011-04-04", None)]
    # Dates at their precision, never a made-up day.
    assert moves("Nils Berg") == [("appointed", "member", "2016-01"), ("left", "member", "2019-04")]
    # An end with no start: a tenure whose start nobody knows.
    assert desk_tenures("Oskar Dahl") == [("member", None, "2013")]
    # Two terms end to end are one tenure.
    assert moves("Ingrid Dahl") == [("appointed", "member", "2011-04-04")]
    assert desk_tenures("Ingrid Dahl") == [("member", "2011-04-04", None)]


def test_an_everypolitician_file_keeps_classifications_and_says_what_it_skipped():
    result = run(fixture("everypolitician.json"), filename="ep-popolo-v1.0.json")
    folketing = Organization.objects.get(name="Folketing of Norvania")
    assert (folketing.kind, folketing.classification) == (
        OrganizationKind.GOVERNMENT,
        "legislature",
    )
    assert folketing.wikidata_id == "Q99000001"
    green = Organization.objects.get(name="Green Alliance")
    assert (green.kind, green.classification_shown) == (OrganizationKind.OTHER, "party")
    assert [str(skip) for skip in result.skipped] == [
        "ep-popolo-v1.0.json:memberships[3]: skipped: no start_date, end_date or held_on, so "
        "nothing says when Maja Lund was member at Folketing of Norvania; the desk records "
        "dated facts only (--held-on gives the date the document describes)."
    ]
    assert result.counts_summary() == (
        "people: 5 (5 new); organizations: 3 (3 new); memberships: 7 (6 imported, 1 skipped)"
    )
    assert Person.objects.filter(name="Maja Lund").exists()  # the person, without a move


def test_importing_the_same_file_again_finds_the_same_rows_and_changes_nothing():
    document = fixture("everypolitician.json")
    assert run(document).ok
    before = counts()
    # Renamed on the desk since: the file's id still finds her.
    Person.objects.filter(name="Ingrid Dahl").update(name="Ingrid Dahl-Berg")
    PersonName.objects.create(
        person=Person.objects.get(name="Ingrid Dahl-Berg"), name="Ingrid Dahl"
    )
    again = run(document)
    assert again.ok, [str(error) for error in again.errors]
    assert (again.moves_created, again.people_created, again.organizations_created) == (0, 0, 0)
    assert counts() == before | {"PersonName": before["PersonName"] + 1}
    assert "found by its id" in "\n".join(again.mapped)


def test_an_id_another_publisher_already_used_is_refused_and_names_the_way_out():
    assert run(fixture("council.json")).ok
    other = {
        "persons": [{"id": "harbourside_city_council/priya_raman", "name": "Someone Else"}],
        "organizations": [{"id": "x", "name": "Elsewhere"}],
        "memberships": [],
    }
    before = counts()
    result = run(other, filename="other.json")
    assert [error.where for error in result.errors] == ["persons[0].id"]
    assert "already names Priya Raman" in result.errors[0].message
    assert "--id-scheme" in result.errors[0].message
    assert counts() == before
    assert run(other, filename="other.json", id_scheme="elsewhere-2024").ok


# A council list -----------------------------------------------------------------------------


def test_a_council_list_without_dates_is_skipped_line_by_line():
    result = run(fixture("council.json"), filename="council.json")
    assert result.ok
    assert [skip.where for skip in result.skipped] == [f"memberships[{n}]" for n in range(5)]
    assert all("nothing says when" in skip.message for skip in result.skipped)
    assert not RoleChange.objects.exists()
    assert Person.objects.count() == 5
    assert result.counts_summary().endswith("memberships: 5 (5 skipped)")


def test_a_council_list_with_the_date_it_describes_records_who_held_each_seat_then():
    result = run(fixture("council.json"), held_on=PartialDate.parse("2016-11"))
    assert result.ok
    assert moves("Mary O'Connell") == [("held", "mayor", "2016-11")]
    assert moves("Tom (Tommy) Nguyen") == [("held", "councillor", "2016-11")]
    assert not result.skipped
    council = Organization.objects.get(name="Harbourside City Council")
    assert council.classification == "legislature"
    assert Organization.objects.get(name="The Greens").classification == "party"


def test_the_organization_page_shows_a_source_classification(client):
    source = "https://councils.example.org/2016-11.json"
    held_on = PartialDate.parse("2016-11")
    assert run(fixture("council.json"), held_on=held_on, source_url=source, verified_by=editor()).ok
    council = Organization.objects.get(name="Westvale Shire Council")
    page = client.get(council.get_absolute_url()).content.decode()
    assert '<p class="muted organization-classification">legislature</p>' in page


# A company board ----------------------------------------------------------------------------


def test_a_company_board_with_numeric_ids_nested_posts_and_sources():
    mira = PersonFactory(name="Mira Murati")
    checker = editor()
    result = run(fixture("company-board.json"), verified_by=checker)
    assert result.ok, [str(error) for error in result.errors]
    helio = Organization.objects.get(name="Helio Robotics Ltd")
    assert helio.founded == PartialDate.parse("2016-03-14")
    assert helio.wikidata_id == "Q99000501"
    assert set(helio.identifiers.values_list("scheme", "identifier")) == {
        ("popolo", "7301"),
        ("GB-COH", "09876543"),
    }
    # Matched by name: the desk's Mira Murati, who keeps the file's id for next time.
    assert moves("Mira Murati") == [("appointed", "Chair of the Board", "2022-11")]
    assert mira.identifiers.get().identifier == "2"
    assert Person.objects.filter(name="Mira Murati").count() == 1
    assert moves("Jonas Reiter") == [("appointed", "Chief Executive Officer", "2021-07-01")]
    assert moves("Hannah Okafor") == [
        ("appointed", "Chief Executive Officer", "2016-03-14"),
        ("appointed", "Director", "2016-03-14"),
        ("left", "Chief Executive Officer", "2021-06-30"),
        ("left", "Director", "2021-06-30"),
    ]
    assert set(Source.objects.values_list("canonical_url", flat=True)) == {
        "https://find-and-update.company-information.example.gov.uk/company/09876543/officers",
        "https://helio.example.com/news/new-ceo",
        "https://helio.example.com/news/new-chair",
    }
    # Verified where the file names a source; Carmen Ruiz's moves have none, so they wait.
    assert set(RoleChange.objects.public().values_list("person__name", flat=True)) == {
        "Hannah Okafor",
        "Jonas Reiter",
        "Mira Murati",
    }
    assert moves("Carmen Ruiz") == [
        ("appointed", "Non-Executive Director", "2019"),
        ("left", "Non-Executive Director", "2023-02-28"),
    ]


def test_a_source_given_to_the_import_cites_memberships_that_name_none():
    result = run(fixture("company-board.json"), source_url="https://registry.example.gov/09876543")
    assert result.ok
    carmen = Citation.objects.filter(role_change__person__name="Carmen Ruiz")
    assert {c.source.canonical_url for c in carmen.select_related("source")} == {
        "https://registry.example.gov/09876543"
    }


# Our own export, still ----------------------------------------------------------------------


def test_our_export_round_trips_with_identifiers_classifications_and_founding_dates():
    checker = editor()
    assert run(fixture("company-board.json"), verified_by=checker).ok
    assert run(
        fixture("everypolitician.json"), verified_by=checker, source_url="https://ep.example/"
    ).ok
    first = popolo_json(popolo_export())
    document = json.loads(first)
    helio = next(o for o in document["organizations"] if o["name"] == "Helio Robotics Ltd")
    assert helio["founding_date"] == "2016-03-14"
    assert {"identifier": "Q99000501", "scheme": "wikidata"} in helio["identifiers"]
    folketing = next(o for o in document["organizations"] if o["name"] == "Folketing of Norvania")
    assert folketing["classification"] == "legislature"
    empty_the_desk()
    result = run(first, verified_by=checker)
    assert result.ok, [str(error) for error in result.errors]
    assert popolo_json(popolo_export()) == first


def test_the_export_keeps_the_shapes_popolo_spec_asks_for():
    """What popolo-spec's schemas require of what we write: dates as YYYY, YYYY-MM or
    YYYY-MM-DD, identifiers as {identifier, scheme}, text where text is expected."""
    assert run(fixture("company-board.json"), verified_by=editor()).ok
    document = popolo_export()
    date = r"^[0-9]{4}(-[0-9]{2}){0,2}$"
    for entry in document["persons"] + document["organizations"]:
        assert isinstance(entry["id"], str) and isinstance(entry["name"], str)
        for identifier in entry.get("identifiers", []):
            assert set(identifier) == {"identifier", "scheme"}
            assert all(isinstance(value, str) for value in identifier.values())
        for other in entry["other_names"]:
            assert isinstance(other["name"], str)
    for organization in document["organizations"]:
        assert isinstance(organization["classification"], str)
        if "founding_date" in organization:
            assert re.match(date, organization["founding_date"])
    for membership in document["memberships"]:
        for key in ("start_date", "end_date"):
            if key in membership:
                assert re.match(date, membership[key])
        assert all(set(source) == {"url"} for source in membership["sources"])


# What goes wrong ----------------------------------------------------------------------------


def board() -> dict:
    return fixture("company-board.json")


def with_change(change):
    document = board()
    change(document)
    return document


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        pytest.param(
            lambda d: d["persons"].append({"id": 1, "name": "Hannah Okafor Again"}),
            [("persons[4].id", "“1” is already the id of persons[0]: an id names one entry.")],
            id="repeated person id",
        ),
        pytest.param(
            lambda d: d["organizations"].append({"id": 7301, "name": "Helio Again"}),
            [("organizations[1].id", "“7301” is already the id of organizations[0]")],
            id="repeated organization id",
        ),
        pytest.param(
            lambda d: d["persons"][1].update(
                identifiers=[{"scheme": "GB-COH-OFFICER", "identifier": "AbC123xYz"}]
            ),
            [("persons[3]", "GB-COH-OFFICER AbC123xYz is also the identifier of persons[1]")],
            id="an identifier shared by two persons",
        ),
        pytest.param(
            lambda d: d["persons"][0].update(name=""),
            [("persons[0].name", "is missing or empty.")],
            id="a person refused once, not again in each membership naming them",
        ),
        pytest.param(
            lambda d: d["organizations"][0].update(name="x" * 201),
            [("organizations[0].name", "is 201 characters long; at most 200 fit.")],
            id="an organization refused once, not in its posts and memberships",
        ),
        pytest.param(
            lambda d: d["memberships"][1].update(person_id=99),
            [("memberships[1].person_id", "names nothing in this document: '99'.")],
            id="unknown person",
        ),
        pytest.param(
            lambda d: d["memberships"][1].pop("person_id"),
            [("memberships[1].person_id", "is missing")],
            id="no person",
        ),
        pytest.param(
            lambda d: d["memberships"][3].pop("organization_id"),
            [("memberships[3].organization_id", "is missing, and no post_id names")],
            id="no organization",
        ),
        pytest.param(
            lambda d: d["memberships"][2].update(start_date="2022-13"),
            [("memberships[2].start_date", "is not a date")],
            id="bad date",
        ),
        pytest.param(
            lambda d: d["memberships"][2].update(sources=[{"url": "javascript:alert(1)"}]),
            [("memberships[2].sources[0]", "")],
            id="bad source",
        ),
        pytest.param(
            lambda d: d["organizations"][0]["identifiers"][1].update(identifier="Google"),
            [("organizations[0].identifiers[1].identifier", "is not a Wikidata QID")],
            id="bad QID",
        ),
        pytest.param(
            lambda d: d["memberships"][0].update(end_date="2015-01-01"),
            [("memberships[0].end_date", "")],
            id="an end before its start",
        ),
        pytest.param(
            lambda d: d["organizations"][0].update(classification=["company"]),
            [("organizations[0].classification", "must be text.")],
            id="classification not text",
        ),
        pytest.param(
            lambda d: d.update(memberships={"person_id": 1}),
            [("memberships", "must be a list.")],
            id="memberships not a list",
        ),
    ],
)
def test_each_problem_is_one_error_where_it_is_and_nothing_changes(change, errors):
    PersonFactory(name="Mira Murati")
    before = counts()
    result = run(with_change(change), verified_by=editor())
    found = [(error.where, error.message) for error in result.errors]
    assert len(found) == len(errors), found
    for (where, message), (expected_where, expected_message) in zip(found, errors, strict=True):
        assert where == expected_where, found
        assert expected_message in message, found
    assert counts() == before


def test_an_id_used_by_a_person_and_a_post_is_no_problem():
    document = board()
    document["organizations"][0]["posts"][0]["id"] = 1  # Popolo ids are per list here
    document["memberships"][2]["post_id"] = 1
    assert run(document).ok
    assert moves("Mira Murati") == [("appointed", "Chair of the Board", "2022-11")]


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        json.dumps({"persons": [{"id": "a", "name": "A", "x": json.loads("[" * 80 + "]" * 80)}]}),
    ],
    ids=["deeper than Python recurses", "deeper than any Popolo file"],
)
def test_a_deeply_nested_document_is_refused_cleanly(text):
    result = run(text)
    assert [str(error) for error in result.errors] == [
        "popolo.json:1: the document is nested more than 64 levels deep, which no Popolo or "
        "Wikidata document is; nothing was read."
    ]


def test_a_document_that_is_not_an_object_is_refused():
    result = run("[1, 2]")
    assert [str(error) for error in result.errors] == [
        "popolo.json:$: a Popolo document is a JSON object."
    ]


# The command --------------------------------------------------------------------------------


def test_the_dry_run_prints_what_maps_to_what_counts_and_skips(tmp_path):
    out = io.StringIO()
    call_command("import_popolo", str(FIXTURES / "everypolitician.json"), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "everypolitician.json: dry run, nothing written." in text
    assert "persons[0]: “Astrid Holm” → new (astrid-holm)" in text
    assert (
        "memberships[1]: Astrid Holm, member at Folketing of Norvania: held on 2015-03-30" in text
    )
    assert "memberships: 7 (6 imported, 1 skipped)" in text
    assert "Skipped (1):" in text
    assert "everypolitician.json:memberships[3]: skipped: no start_date" in text
    assert "Importing would add: 6 new moves" in text
    assert not Person.objects.exists()


def test_the_command_takes_the_date_a_list_describes_and_its_source(tmp_path):
    out = io.StringIO()
    call_command(
        "import_popolo",
        str(FIXTURES / "council.json"),
        "--held-on",
        "2016-11",
        "--source",
        "https://councils.example.org/list.json?utm_source=x",
        stdout=out,
    )
    assert "5 new moves" in out.getvalue()
    assert set(Source.objects.values_list("canonical_url", flat=True)) == {
        "https://councils.example.org/list.json"
    }


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--held-on", "November 2016"], "--held-on: “November 2016” is not a date"),
        (["--source", "ftp://example.com/a"], "--source:"),
        (["--id-scheme", " "], "--id-scheme takes a name"),
    ],
)
def test_the_command_refuses_bad_options_before_reading(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_popolo", str(FIXTURES / "council.json"), *options)
    assert not Person.objects.exists()


def test_organizations_on_the_desk_are_matched_by_name_and_keep_their_kind():
    desk = OrganizationFactory(name="Helio Robotics Ltd", kind=OrganizationKind.NONPROFIT)
    assert run(board()).ok
    desk.refresh_from_db()
    assert desk.kind == OrganizationKind.NONPROFIT
    assert desk.founded == PartialDate.parse("2016-03-14")  # it had none: added
    assert Organization.objects.filter(name="Helio Robotics Ltd").count() == 1


def test_an_import_that_adds_no_move_is_in_the_audit_log_too():
    assert run(fixture("council.json"), filename="council.json").ok
    [entry] = AuditEntry.objects.filter(action=AuditAction.POPOLO_IMPORTED)
    assert entry.detail.startswith("council.json: 0 new moves")
    assert "created 5 people, 5 organizations" in entry.detail
