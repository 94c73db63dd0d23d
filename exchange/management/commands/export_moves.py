"""export_moves: every move with its citations as CSV, in the import's columns."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exchange.csv_export import ExportCounts, moves_csv_lines
from newsroom.management.pools import PoolClosingCommand


class Command(PoolClosingCommand):
    help = (
        "Write the desk's moves as CSV in the columns import_moves reads (one row per move "
        "and citation; rejected citations left out), safe to open in a spreadsheet. The file "
        "imports back unchanged into an empty desk, and exports again byte for byte."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV file to write ('-' for standard output).")
        parser.add_argument(
            "--verified-only",
            action="store_true",
            help="Only verified citations: the public record.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = ExportCounts()
        lines = moves_csv_lines(verified_only=options["verified_only"], counts=counts)
        if options["file"] == "-":
            for line in lines:
                self.stdout.write(line, ending="")
        else:
            path = Path(options["file"])
            try:
                with path.open("w", encoding="utf-8", newline="") as output:
                    output.writelines(lines)
            except OSError as error:
                raise CommandError(
                    _("Cannot write %(path)s: %(reason)s.")
                    % {"path": path, "reason": error.strerror}
                ) from None
        message = _("%(rows)s rows, %(moves)s moves.") % {
            "rows": f"{counts.rows:,}",
            "moves": f"{counts.moves:,}",
        }
        if options["file"] != "-":
            message = f"{options['file']}: {message}"
        if counts.moves_left_out:
            message += " " + ngettext(
                "%(count)s move is not in the file: it has no citation to write, and the "
                "import needs a source for each row. Importing the file elsewhere can refuse a "
                "departure whose start is that move: cite it on the desk first.",
                "%(count)s moves are not in the file: they have no citation to write, and the "
                "import needs a source for each row. Importing the file elsewhere can refuse a "
                "departure whose start is one of them: cite them on the desk first.",
                counts.moves_left_out,
            ) % {"count": f"{counts.moves_left_out:,}"}
        self.stderr.write(message)
