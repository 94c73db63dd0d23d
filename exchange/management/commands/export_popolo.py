"""export_popolo: the public (verified) data as a Popolo JSON document."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from exchange.popolo import popolo_export, popolo_json
from newsroom.management.pools import PoolClosingCommand


class Command(PoolClosingCommand):
    help = (
        "Write the public data (confirmed tenures, verified sources) as Popolo JSON: persons, "
        "organizations, posts and memberships, dates at their precision."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", metavar="FILE", help="Write to FILE instead of standard output."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        document = popolo_export()
        text = popolo_json(document)
        if not options["output"]:
            self.stdout.write(text, ending="")
            return
        path = Path(options["output"])
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
        self.stderr.write(
            f"{path}: {len(document['persons'])} persons, "
            f"{len(document['organizations'])} organizations, {len(document['posts'])} posts, "
            f"{len(document['memberships'])} memberships."
        )
