"""Wikidata entity files (Special:EntityData, wbgetentities): an organization's file and a
person's (exchange/tests/fixtures/), dates at their precision, Q-ids, what is skipped and
why, and what is refused."""

import copy
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from exchange.tests.test_popolo_others import counts, moves
from exchange.wikidata import wikidata_import
from newsroom.dates import PartialDate
from newsroom.models import AuditAction, AuditEntry
from people.models import Organization, OrganizationKind, Person, RoleChange
from people.tests.factories import PersonFactory, editor
from stories.models import Citation, CitationState

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
ORGANIZATION_FILE = "wikidata-organization.json"
PERSON_FILE = "wikidata-person.json"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def run(document, *, filename="entities.json", **options):
    data = document if isinstance(document, (str, bytes)) else json.dumps(document)
    return wikidata_import(data=data, filename=filename, **options)


@pytest.fixture
def founders():
    """The desk knows two of Nimbus Labs' people by their Q-ids."""
    return (
        PersonFactory(name="Lena Ortiz", wikidata_id="Q99000701"),
        PersonFactory(name="Tomás Ruiz", wikidata_id="Q99000703"),
    )


def sources(person: str) -> set[str]:
    return set(
        Citation.objects.filter(role_change__person__name=person).values_list(
            "source__canonical_url", flat=True
        )
    )


# An organization's file ---------------------------------------------------------------------


def test_an_organization_file_imports_its_leaders_at_their_precision(founders):
    result = run(fixture(ORGANIZATION_FILE), filename=ORGANIZATION_FILE)
    assert result.ok, [str(error) for error in result.errors]
    nimbus = Organization.objects.get(wikidata_id="Q99000601")
    assert nimbus.name == "Nimbus Labs"
    assert nimbus.kind == OrganizationKind.COMPANY  # instance of business (Q4830453)
    assert nimbus.founded == PartialDate.parse("2015-12-11")  # inception, precision 11
    assert set(nimbus.other_names.values_list("name", "language")) == {
        ("ニンバス・ラボ", "ja"),
        ("ニンバス", "ja"),
        ("Nimbus", "en"),
        ("Nimbus Labs, Inc.", "en"),
    }
    assert moves("Lena Ortiz") == [
        ("joined", "Founder", "2015-12-11"),  # a founder joins at the inception
        ("appointed", "Chief Executive Officer", "2019-03"),  # precision 10: a month
    ]
    assert moves("Tomás Ruiz") == [
        ("joined", "Founder", "2015-12-11"),
        ("appointed", "Chairperson", "2023"),  # precision 9: a year, not January 1
        ("left", "Chairperson", "2023-11-17"),
    ]
    assert sources("Lena Ortiz") == {
        "https://nimbus.example.com/about",
        "https://nimbus.example.com/news/ceo",  # utm_* dropped
    }
    assert "https://www.example-news.com/2023/11/17/nimbus-board" in sources("Tomás Ruiz")
    # Pending without an editor's name: nothing public.
    assert not RoleChange.objects.public().exists()
    assert set(Citation.objects.values_list("state", flat=True)) == {CitationState.PENDING}


def test_an_organization_file_says_what_it_skipped_and_why(founders):
    result = run(fixture(ORGANIZATION_FILE), filename=ORGANIZATION_FILE)
    claims = f"{ORGANIZATION_FILE}:entities.Q99000601.claims"
    assert [str(skip) for skip in result.skipped] == [
        f"{claims}.P169[1]: skipped: Q99000702 is neither in this file nor on the desk.",
        f"{claims}.P169[2]: skipped: its value is “unknown value” on Wikidata.",
        f"{claims}.P1037[0]: skipped: deprecated on Wikidata.",
        f"{claims}.P3320[0]: skipped: Q99000705 is neither in this file nor on the desk.",
    ]
    assert result.counts_summary() == (
        "organizations: 1 (1 new); statements: 8 (4 imported, 4 skipped)"
    )


def test_with_an_editor_the_moves_are_public(founders):
    result = run(fixture(ORGANIZATION_FILE), verified_by=editor())
    assert result.ok
    assert RoleChange.objects.public().count() == RoleChange.objects.count() == 5


def test_importing_the_same_file_again_changes_nothing(founders):
    assert run(fixture(ORGANIZATION_FILE)).ok
    assert run(fixture(PERSON_FILE)).ok
    before = counts()
    for name in (ORGANIZATION_FILE, PERSON_FILE):
        again = run(fixture(name))
        assert again.ok
        assert (again.moves_created, again.citations_created) == (0, 0)
    assert counts() == before


# A person's file ----------------------------------------------------------------------------


