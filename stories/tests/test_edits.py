"""Edits of verified material on the desk (stories/views/edits.py): in the verification
queue word by word beside the verified version, verified in one click, on the pages of the
citation, the quote, the source and the move; readers keep the verified version throughout."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsroom.dates import PartialDate
from newsroom.models import ProposedEdit, ProposedEditState
from people.services import role_change_update
from people.tests.factories import OrganizationFactory, PersonFactory, editor, journalist, record
from stories.models import Citation, CorrectionFlag, Source, Statement
from stories.services import citation_decide, source_update, statement_update
from stories.tests.factories import pending_citation, published_story

pytestmark = pytest.mark.django_db

QUEUE = reverse("stories:verify-queue")


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def chief():
    return editor(username="chief")


@pytest.fixture
def editor_client(client, chief):
    client.force_login(chief)
    return client


def verified_quote(quote: str, **kwargs) -> Citation:
    citation = pending_citation(quote=quote, **kwargs)
    citation_decide(citation=citation, editor=editor(), decision="verified")
    return Citation.objects.select_related(
        "statement",
        "source",
        "role_change__person",
        "role_change__organization",
        "role_change__post",
        "role_change__previous_post",
    ).get(pk=citation.pk)


def decide(client, edit, **data):
    return client.post(
        reverse("stories:edit-decide", args=[edit.pk]), {"version": edit.version, **data}
    )


def test_a_typo_fix_is_verified_in_one_click_and_the_fact_never_leaves_the_profile(
    client, editor_client, chief
):
    """Issue 15: adding one "。" took Matt Knight's CISO off his profile and flagged the
    story; now the quote waits, the profile keeps the fact, and one click verifies it."""
    knight = PersonFactory(name="Matt Knight", slug="matt-knight")
    citation = verified_quote(
        "マット・ナイトは最高情報セキュリティ責任者を務める",
        person=knight,
        title="Chief Information Security Officer",
    )
    story = published_story(author=journalist(), publisher=chief, citations=[citation])
    statement_update(
        statement=citation.statement,
        editor=chief,
        quote="マット・ナイトは最高情報セキュリティ責任者を務める。",
    )
    reader = client.__class__()
    assert "Chief Information Security Officer" in html(reader.get("/people/matt-knight/"))

    queue = html(editor_client.get(QUEUE))
    [edit] = ProposedEdit.objects.pending()
    row = queue[queue.index(f'id="edit-{edit.pk}"') :]
    assert "責任者を務める<ins>。</ins>" in row
    assert 'name="decision" value="verified"' in row

    response = editor_client.post(
        reverse("stories:edit-decide", args=[edit.pk]),
        {"decision": "verified", "version": edit.version},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    swapped = html(response)
    assert swapped.lstrip().startswith(f'<tr id="edit-{edit.pk}"')
    assert "verified" in swapped and "by chief" in swapped
    assert "HX-Request" in response["Vary"]
    assert Statement.objects.get(pk=citation.statement_id).quote.endswith("。")
    profile = html(reader.get("/people/matt-knight/"))
    assert "Chief Information Security Officer" in profile
    assert "務める。" in html(reader.get(story.get_absolute_url()))
    assert not CorrectionFlag.objects.exists()


def test_rejecting_an_edit_needs_a_note_and_keeps_the_verified_words(editor_client):
    citation = verified_quote("Verified words.")
    statement_update(statement=citation.statement, editor=editor(), quote="Wrong words.")
    edit = ProposedEdit.objects.get()

    refused = editor_client.post(
        reverse("stories:edit-decide", args=[edit.pk]),
        {"decision": "rejected", "version": edit.version},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 422
    assert "Say why you reject the edit." in html(refused)

    response = decide(editor_client, edit, decision="rejected", note="Not what it says.")
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert ProposedEdit.objects.get(pk=edit.pk).state == ProposedEditState.REJECTED
    assert Statement.objects.get(pk=citation.statement_id).quote == "Verified words."


def test_an_edit_replaced_since_it_was_read_is_not_verified_blind(editor_client):
    citation = verified_quote("Words.")
    statement_update(statement=citation.statement, editor=editor(), quote="Words!")
    read = ProposedEdit.objects.get()
    statement_update(statement=citation.statement, editor=editor(), quote="Other words.")
    response = editor_client.post(
        reverse("stories:edit-decide", args=[read.pk]),
        {"decision": "verified", "version": read.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert "This edit was changed since you opened it" in html(response)
    assert Statement.objects.get(pk=citation.statement_id).quote == "Words."


def test_journalists_cannot_decide_edits(client):
    citation = verified_quote("Words.")
    statement_update(statement=citation.statement, editor=editor(), quote="Words!")
    client.force_login(journalist())
    assert decide(client, ProposedEdit.objects.get(), decision="verified").status_code == 403


def test_staff_see_both_versions_on_the_citation_source_and_move_pages(editor_client):
    citation = verified_quote("Words.")
    title = citation.source.title
    source_update(source=citation.source, editor=editor(), title=f"{title} (corrected)")
    role_change_update(role_change=citation.role_change, effective=PartialDate.parse("2024-09-26"))
    page = html(editor_client.get(reverse("stories:citation-detail", args=[citation.pk])))
    assert "Edits waiting for an editor" in page
    assert f"{title}<ins> (corrected)</ins>" in page
    assert "→ <ins>September 26, 2024</ins>" in page
    assert page.count('name="decision" value="verified"') >= 2
    source_page = html(editor_client.get(reverse("stories:source-edit", args=[citation.source_id])))
    assert f'value="{title} (corrected)"' in source_page  # the form continues the edit
    move_page = html(
        editor_client.get(reverse("stories:move-detail", args=[citation.role_change_id]))
    )
    assert "<ins>September 26, 2024</ins>" in move_page
    assert Source.objects.get(pk=citation.source_id).title == title


def test_a_decision_on_a_citation_page_comes_back_to_it(editor_client):
    citation = verified_quote("Words.")
    statement_update(statement=citation.statement, editor=editor(), quote="Words!")
    edit = ProposedEdit.objects.get()
    page = reverse("stories:citation-detail", args=[citation.pk])
    response = decide(editor_client, edit, decision="verified", next=page)
    assert response["Location"] == page
    assert (
        decide(editor_client, edit, decision="verified", next="https://evil.example/")["Location"]
        == QUEUE
    )


def test_the_queue_costs_the_same_queries_at_3_and_50_edits(editor_client):
    def edits(count):
        for number in range(count):
            citation = verified_quote(f"Words {number}.")
            statement_update(
                statement=citation.statement, editor=editor(), quote=f"Words {number}!"
            )
            source_update(source=citation.source, editor=editor(), title=f"Title {number}")
            role_change_update(role_change=citation.role_change, reason=f"Reason {number}")

    edits(1)
    with CaptureQueriesContext(connection) as few:
        editor_client.get(QUEUE)
    edits(16)

    with CaptureQueriesContext(connection) as many:
        page = html(editor_client.get(QUEUE))

    assert len(many) == len(few) <= 10
    assert "51 edits wait for an editor." in page  # all counted, the first 50 listed
    assert len(re.findall(r'<tr id="edit-\d+"', page)) == 50


def test_the_move_page_costs_the_same_queries_with_or_without_edits(editor_client):
    mira, openai = PersonFactory(name="Mira Murati"), OrganizationFactory(name="OpenAI")
    move = record(mira, openai, "left", "CTO", "2024-09-25")
    url = reverse("stories:move-detail", args=[move.pk])
    with CaptureQueriesContext(connection) as without:
        editor_client.get(url)
    role_change_update(role_change=move, reason="To do her own exploration.")
    with CaptureQueriesContext(connection) as with_edit:
        assert "To do her own exploration." in html(editor_client.get(url))
    assert len(with_edit) == len(without) + 1 <= 10  # the edit's target, by its kind
