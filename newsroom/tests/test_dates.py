import datetime

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from newsroom.dates import InvalidPartialDate, PartialDate, Precision, parse_iso_day

precisions = st.sampled_from(list(Precision))


@st.composite
def partial_dates(draw) -> PartialDate:
    day = draw(st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)))
    precision = draw(precisions)
    if precision == Precision.YEAR:
        day = day.replace(month=1, day=1)
    elif precision == Precision.MONTH:
        day = day.replace(day=1)
    return PartialDate(day, precision)


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "precision"),
    [
        ("2018", "2018-01-01", "2018-12-31", Precision.YEAR),
        ("2017-01", "2017-01-01", "2017-01-31", Precision.MONTH),
        ("2024-02", "2024-02-01", "2024-02-29", Precision.MONTH),
        ("2023-02", "2023-02-01", "2023-02-28", Precision.MONTH),
        ("2024-09-25", "2024-09-25", "2024-09-25", Precision.DAY),
        (" 2024-09-25 ", "2024-09-25", "2024-09-25", Precision.DAY),
    ],
)
def test_parse_gives_the_range_of_days_a_date_stands_for(text, earliest, latest, precision):
    value = PartialDate.parse(text)
    assert value.precision == precision
    assert value.earliest == datetime.date.fromisoformat(earliest)
    assert value.latest == datetime.date.fromisoformat(latest)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-13-45", "month must be between 01 and 12"),
        ("2023-02-30", "February 2023 has 28 days"),
        ("2024-02-30", "February 2024 has 29 days"),
        ("2024-04-31", "April 2024 has 30 days"),
        ("2024-00", "month must be between 01 and 12"),
        ("2024-09-00", "day must be between 01 and 30"),
        ("0000", "no year 0000"),
        ("24", "not a date"),
        ("2024-9-25", "not a date"),
        ("2024/09/25", "not a date"),
        ("September 2024", "not a date"),
        ("2024-09-25T10:00", "not a date"),
        ("", "not a date"),
        ("２０２４", "not a date"),
    ],
)
def test_anything_else_is_refused_with_a_message(text, message):
    with pytest.raises(InvalidPartialDate) as refused:
        PartialDate.parse(text)
    assert message in str(refused.value)
    assert (
        "YYYY" in str(refused.value)
        or "between" in str(refused.value)
        or "0000" in str(refused.value)
    )


def test_display_never_invents_a_day():
    with translation.override("en"):
        assert PartialDate.parse("2017-01").display() == "January 2017"
        assert PartialDate.parse("2018").display() == "2018"
        assert PartialDate.parse("2024-09-25").display() == "September 25, 2024"


def test_display_follows_the_readers_locale():
    with translation.override("ja"):
        assert PartialDate.parse("2017-01").display() == "2017年1月"
        assert PartialDate.parse("2024-09-25").display() == "2024年9月25日"
        assert PartialDate.parse("2018").display() == "2018年"


def test_partial_dates_compare_by_their_ranges_not_as_text():
    """ "2024-09" < "2024-09-25" as text, but September 2024 does not come before the 25th."""
    month = PartialDate.parse("2024-09")
    day = PartialDate.parse("2024-09-25")
    assert month.contains(day.earliest)
    assert sorted([day, month]) == [month, day]
    assert PartialDate.parse("2024-08-31") < month


def test_a_stored_partial_date_must_be_normalized():
    with pytest.raises(ValueError, match="first of its month"):
        PartialDate(datetime.date(2024, 9, 25), Precision.MONTH)


def test_parse_iso_day_wants_a_single_day():
    assert parse_iso_day("2024-09-26") == datetime.date(2024, 9, 26)
    with pytest.raises(InvalidPartialDate, match="whole month"):
        parse_iso_day("2024-09", what="as_of date")
    with pytest.raises(InvalidPartialDate, match="as_of"):
        parse_iso_day("tomorrow", what="as_of date")


@pytest.mark.parametrize("text", ["tomorrow", "", "24-09-26"])
def test_parse_iso_day_asks_for_a_day_not_for_any_date(text):
    """The hint for a day-only parameter: a year or a month would be refused too."""
    with pytest.raises(InvalidPartialDate) as refused:
        parse_iso_day(text, what="as_of parameter")
    message = str(refused.value)
    assert message.startswith("The as_of parameter “")
    assert "YYYY-MM-DD (for example 2024-09-25)" in message
    assert "YYYY, YYYY-MM" not in message


@given(partial_dates())
def test_isoformat_round_trips(value):
    assert PartialDate.parse(value.isoformat()) == value


@given(partial_dates())
def test_earliest_and_latest_bound_the_date(value):
    assert value.earliest <= value.latest
    assert value.contains(value.earliest) and value.contains(value.latest)
    if value.earliest > datetime.date.min:
        assert not value.contains(value.earliest - datetime.timedelta(days=1))
    if value.latest < datetime.date.max:
        assert not value.contains(value.latest + datetime.timedelta(days=1))


@given(st.dates(min_value=datetime.date(1, 1, 1)), precisions)
def test_every_day_lies_in_the_dates_that_contain_it(day, precision):
    text = {
        Precision.YEAR: f"{day.year:04d}",
        Precision.MONTH: f"{day.year:04d}-{day.month:02d}",
        Precision.DAY: day.isoformat(),
    }[precision]
    value = PartialDate.parse(text)
    assert value.contains(day)
    assert value.precision == precision


@given(st.text(max_size=30))
def test_any_text_is_either_a_date_or_a_clear_refusal(text):
    try:
        value = PartialDate.parse(text)
    except InvalidPartialDate as refused:
        assert str(refused)
    else:
        assert value.earliest <= value.latest
        assert PartialDate.parse(value.isoformat()) == value


def test_a_refused_date_is_explained_in_japanese_on_japanese_pages():
    with translation.override("ja"), pytest.raises(InvalidPartialDate) as refused:
        PartialDate.parse("2024-02-30")
    assert "2024年2月は29日までなので" in str(refused.value)
