"""What every import command shares: the file, ``--dry-run``, ``--verified-by`` (an editor who
vouches for what is imported), reading the file, and refusing before anything is written."""

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exchange.documents import DocumentResult
from exchange.imports import ImportNotAllowed, import_verifier
from newsroom.management.pools import PoolClosingCommand


class ImportCommand(PoolClosingCommand):
    file_help = "The file to import."
    dry_run_help = "Check everything and report what would be imported, without writing."
    verified_by_help = (
        "An editor who vouches for the file: its citations are recorded as verified by them, "
        "so the moves are public. Without it, everything imported is pending."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=self.file_help)
        parser.add_argument("--dry-run", action="store_true", help=self.dry_run_help)
        parser.add_argument("--verified-by", metavar="USERNAME", help=self.verified_by_help)

    def verifier(self, options: dict[str, Any]) -> User | None:
        """The editor named by ``--verified-by``, or None; anyone else stops the command."""
        if not options["verified_by"]:
            return None
        try:
            return import_verifier(options["verified_by"])
        except ImportNotAllowed as refused:
            raise CommandError(f"{refused} Nothing was imported.") from None

    def read(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None

    @property
    def progress_stream(self):
        # The raw stream: OutputWrapper.write would end every redraw with a newline.
        return self.stderr._out

    def report_document(self, path: Path, result: DocumentResult) -> None:
        """A JSON document's import: its errors (then the command fails), or what it maps to
        (a dry run), counts per kind, every entry skipped with its reason, and the summary."""
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            count = len(result.errors)
            raise CommandError(
                ngettext(
                    "%(file)s: %(count)s error; nothing was imported.",
                    "%(file)s: %(count)s errors; nothing was imported.",
                    count,
                )
                % {"file": path.name, "count": count}
            )
        for warning in result.warnings:
            self.stderr.write(str(warning))
        if result.dry_run:
            self.stdout.write(_("%(file)s: dry run, nothing written.") % {"file": path.name})
            for line in result.mapped:
                self.stdout.write(f"  {line}")
        if result.counts:
            self.stdout.write(result.counts_summary())
        if result.skipped:
            self.stdout.write(_("Skipped (%(count)s):") % {"count": len(result.skipped)})
            for skipped in result.skipped:
                self.stdout.write(f"  {skipped}")
        if result.dry_run:
            self.stdout.write(_("Importing would add: %(summary)s") % {"summary": result.summary()})
        else:
            self.stdout.write(
                self.style.SUCCESS(_("%(file)s imported: ") % {"file": path.name})
                + result.summary()
            )
