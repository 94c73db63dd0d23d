"""Rule 2 through the one service every part of the product records moves with."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from newsroom.dates import PartialDate
from people.models import Post, Rank, RoleChange, Tenure
from people.services import (
    OtherName,
    person_create,
    post_get_or_create,
    role_change_apply,
    role_change_delete,
    role_change_set_public,
    role_change_update,
)
from people.tests.factories import OrganizationFactory, PersonFactory, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def openai():
    return OrganizationFactory(name="OpenAI")


@pytest.fixture
def mira():
    return PersonFactory(name="Mira Murati")


def spans(person, organization=None, scope="desk"):
    tenures = Tenure.objects.filter(person=person, scope=scope).select_related("post")
    if organization:
        tenures = tenures.filter(organization=organization)
    return sorted(
        (
            tenure.post.title,
            tenure.start.isoformat() if tenure.start else None,
            tenure.end.isoformat() if tenure.end else None,
        )
        for tenure in tenures
    )


def test_joining_opens_a_tenure(mira, openai):
    record(mira, openai, "joined", "Engineering staff", "2018")
    assert spans(mira) == [("Engineering staff", "2018", None)]


def test_promotion_with_a_previous_title_ends_it_on_the_same_day(mira, openai):
    record(mira, openai, "joined", "Engineering staff", "2018")
    record(
        mira,
        openai,
        "appointed",
        "Chief Technology Officer",
        "2022-05",
        previous_title="Engineering staff",
    )
    assert spans(mira) == [
        ("Chief Technology Officer", "2022-05", None),
        ("Engineering staff", "2018", "2022-05"),
    ]


def test_leaving_ends_the_open_tenure(mira, openai):
    record(mira, openai, "appointed", "Chief Technology Officer", "2022-05")
    record(mira, openai, "left", "Chief Technology Officer", "2024-09-25")
    assert spans(mira) == [("Chief Technology Officer", "2022-05", "2024-09-25")]


def test_leaving_with_no_recorded_start_records_an_unknown_start(openai):
    jan = PersonFactory(name="Jan Leike")
    record(jan, openai, "left", "Superalignment co-lead", "2024-05")
    tenure = Tenure.objects.get(person=jan, scope="desk")
    assert tenure.start is None
    assert tenure.end == PartialDate.parse("2024-05")
    assert tenure.span() == "until May 2024"


def test_a_start_recorded_after_the_departure_fills_in_the_unknown_start(mira, openai):
    """Facts arrive in any order: the result is the same as recording them in date order."""
    record(mira, openai, "left", "Chief Technology Officer", "2024-09-25")
    record(mira, openai, "appointed", "Chief Technology Officer", "2022-05")
    assert spans(mira) == [("Chief Technology Officer", "2022-05", "2024-09-25")]


def test_a_rehire_opens_a_new_tenure(mira, openai):
    record(mira, openai, "joined", "Researcher", "2016")
    record(mira, openai, "left", "Researcher", "2019-03")
    record(mira, openai, "joined", "Researcher", "2021-06-01")
    assert spans(mira) == [("Researcher", "2016", "2019-03"), ("Researcher", "2021-06-01", None)]


def test_concurrent_titles_are_allowed(mira, openai):
    record(mira, openai, "appointed", "Chief Technology Officer", "2022-05")
    record(mira, openai, "appointed", "Interim CEO", "2023-11-17", is_interim=True)
    record(mira, openai, "left", "Interim CEO", "2023-11-20")
    assert spans(mira) == [
        ("Chief Technology Officer", "2022-05", None),
        ("Interim CEO", "2023-11-17", "2023-11-20"),
    ]
    assert Tenure.objects.get(person=mira, post__title="Interim CEO", scope="desk").is_interim


def test_leaving_the_organization_ends_every_title_held_there(openai):
    bob = PersonFactory(name="Bob McGrew")
    record(bob, openai, "promoted", "VP of Research", "2018")
    record(bob, openai, "left", "Chief Research Officer", "2024-09-25", leaves_organization=True)
    assert spans(bob) == [
        ("Chief Research Officer", None, "2024-09-25"),
        ("VP of Research", "2018", "2024-09-25"),
    ]


def test_leaving_one_title_keeps_the_others(mira, openai):
    record(mira, openai, "appointed", "Chief Technology Officer", "2022-05")
    record(mira, openai, "appointed", "Board observer", "2023", keeps_other_titles=True)
    record(mira, openai, "left", "Board observer", "2024-01")
    assert ("Chief Technology Officer", "2022-05", None) in spans(mira)


def test_holding_the_same_post_twice_at_once_is_refused_with_names_and_dates(mira, openai):
    record(mira, openai, "appointed", "Chief Technology Officer", "2022-05")
    with pytest.raises(ValidationError) as refused:
        record(mira, openai, "appointed", "Chief Technology Officer", "2024-01-10")
    message = " ".join(refused.value.message_dict["effective"])
    assert "Mira Murati" in message
    assert "Chief Technology Officer" in message
    assert "OpenAI" in message
    assert "May 2022" in message and "January 10, 2024" in message
    assert RoleChange.objects.filter(person=mira).count() == 1
    assert spans(mira) == [("Chief Technology Officer", "2022-05", None)]


def test_an_end_before_the_start_is_refused_with_names_and_dates(mira, openai):
    record(mira, openai, "appointed", "Chief Technology Officer", "2022-05")
    with pytest.raises(ValidationError) as refused:
        record(mira, openai, "left", "Chief Technology Officer", "2021-03-01")
    message = " ".join(refused.value.message_dict["effective"])
    assert "Mira Murati" in message and "Chief Technology Officer" in message
    assert "March 1, 2021" in message and "May 2022" in message
    assert "cannot end earlier" in message
    assert RoleChange.objects.filter(person=mira).count() == 1


def test_ending_a_title_twice_is_refused(mira, openai):
    record(mira, openai, "appointed", "Chief Technology Officer", "2022-05")
    record(mira, openai, "left", "Chief Technology Officer", "2024-09-25")
    with pytest.raises(ValidationError, match="already ended on September 25, 2024"):
        record(mira, openai, "left", "Chief Technology Officer", "2025-01")


def test_the_same_move_twice_is_refused(mira, openai):
    record(mira, openai, "left", "Chief Technology Officer", "2024-09-25")
    with pytest.raises(ValidationError, match="already recorded"):
        record(mira, openai, "left", "chief technology officer", "2024-09-25")


def test_a_departure_cannot_name_a_previous_title(mira, openai):
    with pytest.raises(ValidationError) as refused:
        record(mira, openai, "left", "CTO", "2024-09-25", previous_title="VP")
    assert "previous_title" in refused.value.message_dict
    assert not RoleChange.objects.exists()
    assert not Post.objects.filter(title="VP").exists()


def test_only_a_departure_leaves_the_organization(mira, openai):
    with pytest.raises(ValidationError) as refused:
        record(mira, openai, "joined", "CTO", "2024-09-25", leaves_organization=True)
    assert "leaves_organization" in refused.value.message_dict


def test_the_previous_title_must_differ(mira, openai):
    with pytest.raises(ValidationError, match="same as the new one"):
        record(mira, openai, "promoted", "CTO", "2024", previous_title="cto")


def test_the_public_view_only_follows_confirmed_moves(mira, openai):
    record(mira, openai, "appointed", "Chief Technology Officer", "2022-05")
    departure = record(mira, openai, "left", "Chief Technology Officer", "2024-09-25", public=False)
    assert spans(mira, scope="public") == [("Chief Technology Officer", "2022-05", None)]
    assert spans(mira, scope="desk") == [("Chief Technology Officer", "2022-05", "2024-09-25")]

    role_change_set_public(role_change=departure, is_public=True)
    assert spans(mira, scope="public") == [("Chief Technology Officer", "2022-05", "2024-09-25")]

    role_change_set_public(role_change=departure, is_public=False)
    assert spans(mira, scope="public") == [("Chief Technology Officer", "2022-05", None)]


def test_a_pending_start_leaves_a_confirmed_departure_with_an_unknown_start(mira, openai):
    record(mira, openai, "appointed", "Chief Technology Officer", "2022-05", public=False)
    record(mira, openai, "left", "Chief Technology Officer", "2024-09-25")
    assert spans(mira, scope="public") == [("Chief Technology Officer", None, "2024-09-25")]


def test_deleting_a_move_rebuilds_the_tenures(mira, openai):
    record(mira, openai, "appointed", "Chief Technology Officer", "2022-05")
    departure = record(mira, openai, "left", "Chief Technology Officer", "2024-09-25")
    role_change_delete(role_change=departure)
    assert spans(mira) == [("Chief Technology Officer", "2022-05", None)]


def test_editing_a_move_rebuilds_the_tenures(mira, openai):
    """An edit as it is written (an unconfirmed move's, or a verified edit of a confirmed
    one: stories/tests/services/test_edits.py)."""
    record(mira, openai, "appointed", "Chief Technology Officer", "2022-05")
    departure = record(mira, openai, "left", "Chief Technology Officer", "2024-09-25")
    role_change_apply(role_change=departure, effective=PartialDate.parse("2024-10"))
    assert spans(mira) == [("Chief Technology Officer", "2022-05", "2024-10")]


def test_a_refused_edit_changes_nothing(mira, openai):
    record(mira, openai, "appointed", "Chief Technology Officer", "2022-05")
    departure = record(mira, openai, "left", "Chief Technology Officer", "2024-09-25")
    with pytest.raises(ValidationError, match="cannot end earlier"):
        role_change_apply(role_change=departure, effective=PartialDate.parse("2020"))
    departure = RoleChange.objects.for_display().get(pk=departure.pk)
    with pytest.raises(ValidationError, match="cannot end earlier"):  # checked when proposed
        role_change_update(role_change=departure, effective=PartialDate.parse("2020"))
    departure.refresh_from_db()
    assert departure.effective == PartialDate.parse("2024-09-25")
    assert spans(mira) == [("Chief Technology Officer", "2022-05", "2024-09-25")]


def test_moving_a_change_to_another_person_rebuilds_both(mira, openai):
    other = PersonFactory(name="Someone Else")
    appointment = record(mira, openai, "appointed", "Chief Technology Officer", "2022-05")
    role_change_apply(role_change=appointment, person=other)
    assert spans(mira) == []
    assert spans(other) == [("Chief Technology Officer", "2022-05", None)]


def test_post_ranks_are_guessed_from_titles_and_kept(openai):
    assert post_get_or_create(organization=openai, title="CEO").rank == Rank.CEO
    assert post_get_or_create(organization=openai, title="President").rank == Rank.PRESIDENT
    assert post_get_or_create(organization=openai, title="Chief Scientist").rank == Rank.C_SUITE
    assert post_get_or_create(organization=openai, title="SVP of Research").rank == Rank.SVP
    assert post_get_or_create(organization=openai, title="Vice President, Sales").rank == Rank.VP
    assert post_get_or_create(organization=openai, title="Head of Mission Alignment").is_leadership
    intern = post_get_or_create(organization=openai, title="Intern")
    assert (intern.rank, intern.is_leadership) == (Rank.OTHER, False)
    same = post_get_or_create(organization=openai, title="  intern ")
    assert same.pk == intern.pk


def test_a_title_in_another_case_in_any_script_is_the_same_post(openai):
    director = post_get_or_create(organization=openai, title="Directrice générale")
    assert post_get_or_create(organization=openai, title="DIRECTRICE GÉNÉRALE").pk == director.pk
    cto = post_get_or_create(organization=openai, title="Технический директор")
    assert post_get_or_create(organization=openai, title="ТЕХНИЧЕСКИЙ ДИРЕКТОР").pk == cto.pk
    assert Post.objects.filter(organization=openai).count() == 2


def test_a_departure_from_a_title_written_in_another_case_ends_its_tenure(mira, openai):
    """The departure reuses the post rather than creating a second one, so it closes the
    tenure instead of being refused as ending a title never held."""
    record(mira, openai, "appointed", "Технический директор", "2022-05")
    record(mira, openai, "left", "ТЕХНИЧЕСКИЙ ДИРЕКТОР", "2024-09-25")
    assert Post.objects.filter(organization=openai).count() == 1
    assert spans(mira) == [("Технический директор", "2022-05", "2024-09-25")]


def test_a_person_is_created_with_other_names_once_each():
    person = person_create(
        name=" Mira   Murati ",
        other_names=[OtherName("ミラ", "ja"), OtherName("ミラ", "ja"), OtherName("mira murati")],
    )
    assert person.name == "Mira Murati"
    assert person.slug == "mira-murati"
    assert person.sort_name == "Murati, Mira"
    assert list(person.other_names.values_list("name", flat=True)) == ["ミラ"]


def test_held_on_is_half_open_on_the_departure_day(mira, openai):
    record(mira, openai, "appointed", "Chief Technology Officer", "2022-05")
    record(mira, openai, "left", "Chief Technology Officer", "2024-09-25")
    held = Tenure.objects.desk().filter(person=mira)
    assert held.held_on(datetime.date(2024, 9, 24)).get().certainty == "certain"
    assert not held.held_on(datetime.date(2024, 9, 25)).exists()


def test_a_promotion_day_holds_the_new_title_not_the_old(mira, openai):
    record(mira, openai, "joined", "Research staff", "2018")
    record(
        mira, openai, "promoted", "SVP of Research", "2024-09-25", previous_title="Research staff"
    )
    on_the_day = Tenure.objects.desk().filter(person=mira).held_on(datetime.date(2024, 9, 25))
    assert [tenure.post.title for tenure in on_the_day.select_related("post")] == [
        "SVP of Research"
    ]


def test_partial_dates_make_a_day_uncertain_never_a_plain_answer(mira, openai):
    record(mira, openai, "joined", "Researcher", "2018")
    record(mira, openai, "left", "Researcher", "2020-06")
    tenures = Tenure.objects.desk().filter(person=mira)
    assert tenures.held_on(datetime.date(2018, 3, 1)).get().certainty == "uncertain"
    assert tenures.held_on(datetime.date(2019, 3, 1)).get().certainty == "certain"
    assert tenures.held_on(datetime.date(2020, 6, 15)).get().certainty == "uncertain"
    assert not tenures.held_on(datetime.date(2020, 7, 1)).exists()
    assert not tenures.held_on(datetime.date(2017, 12, 31)).exists()


@pytest.mark.postgres_only
def test_the_database_refuses_overlapping_tenures_of_the_same_post(mira, openai):
    """The exclusion constraint backs the service, e.g. against two racing writers."""
    from django.db import IntegrityError, transaction

    record(mira, openai, "appointed", "Chief Technology Officer", "2022-05")
    existing = Tenure.objects.desk().get(person=mira)
    duplicate = Tenure(scope="desk", person=mira, organization=openai, post_id=existing.post_id)
    duplicate.start = PartialDate.parse("2023-01-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # A later, separate tenure of the same post is fine.
    existing.end = PartialDate.parse("2022-12-31")
    existing.save()
    duplicate.save()


# A departure with no recorded start -------------------------------------------------------


def holders(organization, day: str) -> dict[str, str]:
    from people.queries import leadership_on

    return {
        f"{tenure.person.name}, {tenure.post.title}": tenure.certainty
        for tenure in leadership_on(organization, datetime.date.fromisoformat(day))
    }


def test_a_start_nobody_knows_is_no_earlier_than_the_persons_arrival(openai):
    bob = PersonFactory(name="Bob McGrew")
    record(bob, openai, "joined", "Member of Technical Staff", "2017-01")
    record(bob, openai, "left", "Chief Research Officer", "2024-09-25")
    tenure = Tenure.objects.desk().get(person=bob, post__title="Chief Research Officer")
    assert (tenure.start, tenure.start_after) == (None, datetime.date(2017, 1, 1))
    assert tenure.span() == "until September 25, 2024"
    assert "Bob McGrew, Chief Research Officer" not in holders(openai, "2016-12-31")
    assert holders(openai, "2017-01-01")["Bob McGrew, Chief Research Officer"] == "uncertain"
    assert holders(openai, "2024-09-24")["Bob McGrew, Chief Research Officer"] == "uncertain"
    assert "Bob McGrew, Chief Research Officer" not in holders(openai, "2024-09-25")


def test_a_start_nobody_knows_follows_the_last_departure_from_the_organization(openai):
    ada = PersonFactory(name="Ada Lovelace")
    record(ada, openai, "joined", "Engineer", "2010")
    record(ada, openai, "left", "Engineer", "2012-06", leaves_organization=True)
    record(ada, openai, "left", "Chief Technology Officer", "2018")
    tenure = Tenure.objects.desk().get(person=ada, post__title="Chief Technology Officer")
    assert tenure.start_after == datetime.date(2012, 6, 1)
    assert "Ada Lovelace, Chief Technology Officer" not in holders(openai, "2011-01-01")
    assert holders(openai, "2015-01-01")["Ada Lovelace, Chief Technology Officer"] == "uncertain"


def test_with_nothing_recorded_before_it_a_departure_stands_for_every_earlier_day(openai):
    """Nothing bounds it, so every earlier day is uncertain: never a plain yes or no."""
    jan = PersonFactory(name="Jan Leike")
    record(jan, openai, "left", "Superalignment co-lead", "2024-05")
    tenure = Tenure.objects.desk().get(person=jan)
    assert (tenure.start, tenure.start_after) == (None, None)
    Post.objects.filter(pk=tenure.post_id).update(is_leadership=True)
    assert holders(openai, "2019-01-01") == {"Jan Leike, Superalignment co-lead": "uncertain"}


def test_a_promotion_known_to_the_month_ends_a_title_begun_that_month(openai):
    jakub = PersonFactory(name="Jakub Pachocki")
    record(jakub, openai, "joined", "Research lead", "2024-05-20")
    record(
        jakub,
        openai,
        "appointed",
        "Chief Scientist",
        "2024-05",
        previous_title="Research lead",
    )
    assert spans(jakub) == [
        ("Chief Scientist", "2024-05", None),
        ("Research lead", "2024-05-20", "2024-05"),
    ]


def test_a_career_puts_a_tenure_of_unknown_start_where_it_can_have_begun(openai):
    from people.queries import person_career

    bob = PersonFactory(name="Bob McGrew")
    record(bob, openai, "joined", "Member of Technical Staff", "2017-01")
    record(
        bob,
        openai,
        "promoted",
        "VP of Research",
        "2018",
        previous_title="Member of Technical Staff",
    )
    record(bob, openai, "left", "Chief Research Officer", "2024-09-25")
    titles = [tenure.post.title for tenure in person_career(bob, staff=True)["tenures"]]
    # The later title began after the VP of Research it ended (ended by a later title).
    assert titles == ["Member of Technical Staff", "VP of Research", "Chief Research Officer"]
