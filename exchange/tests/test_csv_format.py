"""The CSV format of moves (exchange/csv_format.py): the header, every column rule, line
numbers as the file counts them."""

import pytest

from bench.csvs import HEADER, moves_csv
from exchange.tests.support import ZOPH, errors, row, run, written
from people.models import Person, RoleChange

pytestmark = pytest.mark.django_db


# The header ---------------------------------------------------------------------------------


def test_a_byte_order_mark_is_accepted():
    result = run(("\ufeff" + moves_csv([row()])).encode("utf-8"))
    assert result.ok, result.errors
    assert RoleChange.objects.count() == 1


def test_columns_may_come_in_any_order_and_optional_ones_may_be_left_out():
    columns = ["source_url", "title", "change", "organization", "person", "date"]
    assert run(moves_csv([row()], columns=columns)).ok


def test_a_missing_required_column_is_named():
    columns = ["date", "person", "organization", "change", "title"]
    assert errors(moves_csv([row()], columns=columns)) == [
        "moves.csv:1: the required column “source_url” is missing."
    ]


def test_an_extra_column_is_an_error_with_a_suggestion():
    text = "date,person,organization,change,titel,source_url\n"
    text += f"2024,A,B,joined,CTO,{ZOPH}\n"
    found = errors(text)
    assert found[0].startswith(
        "moves.csv:1: unknown column “titel” (column 5). Did you mean “title”?"
    )
    assert "moves.csv:1: the required column “title” is missing." in found
    assert not Person.objects.exists()


def test_a_duplicate_column_is_an_error():
    text = f"date,person,organization,change,title,source_url,date\n2024,A,B,left,CTO,{ZOPH},2023\n"
    assert errors(text) == [
        "moves.csv:1: the column “date” appears twice (columns 1 and 7): keep one."
    ]


def test_an_unnamed_column_is_an_error():
    text = f"date,person,organization,change,title,source_url,\n2024,A,B,left,CTO,{ZOPH},\n"
    assert errors(text) == [
        "moves.csv:1: column 7 of the header has no name: remove the empty column (often a "
        "comma too many at the end of the line)."
    ]


def test_an_empty_file_and_a_header_alone_are_refused():
    assert errors("")[0].startswith("moves.csv:1: the first line must name the columns")
    assert errors(moves_csv([])) == ["moves.csv:1: the file has a header but no rows to import."]


def test_a_file_that_is_not_utf8_is_refused_at_the_line_of_the_bad_byte():
    data = moves_csv([row(), row(person="Łukasz Kaiser")]).encode("cp1250")
    (message,) = errors(data)
    assert message.startswith("moves.csv:3: this line is not UTF-8 text")
    assert "CSV UTF-8" in message


# The rows ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"date": ""}, "date: empty; give the date as YYYY, YYYY-MM or YYYY-MM-DD."),
        ({"date": "2024-13"}, "date: “2024-13” is not a date: the month must be between"),
        ({"date": "2023-02-29"}, "date: “2023-02-29” is not a date: February 2023 has 28 days"),
        ({"date": "25/09/2024"}, "date: “25/09/2024” is not a date. Write a date as YYYY"),
        ({"announced": "Sept 2024"}, "announced: “Sept 2024” is not a date."),
        ({"person": "  "}, "person: empty; give the person's name."),
        ({"organization": ""}, "organization: empty; give the organization's name."),
        ({"title": ""}, "title: empty; give the title"),
        ({"person": "x" * 201}, "person: 201 characters long; at most 200 fit."),
        ({"quote": "x" * 2001}, "quote: 2001 characters long; a quote is at most 2000."),
        ({"change": "hired"}, "change: “hired” is not a change this import knows; write joined,"),
        ({"change": ""}, "change: empty; write joined, appointed, promoted, left, held."),
        ({"source_url": ""}, "source_url: empty; give the full address of the source"),
        ({"source_url": "https://x.com/sama/status/183..."}, "source_url: This link is cut short"),
        ({"source_url": "https://x.com/sama/sta…"}, "source_url: This link is cut short"),
        ({"source_url": "ftp://example.com/memo"}, "source_url: Only web links"),
        ({"source_url": "javascript:alert(1)"}, "source_url: Only web links"),
        ({"source_url": "x.com/sama"}, "source_url: This link does not start with https://"),
        (
            {"previous_title": "Research staff"},
            "previous_title: a departure (left) ends the title it names",
        ),
        (
            {"change": "promoted", "previous_title": "vp of research, post-training"},
            "previous_title: the same as title",
        ),
        ({"speaker": "Sam Altman"}, "speaker: a speaker goes with a quote"),
        (
            {"change": "held", "previous_title": "Researcher"},
            "previous_title: “held” records the person in the title on that date",
        ),
    ],
)
def test_each_column_rule_refuses_the_row_with_its_line(cells, message):
    text = moves_csv([row(date="2022", change="joined"), row(**cells)])
    found = errors(text)
    assert len(found) == 1, found
    assert found[0].startswith(f"moves.csv:3: {message}"), found[0]
    assert written()["RoleChange"] == 0


