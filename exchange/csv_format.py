"""The CSV format of moves: reading a file and checking each row on its own.

The file (README, "Data exchange") has a header row and the columns of :data:`COLUMNS` in
any order. :func:`moves_parse` checks the header, dates with their precision (rule 1), the
kind of change, titles, and the source URL, canonicalized or refused as rule 7 says. Every
problem is reported as ``FILE:LINE: message`` (line 1 is the header); nothing is looked up
or written here (exchange/imports.py does that).
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from newsroom.dates import InvalidPartialDate, PartialDate
from newsroom.progress import Stream, progress
from people.models import Organization, Person, RoleChangeKind
from stories.canonical import InvalidSourceURL, canonical_url
from stories.models import QUOTE_MAX_LENGTH

COLUMNS = (
    "date",
    "person",
    "organization",
    "change",
    "title",
    "previous_title",
    "source_url",
    "quote",
    "speaker",
    "announced",
    "leaves_organization",
)
REQUIRED = ("date", "person", "organization", "change", "title", "source_url")
NAME_MAX_LENGTH = 200

KINDS = ", ".join(kind.value for kind in RoleChangeKind)
YES = "yes"

# A spreadsheet reads a cell that starts with one of these as a formula (OWASP, "CSV
# injection"); the full-width forms too, in some locales. The export writes such a cell
# with a leading apostrophe (which the spreadsheet shows as text) and the import takes it
# off again: see :func:`cell_safe` and :func:`cell_text`.
FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")


def _needs_apostrophe(text: str) -> bool:
    """Whether a cell holding ``text`` gets an apostrophe: it starts a formula, or it
    already starts with an apostrophe that the import would otherwise take off."""
    while text[:1] == "'":
        text = text[1:]
    return text[:1] in FORMULA_STARTS


def cell_safe(text: str) -> str:
    """``text`` as a cell no spreadsheet runs: ``=SUM(A1)`` is written ``'=SUM(A1)``."""
    return "'" + text if text and _needs_apostrophe(text) else text


def cell_text(cell: str) -> str:
    """The text :func:`cell_safe` wrote: ``'=SUM(A1)`` reads as ``=SUM(A1)``, and any
    other cell as it is."""
    return cell[1:] if cell[:1] == "'" and _needs_apostrophe(cell[1:]) else cell


KIND_VALUES = frozenset(RoleChangeKind.values)  # the property builds a new list each time


@dataclass(frozen=True)
class RowError:
    """One problem, where it is: ``moves.csv:12: date: “2024-13” is not a date…``."""

    line: int
    message: str
    filename: str = ""
    where: str = ""  # instead of a line, for files without lines (Popolo JSON)

    def __str__(self) -> str:
        return f"{self.filename}:{self.where or self.line}: {self.message}"


@dataclass
class MoveRow:
    """One data row of the file, as written (``cells``) and as understood."""

    line: int
    cells: dict[str, str]
    errors: list[str] = field(default_factory=list)
    effective: PartialDate | None = None
    announced: PartialDate | None = None
    person: str = ""
    organization: str = ""
    kind: RoleChangeKind | None = None
    title: str = ""
    previous_title: str = ""
    source_url: str = ""
    canonical_url: str = ""
    quote: str = ""
    speaker: str = ""
    # Set by other importers (Popolo) that identify people and organizations themselves.
    person_ref: Person | None = None
    organization_ref: Organization | None = None
    leaves_organization: bool = False


@dataclass
class ParsedFile:
    filename: str
    digest: str
    columns: list[str] = field(default_factory=list)
    rows: list[MoveRow] = field(default_factory=list)
    file_errors: list[RowError] = field(default_factory=list)

    @property
    def errors(self) -> list[RowError]:
        """Every problem found in the file itself, in line order."""
        row_errors = [
            RowError(row.line, message, self.filename)
            for row in self.rows
            for message in row.errors
        ]
        return in_line_order(self.file_errors + row_errors)


def in_line_order(errors: list[RowError]) -> list[RowError]:
    return sorted(errors, key=lambda error: error.line)  # stable: columns stay in order


