"""The story desk as journalists and editors use it: editor, preview, attach, review, publish."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people.tests.factories import PersonFactory, UserFactory, editor, journalist
from stories.models import Citation, CorrectionFlag, Story, StoryStatus
from stories.services import (
    citation_add,
    citation_decide,
    story_attach,
    story_create,
    story_publish,
    story_save,
    story_submit,
)
from stories.tests.factories import SourceFactory, pending_citation

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def verified_citation(**kwargs) -> Citation:
    citation = pending_citation(**kwargs)
    citation_decide(citation=citation, editor=editor(), decision="verified")
    return citation


def draft(author, *citations, title="Who runs OpenAI now", body=None) -> Story:
    story = story_create(author=author, title=title, body="Intro.")
    if citations:
        story_attach(story=story, user=author, citations=citations)
    if body is None:
        body = " ".join(f"Claim {n}.{c.marker}" for n, c in enumerate(citations, 1)) or "Intro."
    return story_save(
        story=story,
        editor=author,
        base_version=story.version,
        title=story.title,
        dek=story.dek,
        body=body,
        language=story.language,
    )


def in_review(author, *citations, **kwargs) -> Story:
    story = draft(author, *citations, **kwargs)
    return story_submit(story=story, user=author)


def edit_url(story) -> str:
    return reverse("stories:story-edit", args=[story.pk])


def workflow_url(story, action) -> str:
    return reverse("stories:story-workflow", args=[story.pk, action])


def form_data(story, **changes) -> dict:
    data = {
        "title": story.title,
        "dek": story.dek,
        "language": story.language,
        "body": story.body,
        "version": story.version,
    }
    data.update(changes)
    return data


def stored(story) -> Story:
    return Story.objects.get(pk=story.pk)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def author():
    return journalist(username="reporter")


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


@pytest.fixture
def editor_client():
    client = Client()
    client.force_login(editor(username="chief"))
    return client


# Writing -----------------------------------------------------------------------------------


def test_a_journalist_starts_a_draft_and_lands_on_its_editor(author_client, author):
    response = author_client.post(
        reverse("stories:story-new"),
        {"title": "Who runs OpenAI now", "dek": "", "language": "en", "body": "First words."},
    )
    story = Story.objects.get()
    assert response.status_code == 302 and response["Location"] == edit_url(story)
    assert list(story.authors.all()) == [author]
    page = html(author_client.get(edit_url(story)))
    assert "First words." in page and 'name="version" value="1"' in page


def test_a_new_draft_citing_a_citation_not_attached_is_refused_with_the_marker(author_client):
    citation = pending_citation()
    response = author_client.post(
        reverse("stories:story-new"),
        {"title": "Draft", "dek": "", "language": "en", "body": f"Claim.{citation.marker}"},
    )
    assert response.status_code == 200
    assert f"{citation.marker} is not attached to this story" in html(response)
    assert not Story.objects.exists()


def test_the_editor_shows_the_text_the_attached_citations_and_their_markers(author_client, author):
    citation = pending_citation(person=PersonFactory(name="Mark Chen"), title="Chief Research")
    story = draft(author, citation)
    page = html(author_client.get(edit_url(story)))
    assert f"Claim 1.{citation.marker}" in page
    assert f'data-insert-marker="{citation.marker}"' in page
    assert "Mark Chen" in page and citation.statement.quote in page
    assert 'href="#source-1" class="footnote-link"' in page


def test_saving_keeps_a_revision_and_goes_back_to_the_editor(author_client, author):
    story = draft(author)
    response = author_client.post(edit_url(story), form_data(story, body="Second take."))
    assert response.status_code == 302 and response["Location"] == edit_url(story)
    saved = stored(story)
    assert (saved.body, saved.version) == ("Second take.", story.version + 1)
    assert saved.revisions.count() == story.version + 1


def test_a_broken_marker_is_shown_in_the_editor_and_nothing_is_saved(author_client, author):
    story = draft(author)
    response = author_client.post(edit_url(story), form_data(story, body="Claim.[^c987654]"))
    assert response.status_code == 400
    assert "[^c987654] names no citation: check the number." in html(response)
    assert "Claim.[^c987654]" in html(response)
    assert stored(story).body == story.body


def test_a_malformed_marker_is_shown_in_the_preview_and_the_save_is_refused(author_client, author):
    story = draft(author)
    response = author_client.post(
        reverse("stories:story-preview", args=[story.pk]),
        form_data(story, body="Claim.[^C12]"),
        HTTP_HX_REQUEST="true",
    )
    assert "[^C12] is not a citation marker" in html(response)
    response = author_client.post(edit_url(story), form_data(story, body="Claim.[^c 12]"))
    assert response.status_code == 400
    assert "[^c 12] is not a citation marker" in html(response)
    assert stored(story).body == story.body


def test_the_live_preview_is_the_partial_rendered_and_sanitized(author_client, author):
    citation = pending_citation()
    story = draft(author, citation)
    body = (
        f"**Bold** claim.{citation.marker}\n\n<script>alert(1)</script>\n\n"
        '<img src=x onerror="alert(2)">\n\n[click](javascript:alert(3)) [^c987654]'
    )
    response = author_client.post(
        reverse("stories:story-preview", args=[story.pk]),
        form_data(story, body=body),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    fragment = html(response)
    assert fragment.lstrip().startswith('<section id="preview"')
    assert "<html" not in fragment and "<form" not in fragment
    assert "<strong>Bold</strong>" in fragment
    assert '<a href="#source-1" class="footnote-link"' in fragment
    assert citation.statement.quote in fragment  # the Sources list under the preview
    assert "<script" not in fragment and "<img" not in fragment
    assert not re.search(r"href=\S*javascript", fragment, re.I)
    assert not re.search(r"<[^>]+\son[a-z]+=", fragment)
    assert "[^c987654] names no citation" in fragment
    assert stored(story).body == story.body  # a preview saves nothing


# Two writers -------------------------------------------------------------------------------


def test_a_stale_save_shows_both_versions_and_keeps_everything_the_second_writer_typed(
    author, editor_client
):
    story = draft(author, body="The original text.")
    first = Client()
    first.force_login(author)
    loaded_version = story.version
    first.post(edit_url(story), form_data(story, body="The first writer's text."))
    theirs = stored(story)

    response = editor_client.post(
        edit_url(story),
        form_data(
            story,
            title="A sharper headline",
            dek="A dek the second writer wrote",
            body="The second writer's <careful> text.",
            version=loaded_version,
        ),
    )
    assert response.status_code == 409
    page = html(response)
    conflict = page[page.index('<section class="conflict"') : page.index("</section>")]
    assert "Someone else saved first" in conflict
    assert "reporter saved this story" in conflict
    their_side, your_side = conflict.split("Your version")
    assert "The first writer&#x27;s text." in their_side
    assert "The second writer&#x27;s &lt;careful&gt; text." in your_side
    assert "A sharper headline" in your_side and "A dek the second writer wrote" in your_side
    form = page[page.index('<form method="post" action="' + edit_url(story)) :]
    assert "The second writer&#x27;s &lt;careful&gt; text.</textarea>" in form
    assert 'value="A sharper headline"' in form
    assert 'value="A dek the second writer wrote"' in form
    assert f'name="version" value="{theirs.version}"' in form
    assert stored(story).body == "The first writer's text."
    assert stored(story).version == theirs.version

    # Saving again from the conflict page (now based on their version) goes through.
    again = editor_client.post(
        edit_url(story), form_data(theirs, body="Merged text.", version=theirs.version)
    )
    assert again.status_code == 302
    assert (stored(story).body, stored(story).version) == ("Merged text.", theirs.version + 1)


def test_a_stale_save_marks_the_fields_that_differ_and_never_puts_back_their_change(
    author, editor_client
):
    """Issue 15: the other writer changed the headline only; the journalist changed the
    body only. The form after the conflict holds their headline, and saving it again keeps
    it, instead of putting the old headline back."""
    story = draft(author, body="The original text.")
    loaded = stored(story)
    first = Client()
    first.force_login(author)
    first.post(edit_url(story), form_data(loaded, title="Their sharper headline"))

    response = editor_client.post(edit_url(story), form_data(loaded, body="My new body."))

    assert response.status_code == 409
    page = html(response)
    conflict = page[page.index('<section class="conflict"') : page.index("</section>")]
    their_side, your_side = conflict.split("Your version")
    assert '<dt class="differs">Title\n      <span class="badge badge-pending">changed by them' in (
        their_side
    )
    assert "changed by you" in your_side and "changed by both" not in conflict
    assert "<dt>Dek" in their_side  # unchanged on both sides: not marked
    form = page[page.index('<form method="post" action="' + edit_url(story)) :]
    assert 'value="Their sharper headline"' in form
    assert "My new body.</textarea>" in form
    assert '<div class="field-wrap differs">' in form
    data = dict(re.findall(r'name="(title|dek|language|version)" value="([^"]*)"', form))
    data["body"] = "My new body."
    data["language"] = "en"
    assert editor_client.post(edit_url(story), data).status_code == 302
    saved = stored(story)
    assert (saved.title, saved.body) == ("Their sharper headline", "My new body.")


def test_the_new_story_page_has_the_citation_picker_and_starts_the_draft_with_them(
    author_client,
):
    """Issue 15: the new-story page refused [^c36] and pointed at a picker it did not have."""
    citation = pending_citation(person=PersonFactory(name="Mark Chen"), title="SVP of Research")
    url = reverse("stories:story-new")
    page = html(author_client.get(url))
    assert 'id="pick-q"' in page and f'hx-get="{url}"' in page

    found = author_client.get(url, {"q": "Mark Chen"}, headers={"HX-Request": "true"})
    results = html(found)
    assert results.lstrip().startswith('<div id="pick-results"')
    assert f'name="citation" value="{citation.pk}"' in results
    assert f'data-insert-marker="{citation.marker}"' in results
    assert f'data-check="pick-{citation.pk}"' in results
    assert "HX-Request" in found["Vary"]

    typed = {"title": "Chen runs research", "dek": "", "language": "en"}
    # Without JavaScript: "Find" posts the page back, keeping what was typed.
    again = author_client.post(url, {**typed, "body": "Words.", "q": "Mark Chen", "find": "1"})
    assert again.status_code == 200 and not Story.objects.exists()
    assert 'value="Chen runs research"' in html(again) and "Words.</textarea>" in html(again)
    assert "This field is required" not in html(again)

    body = f"Mark Chen leads research.{citation.marker}"
    response = author_client.post(url, {**typed, "body": body, "citation": [citation.pk]})
    story = Story.objects.get()
    assert response.status_code == 302 and response["Location"] == edit_url(story)
    assert list(story.citations.all()) == [citation]
    assert story.cited_ids == [citation.pk]


def test_a_ticked_citation_stays_ticked_when_the_picker_searches_again(author_client):
    ticked = pending_citation(person=PersonFactory(name="Mark Chen"))
    other = pending_citation(person=PersonFactory(name="Jakub Pachocki"))
    results = html(
        author_client.get(
            reverse("stories:story-new"),
            {"q": "Pachocki", "citation": [ticked.pk]},
            headers={"HX-Request": "true"},
        )
    )
    assert f'value="{ticked.pk}" id="pick-{ticked.pk}" checked' in results
    assert f'value="{other.pk}" id="pick-{other.pk}">' in results


def test_an_editor_edits_published_text_as_an_update_or_a_correction(editor_client, author):
    citation = verified_citation()
    story = in_review(author, citation)
    story = story_publish(story=story, editor=editor())
    page = html(editor_client.get(edit_url(story)))
    assert "This story is published: readers see what you change" in page
    assert 'name="change" value="update"' in page and 'name="change" value="correction"' in page

    refused = editor_client.post(edit_url(story), form_data(story, body=story.body + " More."))
    assert refused.status_code == 400
    assert "say whether your edit is an update" in html(refused)

    editor_client.post(
        edit_url(story), form_data(story, body=story.body + " More.", change="update")
    )
    updated = stored(story)
    assert updated.body.endswith(" More.") and updated.status == StoryStatus.PUBLISHED
    reader = html(Client().get(story.get_absolute_url()))
    assert "Updated <time" in reader

    editor_client.post(
        edit_url(story),
        form_data(
            updated,
            body=updated.body.replace(" More.", " Less."),
            change="correction",
            correction="We overstated the move.",
        ),
    )
    assert stored(story).status == StoryStatus.CORRECTED
    assert "We overstated the move." in html(Client().get(story.get_absolute_url()))
    revisions = html(editor_client.get(reverse("stories:story-revisions", args=[story.pk])))
    assert "(an update (the article says when it was updated))" in revisions
    assert "(a correction (shown on the article, dated))" in revisions


def test_a_story_citing_nothing_lists_that_blocker_with_a_link_to_the_citations(
    author, editor_client
):
    story = in_review(author)  # "Intro.", nothing attached
    page = html(editor_client.get(edit_url(story)))
    blockers = page[page.index("Cannot be published yet") :]
    assert "The story cites no verified citation" in blockers
    assert f'href="{edit_url(story)}#citations-heading">Attach and cite a citation</a>' in blockers
    response = editor_client.post(workflow_url(story, "publish"), follow=True)
    assert "Not published: first resolve each thing that blocks it." in messages_of(response)
    assert stored(story).status == StoryStatus.IN_REVIEW


# Attaching ---------------------------------------------------------------------------------


def test_moves_and_citations_are_found_as_you_type(author_client, author):
    mark = pending_citation(person=PersonFactory(name="Mark Chen"), title="Chief Research")
    pending_citation(person=PersonFactory(name="Mira Murati"), title="CTO")
    story = draft(author)
    url = reverse("stories:story-attach-search", args=[story.pk])
    response = author_client.get(url, {"q": "mark ch"}, HTTP_HX_REQUEST="true")
    fragment = html(response)
    assert response.status_code == 200 and "HX-Request" in response["Vary"]
    assert fragment.lstrip().startswith('<div id="attach-results"')
    assert "Mark Chen" in fragment and "Mira Murati" not in fragment
    assert f'name="role_change" value="{mark.role_change_id}"' in fragment
    assert f'name="citation" value="{mark.pk}"' in fragment
    by_quote = html(author_client.get(url, {"q": mark.statement.quote[:20]}, HTTP_HX_REQUEST="1"))
    assert "Mark Chen" in by_quote
    nothing = html(author_client.get(url, {"q": "nobody at all"}, HTTP_HX_REQUEST="true"))
    assert "No move matches “nobody at all”" in nothing


@pytest.mark.parametrize(
    "query",
    [
        "barret_zoph/status/1839095143397515452",
        "https://twitter.com/barret_zoph/status/1839095143397515452?s=46",
        "zoph on x",
        "X (formerly Twitter)",
    ],
)
def test_the_attach_search_finds_a_move_by_its_source_url_title_or_publisher(
    author_client, author, query
):
    source = SourceFactory(
        canonical_url="https://x.com/barret_zoph/status/1839095143397515452",
        title="Zoph on X",
        publisher="X (formerly Twitter)",
    )
    zoph = pending_citation(person=PersonFactory(name="Barret Zoph"), source=source)
    pending_citation(person=PersonFactory(name="Mira Murati"))
    story = draft(author)
    url = reverse("stories:story-attach-search", args=[story.pk])
    fragment = html(author_client.get(url, {"q": query}, HTTP_HX_REQUEST="true"))
    assert f'name="citation" value="{zoph.pk}"' in fragment
    assert "Barret Zoph" in fragment and "Mira Murati" not in fragment


def test_the_attach_search_by_publisher_query_count_does_not_grow_with_results(
    author, author_client, django_assert_num_queries
):
    story = draft(author)
    url = reverse("stories:story-attach-search", args=[story.pk])

    def add_moves(count):
        for _ in range(count):
            citation = pending_citation(source=SourceFactory(publisher="The Information"))
            citation_add(
                role_change=citation.role_change,
                source=SourceFactory(publisher="The Information"),
                statement=None,
            )

    add_moves(3)
    with django_assert_num_queries(8) as few:
        author_client.get(url, {"q": "the information"}, HTTP_HX_REQUEST="true")
    add_moves(17)
    with django_assert_num_queries(len(few)):
        response = author_client.get(url, {"q": "the information"}, HTTP_HX_REQUEST="true")
    assert html(response).count('name="role_change"') == 20
    assert html(response).count('name="citation"') == 40


def test_the_attach_search_works_without_javascript(author_client, author):
    pending_citation(person=PersonFactory(name="Mark Chen"))
    story = draft(author)
    response = author_client.get(
        reverse("stories:story-attach-search", args=[story.pk]), {"q": "Mark"}
    )
    page = html(response)
    assert "<html" in page and 'name="body"' in page
    assert "Mark Chen" in page and 'value="Mark"' in page


def test_attaching_a_move_brings_its_citations_into_the_picker(author_client, author):
    citation = pending_citation(person=PersonFactory(name="Mark Chen"))
    story = draft(author)
    response = author_client.post(
        reverse("stories:story-attach", args=[story.pk]),
        {"role_change": citation.role_change_id},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    assert list(stored(story).citations.all()) == [citation]
    page = html(author_client.get(edit_url(story)))
    assert f'data-insert-marker="{citation.marker}"' in page


def test_attaching_and_detaching_one_citation_without_javascript(author_client, author):
    citation = pending_citation()
    story = draft(author)
    response = author_client.post(
        reverse("stories:story-attach", args=[story.pk]), {"citation": citation.pk}, follow=True
    )
    assert response.redirect_chain == [(edit_url(story), 302)]
    assert "Attached." in messages_of(response)
    assert list(stored(story).citations.all()) == [citation]
    response = author_client.post(
        reverse("stories:story-detach", args=[story.pk]), {"citation": citation.pk}, follow=True
    )
    assert "Detached." in messages_of(response)
    assert not stored(story).citations.exists()


def test_a_cited_citation_cannot_be_detached_and_the_editor_says_why(author_client, author):
    citation = pending_citation()
    story = draft(author, citation)
    response = author_client.post(
        reverse("stories:story-detach", args=[story.pk]), {"citation": citation.pk}, follow=True
    )
    assert f"The body still cites {citation.marker}: remove the marker first." in messages_of(
        response
    )
    assert list(stored(story).citations.all()) == [citation]


def test_a_covered_move_is_detached_with_its_citations(author_client, author):
    citation = pending_citation(person=PersonFactory(name="Mark Chen"))
    story = draft(author)
    story_attach(story=story, user=author, role_changes=[citation.role_change])
    page = html(author_client.get(edit_url(story)))
    assert f'name="role_change" value="{citation.role_change_id}"' in page
    response = author_client.post(
        reverse("stories:story-detach", args=[story.pk]),
        {"role_change": citation.role_change_id},
    )
    assert response.status_code == 302
    assert not stored(story).role_changes.exists() and not stored(story).citations.exists()


def test_a_rejected_citation_is_refused_with_a_message(author_client, author):
    citation = pending_citation()
    citation_decide(citation=citation, editor=editor(), decision="rejected", note="Made up.")
    story = draft(author)
    response = author_client.post(
        reverse("stories:story-attach", args=[story.pk]), {"citation": citation.pk}, follow=True
    )
    assert f"Citation {citation.pk} was rejected by an editor." in messages_of(response)
    assert not stored(story).citations.exists()


# Review and publishing ---------------------------------------------------------------------


def test_the_author_submits_and_the_story_waits_in_the_review_queue(
    author_client, author, editor_client
):
    story = draft(author, pending_citation())
    response = author_client.post(workflow_url(story, "submit"), follow=True)
    assert "Sent to the editors for review." in messages_of(response)
    assert stored(story).status == StoryStatus.IN_REVIEW
    queue = html(editor_client.get(reverse("stories:review-queue")))
    assert f'href="{edit_url(story)}"' in queue and "by reporter" in queue


def test_publishing_is_refused_naming_each_blocking_citation_with_a_link_to_check_it(
    author, editor_client
):
    chief = editor()
    verified = verified_citation()
    pending = pending_citation(person=PersonFactory(name="Mira Murati"), title="CTO")
    disputed = pending_citation(person=PersonFactory(name="Matt Knight"), title="CIO")
    citation_decide(citation=disputed, editor=chief, decision="disputed", note="Says CISO.")
    story = in_review(author, verified, pending, disputed)

    response = editor_client.post(workflow_url(story, "publish"), follow=True)
    assert response.redirect_chain == [(edit_url(story), 302)]
    assert messages_of(response) == [
        "Not published: first resolve each thing that blocks it.",
        f"Citation {pending.pk} (Mira Murati, CTO) is pending, not verified.",
        f"Citation {disputed.pk} (Matt Knight, CIO) is disputed, not verified.",
    ]
    page = html(response)
    blockers = page[page.index("Cannot be published yet") :]
    queue_link = (
        f'href="/desk/verify/?person={pending.role_change.person.slug}#citation-{pending.pk}"'
    )
    assert queue_link in blockers
    assert f'href="/desk/citations/{disputed.pk}/"' in blockers
    assert f"citation-{verified.pk}" not in blockers
    assert stored(story).status == StoryStatus.IN_REVIEW

    # The queue link lands on the pending citation's row.
    queue = html(editor_client.get(queue_link[6:-1].split("#")[0]))
    assert f'id="citation-{pending.pk}"' in queue


def test_an_editor_publishes_once_every_citation_is_verified(author, editor_client):
    citation = pending_citation()
    story = in_review(author, citation)
    citation_decide(citation=citation, editor=editor(), decision="verified")
    response = editor_client.post(workflow_url(story, "publish"), follow=True)
    assert "Published." in messages_of(response)
    published = stored(story)
    assert published.status == StoryStatus.PUBLISHED and published.first_published_at
    assert Client().get(published.get_absolute_url()).status_code == 200


def test_sending_back_needs_a_note_that_the_author_then_reads(author, author_client, editor_client):
    story = in_review(author, pending_citation())
    response = editor_client.post(workflow_url(story, "send-back"), {"note": " "}, follow=True)
    assert "Tell the authors what to fix." in messages_of(response)
    assert stored(story).status == StoryStatus.IN_REVIEW
    editor_client.post(workflow_url(story, "send-back"), {"note": "Which <b>date</b>?"})
    assert stored(story).status == StoryStatus.DRAFT
    page = html(author_client.get(edit_url(story)))
    assert "Sent back by an editor" in page and "Which &lt;b&gt;date&lt;/b&gt;?" in page


def test_an_editor_corrects_and_withdraws_a_published_story(author, editor_client):
    story = in_review(author, verified_citation())
    story_publish(story=story, editor=editor())
    editor_client.post(workflow_url(story, "correct"), {"note": "She left on 25 September."})
    assert list(stored(story).corrections.values_list("text", flat=True)) == [
        "She left on 25 September."
    ]
    assert stored(story).status == StoryStatus.CORRECTED
    response = editor_client.post(workflow_url(story, "withdraw"), {"note": ""}, follow=True)
    assert "Say why the story is withdrawn." in messages_of(response)
    editor_client.post(workflow_url(story, "withdraw"), {"note": "Unconfirmed."})
    assert stored(story).status == StoryStatus.WITHDRAWN
    tombstone = Client().get(story.get_absolute_url())
    assert tombstone.status_code == 410
    assert "Unconfirmed." in tombstone.content.decode()


def test_an_unknown_workflow_action_is_not_found(editor_client, author):
    story = in_review(author)
    assert editor_client.post(workflow_url(story, "explode")).status_code == 404


# Rule 6 on the desk ------------------------------------------------------------------------


def test_a_citation_disputed_after_publication_flags_the_story_on_the_editors_desk(
    author, editor_client
):
    citation = verified_citation(person=PersonFactory(name="Mira Murati"))
    story = in_review(author, citation, title="Murati leaves")
    story_publish(story=story, editor=editor())
    response = editor_client.post(
        reverse("stories:citation-decide", args=[citation.pk]),
        {"decision": "disputed", "note": "The post says March.", "seen_state": "verified"},
    )
    assert response.status_code == 302
    queue = html(editor_client.get(reverse("stories:review-queue")))
    flags = queue[queue.index("need a correction") : queue.index("Waiting for review")]
    assert "Murati leaves" in flags
    assert f"Citation {citation.pk} was disputed: The post says March." in flags
    assert f'href="/desk/citations/{citation.pk}/"' in flags
    assert "1 need a correction" in html(editor_client.get(reverse("stories:desk-home")))
    page = html(editor_client.get(edit_url(story)))
    assert "Needs a correction." in page and f"Citation {citation.pk} was disputed" in page

    flag = CorrectionFlag.objects.get(story=story)
    assert f'<input type="checkbox" name="resolves" value="{flag.pk}">' in page
    editor_client.post(
        workflow_url(story, "correct"), {"note": "The date was March.", "resolves": [flag.pk]}
    )
    assert not CorrectionFlag.objects.filter(resolved_at__isnull=True).exists()
    assert "No story needs a correction." in html(
        editor_client.get(reverse("stories:review-queue"))
    )


def test_a_correction_resolves_only_the_flags_ticked_and_the_others_stay_on_the_desk(
    author, editor_client
):
    date_citation = verified_citation(person=PersonFactory(name="Mira Murati"))
    quote_citation = verified_citation(person=PersonFactory(name="Bob McGrew"))
    story = in_review(author, date_citation, quote_citation, title="Murati leaves")
    story_publish(story=story, editor=editor())
    for citation, note in ((date_citation, "The post says March."), (quote_citation, "Misquoted.")):
        citation_decide(citation=citation, editor=editor(), decision="disputed", note=note)
    date_flag = CorrectionFlag.objects.get(citation=date_citation)
    quote_flag = CorrectionFlag.objects.get(citation=quote_citation)
    page = html(editor_client.get(edit_url(story)))
    form = page[page.index(workflow_url(story, "correct")) :]
    form = form[: form.index("</form>")]
    for flag, citation, note in (
        (date_flag, date_citation, "The post says March."),
        (quote_flag, quote_citation, "Misquoted."),
    ):
        assert (
            f'<label><input type="checkbox" name="resolves" value="{flag.pk}"> '
            f"Citation {citation.pk} was disputed: {note}</label>"
        ) in form

    response = editor_client.post(
        workflow_url(story, "correct"),
        {"note": "She left in March.", "resolves": [str(date_flag.pk)]},
        follow=True,
    )

    assert "Correction added to the article." in messages_of(response)
    assert "1 flag this correction does not address stays on the editors' desk." in messages_of(
        response
    )
    date_flag.refresh_from_db()
    quote_flag.refresh_from_db()
    assert date_flag.resolved_at is not None and quote_flag.resolved_at is None
    queue = html(editor_client.get(reverse("stories:review-queue")))
    flags = queue[queue.index("need a correction") : queue.index("Waiting for review")]
    assert f"citation {quote_citation.pk}</a>" in flags
    assert f"citation {date_citation.pk}</a>" not in flags
    page = html(editor_client.get(edit_url(story)))
    assert f'name="resolves" value="{quote_flag.pk}"' in page
    assert f'name="resolves" value="{date_flag.pk}"' not in page


def test_a_withdrawn_story_leaves_the_editors_desk_with_its_flags(author, editor_client):
    citation = verified_citation(person=PersonFactory(name="Mira Murati"))
    story = in_review(author, citation, title="Murati leaves")
    story_publish(story=story, editor=editor())
    citation_decide(citation=citation, editor=editor(), decision="rejected", note="Made up.")
    assert "1 need a correction" in html(editor_client.get(reverse("stories:desk-home")))

    editor_client.post(workflow_url(story, "withdraw"), {"note": "Unconfirmed."})

    assert "No story needs a correction." in html(
        editor_client.get(reverse("stories:review-queue"))
    )
    assert "need a correction" not in html(editor_client.get(reverse("stories:desk-home")))
    assert "Needs a correction." not in html(editor_client.get(edit_url(story)))


def test_a_verified_quote_edited_after_publication_flags_nothing_and_waits_for_an_editor(
    author, editor_client
):
    """Rule 5: an edit takes nothing down, so no published story needs a correction."""
    citation = verified_citation(person=PersonFactory(name="Mira Murati"))
    story = in_review(author, citation, title="Murati leaves")
    story_publish(story=story, editor=editor())
    statement = citation.statement
    response = editor_client.post(
        reverse("stories:statement-edit", args=[statement.pk]),
        {
            "quote": statement.quote + " Corrected.",
            "context_before": "",
            "context_after": "",
            "language": "",
            "translation": "",
        },
    )
    assert response.status_code == 302
    queue = html(editor_client.get(reverse("stories:review-queue")))
    flags = queue[queue.index("need a correction") : queue.index("Waiting for review")]
    assert "Murati leaves" not in flags
    assert not CorrectionFlag.objects.exists()
    verify = html(editor_client.get(reverse("stories:verify-queue")))
    assert "1 edit waits for an editor." in verify
    assert "<ins> Corrected.</ins>" in verify


# Revisions ---------------------------------------------------------------------------------


def test_revisions_show_what_changed_between_two_of_them(author_client, author):
    story = draft(author, body="Line one.\nLine two.")
    for body in ("Line one.\nLine 2.", "Line one.\nLine 2.\nLine three."):
        story = story_save(
            story=story,
            editor=author,
            base_version=story.version,
            title=story.title,
            dek=story.dek,
            body=body,
            language=story.language,
        )
    url = reverse("stories:story-revisions", args=[story.pk])
    latest = html(author_client.get(url))
    assert "From revision 3 to revision 4" in latest
    assert '<span class="diff-line diff-added">+Line three.</span>' in latest
    page = html(author_client.get(url, {"a": 2, "b": 4}))
    assert "From revision 2 to revision 4" in page
    assert '<span class="diff-line diff-removed">-Line two.</span>' in page
    assert '<span class="diff-line diff-added">+Line 2.</span>' in page
    assert '<span class="diff-line diff-added">+Line three.</span>' in page
    assert '<span class="diff-line diff-kept"> Line one.</span>' in page
    assert '<td data-label="Saved by">reporter</td>' in page


def test_the_revision_diff_keeps_body_lines_that_look_like_diff_headers(author_client, author):
    """Only the diff's two file headers are left out, not a Markdown rule or a signature."""
    story = draft(author, body="Intro.\n---\nMiddle.\nEnd.\n-- The desk")
    story = story_save(
        story=story,
        editor=author,
        base_version=story.version,
        title=story.title,
        dek=story.dek,
        body="Intro.\nMiddle.\nEnd.\n---\n++ Update",
        language=story.language,
    )
    page = html(author_client.get(reverse("stories:story-revisions", args=[story.pk])))
    lines = re.findall(r'<span class="diff-line diff-(\w+)">(.*?)</span>', page)
    assert ("removed", "----") in lines
    assert ("removed", "--- The desk") in lines
    assert ("added", "+---") in lines
    assert ("added", "+++ Update") in lines
    assert not any("revision" in line for _, line in lines)


