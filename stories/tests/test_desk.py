"""The desk as journalists and editors use it, and what every role may reach."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsroom.models import ProposedEdit
from people.models import OrganizationName, Person, RoleChange, Tenure
from people.tests.factories import (
    OrganizationFactory,
    PersonFactory,
    PersonNameFactory,
    UserFactory,
    editor,
    journalist,
    record,
)
from stories.models import Citation, CitationDecision, CitationState, Source, Statement
from stories.services import citation_decide, story_withdraw
from stories.tests.factories import (
    SourceFactory,
    StatementFactory,
    pending_citation,
    published_story,
)

pytestmark = pytest.mark.django_db

ZOPH = "https://x.com/barret_zoph/status/1839095143397515452"


def html(response) -> str:
    return response.content.decode()


def errors_of(response) -> str:
    return " ".join(re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', html(response), re.S))


# Who may reach what ------------------------------------------------------------------------


@pytest.fixture
def desk_journalist():
    return journalist()


@pytest.fixture
def desk_urls(desk_journalist):
    # The journalist's own quote and source: theirs to edit while no citation is verified.
    citation = pending_citation(
        created_by=desk_journalist, source=SourceFactory(created_by=desk_journalist)
    )
    Statement.objects.filter(pk=citation.statement_id).update(created_by=desk_journalist)
    return {
        "journalist": [
            ("get", reverse("stories:desk-home")),
            ("get", reverse("stories:move-record")),
            ("get", reverse("stories:move-detail", args=[citation.role_change_id])),
            ("get", reverse("stories:lookup", args=["person"]) + "?person_name=a"),
            ("get", reverse("stories:source-preview") + "?source_url=https://example.com"),
            ("get", reverse("stories:source-edit", args=[citation.source_id])),
            ("get", reverse("stories:statement-edit", args=[citation.statement_id])),
            ("get", reverse("stories:citation-detail", args=[citation.pk])),
        ],
        "editor": [
            ("get", reverse("stories:verify-queue")),
            ("post", reverse("stories:citation-decide", args=[citation.pk])),
        ],
    }


def test_anonymous_readers_are_sent_to_sign_in_from_every_desk_page(client, desk_urls):
    for method, url in desk_urls["journalist"] + desk_urls["editor"]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_a_signed_in_reader_without_a_desk_role_gets_403(client, desk_urls):
    client.force_login(UserFactory())
    for method, url in desk_urls["journalist"] + desk_urls["editor"]:
        assert getattr(client, method)(url).status_code == 403, url


def test_a_journalist_reaches_the_desk_but_not_the_editors_pages(
    client, desk_urls, desk_journalist
):
    client.force_login(desk_journalist)
    for method, url in desk_urls["journalist"]:
        assert getattr(client, method)(url).status_code == 200, url
    for method, url in desk_urls["editor"]:
        assert getattr(client, method)(url).status_code == 403, url
    assert Citation.objects.get().state == CitationState.PENDING


def test_an_editor_reaches_every_desk_page(client, desk_urls):
    client.force_login(editor())
    for method, url in desk_urls["journalist"] + desk_urls["editor"][:1]:
        assert getattr(client, method)(url).status_code == 200, url


def test_desk_writes_need_the_csrf_token():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(journalist())
    response = strict.post(reverse("stories:move-record"), {"person_name": "X"})
    assert response.status_code == 403
    assert not Person.objects.filter(name="X").exists()


# Recording a move --------------------------------------------------------------------------


def move_form(**overrides):
    data = {
        "person_name": "Barret Zoph",
        "organization_name": "OpenAI",
        "kind": "left",
        "title": "VP of Research, Post-Training",
        "effective": "2024-09-25",
        "announced": "2024-09-25",
        "source_url": ZOPH + "?s=46&t=iTysI4vQLQqCNJjSmBODPw",
        "source_title": "Barret Zoph on X",
        "source_kind": "post",
        "source_published": "2024-09-25",
        "quote": "I have decided to leave OpenAI.",
        "speaker_name": "Barret Zoph",
        "quote_language": "en",
    }
    data.update(overrides)
    return data


def test_a_journalist_records_a_move_with_its_quote_and_source(client):
    author = journalist()
    client.force_login(author)
    response = client.post(reverse("stories:move-record"), move_form())
    move = RoleChange.objects.select_related("person", "organization", "post").get()
    assert response.status_code == 302
    assert response["Location"] == reverse("stories:move-detail", args=[move.pk])
    assert (move.person.name, move.organization.name, move.post.title) == (
        "Barret Zoph",
        "OpenAI",
        "VP of Research, Post-Training",
    )
    assert move.effective.isoformat() == "2024-09-25" and not move.is_public
    citation = Citation.objects.select_related("source", "statement__speaker").get()
    assert citation.source.canonical_url == ZOPH
    assert citation.statement.speaker_id == move.person_id
    assert citation.created_by_id == author.pk
    assert Person.objects.count() == 1


def test_a_journalist_records_that_someone_held_a_post_on_a_date(client):
    """The form offers "held" with what it means; the move page says "was"; a pending
    record is the staff's only, and its tenure has no invented start."""
    client.force_login(journalist())
    form = client.get(reverse("stories:move-record")).content.decode()
    assert "held (was in the post on that date; when they took it up is unknown)" in form
    response = client.post(
        reverse("stories:move-record"),
        move_form(
            person_name="Jason Kwon",
            kind="held",
            title="Chief Strategy Officer",
            quote="there is no better partner than Mira",
            speaker_name="Jason Kwon",
        ),
    )
    assert response.status_code == 302
    move = RoleChange.objects.get()
    assert move.kind == "held" and not move.is_public
    page = client.get(response["Location"]).content.decode()
    assert "Jason Kwon was Chief Strategy Officer" in page
    tenure = Tenure.objects.desk().get()
    assert (tenure.start, str(tenure.seen)) == (None, "2024-09-25")
    assert not Tenure.objects.public().exists()


