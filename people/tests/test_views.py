"""Reader pages, as a reader (and a journalist) uses them."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people.tests.factories import (
    OrganizationFactory,
    PersonFactory,
    PersonNameFactory,
    journalist,
    record,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo_desk", verbosity=0)


def text_of(response) -> str:
    return response.content.decode()


def leadership_html(response) -> str:
    html = text_of(response)
    start = html.index('id="leadership"')
    return html[start : html.index("</section>", start)]


def count_queries(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(queries)


# Search ------------------------------------------------------------------------------------


def test_people_are_found_by_a_name_in_another_script(client, demo):
    response = client.get(reverse("people:person-list"), {"q": "ミラ"})
    assert response.status_code == 200
    assert 'href="/people/mira-murati/"' in text_of(response)
    assert "1 person matches" in text_of(response)


def test_search_is_case_insensitive_and_ignores_extra_spaces(client, demo):
    response = client.get(reverse("people:person-list"), {"q": "  bob   MCGREW "})
    assert 'href="/people/bob-mcgrew/"' in text_of(response)


def test_live_search_answers_htmx_with_only_the_results(client, demo):
    response = client.get(reverse("people:person-list"), {"q": "マット"}, HTTP_HX_REQUEST="true")
    html = text_of(response)
    assert html.lstrip().startswith('<section id="people-results"')
    assert "<html" not in html
    assert 'href="/people/matt-knight/"' in html
    assert "HX-Request" in response["Vary"]


def test_search_without_matches_says_so(client, demo):
    response = client.get(reverse("people:person-list"), {"q": "Nobody Atall"})
    assert "Nobody matches “Nobody Atall”" in text_of(response)


def test_search_input_is_escaped(client, demo):
    response = client.get(reverse("people:person-list"), {"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in text_of(response)
    assert "&lt;script&gt;" in text_of(response)


# Profiles ----------------------------------------------------------------------------------


def test_a_profile_shows_dates_at_their_precision(client, demo):
    html = text_of(client.get("/people/bob-mcgrew/"))
    assert "January 2017" in html
    assert '<time datetime="2018">2018</time>' in html
    assert "January 1, 2017" not in html and "January 1, 2018" not in html
    assert '<time datetime="2017-01">January 2017</time>' in html


def test_a_profile_shows_an_unknown_start_honestly(client, demo):
    html = text_of(client.get("/people/jan-leike/"))
    assert "until <time" in html and "May 2024" in html


def test_a_profile_shows_initials_without_a_photo(client, demo):
    html = text_of(client.get("/people/mira-murati/"))
    assert 'class="avatar avatar-initials"' in html and ">MM<" in html
    assert "ミラ・ムラティ" in html


def test_an_unknown_person_is_404(client):
    assert client.get("/people/nobody-at-all/").status_code == 404


def test_readers_never_see_unconfirmed_moves(client):
    person = PersonFactory(name="Pending Person")
    organization = OrganizationFactory(name="Acme")
    record(person, organization, "joined", "Chief Rumor Officer", "2024-01-02", public=False)
    html = text_of(client.get(person.get_absolute_url()))
    assert "Chief Rumor Officer" not in html
    html = text_of(client.get(organization.get_absolute_url(), {"as_of": "2024-06-01"}))
    assert "Chief Rumor Officer" not in html


def test_journalists_see_unconfirmed_moves_marked_as_pending(client):
    person = PersonFactory(name="Pending Person")
    organization = OrganizationFactory(name="Acme")
    record(person, organization, "joined", "Chief Rumor Officer", "2024-01-02", public=False)
    client.force_login(journalist())
    html = text_of(client.get(person.get_absolute_url()))
    assert "Chief Rumor Officer" in html
    assert "pending verification" in html


def succession_html(response) -> list[str]:
    """Each "succeeded …" line of the page, its tags removed and its spaces joined."""
    html = text_of(response)
    return [
        " ".join(re.sub(r"<[^>]+>", " ", line).split())
        for line in re.findall(r'<span class="tenure-succession">(.*?)\n</span>', html, re.S)
    ]


def test_a_profile_says_whom_a_tenure_succeeded(client, demo):
    html = text_of(client.get("/people/jakub-pachocki/"))
    assert 'succeeded <a href="/people/ilya-sutskever/">Ilya Sutskever</a>' in html
    assert succession_html(client.get("/people/jakub-pachocki/")) == ["succeeded Ilya Sutskever"]


def test_a_profile_says_who_succeeded_a_tenure(client, demo):
    html = text_of(client.get("/people/ilya-sutskever/"))
    assert 'succeeded by <a href="/people/jakub-pachocki/">Jakub Pachocki</a>' in html
    assert succession_html(client.get("/people/ilya-sutskever/")) == ["succeeded by Jakub Pachocki"]


def test_a_profile_shows_no_succession_where_none_is_recorded(client, demo):
    """Murati's CTO tenure ended on September 25, 2024 and nobody was recorded after her;
    only her days as interim CEO in November 2023 have a succession."""
    response = client.get("/people/mira-murati/")
    assert succession_html(response) == ["succeeded Sam Altman ; succeeded by Emmett Shear"]
    career = text_of(response)
    career = career[career.index('id="career"') :]
    cto = re.search(
        r'<li class="tenure">\s*<span class="tenure-title">Chief Technology Officer</span>.*?</li>',
        career,
        re.S,
    )
    assert cto and "succeeded" not in cto.group(0)


def test_succession_is_on_the_career_timeline_only(client):
    """A current role is listed twice (current roles, career); its succession once."""
    alice, bob = PersonFactory(name="Alice Example"), PersonFactory(name="Bob Example")
    organization = OrganizationFactory(name="Acme")
    record(alice, organization, "appointed", "CEO", "2015")
    record(alice, organization, "left", "CEO", "2020-03-01")
    record(bob, organization, "appointed", "CEO", "2020-03-01")
    html = text_of(client.get(bob.get_absolute_url()))
    assert html.count('<span class="tenure-title">CEO</span>') == 2
    assert succession_html(client.get(bob.get_absolute_url())) == ["succeeded Alice Example"]
    career = html[html.index('id="career"') :]
    assert 'succeeded <a href="/people/alice-example/">Alice Example</a>' in career


def test_readers_never_see_a_pending_successor(client):
    alice, bob = PersonFactory(name="Alice Example"), PersonFactory(name="Bob Example")
    organization = OrganizationFactory(name="Acme")
    record(alice, organization, "appointed", "CEO", "2015")
    record(alice, organization, "left", "CEO", "2020-03-01")
    record(bob, organization, "appointed", "CEO", "2020-03-01", public=False)
    html = text_of(client.get(alice.get_absolute_url()))
    assert "Bob Example" not in html and "succeeded" not in html
    leadership = leadership_html(
        client.get(organization.get_absolute_url(), {"as_of": "2020-06-01"})
    )
    assert "Bob Example" not in leadership and "succeeded" not in leadership


def test_journalists_see_a_pending_successor_marked_as_pending(client):
    alice, bob = PersonFactory(name="Alice Example"), PersonFactory(name="Bob Example")
    organization = OrganizationFactory(name="Acme")
    record(alice, organization, "appointed", "CEO", "2015")
    record(alice, organization, "left", "CEO", "2020-03-01")
    record(bob, organization, "appointed", "CEO", "2020-03-01", public=False)
    client.force_login(journalist())
    assert succession_html(client.get(alice.get_absolute_url())) == [
        "succeeded by Bob Example pending verification"
    ]
    assert 'succeeded by <a href="/people/bob-example/">Bob Example</a>' in text_of(
        client.get(alice.get_absolute_url())
    )


# Organizations -----------------------------------------------------------------------------


def test_leadership_on_a_date_links_each_holder(client, demo):
    response = client.get("/organizations/openai/", {"as_of": "2024-09-24"})
    leadership = leadership_html(response)
    assert 'href="/people/mira-murati/"' in leadership
    assert "Chief Technology Officer" in leadership


def test_leadership_after_the_changes(client, demo):
    leadership = leadership_html(client.get("/organizations/openai/", {"as_of": "2024-09-26"}))
    assert "mira-murati" not in leadership
    assert 'href="/people/mark-chen/"' in leadership and "SVP of Research" in leadership
    assert 'href="/people/josh-achiam/"' in leadership and "Head of Mission Alignment" in leadership


def leaders(response) -> dict[tuple[str, str], dict[str, object]]:
    """Each holder in the leadership, by (person's URL, title): certainty, dates, badge."""
    found = {}
    for item in leadership_html(response).split('<li class="leader ')[1:]:
        item = item[: item.index("</li>")]
        person = re.search(r'<a href="([^"]+)"', item)[1]
        title = re.search(r'<span class="leader-title">(.*?)</span>', item)[1]
        span = re.search(r'<span class="tenure-span">(.*?)</span>', item, re.S)[1]
        found[(person, title)] = {
            "certainty": item[: item.index('"')].removeprefix("certainty-"),
            "span": re.sub(r"<[^>]+>", "", span).strip(),
            "badge": "uncertain on this date" in item,
        }
    return found


def test_leadership_says_whom_each_holder_succeeded(client, demo):
    leadership = leadership_html(client.get("/organizations/openai/", {"as_of": "2024-06-01"}))
    pachocki = leadership[leadership.index('href="/people/jakub-pachocki/"') :]
    pachocki = pachocki[: pachocki.index("</li>")]
    assert 'succeeded <a href="/people/ilya-sutskever/">Ilya Sutskever</a>' in pachocki
    murati = leadership[leadership.index('href="/people/mira-murati/"') :]
    assert "succeeded" not in murati[: murati.index("</li>")]


def test_uncertain_holders_are_visibly_marked(client, demo):
    """On 2024-05-15 the Chief Scientist post is uncertain between Sutskever (left "May
    2024") and Pachocki (appointed "May 2024"); Leike, whose start nobody recorded, left in
    May 2024 too. Each shows its dates at their precision and the badge; Altman, back as CEO
    since November 22, 2023, does not."""
    shown = leaders(client.get("/organizations/openai/", {"as_of": "2024-05-15"}))
    uncertain = {
        ("/people/ilya-sutskever/", "Chief Scientist"): "December 2015 – May 2024",
        ("/people/jakub-pachocki/", "Chief Scientist"): "since May 2024",
        ("/people/jan-leike/", "Superalignment co-lead"): "until May 2024",
    }
    for holder, span in uncertain.items():
        assert shown[holder] == {"certainty": "uncertain", "span": span, "badge": True}, holder
    assert shown[("/people/sam-altman/", "CEO")] == {
        "certainty": "certain",
        "span": "since November 22, 2023",
        "badge": False,
    }
    # The badge goes with the uncertain class, and only with it.
    assert all(each["badge"] == (each["certainty"] == "uncertain") for each in shown.values())


def test_an_uncertain_holder_is_certain_once_the_dates_allow(client, demo):
    shown = leaders(client.get("/organizations/openai/", {"as_of": "2024-06-01"}))
    pachocki = shown[("/people/jakub-pachocki/", "Chief Scientist")]
    assert pachocki == {"certainty": "certain", "span": "since May 2024", "badge": False}
    assert ("/people/ilya-sutskever/", "Chief Scientist") not in shown


def test_leadership_defaults_to_today(client, demo):
    response = client.get("/organizations/openai/")
    assert "Leadership today" in text_of(response)
    assert datetime.date.today().isoformat() in text_of(response)


def test_the_date_picker_swaps_only_the_leadership_for_htmx(client, demo):
    response = client.get("/organizations/openai/", {"as_of": "2024-09-24"}, HTTP_HX_REQUEST="true")
    html = text_of(response)
    assert html.lstrip().startswith('<div id="leadership-section">')
    assert "<html" not in html
    assert "Mira Murati" in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("as_of", ["2024-13-45", "2023-02-30", "yesterday", "2024-09"])
def test_an_invalid_as_of_is_a_400_with_a_clear_message(client, demo, as_of):
    response = client.get("/organizations/openai/", {"as_of": as_of})
    assert response.status_code == 400
    html = text_of(response)
    assert 'role="alert"' in html
    assert "as_of" in html
    assert 'id="leadership"' not in html


def test_departures_before_a_date_are_counted(client, demo):
    html = text_of(client.get("/organizations/openai/", {"as_of": "2024-10-01"}))
    # Murati, McGrew, Zoph (September), Schulman (August), Sutskever and Leike (May); a year
    # back also November 2023's three CEOs leaving the post (Altman, then Murati and Shear
    # from it as interim).
    assert "<strong>6</strong> in the 6 months before" in html
    assert "<strong>9</strong> in the 12 months before" in html


def test_an_unknown_organization_is_404(client):
    assert client.get("/organizations/nowhere/").status_code == 404


# Query counts: the same at 3 and at 50 rows ------------------------------------------------


def people_with_roles(count: int):
    organization = OrganizationFactory()
    for index in range(count):
        person = PersonFactory()
        PersonNameFactory(person=person)
        record(person, organization, "joined", f"VP of Area {index}", "2020-01-01")
    return organization


@pytest.mark.parametrize("url", ["/people/", "/people/?q=Example", "/organizations/", "/"])
def test_list_pages_query_count_does_not_grow_with_rows(client, url):
    people_with_roles(3)
    few = count_queries(client, url)
    people_with_roles(47)
    OrganizationFactory.create_batch(20)
    assert count_queries(client, url) == few


def test_organization_page_query_count_does_not_grow_with_leaders(client):
    """3 leaders, then 30 leaders (and 47 arrivals and departures around the day): every one
    is on the page, and the page reads as many queries."""
    organization = people_with_roles(3)
    url = f"{organization.get_absolute_url()}?as_of=2021-01-01"
    few = count_queries(client, url)
    assert len(leaders(client.get(url))) == 3
    for index in range(3, 30):
        person = PersonFactory()
        PersonNameFactory(person=person)
        record(person, organization, "joined", f"VP of Area {index}", "2020-01-01")
    for index in range(47):
        person = PersonFactory()
        record(person, organization, "joined", f"Head of Unit {index}", "2020-06-01")
        record(person, organization, "left", f"Head of Unit {index}", "2020-12-01")
    assert count_queries(client, url) == few
    page = client.get(url)
    assert len(leaders(page)) == 30
    assert "<strong>47</strong> in the 6 months before" in text_of(page)


def public_organizations(count: int) -> None:
    """Organizations readers see (each with a confirmed move) and an other name each."""
    for _ in range(count):
        organization = OrganizationFactory()
        organization.other_names.create(name=f"{organization.name} Inc.", language="en")
        record(PersonFactory(), organization, "joined", "CTO", "2020-01-01")


def test_organization_list_query_count_is_the_same_for_3_and_50_organizations(client):
    public_organizations(3)
    few = count_queries(client, "/organizations/")
    assert text_of(client.get("/organizations/")).count(" Inc.</span>") == 3
    public_organizations(47)
    assert count_queries(client, "/organizations/") == few
    assert text_of(client.get("/organizations/")).count(" Inc.</span>") == 50


def test_profile_query_count_does_not_grow_with_career(client):
    person = PersonFactory()
    organization = OrganizationFactory()
    for index in range(3):
        record(person, organization, "joined", f"Role {index}", f"{2000 + index}")
    few = count_queries(client, person.get_absolute_url())
    for index in range(3, 50):
        record(person, OrganizationFactory(), "joined", f"Role {index}", f"{1950 + index}")
    assert count_queries(client, person.get_absolute_url()) == few


def test_a_post_held_on_a_date_is_shown_without_an_invented_start(client, demo):
    """Jason Kwon was Chief Strategy Officer on September 25, 2024; when he took it up is
    unknown. The organization page lists him as certain that day and uncertain the day
    before, the profile "since at least" that day, and no page invents a start."""
    on_the_day = leaders(client.get("/organizations/openai/", {"as_of": "2024-09-25"}))
    kwon = ("/people/jason-kwon/", "Chief Strategy Officer")
    brockman = ("/people/greg-brockman/", "President")
    since = "since at least September 25, 2024"
    assert on_the_day[kwon] == {"certainty": "certain", "span": since, "badge": False}
    assert on_the_day[brockman] == {"certainty": "certain", "span": since, "badge": False}
    before = leaders(client.get("/organizations/openai/", {"as_of": "2024-09-24"}))
    assert before[kwon] == {"certainty": "uncertain", "span": since, "badge": True}
    html = text_of(client.get("/people/jason-kwon/"))
    assert 'since at least <time datetime="2024-09-25">September 25, 2024</time>' in html
    # The record itself is listed with what it rests on, as "was".
    assert re.search(r"was\s+Chief Strategy Officer", re.sub(r"<[^>]+>", " ", html))
    assert "618zxw.cn" in html
    # Not a move: the organization's arrivals and departures leave it out.
    around = text_of(client.get("/organizations/openai/", {"as_of": "2024-09-25"}))
    around = around[around.index('id="around-heading"') :]
    assert "jason-kwon" not in around


def career_with_successions(person, count: int) -> None:
    """``count`` tenures for ``person``, each with a predecessor and a successor."""
    organization = OrganizationFactory()
    for index in range(count):
        title = f"VP of Role {index}"
        before, after = PersonFactory(), PersonFactory()
        record(before, organization, "appointed", title, "2000")
        record(before, organization, "left", title, "2001")
        record(person, organization, "appointed", title, "2001")
        record(person, organization, "left", title, "2002")
        record(after, organization, "appointed", title, "2002")


# A reader's profile: the person and their other names, the career's tenures, the tenures of
# the same posts (their succession, people/succession.py: the one query it adds, 5 before),
# the moves and their citations.
PROFILE_QUERIES = 6


@pytest.mark.parametrize("count", [3, 50])
def test_profile_query_count_is_the_same_for_3_and_50_tenures_with_successions(
    client, django_assert_num_queries, count
):
    person = PersonFactory()
    career_with_successions(person, count)
    with django_assert_num_queries(PROFILE_QUERIES):
        response = client.get(person.get_absolute_url())
    assert len(succession_html(response)) == count
    assert all(" succeeded by " in f" {line} " for line in succession_html(response))


def test_the_desks_people_list_marks_pending_roles_and_readers_never_see_them(client):
    openai = OrganizationFactory(name="OpenAI")
    record(PersonFactory(name="Sam Altman"), openai, "appointed", "CEO", "2019")
    record(PersonFactory(name="Pam Pending"), openai, "appointed", "CFO", "2024-09", public=False)
    assert "Pam Pending" not in text_of(client.get("/people/"))

    client.force_login(journalist())
    page = text_of(client.get("/people/"))

    rows = dict(re.findall(r'class="person-name">([^<]+)</a>(.*?)</li>', page, re.S))
    assert "CFO, OpenAI" in rows["Pam Pending"] and "pending verification" in rows["Pam Pending"]
    assert "CEO, OpenAI" in rows["Sam Altman"] and "pending" not in rows["Sam Altman"]


def test_the_desks_people_list_costs_the_same_queries_at_3_and_50_people(client):
    client.force_login(journalist())
    organization = OrganizationFactory()
    for index in range(3):
        record(PersonFactory(), organization, "joined", f"Title {index}", "2020", public=False)
    few = count_queries(client, "/people/")
    for index in range(3, 50):
        record(PersonFactory(), organization, "joined", f"Title {index}", "2020", public=False)
    assert count_queries(client, "/people/") == few <= 10
