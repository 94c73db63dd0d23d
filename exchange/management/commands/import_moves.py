"""import_moves: import a CSV file of moves, all or nothing (see exchange/imports.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from exchange.csv_format import moves_parse
from exchange.import_checks import is_warning, moves_warnings
from exchange.imports import moves_import
from exchange.management.importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import moves from a CSV file (columns: date, person, organization, change, title, "
        "previous_title, source_url, quote, speaker, announced). The whole file is checked "
        "first; if any row is wrong, every wrong row is listed as FILE:LINE: message and "
        "nothing is imported."
    )
    file_help = "The CSV file (UTF-8, with a header row)."
    dry_run_help = "Check every row and report what would be imported, without writing."
    verified_by_help = (
        "An editor who vouches for the file: each row's citation is recorded as verified by "
        "them, so the moves are public. Without it, everything is pending."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Refuse the whole file when any row has a warning (possibly the same person "
            "or organization, a conflicting title, a second holder, a date after today).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        verifier = self.verifier(options)
        data = self.read(path)
        stream = self.progress_stream
        parsed = moves_parse(data, filename=path.name, stream=stream)
        if not parsed.errors:
            self.check_entries(path, parsed, strict=options["strict"])
        result = moves_import(
            parsed=parsed, verified_by=verifier, dry_run=options["dry_run"], stream=stream
        )
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            lines = len({error.line for error in result.errors})
            raise CommandError(
                f"{path.name}: {lines} line{'s' if lines != 1 else ''} with errors; "
                "nothing was imported."
            )
        noun = "row" if result.rows == 1 else "rows"
        if result.dry_run:
            self.stdout.write(
                f"{path.name}: {result.rows:,} {noun} checked, no errors. Dry run, nothing "
                f"written; importing would add: {result.summary()}"
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"{path.name}: {result.rows:,} {noun} imported: ")
                + result.summary()
            )

    def check_entries(self, path: Path, parsed, *, strict: bool) -> None:
        """Print the warnings as ``FILE:LINE: warning: message``; refuse the file on an error
        (a move before its organization's founding), or on any warning with ``--strict``."""
        found = moves_warnings(parsed, today=timezone.localdate())
        for problem in found:
            self.stderr.write(str(problem))
        refusals = [problem for problem in found if not is_warning(problem)]
        if refusals:
            lines = len({problem.line for problem in refusals})
            raise CommandError(
                f"{path.name}: {lines} line{'s' if lines != 1 else ''} with errors; "
                "nothing was imported."
            )
        if strict and found:
            raise CommandError(
                f"{path.name}: {len(found)} warning{'s' if len(found) != 1 else ''} and "
                "--strict: nothing was imported."
            )