# Who may do what ---------------------------------------------------------------------------


@pytest.fixture
def story_urls(author):
    story = in_review(author, pending_citation())
    return story, {
        "desk": [
            ("get", edit_url(story)),
            ("post", edit_url(story)),
            ("post", reverse("stories:story-preview", args=[story.pk])),
            ("get", reverse("stories:story-attach-search", args=[story.pk]) + "?q=a"),
            ("post", reverse("stories:story-attach", args=[story.pk])),
            ("post", reverse("stories:story-detach", args=[story.pk])),
            ("get", reverse("stories:story-revisions", args=[story.pk])),
            ("post", workflow_url(story, "submit")),
            ("get", reverse("stories:story-new")),
            ("post", reverse("stories:story-new")),
        ],
        "editor": [
            ("get", reverse("stories:review-queue")),
            ("post", workflow_url(story, "publish")),
            ("post", workflow_url(story, "send-back")),
            ("post", workflow_url(story, "withdraw")),
            ("post", workflow_url(story, "correct")),
        ],
    }


def test_anonymous_readers_are_sent_to_sign_in(client, story_urls):
    story, urls = story_urls
    for method, url in urls["desk"] + urls["editor"]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url
    assert stored(story).status == StoryStatus.IN_REVIEW


def test_a_reader_without_a_desk_role_gets_403(client, story_urls):
    _, urls = story_urls
    client.force_login(UserFactory())
    for method, url in urls["desk"] + urls["editor"]:
        assert getattr(client, method)(url).status_code == 403, url


