"""The admin, as an editor uses it: moves are recorded through the same service."""

import datetime

import pytest
from django.urls import reverse

from newsroom.dates import PartialDate
from newsroom.models import ProposedEdit
from people.models import Organization, RoleChange, Tenure
from people.tests.factories import OrganizationFactory, PersonFactory, editor, record

pytestmark = [pytest.mark.django_db, pytest.mark.lazy_queries_allowed]


@pytest.fixture
def editor_client(client):
    client.force_login(editor())
    return client


@pytest.mark.parametrize("model", ["person", "organization", "post", "rolechange", "tenure"])
def test_an_editor_can_browse_every_people_model(editor_client, model):
    person = PersonFactory(name="Mira Murati")
    record(person, OrganizationFactory(name="OpenAI"), "left", "CTO", "2024-09-25")
    response = editor_client.get(reverse(f"admin:people_{model}_changelist"), {"q": "Mira"})
    assert response.status_code == 200


def test_an_editor_records_a_move_in_the_admin_and_tenures_follow(editor_client):
    person = PersonFactory(name="Mira Murati")
    organization = OrganizationFactory(name="OpenAI")
    response = editor_client.post(
        reverse("admin:people_rolechange_add"),
        {
            "person": person.pk,
            "organization": organization.pk,
            "kind": "appointed",
            "title": "Chief Technology Officer",
            "effective": "2022-05",
            "announced": "",
            "reason": "",
            "previous_title": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    change = RoleChange.objects.get()
    assert change.effective.isoformat() == "2022-05"
    tenure = Tenure.objects.desk().get(person=person)
    assert tenure.start.isoformat() == "2022-05" and tenure.end is None


def test_a_refused_move_shows_the_services_message_and_saves_nothing(editor_client):
    person = PersonFactory(name="Mira Murati")
    organization = OrganizationFactory(name="OpenAI")
    record(person, organization, "appointed", "Chief Technology Officer", "2022-05")
    response = editor_client.post(
        reverse("admin:people_rolechange_add"),
        {
            "person": person.pk,
            "organization": organization.pk,
            "kind": "left",
            "title": "Chief Technology Officer",
            "effective": "2021-03-01",
            "reason": "",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot end earlier" in html
    assert RoleChange.objects.count() == 1


def test_an_invalid_date_is_refused_beside_its_field(editor_client):
    response = editor_client.post(
        reverse("admin:people_rolechange_add"),
        {
            "person": PersonFactory().pk,
            "organization": OrganizationFactory().pk,
            "kind": "joined",
            "title": "CTO",
            "effective": "2023-02-30",
        },
    )
    assert response.status_code == 200
    assert "February 2023 has 28 days" in response.content.decode()
    assert not RoleChange.objects.exists()


def admin_edit(client, change, person, organization, **fields):
    data = {
        "person": person.pk,
        "organization": organization.pk,
        "kind": "appointed",
        "title": "Chief Technology Officer",
        "effective": "2022-06-01",
        "reason": "",
        **fields,
    }
    return client.post(reverse("admin:people_rolechange_change", args=[change.pk]), data)


def test_editing_an_unconfirmed_move_in_the_admin_rebuilds_tenures(editor_client):
    person = PersonFactory(name="Mira Murati")
    organization = OrganizationFactory(name="OpenAI")
    change = record(
        person, organization, "appointed", "Chief Technology Officer", "2022-05", public=False
    )
    response = admin_edit(editor_client, change, person, organization)
    assert response.status_code == 302
    assert Tenure.objects.desk().get(person=person).start.isoformat() == "2022-06-01"


def test_editing_a_confirmed_move_in_the_admin_waits_for_an_editor(editor_client):
    """Rule 5: readers keep the confirmed move until an editor verifies the edit, and the
    form continues from the edit waiting."""
    person = PersonFactory(name="Mira Murati")
    organization = OrganizationFactory(name="OpenAI")
    change = record(person, organization, "appointed", "Chief Technology Officer", "2022-05")

    response = admin_edit(editor_client, change, person, organization, is_public="on")

    assert response.status_code == 302
    assert Tenure.objects.public().get(person=person).start.isoformat() == "2022-05"
    assert Tenure.objects.desk().get(person=person).start.isoformat() == "2022-05"
    page = editor_client.get(response["Location"]).content.decode()
    assert "your edit waits for an editor in the verification queue" in page
    form = editor_client.get(reverse("admin:people_rolechange_change", args=[change.pk]))
    assert 'value="2022-06-01"' in form.content.decode()
    [edit] = ProposedEdit.objects.pending()
    assert [entry["field"] for entry in edit.changes] == ["effective"]
    assert RoleChange.objects.get(pk=change.pk).is_public


def test_deleting_a_move_in_the_admin_rebuilds_tenures(editor_client):
    person = PersonFactory(name="Mira Murati")
    organization = OrganizationFactory(name="OpenAI")
    record(person, organization, "appointed", "Chief Technology Officer", "2022-05")
    departure = record(person, organization, "left", "Chief Technology Officer", "2024-09-25")
    response = editor_client.post(
        reverse("admin:people_rolechange_delete", args=[departure.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert Tenure.objects.desk().get(person=person).end is None


def test_tenures_cannot_be_edited_by_hand(editor_client):
    assert editor_client.get(reverse("admin:people_tenure_add")).status_code == 403


def test_readers_and_journalists_cannot_reach_the_admin(client):
    from people.tests.factories import journalist

    response = client.get(reverse("admin:people_rolechange_changelist"))
    assert response.status_code == 302
    client.force_login(journalist())
    response = client.get(reverse("admin:people_rolechange_changelist"))
    assert response.status_code == 302


def test_an_existing_posts_organization_is_read_only_in_the_admin(editor_client):
    from people.models import Post

    openai = OrganizationFactory(name="OpenAI")
    anthropic = OrganizationFactory(name="Anthropic")
    record(PersonFactory(name="Mira Murati"), openai, "appointed", "CTO", "2022-05")
    post = Post.objects.get(title="CTO")
    url = reverse("admin:people_post_change", args=[post.pk])
    page = editor_client.get(url).content.decode()
    assert 'name="organization"' not in page
    assert "OpenAI" in page

    response = editor_client.post(
        url,
        {
            "organization": anthropic.pk,
            "title": "CTO",
            "rank": post.rank,
            "is_leadership": "on",
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.organization == openai and post.is_leadership
    assert RoleChange.objects.get().organization == openai


def test_a_new_post_chooses_its_organization_in_the_admin(editor_client):
    page = editor_client.get(reverse("admin:people_post_add")).content.decode()
    assert 'name="organization"' in page


def _organization_form(**fields):
    form = {
        "name": "OpenAI",
        "kind": "company",
        "description": "",
        "homepage": "",
        "parent": "",
        "founded": "",
    }
    for inline in ("other_names", "posts"):
        form |= {
            f"{inline}-TOTAL_FORMS": "0",
            f"{inline}-INITIAL_FORMS": "0",
            f"{inline}-MIN_NUM_FORMS": "0",
            f"{inline}-MAX_NUM_FORMS": "1000",
        }
    return form | fields


def test_an_organizations_founding_date_keeps_its_precision(editor_client):
    response = editor_client.post(
        reverse("admin:people_organization_add"), _organization_form(founded="2015-12")
    )
    assert response.status_code == 302
    organization = Organization.objects.get(name="OpenAI")
    assert organization.founded == PartialDate.parse("2015-12")
    assert organization.founded_latest == datetime.date(2015, 12, 31)
    page = editor_client.get(reverse("admin:people_organization_change", args=[organization.pk]))
    assert 'value="2015-12"' in page.content.decode()


def test_a_founding_date_that_is_not_a_date_is_refused_beside_its_field(editor_client):
    response = editor_client.post(
        reverse("admin:people_organization_add"), _organization_form(founded="December 2015")
    )
    assert response.status_code == 200
    assert "founded" in response.context["adminform"].form.errors
    assert not Organization.objects.exists()
