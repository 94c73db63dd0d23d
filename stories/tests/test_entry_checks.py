"""Checks at entry in the journalist's record-move form (people/checks.py): possibly the
same person or organization, conflicting titles, one holder at a time, dates."""

import datetime
import re

import pytest
from django.urls import reverse

from newsroom.dates import PartialDate
from people.checks import (
    organization_key,
    person_key,
    similar_organizations,
    similar_people,
    titles_related,
)
from people.models import Person, Post, RoleChange, Tenure
from people.tests.factories import (
    OrganizationFactory,
    PersonFactory,
    PersonNameFactory,
    journalist,
    record,
)
from stories.forms import RecordMoveForm
from stories.tests.test_desk import move_form

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def openai():
    organization = OrganizationFactory(name="OpenAI")
    organization.founded = PartialDate.parse("2015-12-11")
    organization.save()
    return organization


@pytest.fixture
def knight(openai):
    person = PersonFactory(name="Matt Knight")
    PersonNameFactory(person=person, name="マット・ナイト", language="ja")
    record(person, openai, "held", "Chief Information Security Officer", "2024-09-25")
    return person


@pytest.fixture
def desk(client):
    client.force_login(journalist())
    return client


@pytest.mark.parametrize(
    "typed",
    ["Matthew Knight", "Knight Matt", "Ｍａｔｔ Ｋｎｉｇｈｔ", "Mátt Knîght", "マット ナイト"],
)
def test_a_name_close_to_one_on_record_is_possibly_the_same_person(knight, typed):
    assert [candidate.pk for candidate in similar_people(typed)] == [knight.pk]


def test_different_people_are_not_the_same(knight):
    assert similar_people("Matt Night") == []
    assert similar_people("Bill Knight") == []
    assert person_key("Bill Gates") == person_key("William Gates")


@pytest.mark.parametrize("typed", ["Open AI", "OpenAI, Inc.", "openai llc", "ＯｐｅｎＡＩ"])
def test_an_organization_differing_in_suffix_spacing_or_case_is_possibly_the_same(openai, typed):
    assert organization_key(typed) == "openai"
    assert [candidate.pk for candidate in similar_organizations(typed)] == [openai.pk]


def test_each_name_check_reads_one_query(knight, openai, django_assert_num_queries):
    with django_assert_num_queries(1):
        similar_people("Matthew Knight")
    with django_assert_num_queries(1):
        similar_organizations("Open AI")


def test_the_form_offers_the_existing_person_first_and_needs_someone_else_to_create(
    desk, knight, openai
):
    data = move_form(person_name="Matthew Knight", kind="joined", title="Security advisor")
    response = desk.post(reverse("stories:move-record"), data)
    page = html(response)
    assert response.status_code == 200
    assert "Possibly the same person as Matt Knight" in page
    assert f'name="person_choice" value="{knight.pk}"' in page
    assert "This is someone else" in page
    assert Person.objects.filter(name="Matthew Knight").count() == 0
    # "This is someone else": created.
    data["person_choice"] = "new"
    response = desk.post(reverse("stories:move-record"), data)
    assert response.status_code == 302, page
    assert Person.objects.filter(name="Matthew Knight").count() == 1


def test_the_existing_person_picked_records_the_move_on_them(desk, knight, openai):
    data = move_form(
        person_name="Matthew Knight",
        person_choice=str(knight.pk),
        kind="joined",
        title="Security advisor",
        keeps_other_titles="on",
    )
    response = desk.post(reverse("stories:move-record"), data)
    assert response.status_code == 302
    assert RoleChange.objects.filter(person=knight, post__title="Security advisor").exists()


def test_related_titles():
    assert titles_related("CIO", "Chief Information Security Officer")
    assert titles_related("Chief Research Officer", "VP of Research")
    assert not titles_related("CEO", "Chief Technology Officer")
    assert not titles_related("CTO", "CEO")


def conflict_form(**overrides):
    data = move_form(
        person_name="Matt Knight",
        kind="appointed",
        title="Chief Information Officer",
        effective="2024-09-25",
        speaker_name="Matt Knight",
    )
    data.update(overrides)
    return data


def test_a_conflicting_title_names_the_post_held_and_offers_the_choices(desk, knight, openai):
    response = desk.post(reverse("stories:move-record"), conflict_form())
    page = html(response)
    assert "already holds Chief Information Security Officer at OpenAI" in page
    for choice in ("same", "ends", "both"):
        assert f'name="title_resolution" value="{choice}"' in page
    assert not RoleChange.objects.filter(post__title="Chief Information Officer").exists()


def test_the_same_post_under_another_name_records_the_post_held(desk, knight, openai):
    response = desk.post(
        reverse("stories:move-record"),
        conflict_form(title_resolution="same", effective="2024-10-01"),
    )
    assert response.status_code == 302
    assert not Post.objects.filter(title="Chief Information Officer").exists()


def test_a_new_post_ends_the_one_held(desk, knight, openai):
    response = desk.post(
        reverse("stories:move-record"), conflict_form(title_resolution="ends", effective="2024-10")
    )
    assert response.status_code == 302, html(response)
    ciso = Tenure.objects.desk().get(person=knight, post__title__startswith="Chief Information S")
    assert ciso.end == PartialDate.parse("2024-10") and not ciso.end_is_bound


def test_a_second_post_at_once_keeps_both(desk, knight, openai):
    response = desk.post(
        reverse("stories:move-record"), conflict_form(title_resolution="both", effective="2024-10")
    )
    assert response.status_code == 302
    assert Tenure.objects.desk().filter(person=knight, end_date__isnull=True).count() == 2


def test_a_second_holder_of_a_one_holder_post_warns_until_confirmed(desk, openai):
    altman = PersonFactory(name="Sam Altman")
    record(altman, openai, "appointed", "CEO", "2019")
    Post.objects.filter(title="CEO").update(one_holder=True)
    data = move_form(person_name="Emmett Shear", person_choice="new", kind="joined", title="CEO")
    data["effective"] = "2023-11-20"
    response = desk.post(reverse("stories:move-record"), data)
    page = html(response)
    assert "CEO at OpenAI has one holder at a time" in page
    assert "Sam Altman" in page
    data["confirm_warnings"] = "on"
    assert desk.post(reverse("stories:move-record"), data).status_code == 302


def test_a_future_date_warns_and_a_date_before_the_founding_is_refused(desk, openai):
    future = move_form(person_choice="new", effective="2999-01-01", announced="")
    page = html(desk.post(reverse("stories:move-record"), future))
    assert "is after today" in page
    early = move_form(person_choice="new", effective="2014-03", announced="")
    page = html(desk.post(reverse("stories:move-record"), early))
    message = re.sub(r"\s+", " ", page)
    assert "A move on March 2014 comes before OpenAI was founded (December 11, 2015)" in message
    assert not RoleChange.objects.exists()


def test_the_title_checks_read_one_query(knight, openai, django_assert_num_queries):
    from people.checks import title_warnings

    with django_assert_num_queries(1):
        warnings = title_warnings(
            person=knight,
            organization=openai,
            title="CIO",
            kind="appointed",
            effective=PartialDate.parse("2024-10"),
        )
    assert [warning.kind for warning in warnings] == ["conflict"]


def test_the_form_checks_today_from_its_argument(knight, openai):
    form = RecordMoveForm(
        data=move_form(person_choice=str(knight.pk), effective="2030"),
        today=datetime.date(2031, 1, 1),
    )
    form.is_valid()
    assert not form.warnings
