"""The desk's pages, signed in, at most 10 queries each however much work is waiting (the
pages bench/run.py should load for the desk): the verification queue, the story editor with
50 citations, the people list as the desk sees it, the review queue, the lookups."""

import pytest
from django.test import Client
from django.urls import reverse

from people.tests.factories import OrganizationFactory, PersonFactory, editor, journalist
from stories.tests.factories import pending_citation
from stories.tests.test_story_desk import _add_citations, _add_review_work, edit_url, in_review

pytestmark = pytest.mark.django_db
BUDGET = 10


@pytest.fixture
def chief() -> Client:
    client = Client()
    client.force_login(editor(username="chief"))
    return client


def ok(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_verification_queue(chief, django_assert_max_num_queries):
    for _ in range(30):
        pending_citation()
    chief.get(reverse("stories:verify-queue"))
    with django_assert_max_num_queries(BUDGET):
        ok(chief.get(reverse("stories:verify-queue")))


def test_the_story_editor_with_50_citations(chief, django_assert_max_num_queries):
    author = journalist(username="reporter")
    story = in_review(author)
    _add_citations(story, author, 50)
    chief.get(edit_url(story))
    with django_assert_max_num_queries(BUDGET):
        page = ok(chief.get(edit_url(story)))
    assert page.count('data-insert-marker="[^c') == 50


def test_the_people_list_as_the_desk_sees_it(chief, django_assert_max_num_queries):
    for number in range(30):
        pending_citation(person=PersonFactory(name=f"Pending Person {number}"))
    chief.get("/people/?q=pending")
    with django_assert_max_num_queries(BUDGET):
        ok(chief.get("/people/?q=pending"))
    with django_assert_max_num_queries(BUDGET):
        ok(chief.get("/people/"))


def test_the_review_queue(chief, django_assert_max_num_queries):
    _add_review_work(10)
    chief.get(reverse("stories:review-queue"))
    with django_assert_max_num_queries(BUDGET):
        ok(chief.get(reverse("stories:review-queue")))


@pytest.mark.parametrize(
    ("kind", "field", "typed"),
    [
        ("person", "person", "Mi"),
        ("organization", "organization", "Op"),
        ("speaker", "speaker", "ミラ"),
    ],
)
def test_the_lookups_as_a_journalist_types(
    chief, kind, field, typed, django_assert_max_num_queries
):
    for number in range(30):
        PersonFactory(name=f"Mira Person {number}")
        OrganizationFactory(name=f"Open Organization {number}")
    PersonFactory(name="ミラ・ムラティ")
    url = reverse("stories:lookup", args=[kind])
    for length in range(1, len(typed) + 1):
        with django_assert_max_num_queries(BUDGET):
            ok(chief.get(url, {f"{field}_name": typed[:length]}, headers={"HX-Request": "true"}))
