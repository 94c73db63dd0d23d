"""import_popolo: read a Popolo JSON document back, all or nothing (see exchange/popolo.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from exchange.imports import ImportNotAllowed, import_verifier
from exchange.popolo import popolo_import
from newsroom.management.pools import PoolClosingCommand


class Command(PoolClosingCommand):
    help = (
        "Import persons, organizations, posts and memberships from a Popolo JSON document. "
        "Everything is checked first; on any error, each is listed and nothing is imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The Popolo JSON file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check everything, write nothing."
        )
        parser.add_argument(
            "--verified-by",
            metavar="USERNAME",
            help="An editor who vouches for the document's sources: citations are recorded "
            "as verified by them. Without it, everything imported is pending.",
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
        result = popolo_import(
            data=data,
            filename=path.name,
            verified_by=verifier,
            dry_run=options["dry_run"],
            stream=self.stderr._out,
        )
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            count = len(result.errors)
            raise CommandError(
                f"{path.name}: {count} error{'s' if count != 1 else ''}; nothing was imported."
            )
        prefix = "Dry run, nothing written; importing would add: " if result.dry_run else ""
        self.stdout.write(f"{path.name}: {prefix}{result.summary()}")
