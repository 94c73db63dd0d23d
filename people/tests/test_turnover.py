"""Departures per quarter (people/turnover.py): a departure on a known day or month counts in
its quarter; one known only to the year spreads over its quarters, drawn lighter."""

import datetime

import pytest

from people.tests.factories import OrganizationFactory, PersonFactory, record
from people.turnover import build_turnover, spread

pytestmark = pytest.mark.django_db


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def test_departures_on_a_known_day_or_month_count_in_their_quarter():
    acme = OrganizationFactory()
    for when in ("2024-09-25", "2024-08", "2024-07-01"):
        person = PersonFactory()
        record(person, acme, "joined", "Engineer", "2020")
        record(person, acme, "left", "Engineer", when)
    departures = list(acme.role_changes.departures().select_related("person", "post"))
    turnover = build_turnover(
        departures, first=day("2024-01-01"), last=day("2024-12-31"), sources=[]
    )
    counts = {
        quarter.label: (quarter.certain_count, quarter.possible_share)
        for quarter in turnover.quarters
    }
    assert counts == {"Q1 2024": (0, 0), "Q2 2024": (0, 0), "Q3 2024": (3, 0), "Q4 2024": (0, 0)}


def test_a_departure_known_only_to_the_year_spreads_lighter_over_its_quarters():
    acme = OrganizationFactory()
    person = PersonFactory()
    record(person, acme, "joined", "VP of Research", "2018")
    departure = record(person, acme, "left", "VP of Research", "2021")
    shares = spread(departure)
    assert [quarter for quarter, _ in shares] == [
        day("2021-01-01"),
        day("2021-04-01"),
        day("2021-07-01"),
        day("2021-10-01"),
    ]
    assert [round(share * 365) for _, share in shares] == [90, 91, 92, 92]
    turnover = build_turnover(
        [departure], first=day("2021-01-01"), last=day("2021-12-31"), sources=[]
    )
    assert all(quarter.certain_count == 0 for quarter in turnover.quarters)
    assert sum(quarter.possible_share for quarter in turnover.quarters) == pytest.approx(
        1, abs=0.01
    )
    assert all(
        quarter.possible_height > 0 and quarter.certain_height == 0 for quarter in turnover.quarters
    )
