"""Succession, derived when read (people/succession.py): who held the same post just before
and just after, in the scope the reader sees."""

import pytest

from people.models import Tenure
from people.services import role_change_delete, role_change_set_public
from people.succession import with_succession
from people.tests.factories import OrganizationFactory, PersonFactory, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme():
    return OrganizationFactory(name="Acme")


def people(*names):
    return [PersonFactory(name=name) for name in names]


def succession(person, title, *, scope="desk"):
    """Each of ``person``'s tenures as ``title``, in order: (start, whom it succeeded, who
    succeeded it), by name; pending links marked with a star."""
    tenures = with_succession(
        list(
            Tenure.objects.filter(person=person, scope=scope, post__title=title)
            .select_related("post", "started_by", "ended_by")
            .chronological()
        )
    )

    def names(links):
        return [link.person.name + ("*" if link.pending else "") for link in links]

    return [
        (
            tenure.start.isoformat() if tenure.start else None,
            names(tenure.succession.predecessors),
            names(tenure.succession.successors),
        )
        for tenure in tenures
    ]


def test_a_promotion_on_the_day_of_a_departure_succeeds_it(acme):
    alice, bob = people("Alice", "Bob")
    record(alice, acme, "appointed", "CEO", "2015-01-10")
    record(alice, acme, "left", "CEO", "2020-03-01")
    record(bob, acme, "appointed", "CEO", "2020-03-01")
    assert succession(alice, "CEO") == [("2015-01-10", [], ["Bob"])]
    assert succession(bob, "CEO") == [("2020-03-01", ["Alice"], [])]


def test_only_the_same_post_counts(acme):
    alice, bob, carol = people("Alice", "Bob", "Carol")
    record(alice, acme, "appointed", "CEO", "2015")
    record(alice, acme, "left", "CEO", "2020-03-01")
    record(bob, acme, "appointed", "Chief Technology Officer", "2020-03-01")
    # The same title at another organization is another post.
    record(carol, OrganizationFactory(), "appointed", "CEO", "2020-03-01")
    assert succession(alice, "CEO") == [("2015", [], [])]
    assert succession(bob, "Chief Technology Officer") == [("2020-03-01", [], [])]
    assert succession(carol, "CEO") == [("2020-03-01", [], [])]


def test_partial_dates_succeed_when_the_end_can_be_on_or_before_the_start(acme):
    """Left "May 2024", appointed "May 2024" (the demo's Chief Scientist): the end can be on
    or before the start, so it is a succession."""
    ilya, jakub = people("Ilya", "Jakub")
    record(ilya, acme, "joined", "Chief Scientist", "2015-12")
    record(ilya, acme, "left", "Chief Scientist", "2024-05")
    record(jakub, acme, "appointed", "Chief Scientist", "2024-05")
    assert succession(jakub, "Chief Scientist") == [("2024-05", ["Ilya"], [])]
    assert succession(ilya, "Chief Scientist") == [("2015-12", [], ["Jakub"])]


def test_a_start_before_the_earliest_possible_end_is_no_succession(acme):
    """Appointed "May 2024" while the other holder left in June: they held it together."""
    ilya, jakub = people("Ilya", "Jakub")
    record(ilya, acme, "joined", "Chief Scientist", "2015-12")
    record(ilya, acme, "left", "Chief Scientist", "2024-06")
    record(jakub, acme, "appointed", "Chief Scientist", "2024-05")
    assert succession(jakub, "Chief Scientist") == [("2024-05", [], [])]
    assert succession(ilya, "Chief Scientist") == [("2015-12", [], [])]


def test_the_holder_who_ended_last_is_the_predecessor(acme):
    """Alice's end, "2020", may be any day of 2020: Bob's March 10, 2020 is the later
    earliest-possible end, so Carol succeeded Bob, and nobody succeeded Alice."""
    alice, bob, carol = people("Alice", "Bob", "Carol")
    record(alice, acme, "appointed", "CEO", "2010")
    record(alice, acme, "left", "CEO", "2020")
    record(bob, acme, "appointed", "CEO", "2015")
    record(bob, acme, "left", "CEO", "2020-03-10")
    record(carol, acme, "appointed", "CEO", "2021")
    assert succession(carol, "CEO") == [("2021", ["Bob"], [])]
    assert succession(bob, "CEO") == [("2015", [], ["Carol"])]
    assert succession(alice, "CEO") == [("2010", [], [])]


def test_dates_too_coarse_to_order_two_holders_give_no_succession(acme):
    alice, bob = people("Alice", "Bob")
    for person in (alice, bob):
        record(person, acme, "appointed", "CEO", "2017")
        record(person, acme, "left", "CEO", "2017")
    assert succession(alice, "CEO") == [("2017", [], [])]
    assert succession(bob, "CEO") == [("2017", [], [])]


