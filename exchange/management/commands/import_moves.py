"""import_moves: import a CSV file of moves, all or nothing (see exchange/imports.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from exchange.csv_format import moves_parse
from exchange.imports import ImportNotAllowed, import_verifier, moves_import
from newsroom.management.pools import PoolClosingCommand


class Command(PoolClosingCommand):
    help = (
        "Import moves from a CSV file (columns: date, person, organization, change, title, "
        "previous_title, source_url, quote, speaker, announced). The whole file is checked "
        "first; if any row is wrong, every wrong row is listed as FILE:LINE: message and "
        "nothing is imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV file (UTF-8, with a header row).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and report what would be imported, without writing.",
        )
        parser.add_argument(
            "--verified-by",
            metavar="USERNAME",
            help="An editor who vouches for the file: each row's citation is recorded as "
            "verified by them, so the moves are public. Without it, everything is pending.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        verifier = None
        if options["verified_by"]:
            try:
                verifier = import_verifier(options["verified_by"])
            except ImportNotAllowed as refused:
                raise CommandError(f"{refused} Nothing was imported.") from None
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        # The raw stream: OutputWrapper.write would end every redraw with a newline.
        stream = self.stderr._out
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
