"""import_popolo: read a Popolo JSON document back, all or nothing (see exchange/popolo.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from exchange.management.importing import ImportCommand
from exchange.popolo import popolo_import


class Command(ImportCommand):
    help = (
        "Import persons, organizations, posts and memberships from a Popolo JSON document. "
        "Everything is checked first; on any error, each is listed and nothing is imported."
    )
    file_help = "The Popolo JSON file."
    dry_run_help = "Check everything, write nothing."
    verified_by_help = (
        "An editor who vouches for the document's sources: citations are recorded as verified "
        "by them. Without it, everything imported is pending."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        verifier = self.verifier(options)
        data = self.read(path)
        result = popolo_import(
            data=data,
            filename=path.name,
            verified_by=verifier,
            dry_run=options["dry_run"],
            stream=self.progress_stream,
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