def test_a_journalist_gets_403_on_every_editor_action(author_client, story_urls):
    story, urls = story_urls
    for method, url in urls["editor"]:
        response = getattr(author_client, method)(url, {"note": "Trying anyway."})
        assert response.status_code == 403, url
    assert stored(story).status == StoryStatus.IN_REVIEW
    assert not stored(story).corrections.exists()


def test_another_journalist_reads_a_colleagues_draft_but_cannot_change_it(client, story_urls):
    """The design lets every journalist see drafts, and edit only their own."""
    story, _ = story_urls
    client.force_login(journalist())
    page = html(client.get(edit_url(story)))
    assert story.body in page and "You cannot edit this story in its current state." in page
    assert 'action="' + reverse("stories:story-detach", args=[story.pk]) not in page
    citation = pending_citation()
    writes = [
        (edit_url(story), form_data(story, body="Hijacked.")),
        (reverse("stories:story-attach", args=[story.pk]), {"citation": citation.pk}),
        (reverse("stories:story-detach", args=[story.pk]), {"citation": citation.pk}),
        (workflow_url(story, "submit"), {}),
    ]
    for url, data in writes:
        assert client.post(url, data).status_code == 403, url
    unchanged = stored(story)
    assert unchanged.body != "Hijacked." and citation not in unchanged.citations.all()
    assert unchanged.version == story.version