def test_existing_people_and_organizations_are_found_by_any_name(client):
    person = PersonFactory(name="Mira Murati")
    PersonNameFactory(person=person, name="ミラ・ムラティ")
    organization = OrganizationFactory(name="OpenAI")
    client.force_login(journalist())
    client.post(
        reverse("stories:move-record"),
        move_form(person_name="ミラ・ムラティ", organization_name="openai", speaker_name=""),
    )
    move = RoleChange.objects.get()
    assert (move.person_id, move.organization_id) == (person.pk, organization.pk)


def test_existing_people_and_organizations_are_found_by_a_name_in_another_case(client):
    """Beyond ASCII too, on SQLite as on PostgreSQL."""
    person = PersonFactory(name="Иван Петров")
    organization = OrganizationFactory(name="Yandex")
    OrganizationName.objects.create(organization=organization, name="Яндекс", language="ru")
    client.force_login(journalist())
    client.post(
        reverse("stories:move-record"),
        move_form(
            person_name="ИВАН ПЕТРОВ", organization_name="яндекс", speaker_name="иван петров"
        ),
    )
    move = RoleChange.objects.get()
    assert (move.person_id, move.organization_id) == (person.pk, organization.pk)
    assert Statement.objects.get().speaker_id == person.pk
    assert Person.objects.count() == 1


def test_a_move_recorded_again_with_its_title_in_another_case_gets_another_citation(client):
    client.force_login(journalist())
    first = move_form(kind="appointed", title="Directeur général")
    assert client.post(reverse("stories:move-record"), first).status_code == 302
    again = move_form(
        kind="appointed",
        title="DIRECTEUR GÉNÉRAL",
        source_url="https://example.org/filing",
        source_kind="filing",
        quote="",
        speaker_name="",
    )
    assert client.post(reverse("stories:move-record"), again).status_code == 302
    assert RoleChange.objects.select_related("post").get().post.title == "Directeur général"
    assert Citation.objects.count() == 2


def test_an_ambiguous_name_asks_to_pick_and_saves_nothing(client):
    PersonFactory(name="Mark Chen")
    PersonFactory(name="Mark Chen")
    client.force_login(journalist())
    response = client.post(
        reverse("stories:move-record"), move_form(person_name="Mark Chen", speaker_name="")
    )
    assert response.status_code == 200
    assert "Several people are called “Mark Chen”" in errors_of(response)
    assert html(response).count('name="person_choice"') == 3
    assert not RoleChange.objects.exists()


