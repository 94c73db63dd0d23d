"""Popolo export and import: public data only, dates at their precision, the round trip."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from exchange.popolo import popolo_export, popolo_import, popolo_json
from exchange.tests.test_api import cite
from people.models import Organization, Person, Post, RoleChange, Tenure
from people.tests.factories import OrganizationFactory, PersonFactory, editor, record
from stories.models import Citation, CitationDecision, Source, Statement

pytestmark = pytest.mark.django_db


def empty_the_desk():
    """An empty database, as far as this data goes (accounts stay)."""
    for model in (CitationDecision, Citation, Statement, Tenure, RoleChange, Source, Post):
        model.objects.all().delete()
    Person.objects.all().delete()
    Organization.objects.all().delete()


def run(document, **options):
    data = document if isinstance(document, (str, bytes)) else json.dumps(document)
    return popolo_import(data=data, filename="popolo.json", **options)


def test_the_export_holds_public_data_with_dates_at_their_precision(demo):
    document = popolo_export()
    mira = next(p for p in document["persons"] if p["id"] == "person/mira-murati")
    assert {"name": "ミラ・ムラティ", "lang": "ja", "note": ""} in mira["other_names"]
    anthropic = next(o for o in document["organizations"] if o["id"] == "organization/anthropic")
    assert anthropic["other_names"] == [{"name": "アントロピック", "lang": "ja"}]
    bob = [m for m in document["memberships"] if m["person_id"] == "person/bob-mcgrew"]
    dates = {m["role"]: (m.get("start_date"), m.get("end_date")) for m in bob}
    assert dates["Member of Technical Staff"] == ("2017-01", "2018")
    # Ended by the later title (Chief Research Officer): no end_date, a bound.
    assert dates["VP of Research"] == ("2018", None)
    vp = next(m for m in bob if m["role"] == "VP of Research")
    assert vp["ended_by_later_title"] == {
        "no_later_than": "2024-09-25",
        "post_id": "post/openai/chief-research-officer",
    }
    staff = next(m for m in bob if m["role"] == "Member of Technical Staff")
    assert staff["end"]["change"] == "promoted"
    assert staff["end"]["post_id"] == "post/openai/vp-of-research"
    # The traps left pending by the demo never reach the export.
    assert "Chief Information Officer" not in json.dumps(document)
    urls = {s["url"] for m in document["memberships"] for s in m["sources"]}
    assert urls <= set(
        Source.objects.filter(citations__state="verified").values_list("canonical_url", flat=True)
    )


def test_a_pending_move_and_its_people_are_not_exported():
    hidden = PersonFactory(name="Hidden Person")
    record(hidden, OrganizationFactory(name="Stealth"), "joined", "CEO", "2024", public=False)
    assert popolo_export() == {"persons": [], "organizations": [], "posts": [], "memberships": []}


def test_export_then_import_into_an_empty_database_gives_the_same_document(demo):
    first = popolo_json(popolo_export())
    empty_the_desk()
    result = run(first, verified_by=demo)
    assert result.ok, [str(error) for error in result.errors]
    assert popolo_json(popolo_export()) == first


def test_importing_the_same_document_twice_adds_nothing(demo):
    document = popolo_export()
    empty_the_desk()
    assert run(document, verified_by=demo).ok
    counts = [model.objects.count() for model in (Person, RoleChange, Citation, Tenure)]
    again = run(document, verified_by=demo)
    assert again.ok
    assert (again.moves_created, again.citations_created) == (0, 0)
    assert [model.objects.count() for model in (Person, RoleChange, Citation, Tenure)] == counts


def test_without_an_editor_the_import_stays_pending(demo):
    document = popolo_export()
    empty_the_desk()
    assert run(document).ok
    assert RoleChange.objects.exists()
    assert not RoleChange.objects.public().exists()
    assert popolo_export()["memberships"] == []


def small_document():
    checker = editor()
    mira = PersonFactory(name="Mira Murati")
    openai = OrganizationFactory(name="OpenAI")
    move = record(mira, openai, "appointed", "Chief Technology Officer", "2022-05", public=False)
    cite(move, "https://example.com/murati", checker=checker)
    document = popolo_export()
    empty_the_desk()
    return document


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (
            lambda d: d["memberships"][0].update(start_date="2022-13"),
            "memberships[0].start_date",
            "is not a date",
        ),
        (
            lambda d: d["memberships"][0]["start"].update(sources=["https://x.com/a/sta…"]),
            "memberships[0].start.sources[0]",
            "cut short",
        ),
        (
            lambda d: d["memberships"][0].update(person_id="person/nobody"),
            "memberships[0].person_id",
            "names nothing in this document",
        ),
        (
            lambda d: d["memberships"][0]["start"].update(change="hired"),
            "memberships[0].start.change",
            "is not a change",
        ),
        (
            lambda d: d["persons"].append(dict(d["persons"][0], name="Mira Murati II")),
            "persons[1].id",
            "“person/mira-murati” is already the id of persons[0]: an id names one entry.",
        ),
        (
            lambda d: d["memberships"][0].pop("start_date"),
            "memberships[0].start",
            "give start_date with it",
        ),
        (
            lambda d: d["memberships"][0]["start"].update(change="held"),
            "memberships[0].start.change",
            "“held” neither starts nor ends a tenure: list its date under held_on",
        ),
        (
            lambda d: d["memberships"][0].update(held_on=[{"date": "2024-02-30"}]),
            "memberships[0].held_on[0].date",
            "is not a date",
        ),
        (
            lambda d: d["memberships"][0].update(held_on=[{"sources": []}]),
            "memberships[0].held_on[0].date",
            "missing: the date they held the post",
        ),
        (
            lambda d: d["memberships"][0].update(held_on={"date": "2024"}),
            "memberships[0].held_on",
            "must be a list",
        ),
        (
            lambda d: d["memberships"][0].update(
                held_on=[{"date": "2024", "sources": ["https://x.com/a/sta…"]}]
            ),
            "memberships[0].held_on[0].sources[0]",
            "cut short",
        ),
    ],
)
def test_each_problem_is_reported_where_it_is_and_nothing_is_imported(change, where, message):
    document = small_document()
    change(document)
    result = run(document, verified_by=editor())
    assert result.errors, "refused"
    assert any(
        str(error).startswith(f"popolo.json:{where}: ") and message in str(error)
        for error in result.errors
    ), [str(error) for error in result.errors]
    assert not Person.objects.exists()
    assert not RoleChange.objects.exists()


def test_held_records_are_exported_with_their_sources_and_no_invented_start(demo):
    """Jason Kwon was Chief Strategy Officer on September 25, 2024: when he took the post up,
    nothing says, so the membership has no start_date; the date it rests on is in held_on."""
    document = popolo_export()
    [kwon] = [m for m in document["memberships"] if m["person_id"] == "person/jason-kwon"]
    assert kwon["role"] == "Chief Strategy Officer"
    assert "start_date" not in kwon and "start" not in kwon and "end_date" not in kwon
    assert kwon["held_on"] == [{"date": "2024-09-25", "sources": ["https://618zxw.cn/w/1303.html"]}]
    assert {"url": "https://618zxw.cn/w/1303.html"} in kwon["sources"]


def test_a_held_record_within_a_known_tenure_is_exported_on_it_and_comes_back():
    sam = PersonFactory(name="Sam Altman")
    openai = OrganizationFactory(name="OpenAI")
    cite(record(sam, openai, "appointed", "CEO", "2019", public=False), "https://example.com/a")
    cite(record(sam, openai, "held", "CEO", "2024-09-25", public=False), "https://example.com/b")
    document = popolo_export()
    [membership] = document["memberships"]
    assert membership["start_date"] == "2019"
    assert membership["start"]["sources"] == ["https://example.com/a"]
    assert membership["held_on"] == [{"date": "2024-09-25", "sources": ["https://example.com/b"]}]
    empty_the_desk()
    result = run(document, verified_by=editor())
    assert result.ok, [str(error) for error in result.errors]
    held = RoleChange.objects.select_related("person", "post").get(kind="held")
    assert (held.person.name, held.post.title, held.effective.isoformat()) == (
        "Sam Altman",
        "CEO",
        "2024-09-25",
    )
    assert held.is_public
    assert popolo_export() == document


def test_a_tenure_conflict_refuses_the_whole_document():
    document = small_document()
    twice = dict(document["memberships"][0], id="membership/mira-murati/2", start_date="2023")
    document["memberships"].append(twice)
    result = run(document, verified_by=editor())
    assert [error.where for error in result.errors] == ["memberships[1].start"]
    assert "already holds Chief Technology Officer" in result.errors[0].message
    assert not Person.objects.exists()


def test_broken_json_is_reported_at_its_line():
    result = run('{\n  "persons": [\n    {"id": }\n  ]\n}')
    assert [str(error) for error in result.errors] == [
        "popolo.json:3: not valid JSON: Expecting value (column 12)."
    ]


def test_a_dry_run_writes_nothing():
    document = small_document()
    result = run(document, verified_by=editor(), dry_run=True)
    assert result.ok
    assert result.moves_created == 1
    assert not Person.objects.exists()


def test_the_commands_export_and_import(tmp_path, demo):
    path = tmp_path / "popolo.json"
    call_command("export_popolo", "--output", str(path), stderr=io.StringIO())
    exported = path.read_text()
    out = io.StringIO()
    call_command("export_popolo", stdout=out)
    assert out.getvalue() == exported
    empty_the_desk()
    out = io.StringIO()
    call_command("import_popolo", str(path), "--verified-by", demo.username, stdout=out)
    assert "new moves" in out.getvalue()
    assert popolo_json(popolo_export()) == exported


def test_the_import_command_lists_errors_and_exits_1(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"memberships": [{"person_id": "person/x"}]}')
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported") as failed:
        call_command("import_popolo", str(path), stderr=err)
    assert failed.value.returncode == 1
    assert "bad.json:memberships[0].person_id: names nothing in this document" in err.getvalue()


def test_a_new_person_close_to_one_on_the_desk_is_imported_with_a_warning():
    from people.tests.factories import OrganizationFactory, PersonFactory

    PersonFactory(name="Matt Knight")
    OrganizationFactory(name="OpenAI")
    result = run(
        {
            "persons": [{"id": "p1", "name": "Matthew Knight"}],
            "organizations": [{"id": "o1", "name": "OpenAI, Inc."}],
        }
    )
    assert result.ok
    assert [str(warning) for warning in result.warnings] == [
        "popolo.json:persons[0]: warning: new person “Matthew Knight”: possibly the same as "
        "Matt Knight on the desk.",
        "popolo.json:organizations[0]: warning: new organization “OpenAI, Inc.”: possibly the "
        "same as OpenAI on the desk.",
    ]
