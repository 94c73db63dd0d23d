"""'Held': a person recorded in a post on a date, when they took it up unknown.

"Chief Strategy Officer Jason Kwon posted…" says he held the post on September 25, 2024,
not when he was appointed. Recording it as an appointment that day would invent a start.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from people.models import Post, Rank, RoleChange, Tenure
from people.queries import changes_between, leadership_on, leadership_sidebar, person_career
from people.tests.factories import OrganizationFactory, PersonFactory, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def openai():
    organization = OrganizationFactory(name="OpenAI")
    for title, rank in (("Chief Strategy Officer", Rank.C_SUITE), ("CEO", Rank.CEO)):
        Post.objects.create(organization=organization, title=title, rank=rank, is_leadership=True)
    return organization


@pytest.fixture
def kwon():
    return PersonFactory(name="Jason Kwon")


def holders(organization, day: str, *, staff: bool = False) -> dict[str, str]:
    return {
        f"{tenure.person.name}, {tenure.post.title}": tenure.certainty
        for tenure in leadership_on(organization, datetime.date.fromisoformat(day), staff=staff)
    }


def only_tenure(person, scope="desk") -> Tenure:
    return Tenure.objects.filter(person=person, scope=scope).select_related("post").get()


def test_held_alone_opens_a_tenure_of_unknown_start_certain_from_that_day(kwon, openai):
    record(kwon, openai, "held", "Chief Strategy Officer", "2024-09-25")
    tenure = only_tenure(kwon)
    assert (tenure.start, tenure.end, tenure.start_after) == (None, None, None)
    assert tenure.seen.isoformat() == "2024-09-25"
    assert tenure.is_current
    assert tenure.span() == "since at least September 25, 2024"
    assert holders(openai, "2024-09-25") == {"Jason Kwon, Chief Strategy Officer": "certain"}
    assert holders(openai, "2026-01-01") == {"Jason Kwon, Chief Strategy Officer": "certain"}
    # Before it, nothing recorded says he did not: uncertain, never a plain no.
    assert holders(openai, "2024-09-24") == {"Jason Kwon, Chief Strategy Officer": "uncertain"}
    assert holders(openai, "2019-01-01") == {"Jason Kwon, Chief Strategy Officer": "uncertain"}


def test_held_to_the_month_is_certain_only_from_the_months_last_day(kwon, openai):
    record(kwon, openai, "held", "Chief Strategy Officer", "2024-09")
    assert only_tenure(kwon).span() == "since at least September 2024"
    assert holders(openai, "2024-09-15") == {"Jason Kwon, Chief Strategy Officer": "uncertain"}
    assert holders(openai, "2024-09-30") == {"Jason Kwon, Chief Strategy Officer": "certain"}


def test_held_cannot_have_begun_before_the_persons_arrival(kwon, openai):
    record(kwon, openai, "joined", "General Counsel", "2018")
    record(kwon, openai, "held", "Chief Strategy Officer", "2024-09-25")
    tenure = Tenure.objects.desk().get(person=kwon, post__title="Chief Strategy Officer")
    assert tenure.start_after == datetime.date(2018, 1, 1)
    assert "Jason Kwon, Chief Strategy Officer" not in holders(openai, "2017-12-31")
    assert holders(openai, "2018-06-01")["Jason Kwon, Chief Strategy Officer"] == "uncertain"


def test_held_within_an_open_tenure_confirms_it_and_changes_nothing(openai):
    sam = PersonFactory(name="Sam Altman")
    record(sam, openai, "appointed", "CEO", "2019")
    before = only_tenure(sam)
    held = record(sam, openai, "held", "CEO", "2024-09-25")
    after = only_tenure(sam)
    assert (after.start.isoformat(), after.end, after.seen) == ("2019", None, None)
    assert after.started_by_id == before.started_by_id != held.pk
    assert after.span() == "since 2019"
    # It is listed among the person's records, with whatever it rests on.
    assert held in person_career(sam)["moves"]


def test_a_later_departure_ends_a_held_tenure(kwon, openai):
    record(kwon, openai, "held", "Chief Strategy Officer", "2024-09-25")
    record(kwon, openai, "left", "Chief Strategy Officer", "2025-06")
    tenure = only_tenure(kwon)
    assert (tenure.seen.isoformat(), tenure.end.isoformat()) == ("2024-09-25", "2025-06")
    assert tenure.span() == "since at least September 25, 2024, until June 2025"
    assert holders(openai, "2025-01-01") == {"Jason Kwon, Chief Strategy Officer": "certain"}
    assert holders(openai, "2025-06-15") == {"Jason Kwon, Chief Strategy Officer": "uncertain"}
    assert holders(openai, "2025-07-01") == {}


def test_an_appointment_before_the_held_date_becomes_the_start(kwon, openai):
    """Recorded in any order: the earlier appointment opens the tenure, the record confirms it."""
    record(kwon, openai, "held", "Chief Strategy Officer", "2024-09-25")
    record(kwon, openai, "appointed", "Chief Strategy Officer", "2022")
    tenure = only_tenure(kwon)
    assert (tenure.start.isoformat(), tenure.seen, tenure.end) == ("2022", None, None)
    assert holders(openai, "2021-12-31") == {}


def test_an_appointment_after_the_held_date_is_refused_with_names_and_dates(kwon, openai):
    record(kwon, openai, "held", "Chief Strategy Officer", "2024-09-25")
    with pytest.raises(ValidationError) as refused:
        record(kwon, openai, "appointed", "Chief Strategy Officer", "2025-01-10")
    message = " ".join(refused.value.messages)
    assert "Jason Kwon already holds Chief Strategy Officer at OpenAI" in message
    assert "recorded in it on September 25, 2024" in message
    assert "January 10, 2025" in message
    assert RoleChange.objects.filter(person=kwon).count() == 1
    assert only_tenure(kwon).seen.isoformat() == "2024-09-25"


def test_held_after_a_departure_is_a_return_no_earlier_than_that_departure(kwon, openai):
    record(kwon, openai, "appointed", "Chief Strategy Officer", "2020")
    record(kwon, openai, "left", "Chief Strategy Officer", "2022-03")
    record(kwon, openai, "held", "Chief Strategy Officer", "2024-09-25")
    tenures = list(Tenure.objects.desk().filter(person=kwon).order_by("end_date"))
    returned = next(tenure for tenure in tenures if tenure.is_current)
    assert returned.start_after == datetime.date(2022, 3, 1)
    assert holders(openai, "2023-01-01") == {"Jason Kwon, Chief Strategy Officer": "uncertain"}
    assert holders(openai, "2021-01-01") == {"Jason Kwon, Chief Strategy Officer": "certain"}


def test_two_held_records_keep_the_earlier_date(kwon, openai):
    record(kwon, openai, "held", "Chief Strategy Officer", "2025-02-01")
    record(kwon, openai, "held", "Chief Strategy Officer", "2024-09-25")
    assert only_tenure(kwon).seen.isoformat() == "2024-09-25"


def test_held_names_no_previous_title(kwon, openai):
    with pytest.raises(ValidationError) as refused:
        record(
            kwon,
            openai,
            "held",
            "Chief Strategy Officer",
            "2024-09-25",
            previous_title="General Counsel",
        )
    assert "previous title" in " ".join(refused.value.messages)
    assert not RoleChange.objects.exists()


def test_held_does_not_leave_the_organization(kwon, openai):
    with pytest.raises(ValidationError) as refused:
        record(
            kwon,
            openai,
            "held",
            "Chief Strategy Officer",
            "2024-09-25",
            leaves_organization=True,
        )
    assert "Only a departure can leave the organization." in refused.value.messages
    assert not RoleChange.objects.exists()


def test_readers_see_a_held_record_only_once_confirmed(kwon, openai):
    held = record(kwon, openai, "held", "Chief Strategy Officer", "2024-09-25", public=False)
    assert holders(openai, "2024-10-01") == {}
    assert holders(openai, "2024-10-01", staff=True) == {
        "Jason Kwon, Chief Strategy Officer": "certain"
    }
    assert person_career(kwon)["tenures"] == []
    from people.services import role_change_set_public

    role_change_set_public(role_change=held, is_public=True)
    assert holders(openai, "2024-10-01") == {"Jason Kwon, Chief Strategy Officer": "certain"}


def test_a_held_record_is_not_a_move(kwon, openai):
    """Not an arrival, departure or promotion: the lists of moves leave it out."""
    record(kwon, openai, "held", "Chief Strategy Officer", "2024-09-25")
    appointed = record(PersonFactory(name="Mark Chen"), openai, "appointed", "SVP", "2024-09-25")
    day = datetime.date(2024, 9, 25)
    assert changes_between(openai, day, day) == [appointed]
    [entry] = leadership_sidebar([openai], as_of=day, changes_since=day)
    assert entry.since == [appointed]
    assert [t.person.name for t in entry.leadership] == ["Jason Kwon", "Mark Chen"]


def test_a_career_places_a_held_tenure_by_its_date(kwon, openai):
    record(kwon, openai, "joined", "General Counsel", "2018")
    record(kwon, openai, "held", "Chief Strategy Officer", "2024-09-25", keeps_other_titles=True)
    record(kwon, openai, "appointed", "Board observer", "2020", keeps_other_titles=True)
    titles = [tenure.post.title for tenure in person_career(kwon, staff=True)["tenures"]]
    assert titles == ["General Counsel", "Chief Strategy Officer", "Board observer"]


@pytest.mark.postgres_only
def test_the_database_refuses_a_second_tenure_overlapping_a_held_one(kwon, openai):
    """The exclusion constraint spans a held tenure from its date: an earlier, closed tenure
    of the same post fits before it; an open one overlapping it does not."""
    from django.db import IntegrityError, transaction

    from newsroom.dates import PartialDate

    record(kwon, openai, "appointed", "Chief Strategy Officer", "2020")
    record(kwon, openai, "left", "Chief Strategy Officer", "2022-03")
    record(kwon, openai, "held", "Chief Strategy Officer", "2024-09-25")
    assert Tenure.objects.desk().filter(person=kwon).count() == 2
    overlapping = Tenure(scope="desk", person=kwon, organization=openai)
    overlapping.post = Post.objects.get(title="Chief Strategy Officer")
    overlapping.start = PartialDate.parse("2025-01-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        overlapping.save()