def test_a_picked_person_is_used(client):
    PersonFactory(name="Mark Chen")
    wanted = PersonFactory(name="Mark Chen")
    client.force_login(journalist())
    client.post(
        reverse("stories:move-record"),
        move_form(person_name="Mark Chen", person_choice=str(wanted.pk), speaker_name=""),
    )
    assert RoleChange.objects.get().person_id == wanted.pk


def test_every_error_is_shown_beside_its_field_and_nothing_is_saved(client):
    client.force_login(journalist())
    response = client.post(
        reverse("stories:move-record"),
        move_form(effective="2023-02-30", source_url="https://x.com/sama/status/183..."),
    )
    assert response.status_code == 200
    errors = errors_of(response)
    assert "February 2023 has 28 days" in errors
    assert "cut short" in errors
    assert "Nothing was saved" in html(response)
    assert 'value="I have decided to leave OpenAI."' in html(response) or (
        "I have decided to leave OpenAI." in html(response)
    )
    assert not Person.objects.exists() and not Source.objects.exists()


@pytest.mark.parametrize("url", ["http://intranet/news", "https://example.123/a"])
def test_a_link_a_url_field_refuses_is_refused_beside_the_source_field(client, url):
    """The canonical form is stored in a URLField: what it would refuse is refused up front,
    beside the source URL field, and nothing is saved."""
    client.force_login(journalist())
    response = client.post(reverse("stories:move-record"), move_form(source_url=url))
    assert response.status_code == 200
    page = html(response)
    field = page.index('name="source_url"')
    beside = page[field : page.index("</div>", field)]
    assert "is not a complete web address" in errors_of(response)
    assert "is not a complete web address" in beside
    assert not RoleChange.objects.exists() and not Source.objects.exists()


def test_a_rule_refusal_from_the_service_is_shown_and_nothing_is_saved(client):
    person = PersonFactory(name="Barret Zoph")
    organization = OrganizationFactory(name="OpenAI")
    record(person, organization, "joined", "VP of Research, Post-Training", "2025")
    client.force_login(journalist())
    response = client.post(reverse("stories:move-record"), move_form(speaker_name=""))
    assert "cannot end earlier" in errors_of(response)
    assert RoleChange.objects.count() == 1 and not Source.objects.exists()


def test_the_canonical_form_is_shown_before_saving(client):
    client.force_login(journalist())
    response = client.get(
        reverse("stories:source-preview"),
        {"source_url": ZOPH + "?s=46&t=iTysI4vQLQqCNJjSmBODPw"},
        HTTP_HX_REQUEST="true",
    )
    assert f"<code>{ZOPH}</code>" in html(response)
    response = client.get(
        reverse("stories:source-preview"), {"source_url": "https://x.com/sama/status/183..."}
    )
    assert "cut short" in html(response)


def test_an_existing_source_is_announced_as_reused(client):
    client.force_login(journalist())
    client.post(reverse("stories:move-record"), move_form())
    response = client.get(reverse("stories:source-preview"), {"source_url": ZOPH})
    assert "Already on the desk" in html(response)


def test_a_verified_source_is_reused_as_it_is_and_the_journalist_is_told(client):
    client.force_login(journalist())
    client.post(reverse("stories:move-record"), move_form())
    citation = Citation.objects.get()
    citation_decide(citation=citation, editor=editor(), decision="verified")
    before = Source.objects.values().get()

    response = client.post(
        reverse("stories:move-record"),
        move_form(
            kind="joined",
            title="Co-founder",
            source_title="A different title",
            source_publisher="X (formerly Twitter)",
        ),
        follow=True,
    )

    assert Citation.objects.count() == 2
    assert Source.objects.values().get() == before
    page = html(response)
    assert "reused as it is" in page
    assert "source title, publisher or site" in page


