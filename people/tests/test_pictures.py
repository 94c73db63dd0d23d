"""The pictures built from the desk (people/pictures.py): OpenAI's leadership around November
2023 and over its whole history, Bob McGrew's career, links to the leadership on a day, spans
in words, the turnover beside the page's counts."""

import datetime
from itertools import combinations

import pytest
from django.core.management import call_command

from newsroom.dates import Precision
from people.models import Organization, Person, Tenure
from people.pictures import career_timeline, link_leadership, organization_pictures, tenure_span
from people.tests.factories import OrganizationFactory, PersonFactory, record
from people.timelines import SegmentKind

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def public_tenure(person, **filters) -> Tenure:
    return Tenure.objects.public().select_related("post").get(person=person, **filters)


@pytest.fixture
def openai():
    call_command("load_demo_desk", verbosity=0)
    return Organization.objects.get(slug="openai")


def ceo_bars(pictures):
    row = next(row for row in pictures.timeline.rows if row.title == "CEO")
    return sorted(row.bars, key=lambda bar: (bar.first, bar.tenure_id))


def test_three_ceos_in_six_days_are_drawn_day_by_day_and_stay_readable(openai):
    pictures = organization_pictures(
        openai,
        today=TODAY,
        as_of=day("2023-11-20"),
        first=day("2023-11-06"),
        last=day("2023-12-04"),
    )
    bars = ceo_bars(pictures)
    assert [(bar.person_name, bar.is_interim) for bar in bars] == [
        ("Sam Altman", False),
        ("Mira Murati", True),
        ("Emmett Shear", True),
        ("Sam Altman", False),
    ]
    assert [[(s.kind, s.first, s.end) for s in bar.segments] for bar in bars] == [
        [("certain", day("2023-11-06"), day("2023-11-17"))],
        [("certain", day("2023-11-17"), day("2023-11-20"))],
        [("certain", day("2023-11-20"), day("2023-11-22"))],
        [("certain", day("2023-11-22"), day("2023-12-05"))],
    ]
    assert bars[0].segments[0].cut_left and bars[-1].is_open and bars[-1].segments[0].cut_right
    # Every holder is named, and no two bars or labels of a lane overlap.
    assert all(bar.label == bar.person_name for bar in bars)
    assert_no_overlap(pictures.timeline)
    # The line stands in the middle of November 20, inside Emmett Shear's first day.
    scale = pictures.timeline.scale
    assert pictures.timeline.as_of == day("2023-11-20")
    assert scale.x(day("2023-11-20")) < pictures.timeline.as_of_x < scale.x(day("2023-11-21"))
    # A click on a point in time: one stretch of the axis per day at this zoom.
    assert [band.day for band in pictures.timeline.bands][:2] == [
        day("2023-11-06"),
        day("2023-11-07"),
    ]
    assert len(pictures.timeline.bands) == 29


def assert_no_overlap(timeline):
    for row in timeline.rows:
        for one, other in combinations(row.bars, 2):
            if one.lane == other.lane:
                assert one.extent[1] <= other.extent[0] or other.extent[1] <= one.extent[0], (
                    one.person_name,
                    other.person_name,
                )


