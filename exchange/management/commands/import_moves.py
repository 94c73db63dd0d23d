"""import_moves: import a CSV file of moves, all or nothing (see exchange/imports.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from exchange.csv_format import moves_parse
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

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        verifier = self.verifier(options)
        data = self.read(path)
        stream = self.progress_stream
        parsed = moves_parse(data, filename=path.name, stream=stream)
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
