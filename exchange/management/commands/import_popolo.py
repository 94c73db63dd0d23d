"""import_popolo: read a Popolo JSON document, as we or others write it, all or nothing
(see exchange/popolo/)."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from exchange.management.importing import ImportCommand
from exchange.popolo import popolo_import
from exchange.popolo.imports import DEFAULT_ID_SCHEME
from newsroom.dates import InvalidPartialDate, PartialDate
from people.models.identifiers import SCHEME_MAX_LENGTH
from stories.canonical import InvalidSourceURL, canonical_url


class Command(ImportCommand):
    help = (
        "Import persons, organizations, posts and memberships from a Popolo JSON document "
        "(ours, or another publisher's). Everything is checked first; on any error, each is "
        "listed with where it is and nothing is imported. Memberships without any date are "
        "skipped, each reported with its reason."
    )
    file_help = "The Popolo JSON file."
    dry_run_help = (
        "Check everything, write nothing; list what each entry maps to, counts per kind, and "
        "every skip with its reason."
    )
    verified_by_help = (
        "An editor who vouches for the document's sources: citations are recorded as verified "
        "by them. Without it, everything imported is pending."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--id-scheme",
            default=DEFAULT_ID_SCHEME,
            metavar="NAME",
            help="The name the file's ids are kept under, so that importing it again finds "
            f"the same people and organizations (default: {DEFAULT_ID_SCHEME}). Give files "
            "from different publishers whose ids may repeat (1, 2, 3…) a name each.",
        )
        parser.add_argument(
            "--source",
            metavar="URL",
            default="",
            help="Where the file was published: cites every membership that names no source "
            "of its own (without one, such moves stay pending until a citation is added).",
        )
        parser.add_argument(
            "--held-on",
            metavar="DATE",
            help="The date the file describes (YYYY, YYYY-MM or YYYY-MM-DD), such as the day a "
            "list of current councillors was published: its memberships without any date are "
            "recorded as held on that date instead of skipped.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        scheme = " ".join(options["id_scheme"].split())
        if not scheme or len(scheme) > SCHEME_MAX_LENGTH:
            raise CommandError(
                _("--id-scheme takes a name of 1 to %(limit)s characters. Nothing was imported.")
                % {"limit": SCHEME_MAX_LENGTH}
            )
        if options["source"]:
            try:
                canonical_url(options["source"])
            except InvalidSourceURL as invalid:
                raise CommandError(
                    _("--source: %(reason)s Nothing was imported.") % {"reason": invalid.message}
                ) from None
        held_on = None
        if options["held_on"]:
            try:
                held_on = PartialDate.parse(options["held_on"])
            except InvalidPartialDate as invalid:
                raise CommandError(
                    _("--held-on: %(reason)s Nothing was imported.") % {"reason": invalid}
                ) from None
        verifier = self.verifier(options)
        data = self.read(path)
        result = popolo_import(
            data=data,
            filename=path.name,
            verified_by=verifier,
            dry_run=options["dry_run"],
            stream=self.progress_stream,
            id_scheme=scheme,
            source_url=options["source"],
            held_on=held_on,
        )
        self.report_document(path, result)
