"""The demo desk answers the questions the people desk was built for."""

import datetime
import io

import pytest
from django.contrib.auth.models import User
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


# What the command says about the demo accounts ------------------------------------------


@pytest.fixture
def fresh_var(settings, tmp_path, monkeypatch):
    """No DEMO_PASSWORD and an empty var/ (the suite never writes the real one)."""
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


def load_demo_desk() -> str:
    out = io.StringIO()
    call_command("load_demo_desk", stdout=out)
    return out.getvalue()


def test_the_password_is_printed_for_the_accounts_it_creates(fresh_var, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "first-demo-password")
    out = load_demo_desk()
    assert (
        "Demo accounts 'journalist' and 'editor' created, password first-demo-password "
        "(from DEMO_PASSWORD)." in out
    )
    assert "already existed" not in out
    assert all(user.check_password("first-demo-password") for user in User.objects.all())


def test_existing_accounts_are_kept_and_no_password_is_claimed_for_them(fresh_var, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "first-demo-password")
    load_demo_desk()
    monkeypatch.setenv("DEMO_PASSWORD", "second-demo-password")
    out = load_demo_desk()
    assert "second-demo-password" not in out and "first-demo-password" not in out
    assert "created, password" not in out
    assert "Demo accounts 'journalist' and 'editor' already existed and kept their password" in out
    assert "DEMO_PASSWORD applies only to accounts it creates" in out
    for user in User.objects.all():
        assert user.check_password("first-demo-password")
        assert not user.check_password("second-demo-password")


def test_only_the_missing_account_gets_the_printed_password(fresh_var):
    editor = User.objects.create_user("editor", password="the-editors-own-password")
    out = load_demo_desk()
    password = (fresh_var / "demo-password.txt").read_text().strip()
    assert f"Demo account 'journalist' created, password {password} (generated, kept in" in out
    assert "Demo account 'editor' already existed and kept its password" in out
    assert User.objects.get(username="journalist").check_password(password)
    editor.refresh_from_db()
    assert editor.check_password("the-editors-own-password")
    assert not editor.check_password(password)


def test_no_password_is_generated_when_every_account_exists(fresh_var):
    User.objects.create_user("journalist", password="own-password-1")
    User.objects.create_user("editor", password="own-password-2")
    out = load_demo_desk()
    assert "password" in out and "created, password" not in out
    assert not (fresh_var / "demo-password.txt").exists()


def test_jason_kwon_and_greg_brockman_are_in_post_on_september_25_2024(openai):
    """In the article they hold their posts that day; when they took them up, it does not
    say. So they lead for certain from that day, uncertainly before it, with no invented
    start."""
    on_the_day = leaders(openai, "2024-09-25")
    assert on_the_day[("Jason Kwon", "Chief Strategy Officer")] == "certain"
    assert on_the_day[("Greg Brockman", "President")] == "certain"
    assert leaders(openai, "2024-09-24")[("Jason Kwon", "Chief Strategy Officer")] == "uncertain"
    assert leaders(openai, "2026-01-01")[("Greg Brockman", "President")] == "certain"
    for name in ("Jason Kwon", "Greg Brockman"):
        tenure = Tenure.objects.public().select_related("started_by").get(person__name=name)
        assert (tenure.start, tenure.end, tenure.seen.isoformat()) == (None, None, "2024-09-25")
        assert tenure.span() == "since at least September 25, 2024"
        assert tenure.started_by.kind == "held"
    # In seniority order: the CEO, then the President, then the C-suite.
    titles = [tenure.post.title for tenure in leadership_on(openai, datetime.date(2024, 9, 26))]
    assert titles[:2] == ["CEO", "President"]


def test_matt_knight_is_confirmed_as_ciso_not_appointed_on_the_day(openai):
    """The article says he has long been CISO: certain on the day, uncertain before it back
    to his arrival in 2020, never before it."""
    ciso = ("Matt Knight", "Chief Information Security Officer")
    assert leaders(openai, "2024-09-25")[ciso] == "certain"
    assert leaders(openai, "2022-01-01")[ciso] == "uncertain"
    assert ciso not in leaders(openai, "2019-12-31")


def test_the_demo_organizations_have_their_founding_dates_at_their_precision(openai):
    assert openai.founded.isoformat() == "2015-12-11"
    assert Organization.objects.get(slug="anthropic").founded.isoformat() == "2021"