def moves_parse(data: bytes | str, *, filename: str, stream: Stream | None = None) -> ParsedFile:
    """Read a moves file and check each row on its own; nothing is looked up or written.

    ``data`` is the file's bytes (UTF-8, with or without a byte-order mark) or its text.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    parsed = ParsedFile(filename=filename, digest=hashlib.sha256(raw).hexdigest())

    def refuse(line: int, message: str) -> ParsedFile:
        parsed.file_errors.append(RowError(line, message, filename))
        return parsed

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as invalid:
        line = raw[: invalid.start].count(b"\n") + 1
        return refuse(
            line,
            f"this line is not UTF-8 text (byte 0x{raw[invalid.start]:02X}): save the file "
            "as “CSV UTF-8” from the spreadsheet and import it again.",
        )
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    consumed = 0
    try:
        for cells in reader:
            records.append((consumed + 1, cells))
            consumed = reader.line_num
    except csv.Error as invalid:
        return refuse(consumed + 1, f"this line cannot be read as CSV ({invalid}).")
    if not records or not any(cell.strip() for cell in records[0][1]):
        return refuse(
            1,
            "the first line must name the columns, e.g. "
            "date,person,organization,change,title,source_url.",
        )
    columns = _check_header(records[0][1], parsed)
    if parsed.file_errors:
        return parsed
    parsed.columns = columns
    body = [(line, cells) for line, cells in records[1:] if any(cell.strip() for cell in cells)]
    if not body:
        return refuse(1, "the file has a header but no rows to import.")
    if stream is not None:
        body = progress(body, total=len(body), stream=stream, label="Checking rows", unit="rows")
    for line, cells in body:
        parsed.rows.append(_check_row(line, cells, columns))
    return parsed


def _check_header(cells: list[str], parsed: ParsedFile) -> list[str]:
    columns = [cell.strip().lower() for cell in cells]
    seen: dict[str, int] = {}
    problems = []
    for number, name in enumerate(columns, start=1):
        if not name:
            problems.append(
                f"column {number} of the header has no name: remove the empty column "
                "(often a comma too many at the end of the line)."
            )
        elif name not in COLUMNS:
            close = difflib.get_close_matches(name, COLUMNS, n=1)
            hint = f" Did you mean “{close[0]}”?" if close else ""
            problems.append(
                f"unknown column “{cells[number - 1].strip()}” (column {number}).{hint} "
                f"The columns are: {', '.join(COLUMNS)}."
            )
        elif name in seen:
            problems.append(
                f"the column “{name}” appears twice (columns {seen[name]} and {number}): keep one."
            )
        else:
            seen[name] = number
    for name in REQUIRED:
        if name not in seen:
            problems.append(f"the required column “{name}” is missing.")
    parsed.file_errors.extend(RowError(1, problem, parsed.filename) for problem in problems)
    return columns


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _check_row(line: int, cells: list[str], columns: list[str]) -> MoveRow:
    if len(cells) != len(columns):
        row = MoveRow(line=line, cells=dict(zip(columns, cells, strict=False)))
        row.errors.append(
            f"this row has {len(cells)} cells but the header has {len(columns)} columns: "
            "check for a missing or extra comma (a value containing a comma must be in "
            "double quotes)."
        )
        return row
    values = {name: cell_text(cell.strip()) for name, cell in zip(columns, cells, strict=True)}
    row = MoveRow(line=line, cells=values)
    errors = row.errors
    for column, text in values.items():
        if "\x00" in text:
            # No name, title or quote holds one, and PostgreSQL refuses it in text: the row
            # is refused, and the rest of it is checked (and looked up) without it.
            errors.append(f"{column}: contains a NUL character (0x00); remove it.")
            values[column] = text.replace("\x00", "")

    def date(column: str, *, required: bool) -> PartialDate | None:
        text = values.get(column, "")
        if not text:
            if required:
                errors.append(f"{column}: empty; give the date as YYYY, YYYY-MM or YYYY-MM-DD.")
            return None
        try:
            return PartialDate.parse(text)
        except InvalidPartialDate as invalid:
            errors.append(f"{column}: {invalid}")
            return None

    def name(column: str, *, required: bool, what: str) -> str:
        text = _collapse(values.get(column, ""))
        if not text and required:
            errors.append(f"{column}: empty; give {what}.")
        elif len(text) > NAME_MAX_LENGTH:
            errors.append(
                f"{column}: {len(text)} characters long; at most {NAME_MAX_LENGTH} fit. Shorten it."
            )
        return text

    row.effective = date("date", required=True)
    row.person = name("person", required=True, what="the person's name")
    row.organization = name("organization", required=True, what="the organization's name")
    change = values.get("change", "").lower()
    if not change:
        errors.append(f"change: empty; write {KINDS}.")
    elif change not in KIND_VALUES:
        errors.append(
            f"change: “{values['change']}” is not a change this import knows; write {KINDS}."
        )
    else:
        row.kind = RoleChangeKind(change)
    row.title = name("title", required=True, what="the title, e.g. “Chief Technology Officer”")
    row.previous_title = name("previous_title", required=False, what="")
    if row.previous_title:
        errors.extend(_previous_title_errors(row))
    row.source_url = values.get("source_url", "")
    if not row.source_url:
        errors.append("source_url: empty; give the full address of the source (https://…).")
    else:
        try:
            row.canonical_url = canonical_url(row.source_url)
        except InvalidSourceURL as invalid:
            errors.append(f"source_url: {invalid.message}")
    row.quote = values.get("quote", "")
    if len(row.quote) > QUOTE_MAX_LENGTH:
        errors.append(
            f"quote: {len(row.quote)} characters long; a quote is at most {QUOTE_MAX_LENGTH}. "
            "Quote only the sentences that support the claim: the source holds the rest."
        )
    row.speaker = name("speaker", required=False, what="")
    if row.speaker and not row.quote:
        errors.append("speaker: a speaker goes with a quote; give the quote, or no speaker.")
    row.announced = date("announced", required=False)
    errors.extend(_leaves_errors(row, values.get("leaves_organization", "")))
    return row


def _leaves_errors(row: MoveRow, text: str) -> list[str]:
    """``yes``: a departure that leaves the organization (every title ends that day)."""
    if text.casefold() == YES:
        row.leaves_organization = True
        if row.kind not in (None, RoleChangeKind.LEFT):
            return [
                _(
                    "leaves_organization: only a departure (left) leaves the organization; "
                    "leave it empty."
                )
            ]
    elif text:
        return [
            _(
                "leaves_organization: write “%(yes)s” when the person leaves the organization "
                "(every title they hold there ends that day), or leave it empty."
            )
            % {"yes": YES}
        ]
    return []


def _previous_title_errors(row: MoveRow) -> list[str]:
    if row.kind == RoleChangeKind.LEFT:
        return [
            "previous_title: a departure (left) ends the title it names; a previous title "
            "only goes with joined, appointed or promoted. Leave it empty."
        ]
    if row.kind == RoleChangeKind.HELD:
        return [
            "previous_title: “held” records the person in the title on that date, not a "
            "change from another one; leave it empty, or record the promotion itself."
        ]
    if row.previous_title.casefold() == row.title.casefold():
        return [
            "previous_title: the same as title; leave it empty, or name the title the person "
            "held before."
        ]
    return []
