"""The editor's queue: deciding in place, conflicts between editors, history."""

import re
import threading
from html import unescape

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people.models import RoleChange
from people.tests.factories import OrganizationFactory, PersonFactory, editor
from stories.models import Citation, CitationDecision, CitationState
from stories.services import citation_decide
from stories.tests.factories import SourceFactory, pending_citation
from stories.views import verification

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def editor_client(client):
    client.force_login(editor(username="chief"))
    return client


def decide_url(citation) -> str:
    return reverse("stories:citation-decide", args=[citation.pk])


def test_the_queue_lists_pending_citations_oldest_first_with_claim_quote_and_source(
    editor_client,
):
    older = pending_citation(person=PersonFactory(name="Older Person"))
    newer = pending_citation(person=PersonFactory(name="Newer Person"))
    source = SourceFactory(archive_url="https://web.archive.org/web/2024/https://example.com/x")
    archived = pending_citation(source=source)
    page = html(editor_client.get(reverse("stories:verify-queue")))
    assert page.index(f'id="citation-{older.pk}"') < page.index(f'id="citation-{newer.pk}"')
    assert "Older Person" in page and "CTO" in page
    assert older.statement.quote in page
    assert f'href="{older.source.canonical_url}" target="_blank" rel="noopener noreferrer"' in page
    assert 'href="https://web.archive.org/web/2024/https://example.com/x"' in page
    assert f'id="citation-{archived.pk}"' in page


def test_decided_citations_leave_the_queue(editor_client):
    citation = pending_citation()
    citation_decide(citation=citation, editor=editor(), decision="verified")
    page = html(editor_client.get(reverse("stories:verify-queue")))
    assert f'id="citation-{citation.pk}"' not in page
    assert "Nothing to check" in page


def test_the_queue_filters_by_organization_and_person(editor_client):
    openai = OrganizationFactory(name="OpenAI")
    anthropic = OrganizationFactory(name="Anthropic")
    mira = PersonFactory(name="Mira Murati")
    at_openai = pending_citation(organization=openai, person=mira)
    at_anthropic = pending_citation(organization=anthropic)
    page = html(editor_client.get(reverse("stories:verify-queue"), {"organization": "openai"}))
    assert f'id="citation-{at_openai.pk}"' in page
    assert f'id="citation-{at_anthropic.pk}"' not in page
    page = html(editor_client.get(reverse("stories:verify-queue"), {"person": mira.slug}))
    assert f'id="citation-{at_openai.pk}"' in page
    assert f'id="citation-{at_anthropic.pk}"' not in page


def test_the_queues_page_links_keep_its_filters(editor_client, monkeypatch):
    monkeypatch.setattr(verification, "PAGE_SIZE", 2)
    openai = OrganizationFactory(name="OpenAI")
    mira = PersonFactory(name="Mira Murati")
    at_openai = [
        pending_citation(organization=openai, person=mira, title=title)
        for title in ("CTO", "CEO", "Interim CEO")
    ]
    elsewhere = [pending_citation(person=mira, title=title) for title in ("CTO", "CEO")]
    queue = reverse("stories:verify-queue")

    first = html(editor_client.get(queue, {"organization": "openai", "person": mira.slug}))
    assert "Page 1 of 2" in first
    (next_link,) = re.findall(r'rel="next" href="([^"]+)"', first)
    assert unescape(next_link) == f"?organization=openai&person={mira.slug}&page=2"

    second = html(editor_client.get(queue + unescape(next_link)))
    assert "Page 2 of 2" in second
    assert f'id="citation-{at_openai[2].pk}"' in second
    assert not any(f'id="citation-{citation.pk}"' in second for citation in elsewhere)
    (previous_link,) = re.findall(r'rel="prev" href="([^"]+)"', second)
    assert unescape(previous_link) == f"?organization=openai&person={mira.slug}&page=1"