def test_the_whole_history_fades_exactly_where_a_date_is_partial(openai):
    pictures = organization_pictures(openai, today=TODAY, as_of=None)
    timeline = pictures.timeline
    # From the founding (December 11, 2015; Ilya Sutskever's "December 2015" may begin
    # before it, so the picture starts on the 1st) to today, and no as_of line.
    assert (timeline.scale.first, timeline.scale.last) == (day("2015-12-01"), TODAY)
    assert timeline.as_of_x is None
    for bar in timeline.bars:
        kinds = [segment.kind for segment in bar.segments]
        partial_start = bar.start is not None and bar.start.precision != Precision.DAY
        partial_end = bar.end is not None and bar.end.precision != Precision.DAY
        if bar.certainly_held:
            assert (kinds[0] == SegmentKind.FADE_IN) == partial_start, bar.description
            assert (kinds[-1] == SegmentKind.FADE_OUT) == partial_end, bar.description
            assert (kinds[0] == SegmentKind.UNKNOWN_START) == (
                bar.start is None and bar.seen is not None
            )
        else:
            assert kinds == [SegmentKind.UNCERTAIN], bar.description
    assert_no_overlap(timeline)
    # Rows by seniority: the CEO first.
    assert [row.title for row in timeline.rows][:2] == ["CEO", "President"]
    # In the same lane only when the days cannot overlap: Ilya Sutskever left Chief
    # Scientist in May 2024 and Jakub Pachocki took it in May 2024.
    chief_scientist = next(row for row in timeline.rows if row.title == "Chief Scientist")
    assert chief_scientist.lanes == 2
    # Credited: the sources of the verified citations behind what is drawn.
    assert set(timeline.sources) == {
        "Wikipedia",
        "618ZXW (translation of a QuantumBit article)",
        "X",
    }


def test_bars_link_to_the_leadership_on_their_first_certain_day(openai):
    pictures = organization_pictures(openai, today=TODAY, as_of=None)
    link_leadership(pictures.timeline, "/organizations/openai/", **{"from": "2015-12-01"})
    altman = ceo_bars(pictures)[0]
    assert altman.link_day == day("2019-12-31")
    assert altman.href == "/organizations/openai/?as_of=2019-12-31&from=2015-12-01"
    assert pictures.timeline.bands[0].href.startswith("/organizations/openai/?as_of=2015-12-01")


def test_bob_mcgrews_career_is_drawn_at_its_precision(openai):
    person = Person.objects.get(slug="bob-mcgrew")
    tenures = Tenure.objects.public().filter(person=person).select_related("organization", "post")
    timeline = career_timeline(person, list(tenures.chronological()), today=TODAY, sources=[])
    drawn = {
        row.title: [
            [(s.kind, s.first.isoformat(), s.end.isoformat()) for s in bar.segments]
            for bar in row.bars
        ]
        for row in timeline.rows
    }
    assert drawn == {
        "Member of Technical Staff": [
            [
                ("fade_in", "2017-01-01", "2017-01-31"),
                ("certain", "2017-01-31", "2018-01-01"),
                ("fade_out", "2018-01-01", "2018-12-31"),
            ]
        ],
        # Ended by the later title, Chief Research Officer, whose start is unknown: no day
        # after 2018 is certain for either.
        "VP of Research": [[("uncertain", "2018-01-01", "2024-09-25")]],
        "Chief Research Officer": [[("uncertain", "2018-01-01", "2024-09-25")]],
    }
    assert all(row.subtitle == "OpenAI" for row in timeline.rows)
    assert next(bar.href for bar in timeline.bars) == "/organizations/openai/?as_of=2017-01-31"


def test_spans_are_written_at_their_precision_and_cut_at_a_past_day():
    person, acme = PersonFactory(), OrganizationFactory()
    record(person, acme, "joined", "CTO", "2018")
    record(person, acme, "left", "CTO", "2024-09-25")
    tenure = public_tenure(person)
    assert tenure_span(tenure) == "2018 – September 25, 2024"
    assert tenure_span(tenure, cutoff=day("2024-01-01")) == "since 2018"


def test_the_organization_turnover_counts_what_the_page_counts(openai):
    pictures = organization_pictures(openai, today=TODAY, as_of=None)
    q3_2024 = next(quarter for quarter in pictures.turnover.quarters if quarter.label == "Q3 2024")
    assert sorted(move.person.name for move in q3_2024.certain) == [
        "Barret Zoph",
        "Bob McGrew",
        "John Schulman",
        "Mira Murati",
    ]
    q4_2023 = next(quarter for quarter in pictures.turnover.quarters if quarter.label == "Q4 2023")
    assert sorted(move.person.name for move in q4_2023.certain) == [
        "Emmett Shear",
        "Mira Murati",
        "Sam Altman",
    ]
