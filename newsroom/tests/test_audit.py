"""The audit log: every editorial action says who, when, what and from where (ASVS V7.1, V7.2)."""

import pytest
from django.urls import reverse

from bench.csvs import moves_csv
from exchange.csv_format import moves_parse
from exchange.imports import moves_import
from exchange.popolo import popolo_import, popolo_json
from exchange.tests.support import row
from exchange.tests.test_popolo import small_document
from newsroom.models import AuditAction, AuditEntry, ProposedEdit
from people.models import RoleChange
from people.services import role_change_delete, role_change_update
from people.tests.factories import OrganizationFactory, PersonFactory, editor, journalist, record
from stories.models import Story, StoryStatus
from stories.services import (
    StoryNotPublishable,
    proposed_edit_decide,
    story_add_correction,
    story_publish,
    story_save,
    story_send_back,
    story_submit,
    story_withdraw,
)
from stories.services.citations import source_update
from stories.tests.factories import pending_citation
from stories.tests.services.test_stories import draft_citing, published_citing, verified_citation

pytestmark = pytest.mark.django_db

AUDIT = reverse("stories:audit-log")


def entries(action) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def test_a_decision_on_the_desk_records_editor_citation_change_and_address(client):
    chief = editor(username="chief")
    citation = pending_citation()
    client.force_login(chief)
    response = client.post(
        reverse("stories:citation-decide", args=[citation.pk]),
        {"decision": "disputed", "note": "The post says March.", "seen_state": "pending"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
    [entry] = entries(AuditAction.CITATION_DECIDED)
    assert (entry.actor_id, entry.actor_name, entry.ip_address) == (
        chief.pk,
        "chief",
        "203.0.113.7",
    )
    assert (entry.object_type, entry.object_id) == ("citation", str(citation.pk))
    assert entry.detail == "pending → disputed: The post says March."


def test_behind_a_trusted_proxy_the_address_is_the_one_the_proxy_saw(client, settings):
    """The client can write anything into X-Forwarded-For; only the proxy's entry counts."""
    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(editor())
    client.post(
        reverse("stories:citation-decide", args=[pending_citation().pk]),
        {"decision": "verified", "seen_state": "pending"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.66, 192.0.2.10",
    )
    assert entries(AuditAction.CITATION_DECIDED)[0].ip_address == "192.0.2.10"


def test_publish_send_back_withdraw_and_correction_are_each_recorded_with_the_editor():
    chief = editor(username="chief")
    author = journalist()
    story = draft_citing(author, verified_citation())
    story_submit(story=story, user=author)
    story_send_back(story=story, editor=chief, note="Add the date.")
    story_submit(story=story, user=author)
    story_publish(story=story, editor=chief)
    story_add_correction(story=story, editor=chief, text="The move was in March.")
    story_withdraw(story=story, editor=chief, note="Legal asked.")
    recorded = list(
        AuditEntry.objects.order_by("pk")
        .filter(object_type="story")
        .values_list("action", "actor_name", "object_id", "detail")
    )
    assert recorded == [
        (AuditAction.STORY_SENT_BACK, "chief", str(story.pk), "Add the date."),
        (AuditAction.STORY_PUBLISHED, "chief", str(story.pk), ""),
        (AuditAction.STORY_CORRECTED, "chief", str(story.pk), "The move was in March."),
        (AuditAction.STORY_WITHDRAWN, "chief", str(story.pk), "Legal asked."),
    ]


def test_a_refused_action_leaves_no_entry():
    author = journalist()
    story = draft_citing(author, pending_citation())
    story_submit(story=story, user=author)
    with pytest.raises(StoryNotPublishable):
        story_publish(story=story, editor=editor())
    assert Story.objects.get(pk=story.pk).status == StoryStatus.IN_REVIEW
    assert not entries(AuditAction.STORY_PUBLISHED)


def test_role_changes_recorded_edited_and_deleted_are_recorded():
    chief = editor(username="chief")
    mira = PersonFactory(name="Mira Murati")
    move = record(
        mira,
        OrganizationFactory(name="OpenAI"),
        "appointed",
        "CTO",
        "2022-05",
        recorded_by=chief,
        public=False,  # unconfirmed, so edited at once (a confirmed move's edit waits)
    )
    move_id = str(move.pk)
    role_change_update(role_change=move, reason="Promoted from VP", is_interim=True)
    role_change_delete(role_change=move)
    recorded = list(
        AuditEntry.objects.order_by("pk").values_list("action", "actor_name", "object_id")
    )
    assert recorded == [
        (AuditAction.ROLE_CHANGE_RECORDED, "chief", move_id),
        (AuditAction.ROLE_CHANGE_EDITED, "", move_id),
        (AuditAction.ROLE_CHANGE_DELETED, "", move_id),
    ]
    assert (
        "Mira Murati" in AuditEntry.objects.get(action=AuditAction.ROLE_CHANGE_DELETED).object_repr
    )
    edited = entries(AuditAction.ROLE_CHANGE_EDITED)[0]
    assert edited.detail == "Was: Mira Murati appointed CTO at OpenAI (2022-05)"


def test_editing_a_verified_quote_records_the_proposal_then_the_edit_and_its_verification(
    client,
):
    citation = verified_citation()
    chief = editor(username="chief")
    client.force_login(chief)
    statement = citation.statement
    response = client.post(
        reverse("stories:statement-edit", args=[statement.pk]),
        {
            "quote": "We are changing course.",
            "context_before": statement.context_before,
            "context_after": statement.context_after,
            "language": statement.language,
            "translation": statement.translation,
        },
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    [proposed] = entries(AuditAction.EDIT_PROPOSED)
    assert (proposed.actor_name, proposed.object_id, proposed.ip_address) == (
        "chief",
        str(statement.pk),
        "203.0.113.9",
    )
    edit = ProposedEdit.objects.pending().get()
    assert proposed.detail == f"Edit {edit.pk} waits for an editor: quote."
    assert not entries(AuditAction.STATEMENT_EDITED)
    response = client.post(
        reverse("stories:edit-decide", args=[edit.pk]),
        {"decision": "verified", "version": edit.version},
        REMOTE_ADDR="203.0.113.10",
    )
    assert response.status_code == 302
    [edited] = entries(AuditAction.STATEMENT_EDITED)
    assert (edited.actor_name, edited.detail, edited.ip_address) == (
        "chief",
        "Changed: quote.",
        "203.0.113.10",
    )
    [verified] = entries(AuditAction.EDIT_VERIFIED)
    assert verified.detail == f"Edit {edit.pk} (quote)"
    assert not entries(AuditAction.CITATION_REOPENED)


def test_editing_a_verified_source_records_what_changed_once_an_editor_verifies_it():
    citation = verified_citation()
    chief = editor(username="chief")
    source_update(source=citation.source, editor=chief, title="A new title")
    assert not entries(AuditAction.SOURCE_EDITED)
    proposed_edit_decide(edit=ProposedEdit.objects.get(), editor=chief, decision="verified")
    [edited] = entries(AuditAction.SOURCE_EDITED)
    assert (edited.actor_name, edited.object_id, edited.detail) == (
        "chief",
        str(citation.source_id),
        "Changed: title.",
    )
    assert not entries(AuditAction.CITATION_REOPENED)


def test_an_edit_of_published_text_is_in_the_log_with_the_difference(client):
    chief = editor(username="chief")
    story = published_citing(verified_citation())
    story = story_save(
        story=story,
        editor=chief,
        base_version=story.version,
        title=story.title,
        dek=story.dek,
        body=story.body + "\n\nA new paragraph.",
        language=story.language,
        change="update",
    )
    [entry] = entries(AuditAction.STORY_UPDATED)
    assert (entry.actor_name, entry.object_id) == ("chief", str(story.pk))
    assert "+A new paragraph." in entry.diff
    client.force_login(chief)
    page = client.get(AUDIT, {"action": AuditAction.STORY_UPDATED}).content.decode()
    assert "What changed" in page and "+A new paragraph." in page


def test_saving_a_source_unchanged_records_nothing():
    citation = verified_citation()
    source_update(source=citation.source, editor=editor(), title=citation.source.title)
    assert not entries(AuditAction.SOURCE_EDITED)
    assert not entries(AuditAction.EDIT_PROPOSED)


def test_an_import_is_one_entry_naming_the_file_and_a_dry_run_none():
    chief = editor(username="chief")
    parsed = moves_parse(moves_csv([row(), row(change="joined", date="2022")]), filename="m.csv")
    moves_import(parsed=parsed, recorded_by=chief, dry_run=True)
    assert not entries(AuditAction.MOVES_IMPORTED)
    moves_import(parsed=parsed, recorded_by=chief)
    [entry] = entries(AuditAction.MOVES_IMPORTED)
    assert entry.actor_name == "chief"
    assert entry.detail.startswith("m.csv: 2 new moves")


def test_a_popolo_import_is_recorded_as_such():
    document = popolo_json(small_document())
    assert popolo_import(data=document, filename="p.json").ok
    [entry] = entries(AuditAction.POPOLO_IMPORTED)
    assert entry.detail.startswith("p.json: ")
    assert not entries(AuditAction.MOVES_IMPORTED)


@pytest.mark.parametrize("confirmed", [False, True], ids=["unconfirmed", "confirmed"])
def test_an_edit_in_the_admin_records_the_signed_in_editor_and_address(client, confirmed):
    """role_change_update takes no user: who and where come from the request being served.
    An unconfirmed move is edited at once; a confirmed one's edit waits for an editor."""
    chief = editor(username="chief")
    person, organization = PersonFactory(name="Mira Murati"), OrganizationFactory(name="OpenAI")
    change = record(
        person, organization, "appointed", "Chief Technology Officer", "2022-05", public=confirmed
    )
    client.force_login(chief)
    response = client.post(
        reverse("admin:people_rolechange_change", args=[change.pk]),
        {
            "person": person.pk,
            "organization": organization.pk,
            "kind": "appointed",
            "title": "Chief Technology Officer",
            "effective": "2022-06-01",
            "reason": "",
            **({"is_public": "on"} if confirmed else {}),
        },
        REMOTE_ADDR="2001:db8::7",
    )
    assert response.status_code == 302
    [entry] = entries(AuditAction.EDIT_PROPOSED if confirmed else AuditAction.ROLE_CHANGE_EDITED)
    assert (entry.actor_id, entry.ip_address, entry.object_id) == (
        chief.pk,
        "2001:db8::7",
        str(change.pk),
    )
    if confirmed:
        assert entry.detail.endswith("waits for an editor: effective.")
        assert not entries(AuditAction.ROLE_CHANGE_EDITED)
    else:
        assert "(2022-05)" in entry.detail and "2022-06-01" in entry.object_repr


def test_a_move_added_in_the_admin_is_recorded_once_and_names_the_editor(client):
    chief = editor(username="chief")
    client.force_login(chief)
    response = client.post(
        reverse("admin:people_rolechange_add"),
        {
            "person": PersonFactory().pk,
            "organization": OrganizationFactory().pk,
            "kind": "joined",
            "title": "Engineer",
            "effective": "2020",
            "reason": "",
        },
    )
    assert response.status_code == 302
    [entry] = AuditEntry.objects.all()
    assert (entry.action, entry.actor_id) == (AuditAction.ROLE_CHANGE_RECORDED, chief.pk)
    assert RoleChange.objects.get().recorded_by_id == chief.pk


# The log on the desk ---------------------------------------------------------------------------


def test_only_editors_read_the_log(client):
    response = client.get(AUDIT)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(journalist())
    assert client.get(AUDIT).status_code == 403
    assert AUDIT not in client.get(reverse("stories:desk-home")).content.decode()
    client.force_login(editor())
    assert client.get(AUDIT).status_code == 200
    assert AUDIT in client.get(reverse("stories:desk-home")).content.decode()


def test_the_log_lists_newest_first_and_filters_by_action_and_user(client):
    chief, other = editor(username="chief"), editor(username="other")
    published_citing(verified_citation())  # a publish by a fresh editor, and a decision
    story = draft_citing(journalist(), verified_citation())
    story_submit(story=story, user=story.authors.first())
    story_send_back(story=story, editor=chief, note="Needs a <b>source</b>.")
    client.force_login(other)
    page = client.get(AUDIT).content.decode()
    page = page[page.index("<tbody>") :]
    assert page.index("Story sent back") < page.index("Story published")
    assert "Needs a &lt;b&gt;source&lt;/b&gt;." in page  # escaped
    page = client.get(AUDIT, {"action": AuditAction.STORY_SENT_BACK}).content.decode()
    assert "Needs a" in page and "<td>Story published</td>" not in page
    page = client.get(AUDIT, {"user": "chief"}).content.decode()
    assert "1 entry." in page
    page = client.get(AUDIT, {"action": "no-such-action", "user": "nobody"}).content.decode()
    assert "0 entries." in page


@pytest.mark.parametrize("count", [3, 50])
def test_the_log_page_costs_the_same_queries_at_any_size(client, django_assert_num_queries, count):
    client.force_login(editor())
    organization = OrganizationFactory()
    for _ in range(count):
        record(PersonFactory(), organization, "joined", "Engineer", "2020")
    with django_assert_num_queries(6):
        response = client.get(AUDIT, {"action": AuditAction.ROLE_CHANGE_RECORDED})
    assert response.status_code == 200


def test_the_log_is_paginated_keeping_the_filters(client):
    client.force_login(editor())
    organization = OrganizationFactory()
    for _ in range(51):
        record(PersonFactory(), organization, "joined", "Engineer", "2020")
    page = client.get(AUDIT, {"action": AuditAction.ROLE_CHANGE_RECORDED}).content.decode()
    assert "Page 1 of 2" in page
    assert "?action=role_change.recorded&amp;page=2" in page
