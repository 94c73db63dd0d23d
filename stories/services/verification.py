"""The editor's checks: rule 3 (what readers may see) and every change of a citation's state.

- Rule 3: a role change is publicly confirmed exactly when at least one of its citations is
  verified. :func:`public_role_changes` is the rule; the desk (:func:`role_change_sync_public`),
  the CSV and Popolo imports and the benchmark's synthetic desk all ask it.
- A citation changes state only through :func:`citations_set_state`, which records the
  history row (:func:`citation_history_fields`: who, when, from what state to what, why) for
  each; the bulk import writes the same rows for the citations it creates.
- :func:`citation_decide` is the editor's decision. An edit of what a citation rests on never
  changes its state (rule 5: the edit waits for an editor, stories/services/edits.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.audit import audit_record
from newsroom.batches import chunks
from newsroom.cache import touches
from newsroom.models import AuditAction
from newsroom.notifications import notify
from people.models import RoleChange
from people.services import role_change_set_public
from stories.cache_tags import citation_tags
from stories.models import Citation, CitationDecision, CitationState
from stories.services.publishing import stories_flag_for_correction

NOTE_REQUIRED = {CitationState.DISPUTED, CitationState.REJECTED}


class CitationConflict(Exception):
    """Someone else decided this citation first. Carries what they decided, when and why."""

    def __init__(self, citation: Citation) -> None:
        self.citation = citation
        who = citation.decided_by.get_username() if citation.decided_by else "someone"
        when = (
            timezone.localtime(citation.decided_at).strftime("%Y-%m-%d %H:%M")
            if (citation.decided_at)
            else "earlier"
        )
        super().__init__(
            f"{who} already marked this citation {citation.get_state_display()} at {when}"
            + (f": “{citation.decision_note}”" if citation.decision_note else ".")
        )


# Rule 3 ---------------------------------------------------------------------------------------


def public_role_changes(
    *,
    role_change_ids: Iterable[int],
    verified_now: Collection[int] = (),
    uncited: Collection[int] = (),
) -> set[int]:
    """Rule 3: which of ``role_change_ids`` readers may see, namely those with at least one
    verified citation.

    The database's citations are read (a thousand role changes a query). Bulk writers pass
    what the database does not hold yet: ``verified_now``, the role changes they are giving a
    verified citation, and ``uncited``, role changes they are creating, which have no citation
    on record (nothing is read for them).
    """
    ids = set(role_change_ids)
    public = ids & set(verified_now)
    unknown = sorted(ids - public - set(uncited))
    for chunk in chunks(unknown):
        public.update(
            Citation.objects.filter(role_change_id__in=chunk, state=CitationState.VERIFIED)
            .values_list("role_change_id", flat=True)
            .distinct()
        )
    return public


def role_change_sync_public(*, role_change_id: int) -> RoleChange:
    """Set a role change's public flag by rule 3 (and rebuild its tenures when it changes).

    The role change's row is locked first, so two editors deciding two of its citations at
    once take turns here: the second counts verified citations only after the first has
    committed, and its answer (and the ``is_public`` it compares with) is never stale.
    """
    with transaction.atomic():
        role_change = (
            RoleChange.objects.select_for_update(of=("self",))
            .select_related("person", "organization", "post")
            .get(pk=role_change_id)
        )
        is_public = role_change_id in public_role_changes(role_change_ids=[role_change_id])
        return role_change_set_public(role_change=role_change, is_public=is_public)


# A citation's state and its history -----------------------------------------------------------


def citation_history_fields(
    *,
    citation_id: int,
    from_state: str,
    to_state: str,
    actor_id: int | None,
    at: datetime.datetime,
    note: str,
) -> dict[str, object]:
    """The history row of one change of a citation's state (``from_state`` is empty for a
    citation just recorded), as the ORM and the bulk writer both write it."""
    return {
        "citation_id": citation_id,
        "actor_id": actor_id,
        "at": at,
        "from_state": str(from_state),
        "to_state": str(to_state),
        "note": note,
    }


def citations_set_state(
    *,
    citations: list[Citation],
    to_state: CitationState,
    actor: AbstractBaseUser | None,
    note: str,
    at: datetime.datetime | None = None,
) -> None:
    """Move ``citations`` (rows the caller has locked) to ``to_state``: who decided, when and
    why are set on each, and each gets its history row. Two queries however many there are.
    """
    if not citations:
        return
    at = at or timezone.now()
    actor_id = actor.pk if actor is not None else None
    CitationDecision.objects.bulk_create(
        CitationDecision(
            **citation_history_fields(
                citation_id=citation.pk,
                from_state=citation.state,
                to_state=to_state,
                actor_id=actor_id,
                at=at,
                note=note,
            )
        )
        for citation in citations
    )
    Citation.objects.filter(pk__in=[citation.pk for citation in citations]).update(
        state=to_state, decided_by_id=actor_id, decided_at=at, decision_note=note
    )
    for citation in citations:
        citation.state = to_state
        citation.decided_by = actor
        citation.decided_at = at
        citation.decision_note = note


@touches(lambda _, *, citation, **kwargs: citation_tags(citation))
def citation_decide(
    *,
    citation: Citation,
    editor: AbstractBaseUser,
    decision: CitationState | str,
    note: str = "",
    expected_state: CitationState | str | None = None,
) -> Citation:
    """Verify, dispute or reject a citation, recording who, when, from what state and why.

    ``expected_state`` is the state the editor saw: when another editor decided in the
    meantime, :class:`CitationConflict` is raised with their decision and nothing is written.
    A disputed or rejected decision needs a note. Keeps the role change's public flag in step.
    """
    decision = CitationState(decision)
    note = note.strip()
    if not editor.has_perm("stories.verify_citation"):
        raise PermissionDenied(_("Only editors can verify, dispute or reject citations."))
    if decision == CitationState.PENDING:
        raise ValidationError({"decision": [_("Choose verified, disputed or rejected.")]})
    if decision in NOTE_REQUIRED and not note:
        raise ValidationError(
            {"note": [f"Say why the citation is {decision.label}: the journalist will read it."]}
        )
    with transaction.atomic():
        locked = (
            Citation.objects.select_for_update(of=("self",))
            .select_related("decided_by")
            .get(pk=citation.pk)
        )
        if (
            expected_state is not None and locked.state != CitationState(expected_state)
        ) or locked.state == decision:
            # Read again to name who decided: a row locked after waiting for another editor
            # comes back at its latest version, but the editor joined to it is the one from
            # before the wait (none, for a citation that was pending).
            raise CitationConflict(Citation.objects.select_related("decided_by").get(pk=locked.pk))
        audit_record(
            action=AuditAction.CITATION_DECIDED,
            obj=locked,
            actor=editor,
            detail=f"{locked.state} → {decision}" + (f": {note}" if note else ""),
        )
        citations_set_state(citations=[locked], to_state=decision, actor=editor, note=note)
        if locked.role_change_id:
            role_change_sync_public(role_change_id=locked.role_change_id)
        if decision in NOTE_REQUIRED:
            stories_flag_for_correction(citation=locked, note=note)
        _notify_decision(citation=locked, editor=editor, note=note)
    # Keep the caller's object in step without dropping what it already loaded.
    for field in ("state", "decided_by", "decided_at", "decision_note"):
        setattr(citation, field, getattr(locked, field))
    return locked


def _notify_decision(*, citation: Citation, editor: AbstractBaseUser, note: str) -> None:
    """The journalist who recorded the citation hears of the decision (not the editor who
    took it, when the same person)."""
    if citation.created_by_id is None or citation.created_by_id == editor.pk:
        return
    message = _("Citation %(number)s was marked %(state)s by %(editor)s.") % {
        "number": citation.pk,
        "state": citation.get_state_display(),
        "editor": editor.get_username(),
    }
    if note:
        message += " " + _("Note: %(note)s") % {"note": note}
    notify(
        recipients=get_user_model().objects.filter(pk=citation.created_by_id),
        kind=f"citation.{citation.state}",
        message=message,
        url=reverse("stories:citation-detail", args=[citation.pk]),
    )
