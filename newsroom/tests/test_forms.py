"""Ids from URLs and forms: only what the database can hold is looked up."""

import pytest

from newsroom.forms import LARGEST_ID, parse_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (str(LARGEST_ID), LARGEST_ID),
        (str(LARGEST_ID + 1), None),  # past a 64-bit integer: SQLite would overflow
        ("0", None),
        ("", None),
        ("-3", None),
        ("1.5", None),
        ("²", None),  # a digit to str.isdigit, not a number to int()
        ("٣", None),  # an Arabic-Indic digit
        (" 7", None),
    ],
)
def test_an_id_is_ascii_digits_the_database_can_hold(value, expected):
    assert parse_id(value) == expected
