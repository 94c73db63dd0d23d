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