def test_a_nul_character_in_a_cell_is_refused_with_its_column():
    assert errors(moves_csv([row(person="Mira\x00 Murati")])) == [
        "moves.csv:2: person: contains a NUL character (0x00); remove it."
    ]
    assert written()["Person"] == 0


def test_a_row_with_too_many_or_too_few_cells_is_refused():
    header = "date,person,organization,change,title,source_url\n"
    text = header + f"2024,A,B,left,CTO,{ZOPH},extra\n2024,A,B,left\n"
    assert errors(text) == [
        "moves.csv:2: this row has 7 cells but the header has 6 columns: check for a missing "
        "or extra comma (a value containing a comma must be in double quotes).",
        "moves.csv:3: this row has 4 cells but the header has 6 columns: check for a missing "
        "or extra comma (a value containing a comma must be in double quotes).",
    ]


def test_every_wrong_row_is_reported_in_line_order_and_line_1_is_the_header():
    rows = [row(date="2021", change="joined")] * 2 + [row(date="bad"), row(), row(change="x")]
    found = errors(moves_csv(rows))
    assert [message.split(": ")[0] for message in found] == ["moves.csv:4", "moves.csv:6"]


def test_line_numbers_count_lines_of_the_file_not_records():
    """A quote spanning two lines moves the next row's line number along."""
    rows = [row(date="2021", change="joined", quote="First line\nsecond line"), row(date="x")]
    assert errors(moves_csv(rows))[0].startswith("moves.csv:4: date:")


def test_blank_lines_are_skipped():
    text = moves_csv([row()]) + "\n,,,,,,,,,\n"
    assert run(text).ok


# Cells a spreadsheet would run, and leaving the organization --------------------------------


def test_a_cell_written_safe_for_a_spreadsheet_reads_as_its_text():
    """The export writes ``=…``, ``+…``, ``-…`` and ``@…`` with an apostrophe first, so that a
    spreadsheet shows them as text; the import takes it off again."""
    text = moves_csv(
        [row(person="'@Barret Zoph", title="'-VP, Research", quote="'=1+2", speaker="'+Barret")]
    )
    assert run(text).ok
    change = RoleChange.objects.select_related("person", "post").get()
    assert (change.person.name, change.post.title) == ("@Barret Zoph", "-VP, Research")
    assert Person.objects.filter(name="+Barret").exists()


def test_an_apostrophe_before_anything_else_is_kept():
    assert run(moves_csv([row(person="'Quoted Name")])).ok
    assert Person.objects.filter(name="'Quoted Name").exists()


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"leaves_organization": "maybe"}, "leaves_organization: write “yes”"),
        (
            {"change": "joined", "leaves_organization": "yes"},
            "leaves_organization: only a departure (left) leaves the organization",
        ),
    ],
)
def test_leaves_organization_is_yes_on_a_departure_or_empty(cells, message):
    columns = [*HEADER, "leaves_organization"]
    [error] = errors(moves_csv([row(**cells)], columns=columns))
    assert error.startswith("moves.csv:2: ") and message in error