def test_people_are_suggested_as_you_type_in_any_script(client):
    person = PersonFactory(name="Mira Murati")
    PersonNameFactory(person=person, name="ミラ")
    client.force_login(journalist())
    response = client.get(
        reverse("stories:lookup", args=["person"]), {"person_name": "ミ"}, HTTP_HX_REQUEST="true"
    )
    assert f'value="{person.pk}"' in html(response)
    assert 'value="new"' in html(response)
    assert client.get(reverse("stories:lookup", args=["planet"])).status_code == 404


def test_another_citation_is_added_to_a_recorded_move(client):
    citation = pending_citation()
    client.force_login(journalist())
    response = client.post(
        reverse("stories:move-detail", args=[citation.role_change_id]),
        {"source_url": "https://example.org/filing", "source_kind": "filing", "quote": ""},
    )
    assert response.status_code == 302
    assert Citation.objects.filter(role_change_id=citation.role_change_id).count() == 2


def duplicate_check_missed(monkeypatch) -> None:
    """The next duplicate check finds nothing, as when the same citation is being added by
    another request that commits between the check and the insert."""
    from stories.models.citations import CitationQuerySet

    exists = CitationQuerySet.exists
    missed = []

    def exists_once_missed(queryset):
        filtered_on = {
            child.lhs.target.name
            for child in queryset.query.where.children
            if hasattr(child, "lhs")
        }
        if "role_change" in filtered_on and not missed:
            missed.append(True)
            return False
        return exists(queryset)

    monkeypatch.setattr(CitationQuerySet, "exists", exists_once_missed)


def test_the_same_citation_added_twice_at_once_is_a_form_error_not_a_500(client, monkeypatch):
    citation = pending_citation()
    client.force_login(journalist())
    url = reverse("stories:move-detail", args=[citation.role_change_id])
    form = {
        "source_url": citation.source.canonical_url,
        "source_kind": "article",
        "quote": citation.statement.quote,
    }
    duplicate_check_missed(monkeypatch)
    response = client.post(url, form)
    assert response.status_code == 200
    assert "This move already cites this quote from this source." in errors_of(response)
    assert Citation.objects.count() == 1
    assert CitationDecision.objects.count() == 1


def test_a_move_recorded_twice_at_once_keeps_one_citation_and_says_why(client, monkeypatch):
    client.force_login(journalist())
    assert client.post(reverse("stories:move-record"), move_form()).status_code == 302
    duplicate_check_missed(monkeypatch)
    response = client.post(reverse("stories:move-record"), move_form())
    assert response.status_code == 200
    assert "This move already cites this quote from this source." in errors_of(response)
    assert (RoleChange.objects.count(), Citation.objects.count()) == (1, 1)
    assert (Source.objects.count(), Statement.objects.count()) == (1, 1)


# Desk home -------------------------------------------------------------------------------


def test_the_desk_home_shows_my_pending_and_what_editors_sent_back(client):
    author = journalist()
    waiting = pending_citation(created_by=author, title="CTO")
    sent_back = pending_citation(created_by=author, title="CIO")
    citation_decide(
        citation=sent_back, editor=editor(), decision="disputed", note="The source says CISO."
    )
    client.force_login(author)
    page = html(client.get(reverse("stories:desk-home")))
    assert f"Citation {waiting.pk}" in page
    assert "The source says CISO." in page


def test_editing_a_verified_quote_on_the_desk_proposes_the_edit_and_keeps_it_verified(client):
    """Rule 5: the edit waits for an editor beside the verified words, which readers keep;
    the form then continues from the waiting edit."""
    citation = pending_citation(quote="Verified words.")
    citation_decide(citation=citation, editor=editor(), decision="verified")
    client.force_login(editor())
    url = reverse("stories:statement-edit", args=[citation.statement_id])
    assert "your edit waits for an editor" in html(client.get(url))
    response = client.post(
        url + "?next=https://evil.example/",
        {
            "quote": "Corrected words.",
            "context_before": "",
            "context_after": "",
            "language": "en",
            "translation": "",
        },
        follow=True,
    )
    assert response.redirect_chain == [(reverse("stories:desk-home"), 302)]
    assert "Edit proposed: it waits for an editor" in html(response)
    citation.refresh_from_db()
    assert citation.state == CitationState.VERIFIED
    assert Statement.objects.get(pk=citation.statement_id).quote == "Verified words."
    form = html(client.get(url))
    assert "An edit of this quote already waits for an editor" in form
    assert "Corrected words.</textarea>" in form
    assert "<del>Verified</del><ins>Corrected</ins> words." in form


