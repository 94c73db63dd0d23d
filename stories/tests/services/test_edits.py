"""Rule 5 through stories/services/edits.py: an edit of a verified quote, source or move
waits for an editor beside the verified version, which readers keep until the edit is
verified; verifying writes it and takes nothing down; rejecting keeps the verified version."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from newsroom.dates import PartialDate
from newsroom.models import AuditAction, AuditEntry, ProposedEdit, ProposedEditState
from people.models import RoleChange, Tenure
from people.services import role_change_delete, role_change_update
from people.tests.factories import OrganizationFactory, PersonFactory, editor, journalist, record
from stories.models import Citation, CitationState, CorrectionFlag, Source, Statement
from stories.services import (
    ProposedEditConflict,
    citation_decide,
    proposed_edit_decide,
    source_update,
    statement_update,
)
from stories.tests.factories import StatementFactory, pending_citation

pytestmark = pytest.mark.django_db


def verified_quote(quote: str = "I am leaving OpenAI.") -> Citation:
    citation = pending_citation(quote=quote)
    citation_decide(citation=citation, editor=editor(), decision="verified")
    return Citation.objects.select_related("statement", "source").get(pk=citation.pk)


def pending_edit() -> ProposedEdit:
    return ProposedEdit.objects.pending().get()


def test_verifying_a_typo_fix_writes_it_in_one_decision_and_the_fact_stays_up():
    citation = verified_quote("OpenAIを離れます")
    chief = editor(username="chief")
    statement_update(statement=citation.statement, editor=chief, quote="OpenAIを離れます。")
    edit = pending_edit()

    checker = editor(username="checker")
    proposed_edit_decide(edit=edit, editor=checker, decision="verified")

    assert Statement.objects.get(pk=citation.statement_id).quote == "OpenAIを離れます。"
    assert Citation.objects.get(pk=citation.pk).state == CitationState.VERIFIED
    assert RoleChange.objects.get(pk=citation.role_change_id).is_public
    edit.refresh_from_db()
    assert (edit.state, edit.decided_by_id) == (ProposedEditState.VERIFIED, checker.pk)
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", "actor_name"))
    assert actions[-3:] == [
        (AuditAction.EDIT_PROPOSED, "chief"),
        (AuditAction.STATEMENT_EDITED, "checker"),
        (AuditAction.EDIT_VERIFIED, "checker"),
    ]
    assert not CorrectionFlag.objects.exists()


def test_rejecting_an_edit_keeps_the_verified_version_and_needs_a_note():
    citation = verified_quote()
    chief = editor()
    source_update(source=citation.source, editor=chief, title="Not the real title")
    edit = pending_edit()
    with pytest.raises(ValidationError) as refused:
        proposed_edit_decide(edit=edit, editor=chief, decision="rejected", note=" ")
    assert "note" in refused.value.message_dict

    proposed_edit_decide(edit=edit, editor=chief, decision="rejected", note="Wrong page.")

    assert Source.objects.get(pk=citation.source_id).title == citation.source.title
    assert ProposedEdit.objects.get(pk=edit.pk).note == "Wrong page."
    assert Citation.objects.get(pk=citation.pk).state == CitationState.VERIFIED


def test_a_second_edit_replaces_the_waiting_one_and_editing_back_withdraws_it():
    citation = verified_quote("Words.")
    chief = editor()
    statement_update(statement=citation.statement, editor=chief, quote="Words!")
    statement_update(statement=citation.statement, editor=chief, quote="Words?", translation="言葉")
    edit = pending_edit()
    assert edit.version == 2
    assert [(change["field"], change["after"]) for change in edit.changes] == [
        ("quote", "Words?"),
        ("translation", "言葉"),
    ]
    statement_update(statement=citation.statement, editor=chief, quote="Words.", translation="")
    assert ProposedEdit.objects.get(pk=edit.pk).state == ProposedEditState.WITHDRAWN
    assert not ProposedEdit.objects.pending().exists()


def test_an_edit_waiting_is_what_a_later_edit_continues_even_once_nothing_is_verified():
    citation = verified_quote("Words.")
    chief = editor()
    statement_update(statement=citation.statement, editor=chief, quote="Words!")
    citation_decide(citation=citation, editor=chief, decision="rejected", note="Not said.")
    statement_update(statement=citation.statement, editor=chief, quote="Words?")
    assert pending_edit().changes[0]["after"] == "Words?"
    assert Statement.objects.get(pk=citation.statement_id).quote == "Words."


def test_an_edit_the_desk_refuses_is_refused_when_proposed():
    citation = verified_quote("Words as first recorded.")
    StatementFactory(source=citation.source, quote="The exact words.")
    with pytest.raises(ValidationError, match="already has a statement with these exact words"):
        statement_update(statement=citation.statement, editor=editor(), quote="The exact words.")
    assert not ProposedEdit.objects.exists()


def test_an_edit_changed_or_decided_since_it_was_read_is_a_conflict():
    citation = verified_quote("Words.")
    chief, other = editor(username="chief"), editor(username="other")
    statement_update(statement=citation.statement, editor=chief, quote="Words!")
    read = pending_edit()
    statement_update(statement=citation.statement, editor=chief, quote="Words?!")
    with pytest.raises(ProposedEditConflict, match="changed since you opened it"):
        proposed_edit_decide(edit=read, editor=chief, decision="verified", expected_version=1)
    assert Statement.objects.get(pk=citation.statement_id).quote == "Words."
    proposed_edit_decide(edit=read, editor=other, decision="verified", expected_version=2)
    with pytest.raises(ProposedEditConflict, match="other already marked this edit verified"):
        proposed_edit_decide(edit=read, editor=chief, decision="rejected", note="No.")


def test_only_editors_decide_edits():
    citation = verified_quote()
    statement_update(statement=citation.statement, editor=editor(), quote="Other words.")
    with pytest.raises(PermissionDenied):
        proposed_edit_decide(edit=pending_edit(), editor=journalist(), decision="verified")
    assert pending_edit().state == ProposedEditState.PENDING


# Moves ----------------------------------------------------------------------------------------


def spans(person, scope) -> list[tuple]:
    return [
        (tenure.post.title, str(tenure.start or ""), str(tenure.end or ""))
        for tenure in Tenure.objects.filter(person=person, scope=scope)
        .select_related("post")
        .order_by("start_date")
    ]


def test_an_edit_of_a_confirmed_move_waits_and_readers_keep_its_tenure():
    mira, openai = PersonFactory(name="Mira Murati"), OrganizationFactory(name="OpenAI")
    record(mira, openai, "appointed", "Chief Technology Officer", "2022-05")
    departure = record(mira, openai, "left", "Chief Technology Officer", "2024-09-25")
    chief = editor()

    role_change_update(
        role_change=departure, proposed_by=chief, effective=PartialDate.parse("2024-09-26")
    )

    confirmed = [("Chief Technology Officer", "2022-05", "2024-09-25")]
    assert spans(mira, "public") == confirmed
    assert spans(mira, "desk") == confirmed
    [change] = pending_edit().changes
    assert change == {
        "field": "effective",
        "before": {"partial_date": "2024-09-25"},
        "after": {"partial_date": "2024-09-26"},
    }

    proposed_edit_decide(edit=pending_edit(), editor=chief, decision="verified")

    assert spans(mira, "public") == [("Chief Technology Officer", "2022-05", "2024-09-26")]
    assert RoleChange.objects.get(pk=departure.pk).is_public


def test_an_edit_of_a_confirmed_move_that_breaks_rule_2_is_refused_at_once():
    mira, openai = PersonFactory(name="Mira Murati"), OrganizationFactory(name="OpenAI")
    record(mira, openai, "appointed", "Chief Technology Officer", "2022-05")
    departure = record(mira, openai, "left", "Chief Technology Officer", "2024-09-25")
    with pytest.raises(ValidationError, match="cannot end earlier"):
        role_change_update(role_change=departure, effective=PartialDate.parse("2020"))
    assert not ProposedEdit.objects.exists()
    assert spans(mira, "public") == [("Chief Technology Officer", "2022-05", "2024-09-25")]


def test_a_move_edit_names_people_and_organizations_as_they_were():
    mira, openai = PersonFactory(name="Mira Murati"), OrganizationFactory(name="OpenAI")
    other = PersonFactory(name="Someone Else")
    move = record(mira, openai, "appointed", "Chief Technology Officer", "2022-05")
    role_change_update(role_change=move, person=other, title="chief technology officer")
    [change] = pending_edit().changes  # the title differs only in case: the same post
    assert change["field"] == "person"
    assert (change["before"]["text"], change["after"]["text"]) == ("Mira Murati", "Someone Else")
    proposed_edit_decide(edit=pending_edit(), editor=editor(), decision="verified")
    assert spans(other, "public") == [("Chief Technology Officer", "2022-05", "")]
    assert spans(mira, "public") == []


def test_an_unconfirmed_move_is_edited_at_once():
    mira, openai = PersonFactory(name="Mira Murati"), OrganizationFactory(name="OpenAI")
    move = record(mira, openai, "appointed", "CTO", "2022-05", public=False)
    role_change_update(role_change=move, effective=PartialDate.parse("2022-06"))
    assert RoleChange.objects.get(pk=move.pk).effective == PartialDate.parse("2022-06")
    assert not ProposedEdit.objects.exists()


def test_deleting_a_move_takes_its_waiting_edit_with_it():
    move = record(PersonFactory(), OrganizationFactory(), "appointed", "CTO", "2022-05")
    role_change_update(role_change=move, reason="Hired from Tesla.")
    assert ProposedEdit.objects.exists()
    role_change_delete(role_change=RoleChange.objects.for_display().get(pk=move.pk))
    assert not ProposedEdit.objects.exists()
