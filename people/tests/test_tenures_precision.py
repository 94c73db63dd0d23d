"""Tenures and counts at their precision: ended by a later title, nobody before the
founding, departures counted as a range when their dates straddle a window's edge."""

import datetime
import io

import pytest
from django.core.management import call_command

from newsroom.dates import PartialDate
from people.models import RoleChange, Tenure
from people.models.tenures import Certainty
from people.queries import count_in_window, leadership_on
from people.tests.factories import OrganizationFactory, PersonFactory, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme():
    return OrganizationFactory(name="Acme")


@pytest.fixture
def demo():
    call_command("load_demo_desk", verbosity=0)


def tenure(person, title: str, scope: str = "desk") -> Tenure:
    return Tenure.objects.filter(person=person, scope=scope, post__title=title).get()


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def test_a_new_title_ends_the_older_one_no_later_than_it_began(acme):
    person = PersonFactory(name="Ada Lovelace")
    record(person, acme, "joined", "VP of Research", "2018")
    record(person, acme, "appointed", "Chief Research Officer", "2024-01")
    older = tenure(person, "VP of Research")
    assert older.end_is_bound and older.end == PartialDate.parse("2024-01")
    assert older.span() == "2018 – by January 2024"
    assert not older.is_current
    # Possibly held until January 2024, certainly on no day after the start: never a day
    # invented for its end.
    held = {
        row.post.title: row.certainty
        for row in Tenure.objects.desk()
        .filter(person=person)
        .select_related("post")
        .held_on(day("2023-06-01"))
    }
    assert held == {"VP of Research": Certainty.UNCERTAIN}
    assert (
        not Tenure.objects.desk()
        .filter(person=person)
        .held_on(day("2024-02-01"))
        .filter(post__title="VP of Research")
    )


def test_a_second_post_held_at_once_or_an_interim_one_keeps_the_older_title(acme):
    person = PersonFactory()
    record(person, acme, "joined", "CTO", "2018")
    record(person, acme, "appointed", "Board member", "2020", keeps_other_titles=True)
    record(person, acme, "appointed", "CEO", "2021-03", is_interim=True)
    assert tenure(person, "CTO").is_current


def test_a_title_whose_end_is_recorded_later_is_not_bounded(acme):
    person = PersonFactory()
    record(person, acme, "joined", "CTO", "2018")
    record(person, acme, "appointed", "Board member", "2020")
    record(person, acme, "left", "CTO", "2022-05")
    cto = tenure(person, "CTO")
    assert not cto.end_is_bound and cto.end == PartialDate.parse("2022-05")


def test_a_held_record_of_a_later_title_bounds_the_older_one(acme):
    person = PersonFactory()
    record(person, acme, "joined", "Security lead", "2020")
    record(person, acme, "held", "CISO", "2024-09-25")
    assert tenure(person, "Security lead").span() == "2020 – by September 25, 2024"
    # The later title began after the older one did.
    assert tenure(person, "CISO").start_after == day("2020-01-01")


def test_the_demo_desk_ends_mcgrew_and_knights_older_titles_by_the_later_ones(demo):
    mcgrew = Tenure.objects.public().filter(person__name="Bob McGrew")
    vp = mcgrew.get(post__title="VP of Research")
    assert vp.end_is_bound and vp.span() == "2018 – by September 25, 2024"
    security = Tenure.objects.public().get(person__name="Matt Knight", post__title="Security lead")
    assert security.end_is_bound and security.span() == "2020 – by September 25, 2024"
    on_the_day = {
        row.post.title: row.certainty
        for row in mcgrew.select_related("post").held_on(day("2023-11-18"))
    }
    # Not certainly VP of Research and uncertainly Chief Research Officer at once.
    assert on_the_day == {
        "VP of Research": Certainty.UNCERTAIN,
        "Chief Research Officer": Certainty.UNCERTAIN,
    }


def test_the_profile_writes_the_bound(client, demo):
    html = client.get("/people/bob-mcgrew/").content.decode()
    assert "2018 – by September 25, 2024" in html


def test_nobody_leads_an_organization_before_its_founding(client, demo):
    from people.models import Organization

    openai = Organization.objects.get(slug="openai")
    assert leadership_on(openai, day("1800-01-01")) == []
    assert leadership_on(openai, day("2015-12-10")) == []
    html = client.get("/organizations/openai/", {"as_of": "1800-01-01"}).content.decode()
    start = html.index('id="leadership"')
    assert "uncertain" not in html[start : html.index("</section>", start)]


def test_a_departure_straddling_the_window_edge_counts_as_possible(acme):
    person = PersonFactory()
    may = record(person, acme, "left", "CTO", "2024-05")
    count = count_in_window([may], day("2024-05-20"), day("2025-05-19"))
    assert (count.low, count.high, str(count)) == (0, 1, "0–1")
    inside = count_in_window([may], day("2024-05-01"), day("2025-05-19"))
    assert (inside.low, inside.high, str(inside)) == (1, 1, "1")


def test_the_organization_page_shows_a_range_of_departures(client, demo):
    """A window starting May 20, 2024: Sutskever and Leike left in "May 2024"."""
    html = client.get("/organizations/openai/", {"as_of": "2025-05-20"}).content.decode()
    assert RoleChange.objects.departures().filter(effective_precision="month").exists()
    assert "<strong>4–6</strong> in the 12 months before" in html
    assert "known only to the month or year" in html


def test_rebuild_tenures_gives_existing_rows_their_bound_and_reports_refused_pairs(acme):
    """After the upgrade that brought "ended by a later title", `rebuild_tenures` bounds the
    tenures written before it; a pair whose records break rule 2 is reported, left as it
    was, and does not stop the others."""
    person = PersonFactory(name="Ada Lovelace")
    record(person, acme, "joined", "VP of Research", "2018")
    record(person, acme, "appointed", "Chief Research Officer", "2024-01")
    # As a database migrated from before the bound would hold it: the older title open.
    Tenure.objects.filter(person=person, post__title="VP of Research").update(
        end_is_bound=False, end_date=None, end_precision="", end_latest=None
    )
    assert tenure(person, "VP of Research").is_current
    broken = PersonFactory(name="Grace Hopper")
    record(broken, acme, "joined", "CTO", "2019")
    left = record(broken, acme, "left", "CTO", "2020-06-01")
    # A departure moved before the arrival behind the desk's back (a bad manual fix).
    RoleChange.objects.filter(pk=left.pk).update(
        effective_date=day("2017-01-01"), effective_latest=day("2017-01-01")
    )
    kept = set(Tenure.objects.filter(person=broken).values_list("pk", flat=True))
    errors = io.StringIO()
    output = io.StringIO()
    call_command("rebuild_tenures", stdout=output, stderr=errors)
    older = tenure(person, "VP of Research")
    assert older.end_is_bound and older.end == PartialDate.parse("2024-01")
    assert "Grace Hopper" in errors.getvalue()
    assert set(Tenure.objects.filter(person=broken).values_list("pk", flat=True)) == kept
    assert "Rebuilt the tenures of 1 of 2 person and organization pairs." in output.getvalue()