def test_verifying_in_place_swaps_the_row_and_confirms_the_move(editor_client):
    citation = pending_citation()
    response = editor_client.post(
        decide_url(citation),
        {"decision": "verified", "note": "", "seen_state": "pending"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    row = html(response)
    assert row.lstrip().startswith(f'<tr id="citation-{citation.pk}"')
    assert "Verified" in row or "verified" in row
    assert "by chief" in row
    assert RoleChange.objects.get(pk=citation.role_change_id).is_public


def test_a_swapped_in_row_asks_desk_js_for_the_focus_not_autofocus(editor_client):
    """Chromium also honours autofocus on inserted elements, a frame later than htmx."""
    citation = pending_citation()
    response = editor_client.post(
        decide_url(citation),
        {"decision": "verified", "note": "", "seen_state": "pending"},
        HTTP_HX_REQUEST="true",
    )
    row = html(response)
    assert 'role="status" tabindex="-1" data-focus-after-swap' in row
    assert "autofocus" not in row


def test_the_plain_form_works_without_javascript(editor_client):
    citation = pending_citation()
    response = editor_client.post(
        decide_url(citation),
        {"decision": "rejected", "note": "Not in the source.", "seen_state": "pending"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("stories:verify-queue")
    citation.refresh_from_db()
    assert (citation.state, citation.decision_note) == ("rejected", "Not in the source.")


@pytest.mark.parametrize("decision", ["disputed", "rejected"])
def test_a_dispute_or_rejection_without_a_note_is_refused_in_place(editor_client, decision):
    citation = pending_citation()
    response = editor_client.post(
        decide_url(citation),
        {"decision": decision, "note": "", "seen_state": "pending"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "Say why you" in html(response)
    citation.refresh_from_db()
    assert citation.state == CitationState.PENDING


def test_a_dispute_without_a_note_on_the_plain_form_shows_the_error(editor_client):
    citation = pending_citation()
    response = editor_client.post(
        decide_url(citation), {"decision": "disputed", "note": " ", "seen_state": "pending"}
    )
    assert response.status_code == 400
    assert "Say why you dispute it" in html(response)


def test_the_second_editor_sees_who_decided_first(editor_client):
    citation = pending_citation()
    citation_decide(citation=citation, editor=editor(username="first"), decision="verified")
    response = editor_client.post(
        decide_url(citation),
        {"decision": "rejected", "note": "Wrong.", "seen_state": "pending"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert "first already marked this citation verified" in html(response)
    assert CitationDecision.objects.filter(citation=citation).count() == 2
    citation.refresh_from_db()
    assert citation.state == CitationState.VERIFIED


def test_a_citation_page_shows_its_full_history(editor_client):
    citation = pending_citation()
    chief = editor(username="second-editor")
    citation_decide(citation=citation, editor=chief, decision="disputed", note="Check the date.")
    citation_decide(citation=citation, editor=chief, decision="verified", note="Date confirmed.")
    page = html(editor_client.get(reverse("stories:citation-detail", args=[citation.pk])))
    assert page.count('<tr><td data-label="When">') == 3
    assert "Check the date." in page and "Date confirmed." in page
    assert "second-editor" in page


def test_the_queue_query_count_does_not_grow(editor_client):
    for _ in range(3):
        pending_citation()
    with CaptureQueriesContext(connection) as few:
        assert editor_client.get(reverse("stories:verify-queue")).status_code == 200
    for _ in range(47):
        pending_citation()
    with CaptureQueriesContext(connection) as many:
        editor_client.get(reverse("stories:verify-queue"))
    assert len(many) == len(few)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_editors_deciding_at_once_record_one_decision():
    citation = pending_citation()
    editors = [editor(username="left-desk"), editor(username="right-desk")]
    start = threading.Barrier(2)
    statuses: list[int] = []

    def decide(user, decision, note):
        client = Client()
        client.force_login(user)
        start.wait()
        try:
            response = client.post(
                decide_url(citation),
                {"decision": decision, "note": note, "seen_state": "pending"},
                HTTP_HX_REQUEST="true",
            )
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(editors[0], "verified", "")),
        threading.Thread(target=decide, args=(editors[1], "rejected", "Not in the source.")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 409]
    decisions = CitationDecision.objects.filter(citation=citation).exclude(from_state="")
    assert decisions.count() == 1
    citation = Citation.objects.get(pk=citation.pk)
    assert citation.state == decisions.get().to_state
