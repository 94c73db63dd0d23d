"""No JSON document makes the Popolo or Wikidata import fail (ASVS V5.1.3): any JSON, and
the fixtures with any value anywhere replaced by any other.

Whatever the document holds, the import either writes it or refuses it, each error located
(a path in the document, or a line for a file that is not JSON), and a refused document
writes nothing. Fuzzed with hypothesis, on SQLite and PostgreSQL.
"""

import copy
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exchange.popolo import popolo_import
from exchange.tests.test_popolo_others import counts
from exchange.wikidata import wikidata_import

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FIXTURES = Path(__file__).parent / "fixtures"
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
NEAR_MISSES = st.sampled_from(
    [
        "2024-02-30",
        "2024-13",
        "0000",
        "+2019-00-00T00:00:00Z",
        "Q5",
        "Q0",
        "person/x",
        "javascript:alert(1)",
        "https://example.com/a…",
        "\x00",
        "",
    ]
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT | NEAR_MISSES,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=12,
)
IMPORTS = {
    "popolo": (popolo_import, ["everypolitician.json", "council.json", "company-board.json"]),
    "wikidata": (wikidata_import, ["wikidata-organization.json", "wikidata-person.json"]),
}


def check(kind: str, data: str) -> None:
    before = counts()
    result = IMPORTS[kind][0](data=data, filename="document.json")
    for error in result.errors:
        assert error.where or error.line >= 1, str(error)
        assert str(error).startswith("document.json:"), str(error)
    if result.errors:
        assert counts() == before


def places(value, found=None) -> list[tuple]:
    """Every (container, key) of a JSON value, in a stable order."""
    found = [] if found is None else found
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, child in items:
        found.append((value, key))
        if isinstance(child, dict | list):
            places(child, found)
    return found


@FUZZ
@given(kind=st.sampled_from(sorted(IMPORTS)), document=JSON)
def test_any_json_is_imported_or_refused_where_it_is(kind, document):
    check(kind, json.dumps(document))


@FUZZ
@given(kind=st.sampled_from(sorted(IMPORTS)), data=st.data())
def test_a_fixture_with_any_value_replaced_is_imported_or_refused(kind, data):
    name = data.draw(st.sampled_from(IMPORTS[kind][1]))
    document = copy.deepcopy(json.loads((FIXTURES / name).read_text()))
    spots = places(document)
    for _ in range(data.draw(st.integers(1, 3))):
        container, key = spots[data.draw(st.integers(0, len(spots) - 1))]
        container[key] = data.draw(JSON)
        spots = places(document)
    check(kind, json.dumps(document))


@FUZZ
@given(data=st.binary(max_size=200))
def test_any_bytes_are_read_or_refused(data):
    for kind in IMPORTS:
        before = counts()
        result = IMPORTS[kind][0](data=data, filename="document.json")
        if result.errors:
            assert counts() == before
