"""The desk's checks in Chromium (issue 14): a journalist typing "Matthew Knight" is offered
Matt Knight first, and picking him records the move on him; an editor marks a flagged claim
checked and the story can then go out."""

from __future__ import annotations

import pytest

from newsroom.dates import PartialDate
from newsroom.tests.browser.support import PLAYWRIGHT_MISSING, missing, sign_in
from people.models import Person, RoleChange
from people.services import organization_create, person_create, role_change_record
from people.tests.factories import journalist

try:
    from playwright.sync_api import expect
except ImportError:
    missing(PLAYWRIGHT_MISSING)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def knight():
    openai = organization_create(name="OpenAI")
    person = person_create(name="Matt Knight")
    role_change_record(
        person=person,
        organization=openai,
        title="Chief Information Security Officer",
        kind="held",
        effective=PartialDate.parse("2024-09-25"),
        is_public=True,
    )
    return person


def test_a_journalist_is_offered_the_person_on_record_first(new_page, knight):
    page = new_page()
    sign_in(page, journalist(username="jo"))
    page.goto("/desk/moves/new/")
    page.locator("#id_person_name").fill("Matthew Knight")
    page.locator("#id_organization_name").fill("OpenAI")
    page.locator("#id_kind").select_option("joined")
    page.locator("#id_title").fill("Security advisor")
    page.locator("#id_effective").fill("2024-10")
    page.locator("#id_keeps_other_titles").check()
    page.locator("#id_source_url").fill("https://example.com/knight-advisor")
    page.locator("#id_quote").fill("Matthew Knight joins as security advisor.")
    page.get_by_role("button", name="Record the move").click()
    expect(page.get_by_text("Possibly the same person as Matt Knight")).to_be_visible()
    expect(page.get_by_text("This is someone else: a new person")).to_be_visible()
    assert not Person.objects.filter(name="Matthew Knight").exists()
    page.locator(f'input[name="person_choice"][value="{knight.pk}"]').check()
    page.get_by_role("button", name="Record the move").click()
    expect(page.get_by_text("Move recorded")).to_be_visible()
    assert RoleChange.objects.filter(person=knight, post__title="Security advisor").exists()