def test_an_unknown_start_has_no_predecessor_but_can_have_a_successor(acme):
    """Jan's start was never recorded, so nobody can say who held the post just before him;
    his end is known, so whoever started next succeeded him."""
    yvonne, jan, zoe = people("Yvonne", "Jan", "Zoe")
    record(yvonne, acme, "appointed", "Head of Superalignment", "2021")
    record(yvonne, acme, "left", "Head of Superalignment", "2022")
    record(jan, acme, "joined", "Research staff", "2023-01")
    record(jan, acme, "left", "Head of Superalignment", "2024-05")
    record(zoe, acme, "appointed", "Head of Superalignment", "2024-06")
    assert succession(jan, "Head of Superalignment") == [(None, [], ["Zoe"])]
    assert succession(yvonne, "Head of Superalignment") == [("2021", [], [])]
    assert succession(zoe, "Head of Superalignment") == [("2024-06", ["Jan"], [])]


def test_an_interim_holder_is_in_the_line_of_succession(acme):
    alice, ian, bob = people("Alice", "Ian", "Bob")
    record(alice, acme, "appointed", "CEO", "2015")
    record(alice, acme, "left", "CEO", "2020-03-01")
    record(ian, acme, "appointed", "CEO", "2020-03-01", is_interim=True)
    record(ian, acme, "left", "CEO", "2020-09-01")
    record(bob, acme, "appointed", "CEO", "2020-09-01")
    assert succession(alice, "CEO") == [("2015", [], ["Ian"])]
    assert succession(ian, "CEO") == [("2020-03-01", ["Alice"], ["Bob"])]
    assert succession(bob, "CEO") == [("2020-09-01", ["Ian"], [])]


def test_a_re_hire_is_not_their_own_predecessor(acme):
    """Alice left, the post stayed vacant, she came back: neither tenure succeeds the
    other, and her second one does not succeed Yvonne, whom her first one succeeded."""
    yvonne, alice = people("Yvonne", "Alice")
    record(yvonne, acme, "appointed", "CEO", "2005")
    record(yvonne, acme, "left", "CEO", "2010-01-01")
    record(alice, acme, "appointed", "CEO", "2010-01-01")
    record(alice, acme, "left", "CEO", "2015-06-30")
    record(alice, acme, "appointed", "CEO", "2016-01-01")
    assert succession(alice, "CEO") == [
        ("2010-01-01", ["Yvonne"], []),
        ("2016-01-01", [], []),
    ]
    assert succession(yvonne, "CEO") == [("2005", [], ["Alice"])]


def test_a_vacancy_between_two_holders_is_still_a_succession(acme):
    alice, bob = people("Alice", "Bob")
    record(alice, acme, "appointed", "CEO", "2015")
    record(alice, acme, "left", "CEO", "2019-06")
    record(bob, acme, "appointed", "CEO", "2020-01-15")
    assert succession(bob, "CEO") == [("2020-01-15", ["Alice"], [])]
    assert succession(alice, "CEO") == [("2015", [], ["Bob"])]


def test_a_concurrent_holder_still_in_post_is_nobody_s_predecessor(acme):
    """Co-CEOs Alice and Bob; Alice leaves and Carol takes her place beside Bob."""
    alice, bob, carol = people("Alice", "Bob", "Carol")
    record(alice, acme, "appointed", "CEO", "2015-01-01")
    record(bob, acme, "appointed", "CEO", "2015-01-01")
    record(alice, acme, "left", "CEO", "2020-06-30")
    record(carol, acme, "appointed", "CEO", "2020-07-01")
    assert succession(carol, "CEO") == [("2020-07-01", ["Alice"], [])]
    assert succession(alice, "CEO") == [("2015-01-01", [], ["Carol"])]
    assert succession(bob, "CEO") == [("2015-01-01", [], [])]


def test_a_second_holder_added_later_did_not_succeed_the_one_already_replaced(acme):
    """Alice left in 2005 and Bob took over (still in post); Carol joined him in 2010. Alice
    ended last before Carol started, but Bob, not Carol, succeeded her."""
    alice, bob, carol = people("Alice", "Bob", "Carol")
    record(alice, acme, "appointed", "CEO", "2000")
    record(alice, acme, "left", "CEO", "2005-03-01")
    record(bob, acme, "appointed", "CEO", "2005-03-01")
    record(carol, acme, "appointed", "CEO", "2010")
    assert succession(alice, "CEO") == [("2000", [], ["Bob"])]
    assert succession(bob, "CEO") == [("2005-03-01", ["Alice"], [])]
    assert succession(carol, "CEO") == [("2010", [], [])]


