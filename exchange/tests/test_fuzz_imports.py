"""No moves file makes the import fail (ASVS V5.1.3): any bytes, any cell in any column.

Whatever the file holds, the import either writes its rows or refuses it, naming each wrong
line as ``FILE:LINE: message`` with a line that exists in the file, and a refused file
writes nothing. Fuzzed with hypothesis, on SQLite and PostgreSQL.
"""

import io
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.csvs import HEADER, moves_csv
from exchange.csv_format import moves_parse
from exchange.imports import moves_import
from exchange.tests.support import row, written

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
# Any text a cell can hold: every code point but lone surrogates (not encodable in UTF-8).
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
# Values close to valid ones, where the rules are most likely to slip.
NEAR_MISSES = {
    "date": ["2024", "2024-09", "2024-02-30", "2024-13", "0000-01-01", "9999-12-31", "24-9-25"],
    "change": ["joined", "appointed", "promoted", "left", "LEFT", "fired", ""],
    "title": ["CTO", "Chief Technology Officer", " ", "x" * 300],
    "previous_title": ["", "VP of Research", "CTO"],
    "source_url": [
        "https://openai.com/index/x",
        "https://x.com/a/status/1?s=46",
        "javascript:alert(1)",
        "https://example.com/trunc…",
        "https://user:pw@example.com/",
        "http://",
        "https://xn--fsq.example/",
    ],
    "person": ["Mira Murati", "ミラ・ムラティ", "", "\x00"],
    "organization": ["OpenAI", "オープンAI", ""],
    "announced": ["", "2024-09-25", "2024-9"],
}


def cell(column: str):
    return st.one_of(ANY_TEXT, st.sampled_from(NEAR_MISSES.get(column, [""])))


ROW = st.fixed_dictionaries({column: cell(column) for column in HEADER})
ERROR = re.compile(r"^moves\.csv:(\d+): \S")


def check(data: bytes | str) -> None:
    """Import ``data``: every refusal names a line of the file; a refusal writes nothing."""
    before = written()
    parsed = moves_parse(data, filename="moves.csv")
    result = moves_import(parsed=parsed)
    text = data if isinstance(data, str) else data.decode("utf-8", "replace")
    # Lines as a text editor counts them: ended by \n, \r\n or a lone \r (old Mac files).
    lines = max(1, len(io.StringIO(text, newline="").readlines()))
    for error in result.errors:
        match = ERROR.match(str(error))
        assert match, f"not FILE:LINE: message: {error}"
        assert 1 <= int(match.group(1)) <= lines, str(error)
    if result.errors:
        assert written() == before


@FUZZ
@given(rows=st.lists(ROW, min_size=1, max_size=4))
def test_any_cells_import_or_are_refused_line_by_line(rows):
    check(moves_csv(rows))


@FUZZ
@given(rows=st.lists(st.builds(lambda **cells: row(**cells), date=cell("date")), max_size=3))
def test_valid_rows_with_any_date_import_or_name_the_date(rows):
    before = written()
    result = moves_import(parsed=moves_parse(moves_csv(rows), filename="moves.csv"))
    if not rows:
        assert result.errors  # a header alone is refused
    for error in result.errors:
        assert ERROR.match(str(error)), str(error)
    if result.errors:
        assert written() == before


@FUZZ
@given(data=st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_with_a_line(data):
    check(data)


@FUZZ
@given(
    header=st.lists(st.one_of(st.sampled_from(HEADER), ANY_TEXT), max_size=12),
    cells=st.lists(ANY_TEXT, max_size=12),
)
def test_any_header_is_read_or_refused_with_a_line(header, cells):
    check(moves_csv([dict(zip(header, cells, strict=False))], columns=header or [""]))
