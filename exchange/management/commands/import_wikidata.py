"""import_wikidata: a Wikidata entity file's people, organizations and their moves, all or
nothing (see exchange/wikidata/). No network: the file is read as it is."""

from pathlib import Path
from typing import Any

from exchange.management.importing import ImportCommand
from exchange.wikidata import wikidata_import


class Command(ImportCommand):
    help = (
        "Import people and organizations from a Wikidata entity file (the JSON that "
        "Special:EntityData or wbgetentities answers): chief executives (P169), "
        "chairpersons (P488), directors (P1037), board members (P3320), founders (P112) and "
        "inception (P571) of organizations; employers (P108) and positions held (P39) of "
        "people; with their start and end times at their precision and their reference URLs "
        "as sources. Everything is checked first; on any error, each is listed with where it "
        "is and nothing is imported. Statements that cannot be imported are skipped, each "
        "reported with its reason."
    )
    file_help = "The Wikidata JSON file (no network is used)."
    dry_run_help = (
        "Check everything, write nothing; list what each entity and statement maps to, counts "
        "per kind, and every skip with its reason."
    )
    verified_by_help = (
        "An editor who vouches for the file's sources: citations are recorded as verified by "
        "them. Without it, everything imported is pending."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        verifier = self.verifier(options)
        data = self.read(path)
        result = wikidata_import(
            data=data,
            filename=path.name,
            verified_by=verifier,
            dry_run=options["dry_run"],
            stream=self.progress_stream,
        )
        self.report_document(path, result)