def test_a_person_file_imports_employers_and_positions_with_their_references(founders):
    assert run(fixture(ORGANIZATION_FILE)).ok
    result = run(fixture(PERSON_FILE), filename=PERSON_FILE)
    assert result.ok, [str(error) for error in result.errors]
    aiko = Person.objects.get(wikidata_id="Q99000704")
    assert aiko.name == "Aiko Tanaka"
    assert set(aiko.other_names.values_list("name", "language")) == {
        ("田中愛子", "ja"),
        ("田中爱子", "zh"),
        ("Tanaka Aiko", "en"),
        ("たなか あいこ", "ja"),
    }
    assert moves("Aiko Tanaka") == [
        ("joined", "Employee", "2012"),
        ("left", "Employee", "2016"),
        ("joined", "Research scientist", "2017-01"),
        ("left", "Research scientist", "2018"),
        ("appointed", "Chief technology officer", "2022-05"),
        ("left", "Chief technology officer", "2024-09-25"),
    ]
    # Nimbus Labs named only by its Q-id: the desk's; Eastbay University: in this file.
    assert set(
        RoleChange.objects.filter(person=aiko).values_list("organization__name", flat=True)
    ) == {
        "Nimbus Labs",
        "Eastbay University",
    }
    eastbay = Organization.objects.get(wikidata_id="Q99000603")
    assert eastbay.kind == OrganizationKind.UNIVERSITY
    assert sources("Aiko Tanaka") == {
        "https://nimbus.example.com/team/aiko-tanaka",
        "https://www.wikidata.org/wiki/Q99000704",  # no reference URL: the statement's page
        "https://x.com/aikotanaka/status/1839000000000000000",  # s and t dropped
        "https://www.example-news.com/2024/09/25/nimbus-cto-leaves",
    }
    assert [skip.where for skip in result.skipped] == [
        "entities.Q99000704.claims.P108[2]",
        "entities.Q99000704.claims.P39[1]",
    ]


def test_an_organization_named_only_by_q_id_and_nowhere_to_be_found_is_skipped():
    result = run(fixture(PERSON_FILE))
    assert result.ok
    reasons = {skip.where: skip.message for skip in result.skipped}
    assert reasons["entities.Q99000704.claims.P108[0]"] == (
        "skipped: Q99000601 is neither in this file nor on the desk."
    )
    assert "entities.Q99000704.claims.P39[0]" in reasons
    assert moves("Aiko Tanaka") == [("joined", "Employee", "2012"), ("left", "Employee", "2016")]


def test_someone_on_the_desk_by_name_gets_the_q_id_and_nobody_is_duplicated():
    aiko = PersonFactory(name="Aiko Tanaka")
    result = run(fixture(PERSON_FILE))
    assert result.ok
    aiko.refresh_from_db()
    assert aiko.wikidata_id == "Q99000704"
    assert Person.objects.filter(name="Aiko Tanaka").count() == 1
    assert any("found by its name" in line for line in result.mapped)


def test_a_namesake_with_another_q_id_is_somebody_else():
    PersonFactory(name="Aiko Tanaka", wikidata_id="Q42")
    assert run(fixture(PERSON_FILE)).ok
    assert sorted(
        Person.objects.filter(name="Aiko Tanaka").values_list("wikidata_id", flat=True)
    ) == [
        "Q42",
        "Q99000704",
    ]


def test_profiles_and_organization_pages_link_the_q_id(client, founders):
    assert run(fixture(ORGANIZATION_FILE), verified_by=editor()).ok
    nimbus = Organization.objects.get(wikidata_id="Q99000601")
    page = client.get(nimbus.get_absolute_url()).content.decode()
    assert 'href="https://www.wikidata.org/wiki/Q99000601"' in page
    profile = client.get(founders[0].get_absolute_url()).content.decode()
    assert 'href="https://www.wikidata.org/wiki/Q99000701"' in profile


# Dates --------------------------------------------------------------------------------------


def chair_with(start: dict) -> dict:
    """The organization file with the chairperson's start time replaced."""
    document = fixture(ORGANIZATION_FILE)
    chair = document["entities"]["Q99000601"]["claims"]["P488"][0]
    chair["qualifiers"]["P580"][0]["datavalue"]["value"].update(start)
    return document


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ({"time": "+2023-00-00T00:00:00Z", "precision": 9}, "2023"),
        ({"time": "+2023-04-00T00:00:00Z", "precision": 10}, "2023-04"),
        ({"time": "+2023-04-17T00:00:00Z", "precision": 9}, "2023"),  # only the year counts
        ({"time": "+00000002023-04-17T00:00:00Z", "precision": 11}, "2023-04-17"),
    ],
)
def test_a_time_is_read_at_its_precision_and_no_day_is_made_up(founders, start, expected):
    assert run(chair_with(start)).ok
    assert ("appointed", "Chairperson", expected) in moves("Tomás Ruiz")


