"""The demo desk answers the questions the people desk was built for."""

import datetime

import pytest
from django.core.management import call_command

from people.models import Organization, Person, PersonName, Post, RoleChange, Tenure
from people.queries import leadership_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def openai():
    call_command("load_demo_desk", verbosity=0)
    return Organization.objects.get(slug="openai")


def leaders(organization, day):
    return {
        (tenure.person.name, tenure.post.title): tenure.certainty
        for tenure in leadership_on(organization, datetime.date.fromisoformat(day))
    }


def test_mira_murati_is_cto_the_day_before_she_left_and_not_after(openai):
    assert leaders(openai, "2024-09-24")[("Mira Murati", "Chief Technology Officer")] == "certain"
    after = leaders(openai, "2024-09-26")
    assert not any(name == "Mira Murati" for name, _ in after)
    assert after[("Mark Chen", "SVP of Research")] == "certain"
    assert after[("Josh Achiam", "Head of Mission Alignment")] == "certain"


def test_jakub_pachocki_is_chief_scientist_on_june_1(openai):
    on_june_1 = leaders(openai, "2024-06-01")
    assert on_june_1[("Jakub Pachocki", "Chief Scientist")] == "certain"
    assert ("Ilya Sutskever", "Chief Scientist") not in on_june_1


def test_the_chief_scientist_is_uncertain_in_may_2024(openai):
    on_may_15 = leaders(openai, "2024-05-15")
    assert on_may_15[("Ilya Sutskever", "Chief Scientist")] == "uncertain"
    assert on_may_15[("Jakub Pachocki", "Chief Scientist")] == "uncertain"


def test_leadership_is_in_seniority_order(openai):
    titles = [tenure.post.rank for tenure in leadership_on(openai, datetime.date(2024, 9, 26))]
    assert titles == sorted(titles)
    assert leadership_on(openai, datetime.date(2024, 9, 26))[0].person.name == "Sam Altman"


def test_native_script_names_are_kept(openai):
    assert PersonName.objects.filter(person__name="Mira Murati", name="ミラ・ムラティ").exists()
    assert Person.objects.matching("マシュー").get().name == "Matt Knight"


def test_loading_twice_changes_nothing(openai):
    counts = [model.objects.count() for model in (Person, Organization, Post, RoleChange, Tenure)]
    tenures = sorted(Tenure.objects.values_list("person_id", "post_id", "start_date", "end_date"))
    call_command("load_demo_desk", verbosity=0)
    assert [
        model.objects.count() for model in (Person, Organization, Post, RoleChange, Tenure)
    ] == counts
    assert (
        sorted(Tenure.objects.values_list("person_id", "post_id", "start_date", "end_date"))
        == tenures
    )