def test_a_quote_over_the_limit_is_refused_on_the_form_with_its_length(client):
    citation = pending_citation()
    client.force_login(editor())
    response = client.post(
        reverse("stories:statement-edit", args=[citation.statement_id]),
        {**QUOTE_EDIT, "quote": "x" * 10_000},
    )
    assert response.status_code == 200
    assert "A quote is at most 2000 characters long; this one has 10000." in errors_of(response)
    assert len(Statement.objects.get(pk=citation.statement_id).quote) < 100


def test_a_quote_edited_into_a_copy_of_another_is_refused_on_the_form(client):
    """The same words from the same speaker in one source are one statement: the form says
    so beside the quote, and neither statement nor the verified citation changes."""
    citation = pending_citation(quote="Words as first recorded.")
    citation_decide(citation=citation, editor=editor(), decision="verified")
    other = StatementFactory(source=Source.objects.get(pk=citation.source_id), quote="The words.")
    client.force_login(editor())
    response = client.post(
        reverse("stories:statement-edit", args=[citation.statement_id]),
        {**QUOTE_EDIT, "quote": "The words."},
    )
    assert response.status_code == 200
    page = html(response)
    assert 'id="id_quote_error"' in page
    assert "This source already has a statement with these exact words" in errors_of(response)
    assert Statement.objects.get(pk=citation.statement_id).quote == "Words as first recorded."
    assert Statement.objects.get(pk=other.pk).quote == "The words."
    assert Citation.objects.get(pk=citation.pk).state == CitationState.VERIFIED


QUOTE_EDIT = {
    "quote": "Corrected words.",
    "context_before": "",
    "context_after": "",
    "language": "en",
    "translation": "",
}


def source_edit_form(source, **changes):
    return {
        "url": source.canonical_url,
        "title": source.title,
        "publisher": source.publisher,
        "kind": source.kind,
        "language": source.language,
        "archive_url": "",
        "archive_date": "",
        "published": "",
        **changes,
    }


def test_a_journalist_edits_their_own_quote_and_source_until_a_citation_is_verified(client):
    author = journalist()
    source = SourceFactory(created_by=author)
    statement = StatementFactory(source=source, created_by=author)
    citation = pending_citation(created_by=author, source=source)
    Citation.objects.filter(pk=citation.pk).update(statement=statement)
    client.force_login(author)
    statement_url = reverse("stories:statement-edit", args=[statement.pk])
    source_url = reverse("stories:source-edit", args=[source.pk])
    assert client.post(statement_url, QUOTE_EDIT).status_code == 302
    assert client.post(source_url, source_edit_form(source, title="Fixed")).status_code == 302
    assert Statement.objects.get(pk=statement.pk).quote == "Corrected words."
    assert Source.objects.get(pk=source.pk).title == "Fixed"

    citation_decide(citation=citation, editor=editor(), decision="verified")
    assert client.get(statement_url).status_code == 403
    assert client.post(statement_url, {**QUOTE_EDIT, "quote": "Again."}).status_code == 403
    assert client.get(source_url).status_code == 403
    assert client.post(source_url, source_edit_form(source, title="Again")).status_code == 403
    assert Statement.objects.get(pk=statement.pk).quote == "Corrected words."
    assert Source.objects.get(pk=source.pk).title == "Fixed"
    assert Citation.objects.get(pk=citation.pk).state == CitationState.VERIFIED
    page = html(client.get(reverse("stories:citation-detail", args=[citation.pk])))
    assert "Edit the quote" not in page and "Edit the source" not in page


