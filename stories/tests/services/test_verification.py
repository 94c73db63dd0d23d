"""Rule 3 and the editor's decisions, through stories/services/verification.py: what the
desk, both imports and the synthetic desk ask, and every change of a citation's state."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from people.models import RoleChange, Tenure
from people.tests.factories import editor, journalist
from stories.models import CitationDecision, CitationState
from stories.services import (
    CitationConflict,
    citation_add,
    citation_decide,
    public_role_changes,
)
from stories.tests.factories import SourceFactory, pending_citation

pytestmark = pytest.mark.django_db

ZOPH = "https://x.com/barret_zoph/status/1839095143397515452"


# Rule 3: public facts are verified facts ---------------------------------------------------


def test_a_move_becomes_public_when_its_first_citation_is_verified():
    citation = pending_citation()
    move = RoleChange.objects.get(pk=citation.role_change_id)
    assert not move.is_public
    assert not Tenure.objects.public().filter(person_id=move.person_id).exists()
    citation_decide(citation=citation, editor=editor(), decision="verified")
    move.refresh_from_db()
    assert move.is_public
    assert Tenure.objects.public().filter(person_id=move.person_id).exists()


def test_a_move_stops_being_public_when_no_verified_citation_remains():
    chief = editor()
    citation = pending_citation()
    citation_decide(citation=citation, editor=chief, decision="verified")
    second = citation_add(role_change=citation.role_change, source=SourceFactory(), statement=None)
    citation_decide(citation=second, editor=chief, decision="verified")
    citation_decide(citation=citation, editor=chief, decision="rejected", note="Misquoted.")
    assert RoleChange.objects.get(pk=citation.role_change_id).is_public
    citation_decide(citation=second, editor=chief, decision="disputed", note="Says CIO, not CTO.")
    move = RoleChange.objects.get(pk=citation.role_change_id)
    assert not move.is_public
    assert not Tenure.objects.public().filter(person_id=move.person_id).exists()


def test_every_decision_is_kept_with_who_when_from_and_to():
    chief = editor()
    citation = pending_citation(created_by=journalist())
    citation_decide(citation=citation, editor=chief, decision="disputed", note="Wrong title.")
    citation_decide(citation=citation, editor=chief, decision="verified", note="Checked again.")
    history = list(
        CitationDecision.objects.filter(citation=citation).values_list(
            "from_state", "to_state", "note", "actor"
        )
    )
    assert history == [
        ("", "pending", "Recorded; waiting for an editor's check.", citation.created_by_id),
        ("pending", "disputed", "Wrong title.", chief.pk),
        ("disputed", "verified", "Checked again.", chief.pk),
    ]
    assert all(entry.at for entry in CitationDecision.objects.filter(citation=citation))


@pytest.mark.parametrize("decision", ["disputed", "rejected"])
def test_disputing_or_rejecting_needs_a_note(decision):
    citation = pending_citation()
    with pytest.raises(ValidationError) as refused:
        citation_decide(citation=citation, editor=editor(), decision=decision, note="  ")
    assert "note" in refused.value.message_dict
    citation.refresh_from_db()
    assert citation.state == CitationState.PENDING
    assert citation.decisions.count() == 1


def test_only_editors_decide():
    citation = pending_citation()
    with pytest.raises(PermissionDenied):
        citation_decide(citation=citation, editor=journalist(), decision="verified")
    citation.refresh_from_db()
    assert citation.state == CitationState.PENDING


def test_a_decision_made_meanwhile_is_not_overwritten():
    first, second = editor(username="first"), editor(username="second")
    citation = pending_citation()
    citation_decide(citation=citation, editor=first, decision="verified", expected_state="pending")
    with pytest.raises(CitationConflict) as clash:
        citation_decide(
            citation=citation,
            editor=second,
            decision="rejected",
            note="Not in the source.",
            expected_state="pending",
        )
    assert "first already marked this citation verified" in str(clash.value)
    citation.refresh_from_db()
    assert (citation.state, citation.decided_by_id) == ("verified", first.pk)
    assert citation.decisions.count() == 2


def test_rule_3_counts_the_verified_citations_a_bulk_writer_has_not_written_yet():
    """The imports and the synthetic desk pass what the database does not hold yet."""
    verified = pending_citation()
    citation_decide(citation=verified, editor=editor(), decision="verified")
    still_pending = pending_citation()
    uncited = 10**9  # a move being created: nothing is read for it
    assert public_role_changes(role_change_ids=[verified.role_change_id]) == {
        verified.role_change_id
    }
    assert public_role_changes(role_change_ids=[still_pending.role_change_id]) == set()
    assert public_role_changes(
        role_change_ids=[still_pending.role_change_id, uncited],
        verified_now=[still_pending.role_change_id],
        uncited=[uncited],
    ) == {still_pending.role_change_id}
    assert public_role_changes(role_change_ids=[uncited], uncited=[uncited]) == set()


def test_rule_3_reads_a_thousand_moves_a_query(django_assert_num_queries):
    ids = list(range(1, 2501))
    with django_assert_num_queries(3):
        public_role_changes(role_change_ids=ids)
