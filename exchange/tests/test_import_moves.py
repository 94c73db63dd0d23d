"""The import_moves command: it imports and reports, lists every error and exits 1, a dry
run, the editor who vouches, a progress bar on a terminal only."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bench.csvs import moves_csv
from exchange.tests.support import row, written
from people.models import RoleChange
from people.tests.factories import (
    editor,
    journalist,
)

pytestmark = pytest.mark.django_db


# The command ------------------------------------------------------------------------------


@pytest.fixture
def moves_file(tmp_path):
    def write(rows, name="moves.csv"):
        path = tmp_path / name
        path.write_text(moves_csv(rows), encoding="utf-8")
        return str(path)

    return write


def test_the_command_imports_and_reports(moves_file):
    out = io.StringIO()
    call_command("import_moves", moves_file([row()]), stdout=out, stderr=io.StringIO())
    assert "moves.csv: 1 row imported: 1 new move" in out.getvalue()
    assert RoleChange.objects.count() == 1


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_command_draws_a_progress_bar_on_a_terminal_only(moves_file):
    path = moves_file([row(person=f"Person {number}", date="2020") for number in range(3)])
    terminal = Terminal()
    call_command("import_moves", path, "--dry-run", stdout=io.StringIO(), stderr=terminal)
    assert "Checking rows: 100%" in terminal.getvalue()
    assert "| 3/3 [" in terminal.getvalue()
    assert "rows/s]" in terminal.getvalue()
    pipe = io.StringIO()
    call_command("import_moves", path, stdout=io.StringIO(), stderr=pipe)
    assert pipe.getvalue() == ""


def test_the_command_lists_every_error_and_exits_1(moves_file):
    path = moves_file([row(date="2024-13"), row(), row(change="fired")])
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 lines with errors; nothing was imported") as failed:
        call_command("import_moves", path, stdout=io.StringIO(), stderr=err)
    assert failed.value.returncode == 1  # manage.py exits with it
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("moves.csv:2: date:")
    assert lines[1].startswith("moves.csv:4: change:")
    assert not RoleChange.objects.exists()


def test_the_command_dry_run_writes_nothing(moves_file):
    out = io.StringIO()
    call_command("import_moves", moves_file([row()]), "--dry-run", stdout=out)
    assert "Dry run, nothing written" in out.getvalue()
    assert set(written().values()) == {0}


def test_the_command_refuses_a_verifier_who_is_not_an_editor(moves_file):
    journalist(username="reporter")
    with pytest.raises(CommandError, match="“reporter” is not in the Editors group"):
        call_command("import_moves", moves_file([row()]), "--verified-by", "reporter")
    assert not RoleChange.objects.exists()


def test_the_command_verifies_with_an_editor(moves_file):
    editor(username="chief")
    out = io.StringIO()
    call_command("import_moves", moves_file([row()]), "--verified-by", "chief", stdout=out)
    assert "verified by chief" in out.getvalue()
    assert RoleChange.objects.public().count() == 1


def test_the_command_says_when_the_file_cannot_be_read(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_moves", str(tmp_path / "missing.csv"))


# Checks at entry: warnings, --strict ------------------------------------------------------


@pytest.fixture
def knight_on_record():
    from newsroom.dates import PartialDate
    from people.tests.factories import OrganizationFactory, PersonFactory, record

    openai = OrganizationFactory(name="OpenAI")
    openai.founded = PartialDate.parse("2015-12-11")
    openai.save()
    knight = PersonFactory(name="Matt Knight")
    record(knight, openai, "held", "Chief Information Security Officer", "2024-09-25")
    return knight


def warned_rows():
    return [
        row(person="Matthew Knight", change="joined", title="Advisor", date="2024"),
        row(person="Matt Knight", change="appointed", title="CIO", date="2024-10"),
        row(organization="Open AI", person="Ada Example", change="joined", title="Staff"),
    ]


def test_warnings_are_printed_as_file_line_warning_and_the_file_imports(
    moves_file, knight_on_record
):
    err = io.StringIO()
    call_command("import_moves", moves_file(warned_rows()), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("moves.csv:2: warning: person “Matthew Knight” is not on record")
    assert "possibly the same as Matt Knight" in lines[0]
    assert lines[1].startswith("moves.csv:3: warning: Matt Knight already holds Chief Inform")
    assert lines[2].startswith("moves.csv:4: warning: organization “Open AI” is not on record")
    assert RoleChange.objects.filter(post__title="CIO").exists()


def test_strict_refuses_the_whole_file_on_any_warning(moves_file, knight_on_record):
    before = written()
    with pytest.raises(CommandError, match="--strict: nothing was imported") as refused:
        call_command(
            "import_moves",
            moves_file(warned_rows()),
            "--strict",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert refused.value.returncode == 1
    assert written() == before


def test_a_move_before_the_founding_is_refused(moves_file, knight_on_record):
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_moves",
            moves_file([row(date="2014-03", change="joined", title="Staff")]),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "moves.csv:2: A move on March 2014 comes before OpenAI was founded" in err.getvalue()


def test_the_checks_read_one_query_per_name_and_title(knight_on_record, django_assert_num_queries):
    from django.utils import timezone

    from exchange.csv_format import moves_parse
    from exchange.import_checks import moves_warnings

    parsed = moves_parse(moves_csv(warned_rows()), filename="moves.csv")
    # Names: Matthew Knight, Matt Knight, Ada Example, OpenAI, Open AI (5); founding dates
    # (1); the titles of the two rows at an organization on record (2).
    with django_assert_num_queries(8):
        found = moves_warnings(parsed, today=timezone.localdate())
    assert len(found) == 3


def test_every_import_refuses_a_move_before_the_founding(knight_on_record):
    from exchange.tests.support import errors

    found = errors(moves_csv([row(date="2015-11", change="joined", title="Staff")]))
    assert found == [
        "moves.csv:2: A move on November 2015 comes before OpenAI was founded "
        "(December 11, 2015), so it cannot be recorded there. Check the date or the organization."
    ]