def test_co_holders_who_left_on_the_same_date_are_all_listed(acme):
    alice, bob, carol = people("Alice", "Bob", "Carol")
    for person in (alice, bob):
        record(person, acme, "appointed", "CEO", "2015")
        record(person, acme, "left", "CEO", "2020-06-30")
    record(carol, acme, "appointed", "CEO", "2020-07-01")
    assert succession(carol, "CEO") == [("2020-07-01", ["Alice", "Bob"], [])]
    assert succession(alice, "CEO") == [("2015", [], ["Carol"])]
    assert succession(bob, "CEO") == [("2015", [], ["Carol"])]


def test_succession_follows_another_person_s_changes(acme):
    """Nothing is stored: deleting the successor's appointment leaves no stale successor."""
    alice, bob = people("Alice", "Bob")
    record(alice, acme, "appointed", "CEO", "2015")
    record(alice, acme, "left", "CEO", "2020-03-01")
    appointment = record(bob, acme, "appointed", "CEO", "2020-03-01")
    assert succession(alice, "CEO") == [("2015", [], ["Bob"])]
    role_change_delete(role_change=appointment)
    assert succession(alice, "CEO") == [("2015", [], [])]


def test_a_pending_successor_is_in_the_desk_scope_only(acme):
    alice, bob = people("Alice", "Bob")
    record(alice, acme, "appointed", "CEO", "2015")
    record(alice, acme, "left", "CEO", "2020-03-01")
    appointment = record(bob, acme, "appointed", "CEO", "2020-03-01", public=False)
    assert succession(alice, "CEO", scope="public") == [("2015", [], [])]
    assert succession(alice, "CEO", scope="desk") == [("2015", [], ["Bob*"])]
    assert succession(bob, "CEO", scope="desk") == [("2020-03-01", ["Alice*"], [])]
    role_change_set_public(role_change=appointment, is_public=True)
    assert succession(alice, "CEO", scope="public") == [("2015", [], ["Bob"])]
    assert succession(alice, "CEO", scope="desk") == [("2015", [], ["Bob"])]


def test_the_public_scope_skips_a_pending_holder_between_two_confirmed_ones(acme):
    """Readers see Alice succeeded by Carol; the desk sees the pending interim Ian between."""
    alice, ian, carol = people("Alice", "Ian", "Carol")
    record(alice, acme, "appointed", "CEO", "2015")
    record(alice, acme, "left", "CEO", "2020-03-01")
    record(ian, acme, "appointed", "CEO", "2020-03-01", is_interim=True, public=False)
    record(ian, acme, "left", "CEO", "2020-09-01", public=False)
    record(carol, acme, "appointed", "CEO", "2020-09-01")
    assert succession(alice, "CEO", scope="public") == [("2015", [], ["Carol"])]
    assert succession(carol, "CEO", scope="public") == [("2020-09-01", ["Alice"], [])]
    assert succession(alice, "CEO", scope="desk") == [("2015", [], ["Ian*"])]
    assert succession(carol, "CEO", scope="desk") == [("2020-09-01", ["Ian*"], [])]


@pytest.mark.parametrize("count", [3, 50])
def test_succession_reads_one_query_however_many_tenures(acme, django_assert_num_queries, count):
    person = PersonFactory()
    for index in range(count):
        title = f"VP of Role {index}"
        predecessor, successor = PersonFactory(), PersonFactory()
        record(predecessor, acme, "appointed", title, "2000")
        record(predecessor, acme, "left", title, "2001")
        record(person, acme, "appointed", title, "2001")
        record(person, acme, "left", title, "2002")
        record(successor, acme, "appointed", title, "2002")
    tenures = list(
        Tenure.objects.desk().filter(person=person).select_related("started_by", "ended_by")
    )
    with django_assert_num_queries(1):
        with_succession(tenures)
    assert all(
        len(tenure.succession.predecessors) == len(tenure.succession.successors) == 1
        for tenure in tenures
    )


def test_posts_outside_the_leadership_have_no_succession(acme):
    """Many hold "Member of Technical Staff" at once: no line of holders to tell."""
    alice, bob = people("Alice", "Bob")
    record(alice, acme, "joined", "Member of Technical Staff", "2015-01-10")
    record(alice, acme, "left", "Member of Technical Staff", "2020-03-01")
    record(bob, acme, "joined", "Member of Technical Staff", "2020-03-01")
    assert succession(alice, "Member of Technical Staff") == [("2015-01-10", [], [])]
    assert succession(bob, "Member of Technical Staff") == [("2020-03-01", [], [])]


def test_no_tenures_read_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert with_succession([]) == []
