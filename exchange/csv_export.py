"""CSV export of moves, in the import's columns (exchange/csv_format.py).

One row per move and citation: the move's date at its precision, the person, the
organization, the change, the title (and the title a promotion ends), the source's canonical
URL, the quote and its speaker, the announcement date, and whether a departure leaves the
organization. What the import does not read is not written: citation states (an import is
pending, or verified by the editor it names), a move's reason and interim flag, people's
other names. A move with no citation to write cannot be written (the import needs a
source): the export counts those, so the person running it knows.

The rows come in a fixed order (date, then names, title, change, source, quote), so the file
imports back unchanged into an empty desk and exports again byte for byte. Cells that a
spreadsheet would run as a formula are written with a leading apostrophe, which the import
takes off again (``cell_safe``, ``cell_text``). UTF-8 with a byte-order mark, as spreadsheets
write "CSV UTF-8", and CRLF line ends.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass

from exchange.csv_format import COLUMNS, YES, cell_safe
from people.models import RoleChange
from stories.models import Citation, CitationState

BYTE_ORDER_MARK = "\ufeff"
CHUNK = 2000


@dataclass
class ExportCounts:
    rows: int = 0
    moves: int = 0
    moves_left_out: int = 0  # with no citation the export writes


def moves_csv_citations(*, verified_only: bool = False):
    """The citations the export writes, in its order: every move's, but rejected ones (or,
    with ``verified_only``, the verified ones: the public record)."""
    citations = Citation.objects.filter(role_change__isnull=False)
    if verified_only:
        citations = citations.filter(state=CitationState.VERIFIED)
    else:
        citations = citations.exclude(state=CitationState.REJECTED)
    return citations.select_related(
        "role_change__person",
        "role_change__organization",
        "role_change__post",
        "role_change__previous_post",
        "source",
        "statement__speaker",
    ).order_by(
        "role_change__effective_date",
        "role_change__effective_latest",
        "role_change__person__name",
        "role_change__organization__name",
        "role_change__post__title",
        "role_change__kind",
        "source__canonical_url",
        "statement__quote",
        "statement__speaker__name",
        "pk",
    )


def _row(citation: Citation) -> list[str]:
    move = citation.role_change
    statement = citation.statement
    cells = {
        "date": move.effective.isoformat(),
        "person": move.person.name,
        "organization": move.organization.name,
        "change": move.kind,
        "title": move.post.title,
        "previous_title": move.previous_post.title if move.previous_post else "",
        "source_url": citation.source.canonical_url,
        "quote": statement.quote if statement else "",
        "speaker": statement.speaker.name if statement and statement.speaker else "",
        "announced": move.announced.isoformat() if move.announced else "",
        "leaves_organization": YES if move.leaves_organization else "",
    }
    return [cell_safe(str(cells[column])) for column in COLUMNS]


class _Line:
    """A file-like object that hands back what the csv writer wrote."""

    def write(self, text: str) -> str:
        return text


def moves_csv_lines(
    *, verified_only: bool = False, counts: ExportCounts | None = None
) -> Iterator[str]:
    """The export, line by line (the header first, with the byte-order mark)."""
    counts = counts if counts is not None else ExportCounts()
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield BYTE_ORDER_MARK + writer.writerow(COLUMNS)
    previous = None
    moves = set()
    for citation in moves_csv_citations(verified_only=verified_only).iterator(chunk_size=CHUNK):
        row = _row(citation)
        if row == previous:
            continue  # two citations of the same move, source and quote: one row
        previous = row
        moves.add(citation.role_change_id)
        counts.rows += 1
        yield writer.writerow(row)
    counts.moves = len(moves)
    counts.moves_left_out = RoleChange.objects.count() - len(moves)
