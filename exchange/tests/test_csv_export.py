"""CSV export of moves (exchange/csv_export.py): the import's columns, the round trip byte
for byte, cells no spreadsheet runs as a formula, and the desk's download."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bench.csvs import moves_csv
from exchange.csv_export import moves_csv_lines
from exchange.csv_format import COLUMNS, FORMULA_STARTS, cell_safe, cell_text
from exchange.tests.support import run
from exchange.tests.test_api import cite
from exchange.tests.test_popolo import empty_the_desk
from people.models import RoleChange, Tenure
from people.tests.factories import OrganizationFactory, PersonFactory, editor, record

pytestmark = pytest.mark.django_db

EXPORT = reverse("data:moves-export")


def export(**options) -> str:
    return "".join(moves_csv_lines(**options))


def test_the_demo_desk_exports_imports_into_an_empty_desk_and_exports_byte_for_byte(demo):
    first = export()
    tenures = sorted(
        (t.person.name, t.post.title, str(t.start), str(t.end), t.scope)
        for t in Tenure.objects.select_related("person", "post")
    )
    empty_the_desk()
    result = run(first.encode("utf-8"), verified_by=demo)
    assert result.ok, [str(error) for error in result.errors]
    assert export() == first
    # The same moves, so the same tenures (every citation verified now: the public ones too).
    desk = sorted(
        (t.person.name, t.post.title, str(t.start), str(t.end))
        for t in Tenure.objects.desk().select_related("person", "post")
    )
    assert desk == sorted(entry[:4] for entry in tenures if entry[4] == "desk")


def test_the_file_is_in_the_import_columns_with_a_byte_order_mark_and_crlf(demo):
    text = export()
    assert text.startswith("\ufeff" + ",".join(COLUMNS) + "\r\n")
    assert "\r\n2024-09-25,Mira Murati,OpenAI,left,Chief Technology Officer," in text


def test_cells_a_spreadsheet_would_run_are_written_as_text_and_read_back_as_they_were():
    checker = editor()
    person = PersonFactory(name='=HYPERLINK("https://evil.example","x")')
    organization = OrganizationFactory(name="@Robotics")
    move = record(person, organization, "joined", "-Head of Growth", "2024-02", public=False)
    cite(move, "https://example.com/a", checker=checker)
    first = export()
    lines = first.splitlines()
    assert lines[1].startswith(
        '2024-02,"\'=HYPERLINK(""https://evil.example"",""x"")",\'@Robotics,joined,'
        "'-Head of Growth,"
    )
    for line in lines[1:]:
        for cell in line.split(","):
            assert cell.lstrip('"')[:1] not in FORMULA_STARTS, line
    empty_the_desk()
    assert run(first.encode("utf-8"), verified_by=checker).ok
    change = RoleChange.objects.select_related("person", "organization", "post").get()
    assert (change.person.name, change.organization.name, change.post.title) == (
        '=HYPERLINK("https://evil.example","x")',
        "@Robotics",
        "-Head of Growth",
    )
    assert export() == first


@given(st.text(max_size=30))
@hypothesis_settings(max_examples=300, deadline=None, database=None)
def test_any_text_survives_the_apostrophe_and_no_cell_starts_a_formula(text):
    safe = cell_safe(text)
    assert safe[:1] not in FORMULA_STARTS
    assert cell_text(safe) == text


def test_a_departure_that_leaves_the_organization_round_trips():
    checker = editor()
    text = moves_csv(
        [
            {
                "date": "2020",
                "person": "Ana Lima",
                "organization": "Acme",
                "change": "joined",
                "title": "CTO",
                "source_url": "https://example.com/1",
            },
            {
                "date": "2022-03-01",
                "person": "Ana Lima",
                "organization": "Acme",
                "change": "left",
                "title": "Advisor",
                "source_url": "https://example.com/2",
                "leaves_organization": "yes",
            },
        ],
        columns=list(COLUMNS),
    )
    result = run(text, verified_by=checker)
    assert result.ok, [str(error) for error in result.errors]
    assert [t.end.isoformat() for t in Tenure.objects.desk().order_by("pk")] == [
        "2022-03-01",
        "2022-03-01",
    ]
    first = export()
    assert ",yes\r\n" in first
    empty_the_desk()
    assert run(first.encode("utf-8"), verified_by=checker).ok
    assert export() == first


def test_verified_only_is_the_public_record_and_rejected_citations_are_never_written():
    checker = editor()
    openai = OrganizationFactory(name="OpenAI")
    sam = PersonFactory(name="Sam Altman")
    move = record(sam, openai, "appointed", "CEO", "2019-03", public=False)
    cite(move, "https://example.com/verified", checker=checker)
    cite(move, "https://example.com/pending", verify=False)
    rejected = cite(move, "https://example.com/rejected", verify=False)
    rejected.state = "rejected"
    rejected.save()
    everything = export()
    assert "https://example.com/pending" in everything
    assert "https://example.com/verified" in everything
    assert "https://example.com/rejected" not in everything
    public = export(verified_only=True)
    assert "https://example.com/pending" not in public
    assert "https://example.com/verified" in public


def test_the_command_writes_the_file_and_counts_moves_it_cannot_write(tmp_path, demo):
    uncited = record(
        PersonFactory(name="No Source"), OrganizationFactory(name="Nowhere"), "joined", "X", "2020"
    )
    path = tmp_path / "moves.csv"
    err = io.StringIO()
    call_command("export_moves", str(path), stderr=err)
    text = path.read_bytes().decode("utf-8")
    assert text == export()
    rows, moves = text.count("\r\n") - 1, RoleChange.objects.count() - 1
    assert f"{rows} rows, {moves} moves." in err.getvalue()
    assert "1 move is not in the file" in err.getvalue()
    assert "No Source" not in path.read_text(encoding="utf-8")
    assert uncited.pk


def editor_client(client):
    client.force_login(editor())
    return client


def test_editors_download_the_moves_from_the_desk(client, demo):
    response = editor_client(client).get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="moves-')
    assert b"".join(response.streaming_content).decode("utf-8") == export()
    verified = client.get(EXPORT, {"verified": "1"})
    assert b"".join(verified.streaming_content).decode("utf-8") == export(verified_only=True)


def test_the_desk_links_the_download(client, demo):
    page = editor_client(client).get(reverse("data:moves-import")).content.decode()
    assert f'href="{EXPORT}"' in page


def grow(count: int, start: int) -> None:
    checker = editor()
    organization = OrganizationFactory(name=f"Org {start}")
    for number in range(start, start + count):
        move = record(
            PersonFactory(name=f"Person {number}"), organization, "joined", "Staff", "2020"
        )
        cite(move, f"https://example.com/{number}", checker=checker)


def test_the_download_runs_the_same_queries_at_any_size(client):
    editor_client(client)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get(EXPORT).streaming_content)
        return len(captured)

    grow(3, 0)
    small = queries()
    grow(50, 100)
    assert queries() == small