def test_a_journalist_cannot_edit_someone_elses_quote_or_source(client):
    citation = pending_citation(created_by=journalist())
    client.force_login(journalist())
    statement_url = reverse("stories:statement-edit", args=[citation.statement_id])
    source_url = reverse("stories:source-edit", args=[citation.source_id])
    assert client.get(statement_url).status_code == 403
    assert client.post(statement_url, QUOTE_EDIT).status_code == 403
    assert client.get(source_url).status_code == 403
    source = Source.objects.get(pk=citation.source_id)
    assert client.post(source_url, source_edit_form(source, title="Mine")).status_code == 403
    assert Statement.objects.get(pk=citation.statement_id).quote != "Corrected words."
    assert Source.objects.get(pk=citation.source_id).title != "Mine"
    page = html(client.get(reverse("stories:citation-detail", args=[citation.pk])))
    assert "Edit the quote" not in page and "Edit the source" not in page


def test_an_editor_edits_any_quote_or_source(client):
    citation = pending_citation(created_by=journalist())
    citation_decide(citation=citation, editor=editor(), decision="verified")
    client.force_login(editor())
    page = html(client.get(reverse("stories:citation-detail", args=[citation.pk])))
    assert "Edit the quote" in page and "Edit the source" in page
    source = Source.objects.get(pk=citation.source_id)
    response = client.post(
        reverse("stories:source-edit", args=[source.pk]), source_edit_form(source, title="Fixed")
    )
    assert response.status_code == 302
    assert Citation.objects.get(pk=citation.pk).state == CitationState.VERIFIED
    assert Source.objects.get(pk=source.pk).title != "Fixed"  # until an editor verifies it
    assert ProposedEdit.objects.pending().of(source).exists()


# Demo ------------------------------------------------------------------------------------


def test_matt_knights_cio_claim_waits_in_the_queue_and_stays_off_his_profile(client):
    call_command("load_demo_desk", verbosity=0)
    profile = html(client.get("/people/matt-knight/"))
    assert "Chief Information Security Officer" in profile
    assert "Chief Information Officer" not in profile
    assert "verified by an editor on" in profile

    client.force_login(editor())
    queue = html(client.get(reverse("stories:verify-queue")))
    assert "Chief Information Officer" in queue
    staff_profile = html(client.get("/people/matt-knight/"))
    assert "Chief Information Officer" in staff_profile
    assert "pending verification" in staff_profile


def test_the_demo_cites_barret_zophs_post_by_its_canonical_url(client):
    call_command("load_demo_desk", verbosity=0)
    profile = html(client.get("/people/barret-zoph/"))
    assert f'href="{ZOPH}"' in profile
    assert 'rel="noopener noreferrer"' in profile
    assert "?s=46" not in profile


@pytest.mark.parametrize("role", ["journalist", "editor"])
def test_the_desk_query_count_does_not_grow(client, role):
    author = journalist() if role == "journalist" else editor()
    client.force_login(author)
    publisher = editor()

    def fill(count):
        for _ in range(count):
            pending_citation(created_by=author)
            published_story(author=author, publisher=publisher)

    fill(3)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("stories:desk-home"))
    fill(47)
    with CaptureQueriesContext(connection) as many:
        page = html(client.get(reverse("stories:desk-home")))
    assert len(many) == len(few) <= 10
    assert page.count('class="badge badge-published"') == 50


def test_a_journalists_desk_lists_their_published_stories_and_no_one_elses(client):
    author, publisher = journalist(), editor()
    mine = published_story(author=author, publisher=publisher, title="My scoop")
    gone = published_story(author=author, publisher=publisher, title="My mistake")
    story_withdraw(story=gone, editor=publisher, note="Wrong.")
    published_story(author=journalist(), publisher=publisher, title="Their scoop")
    client.force_login(author)
    page = html(client.get(reverse("stories:desk-home")))
    section = page[page.index('id="my-published"') : page.index('id="sent-back"')]
    assert f'<a href="{mine.get_absolute_url()}">My scoop</a>' in section
    assert "My mistake" in section and "badge-withdrawn" in section
    assert "Their scoop" not in section
    assert reverse("stories:story-edit", args=[mine.pk]) in section
    assert "Verification queue (" not in page and "Review (" not in page  # editors' screens


def test_an_editors_desk_counts_the_review_queue_flags_and_pending_citations(client):
    pending_citation()
    pending_citation()
    client.force_login(editor())
    page = html(client.get(reverse("stories:desk-home")))
    assert "Verification queue (2)" in page and "Review (0)" in page
