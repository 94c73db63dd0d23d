"""Flagged claims on the desk: shown in the editor's live preview and the verification queue,
never blocking a save, blocking publication until an editor marks each checked with a note
(kept in the story's history)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from people.tests.factories import editor, journalist
from stories.models import ClaimCheck, Story
from stories.services import claim_check, publication_blockers, story_claims

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo_desk", verbosity=0)


@pytest.fixture
def review_story(demo):
    """The demo's story in review, which names Matt Knight "chief information officer"."""
    return Story.objects.get(title="Who is left at the top of OpenAI")


def html(response) -> str:
    return response.content.decode()


def claim_blockers(story):
    return [b for b in publication_blockers(story) if b.message.startswith("A claim to check")]


def test_the_story_in_review_is_flagged_and_publication_waits_for_a_check(review_story):
    (claim,) = story_claims(review_story)
    assert claim.flag.kind == "title" and claim.is_open
    assert "Matt Knight as Chief Information Security Officer" in claim.flag.message
    assert len(claim_blockers(review_story)) == 1
    claim_check(
        story=review_story,
        fingerprint=claim.flag.fingerprint,
        note="The announcement's CIO is a translation slip: he is CISO.",
        editor=editor(),
    )
    assert not claim_blockers(review_story)
    assert not story_claims(review_story)[0].is_open


def test_only_an_editor_marks_a_claim_checked_and_says_how(review_story):
    (claim,) = story_claims(review_story)
    with pytest.raises(PermissionDenied):
        claim_check(
            story=review_story, fingerprint=claim.flag.fingerprint, note="ok", editor=journalist()
        )
    with pytest.raises(ValidationError):
        claim_check(
            story=review_story, fingerprint=claim.flag.fingerprint, note="  ", editor=editor()
        )
    assert not ClaimCheck.objects.exists()


def test_the_editor_page_lists_the_flag_and_the_check_goes_into_the_history(client, review_story):
    client.force_login(editor())
    page = html(client.get(reverse("stories:story-edit", args=[review_story.pk])))
    assert "Claims to check" in page and "not as “chief information officer”" in page
    (claim,) = story_claims(review_story)
    response = client.post(
        reverse("stories:story-claim-check", args=[review_story.pk]),
        {"fingerprint": claim.flag.fingerprint, "note": "Checked against the announcement."},
    )
    assert response.status_code == 302
    history = html(client.get(reverse("stories:story-revisions", args=[review_story.pk])))
    assert "Checked against the announcement." in history


def test_a_journalist_cannot_post_a_check(client, review_story):
    client.force_login(journalist())
    (claim,) = story_claims(review_story)
    response = client.post(
        reverse("stories:story-claim-check", args=[review_story.pk]),
        {"fingerprint": claim.flag.fingerprint, "note": "fine"},
    )
    assert response.status_code == 403
    assert not ClaimCheck.objects.exists()


def test_the_live_preview_flags_a_count_as_it_is_typed_and_saving_is_not_blocked(
    client, review_story
):
    client.force_login(editor())
    data = {
        "title": review_story.title,
        "dek": review_story.dek,
        "body": review_story.body + "\n\nFifteen executives left OpenAI in six months.",
        "language": review_story.language,
        "version": review_story.version,
    }
    fragment = html(
        client.post(
            reverse("stories:story-preview", args=[review_story.pk]), data, HTTP_HX_REQUEST="true"
        )
    )
    assert "“Fifteen executives left”" in fragment
    assert "The record may be incomplete" in fragment
    response = client.post(reverse("stories:story-edit", args=[review_story.pk]), data)
    assert response.status_code in (200, 302)
    review_story.refresh_from_db()
    assert "Fifteen executives" in review_story.body


def test_the_verification_queue_shows_the_flags_of_a_quote(client, demo):
    client.force_login(editor())
    page = html(client.get(reverse("stories:verify-queue")))
    assert "time at OpenAI on record is between 7 years 8 months" in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_claim_checks_read_the_same_queries_however_many_people(
    count, django_assert_num_queries
):
    from people.tests.factories import OrganizationFactory, PersonFactory, record
    from stories.services import story_create

    acme = OrganizationFactory(name="Acme")
    story = story_create(author=journalist(), title="Acme's people", body="")
    lines = []
    for number in range(count):
        person = PersonFactory(name=f"Person Number{number}")
        record(person, acme, "joined", f"Role {number}", "2020")
        story.people.add(person)
        lines.append(f"Person Number{number} spent 50 years at Acme.")
    story.organizations.add(acme)
    with django_assert_num_queries(11):
        claims = story_claims(story, text="\n".join(lines))
    assert len(claims) == count
