"""The timelines' data (people/timelines.py): which segments a tenure is drawn as, in days,
at which precision: faded edges exactly where a date is partial, uncertain never drawn as
certain, a zoom that keeps a fade's slope. Not pixels."""

import datetime

import pytest

from people.models import Tenure
from people.tests.factories import OrganizationFactory, PersonFactory, record
from people.timelines import DAY, DayScale, _place, tenure_segments

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
    placed = _place(fade, scale)
    assert (placed.first, placed.end) == (day("2019-07-01"), day("2019-08-01"))
    assert placed.cut_left and placed.cut_right
    assert 0.08 < placed.opacity_from < placed.opacity_to < 1
    assert placed.opacity_from == pytest.approx(0.08 + 0.92 * 181 / 364, abs=0.001)
