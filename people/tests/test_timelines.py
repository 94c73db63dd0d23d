"""The pictures' data (people/timelines.py, people/turnover.py): which bars, where they start
and end at which precision, faded edges exactly where a date is partial, hatched interim
tenures, the as_of line, lanes that keep labels apart. Not pixels."""

import datetime
from itertools import combinations

import pytest
from django.core.management import call_command

from newsroom.dates import Precision
from people.models import Organization, Tenure
from people.pictures import (
    career_timeline,
    organization_pictures,
    tenure_span,
)
from people.tests.factories import OrganizationFactory, PersonFactory, record
from people.timelines import DAY, DayScale, SegmentKind, tenure_segments
from people.turnover import build_turnover, spread

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)
FLOOR = datetime.date(2010, 1, 1)
CEILING = TODAY + DAY


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def segments(tenure: Tenure) -> list[tuple[str, str, str]]:
    return [
        (segment.kind, segment.first.isoformat(), segment.end.isoformat())
        for segment in tenure_segments(tenure, floor=FLOOR, ceiling=CEILING)
    ]


def public_tenure(person, **filters) -> Tenure:
    return Tenure.objects.public().select_related("post").get(person=person, **filters)


def test_days_known_to_the_day_give_one_certain_bar_with_no_fade():
    person, acme = PersonFactory(), OrganizationFactory()
    record(person, acme, "appointed", "CEO", "2019-03-04")
    record(person, acme, "left", "CEO", "2023-11-17")
    assert segments(public_tenure(person)) == [("certain", "2019-03-04", "2023-11-17")]


def test_a_start_known_to_the_year_fades_across_that_year_and_no_further():
    person, acme = PersonFactory(), OrganizationFactory()
    record(person, acme, "appointed", "CEO", "2019")
    assert segments(public_tenure(person)) == [
        ("fade_in", "2019-01-01", "2019-12-31"),
        ("certain", "2019-12-31", CEILING.isoformat()),
    ]


def test_an_end_known_to_the_month_fades_across_that_month():
    """Rule 2: held for certain until the month begins, possibly until its last day."""
    person, acme = PersonFactory(), OrganizationFactory()
    record(person, acme, "joined", "Chief Scientist", "2015-12")
    record(person, acme, "left", "Chief Scientist", "2024-05")
    assert segments(public_tenure(person)) == [
        ("fade_in", "2015-12-01", "2015-12-31"),
        ("certain", "2015-12-31", "2024-05-01"),
        ("fade_out", "2024-05-01", "2024-05-31"),
    ]


def test_a_held_record_without_a_start_starts_faded_up_to_its_day():
    """Jason Kwon was Chief Strategy Officer on September 25, 2024: before that day the bar
    fades back to the person's arrival (or the left edge), never a known start."""
    person, acme = PersonFactory(), OrganizationFactory()
    record(person, acme, "joined", "Engineer", "2020-02-03")
    record(person, acme, "held", "Chief Strategy Officer", "2024-09-25")
    tenure = public_tenure(person, post__title="Chief Strategy Officer")
    assert segments(tenure) == [
        ("unknown_start", "2020-02-03", "2024-09-25"),
        ("certain", "2024-09-25", CEILING.isoformat()),
    ]
    loner = PersonFactory()
    record(loner, acme, "held", "President", "2024-09-25")
    assert segments(public_tenure(loner))[0] == ("unknown_start", "2010-01-01", "2024-09-25")


def test_uncertain_is_never_drawn_as_certain():
    """A departure with no recorded start, and a start and an end in the same year, are
    held on no day for certain: one pale uncertain stretch, no certain segment."""
    person, acme = PersonFactory(), OrganizationFactory()
    record(person, acme, "joined", "Member of Technical Staff", "2017-01")
    record(person, acme, "left", "Chief Research Officer", "2024-09-25", leaves_organization=True)
    assert segments(public_tenure(person, post__title="Chief Research Officer")) == [
        ("uncertain", "2017-01-01", "2024-09-25")
    ]
    intern = PersonFactory()
    record(intern, acme, "joined", "VP of Things", "2017")
    record(intern, acme, "left", "VP of Things", "2017")
    assert segments(public_tenure(intern)) == [("uncertain", "2017-01-01", "2017-12-31")]


def test_a_zoom_keeps_the_slope_of_a_fade():
    """Cut to a month of a year-long fade, the bar shows that month's slice of it."""
    person, acme = PersonFactory(), OrganizationFactory()
    record(person, acme, "appointed", "CEO", "2019")
    scale = DayScale(day("2019-07-01"), day("2019-07-31"))
    (fade, _certain) = tenure_segments(public_tenure(person), floor=FLOOR, ceiling=CEILING)
    from people.timelines import _place

    placed = _place(fade, scale)
    assert (placed.first, placed.end) == (day("2019-07-01"), day("2019-08-01"))
    assert placed.cut_left and placed.cut_right
    assert 0.08 < placed.opacity_from < placed.opacity_to < 1
    assert placed.opacity_from == pytest.approx(0.08 + 0.92 * 181 / 364, abs=0.001)


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
    from people.pictures import link_leadership

    pictures = organization_pictures(openai, today=TODAY, as_of=None)
    link_leadership(pictures.timeline, "/organizations/openai/", **{"from": "2015-12-01"})
    altman = ceo_bars(pictures)[0]
    assert altman.link_day == day("2019-12-31")
    assert altman.href == "/organizations/openai/?as_of=2019-12-31&from=2015-12-01"
    assert pictures.timeline.bands[0].href.startswith("/organizations/openai/?as_of=2015-12-01")


def test_bob_mcgrews_career_is_drawn_at_its_precision(openai):
    from people.models import Person

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
        "VP of Research": [
            [("fade_in", "2018-01-01", "2018-12-31"), ("certain", "2018-12-31", "2024-09-25")]
        ],
        "Chief Research Officer": [[("uncertain", "2017-01-01", "2024-09-25")]],
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


# Turnover -----------------------------------------------------------------------------------


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