@pytest.mark.parametrize(
    ("start", "reason"),
    [
        ({"time": "+2020-00-00T00:00:00Z", "precision": 8}, "known only to the decade"),
        ({"calendarmodel": "http://www.wikidata.org/entity/Q1985786"}, "Julian-calendar date"),
        ({"time": "-0044-03-15T00:00:00Z", "precision": 11}, "outside the years 1 to 9999"),
        ({"time": "+2023-02-30T00:00:00Z", "precision": 11}, "not a day of the calendar"),
    ],
)
def test_a_time_the_desk_cannot_hold_is_left_aside_and_said(founders, start, reason):
    result = run(chair_with(start))
    assert result.ok
    assert ("appointed", "Chairperson", "2023") not in moves("Tomás Ruiz")
    assert ("left", "Chairperson", "2023-11-17") in moves("Tomás Ruiz")  # the end still holds
    [line] = [line for line in result.mapped if ".P488[0]" in line]
    assert "P580 left aside: " in line and reason in line


# What is refused ----------------------------------------------------------------------------


def broken(change) -> dict:
    document = copy.deepcopy(fixture(ORGANIZATION_FILE))
    change(document["entities"]["Q99000601"])
    return document


@pytest.mark.parametrize(
    ("document", "where", "message"),
    [
        ('{"entities": ', "1", "not valid JSON"),
        ("{}", "$", "a Wikidata entity file is an object with “entities”"),
        (
            broken(lambda e: e["claims"]["P169"][0]["mainsnak"].pop("datavalue")),
            "entities.Q99000601.claims.P169[0].mainsnak",
            "a snak of type “value” with a datavalue is expected here.",
        ),
        (
            broken(
                lambda e: e["claims"]["P488"][0]["qualifiers"]["P580"][0]["datavalue"][
                    "value"
                ].update(time="2023")
            ),
            "entities.Q99000601.claims.P488[0].qualifiers.P580[0].datavalue.value",
            "is not a Wikidata time value",
        ),
        (
            broken(lambda e: e.update(claims=[])),
            "entities.Q99000601.claims",
            "must be an object of statements by property.",
        ),
        (
            broken(lambda e: e["labels"].update(en="Nimbus Labs")),
            "entities.Q99000601.labels.en",
            "must be a term with a value.",
        ),
        (
            broken(lambda e: e["claims"]["P169"][0]["mainsnak"]["datavalue"].update(type="string")),
            "entities.Q99000601.claims.P169[0].mainsnak.datavalue.type",
            "is 'string'; 'wikibase-entityid' is expected here.",
        ),
    ],
)
def test_a_malformed_file_is_refused_where_it_is_and_nothing_changes(
    founders, document, where, message
):
    before = counts()
    result = run(document)
    assert len(result.errors) == 1, [str(error) for error in result.errors]
    [error] = result.errors
    assert str(error).startswith(f"entities.json:{where}: "), str(error)
    assert message in error.message
    assert counts() == before


def test_a_deeply_nested_file_is_refused_cleanly():
    result = run('{"entities": ' + "[" * 50_000 + "]" * 50_000 + "}")
    assert "nested more than 64 levels" in result.errors[0].message


# The command --------------------------------------------------------------------------------


def test_the_command_dry_run_reports_and_writes_nothing(founders):
    out = io.StringIO()
    call_command("import_wikidata", str(FIXTURES / ORGANIZATION_FILE), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "entities.Q99000601: “Nimbus Labs” → new (nimbus-labs)" in text
    assert (
        "entities.Q99000601.claims.P169[0]: Lena Ortiz, Chief Executive Officer at Nimbus Labs: "
        "appointed 2019-03; sources: https://nimbus.example.com/news/ceo"
    ) in text
    assert "statements: 8 (4 imported, 4 skipped)" in text
    assert "Skipped (4):" in text
    assert not Organization.objects.exists()


def test_the_command_imports_and_refuses_with_exit_1(tmp_path, founders):
    out = io.StringIO()
    checker = editor()
    call_command(
        "import_wikidata",
        str(FIXTURES / ORGANIZATION_FILE),
        "--verified-by",
        checker.username,
        stdout=out,
    )
    assert "wikidata-organization.json imported: 5 new moves" in out.getvalue()
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"entities": {"Q1": {"id": "Q1", "labels": {"en": {"language": "en", "value": "A"}}, '
        '"claims": {"P169": [7]}}}}'
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 error; nothing was imported") as failed:
        call_command("import_wikidata", str(bad), stderr=err)
    assert failed.value.returncode == 1
    assert "bad.json:entities.Q1.claims.P169[0]: must be an object." in err.getvalue()


def test_the_import_is_in_the_audit_log(founders):
    assert run(fixture(ORGANIZATION_FILE), filename=ORGANIZATION_FILE).ok
    [entry] = AuditEntry.objects.filter(action=AuditAction.WIKIDATA_IMPORTED)
    assert entry.detail.startswith(f"{ORGANIZATION_FILE}: 5 new moves")