def test_the_editor_page_is_read_only_once_the_author_cannot_edit(author, author_client):
    story = in_review(author, verified_citation())
    story_publish(story=story, editor=editor())
    page = html(author_client.get(edit_url(story)))
    assert "You cannot edit this story in its current state." in page
    assert " readonly" in page
    response = author_client.post(edit_url(story), form_data(story, body="Sneaked in."))
    assert response.status_code == 403
    assert stored(story).body != "Sneaked in."


def test_every_story_write_needs_the_csrf_token(author, story_urls):
    story, urls = story_urls
    for user in (author, editor()):
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(user)
        for method, url in urls["desk"] + urls["editor"]:
            if method == "post":
                response = strict.post(url, {**form_data(story, body="Forged."), "note": "x"})
                assert response.status_code == 403, url
    unchanged = stored(story)
    assert (unchanged.body, unchanged.status) == (story.body, StoryStatus.IN_REVIEW)
    assert Story.objects.count() == 1


def test_the_csrf_token_travels_with_htmx_requests(author):
    story = draft(author)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(author)
    page = html(strict.get(edit_url(story)))
    token = re.search(r'"x-csrftoken": "([^"]+)"', page).group(1)
    response = strict.post(
        reverse("stories:story-preview", args=[story.pk]),
        form_data(story, body="*Typed*"),
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200 and "<em>Typed</em>" in html(response)


# Query counts ------------------------------------------------------------------------------


def _add_citations(story, author, count):
    citations = [pending_citation() for _ in range(count)]
    for citation in citations[::2]:
        citation_decide(citation=citation, editor=editor(), decision="verified")
    story_attach(
        story=story,
        user=author,
        citations=citations,
        role_changes=[citation.role_change for citation in citations],
    )
    fresh = stored(story)
    body = fresh.body + " " + " ".join(f"Claim.{c.marker}" for c in citations)
    story_save(
        story=fresh,
        editor=author,
        base_version=fresh.version,
        title=fresh.title,
        dek=fresh.dek,
        body=body,
        language=fresh.language,
    )


def test_the_editor_page_query_count_does_not_grow_with_citations(
    author, editor_client, django_assert_num_queries
):
    """Neither the first request after a change (the claim checks read from the database)
    nor the next ones (read from the cache) grow with the citations."""
    story = in_review(author)
    _add_citations(story, author, 3)
    with CaptureQueriesContext(connection) as cold:
        editor_client.get(edit_url(story))
    with CaptureQueriesContext(connection) as warm:
        response = editor_client.get(edit_url(story))
    assert html(response).count('data-insert-marker="[^c') == 3
    _add_citations(story, author, 27)
    with django_assert_num_queries(len(cold)):
        editor_client.get(edit_url(story))
    with django_assert_num_queries(len(warm)):
        response = editor_client.get(edit_url(story))
    assert html(response).count('data-insert-marker="[^c') == 30
    assert "Cannot be published yet" in html(response)


def test_the_preview_query_count_does_not_grow_with_citations(
    author, author_client, django_assert_num_queries
):
    story = draft(author)
    _add_citations(story, author, 3)
    url = reverse("stories:story-preview", args=[story.pk])
    with CaptureQueriesContext(connection) as few:
        author_client.post(url, form_data(stored(story)), HTTP_HX_REQUEST="true")
    _add_citations(story, author, 27)
    with django_assert_num_queries(len(few)):
        response = author_client.post(url, form_data(stored(story)), HTTP_HX_REQUEST="true")
    assert html(response).count('<li value="') == 30


def _add_review_work(count):
    """``count`` stories in review and ``count`` published stories flagged for a correction."""
    chief = editor()
    for _ in range(count):
        writer = journalist()
        in_review(writer, pending_citation())
        citation = verified_citation()
        published = in_review(writer, citation)
        story_publish(story=published, editor=chief)
        citation_decide(citation=citation, editor=chief, decision="rejected", note="Retracted.")


def test_the_review_queue_query_count_does_not_grow_with_stories(
    editor_client, django_assert_num_queries
):
    _add_review_work(3)
    editor_client.get(reverse("stories:review-queue"))
    with CaptureQueriesContext(connection) as few:
        editor_client.get(reverse("stories:review-queue"))
    _add_review_work(27)
    with django_assert_num_queries(len(few)):
        response = editor_client.get(reverse("stories:review-queue"))
    page = html(response)
    assert page.count("was rejected: Retracted.") == 30
    assert page.count('<li><a href="/desk/stories/') == 60


def test_the_attach_search_query_count_does_not_grow_with_results(
    author, author_client, django_assert_num_queries
):
    story = draft(author)
    url = reverse("stories:story-attach-search", args=[story.pk])

    def add_moves(count):
        for _ in range(count):
            citation = pending_citation(person=PersonFactory(name="Mark Chen"))
            citation_add(role_change=citation.role_change, source=SourceFactory(), statement=None)

    add_moves(3)
    with CaptureQueriesContext(connection) as few:
        author_client.get(url, {"q": "Mark"}, HTTP_HX_REQUEST="true")
    add_moves(17)
    with django_assert_num_queries(len(few)):
        response = author_client.get(url, {"q": "Mark"}, HTTP_HX_REQUEST="true")
    assert html(response).count('name="role_change"') == 20
    assert html(response).count('name="citation"') == 40


def test_the_revisions_page_query_count_does_not_grow_with_revisions(
    author, author_client, django_assert_num_queries
):
    story = draft(author)
    url = reverse("stories:story-revisions", args=[story.pk])

    def add_revisions(count):
        fresh = stored(story)
        for n in range(count):
            fresh = story_save(
                story=fresh,
                editor=editor() if n % 2 else author,
                base_version=fresh.version,
                title=fresh.title,
                dek=fresh.dek,
                body=f"{fresh.body}\nLine {fresh.version}.",
                language=fresh.language,
            )

    add_revisions(1)
    with CaptureQueriesContext(connection) as few:
        author_client.get(url)
    add_revisions(28)
    with django_assert_num_queries(len(few)):
        response = author_client.get(url)
    assert html(response).count('<tr><td data-label="Revision">') == stored(story).version == 30


@pytest.mark.parametrize("value", ["9223372036854775808", "²", "٣", "-1"])
def test_a_made_up_citation_id_on_the_new_story_page_finds_nothing(author_client, value):
    response = author_client.get(reverse("stories:story-new"), {"citation": value})
    assert response.status_code == 200
    assert response.context["chosen"] == []
