"""The editor's decision on an edit of verified material (rule 5).

An edit of a verified quote, source or move waits as a ``ProposedEdit`` (held by
stories.services.citations and people.services); readers keep the verified version. Verifying
the edit writes it (:func:`statement_apply`, :func:`source_apply`, :func:`role_change_apply`)
and its citations stay verified: a typo fix never takes the fact down. Rejecting it leaves
the verified version as it is. Neither flags a story for a correction: only rejecting or
disputing the verified version itself does (stories.services.verification).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.audit import audit_record
from newsroom.models import AuditAction, ProposedEdit, ProposedEditState
from newsroom.proposed_edits import proposed_edit_values
from people.models import RoleChange
from people.services import role_change_apply
from stories.models import Source, Statement
from stories.services.citations import source_apply, statement_apply

DECISIONS = {ProposedEditState.VERIFIED, ProposedEditState.REJECTED}


class ProposedEditConflict(Exception):
    """The edit was decided, withdrawn or replaced since the editor read it."""

    def __init__(self, edit: ProposedEdit) -> None:
        self.edit = edit
        if edit.state == ProposedEditState.PENDING:
            message = _("This edit was changed since you opened it: read it again before deciding.")
        else:
            who = edit.decided_by.get_username() if edit.decided_by else _("someone")
            message = _("%(who)s already marked this edit %(state)s.") % {
                "who": who,
                "state": edit.get_state_display(),
            }
        super().__init__(message)


def proposed_edit_decide(
    *,
    edit: ProposedEdit,
    editor: AbstractBaseUser,
    decision: ProposedEditState | str,
    note: str = "",
    expected_version: int | None = None,
) -> ProposedEdit:
    """Verify (the edit is written to the quote, source or move) or reject (the verified
    version stays) an edit waiting for an editor; a rejection needs a note.

    ``expected_version`` is the version of the edit the editor read: an edit replaced,
    decided or withdrawn since raises :class:`ProposedEditConflict` and nothing is written.
    An edit the desk now refuses (another quote with these words was recorded since, a
    tenure conflict) raises ``ValidationError`` and stays waiting.
    """
    decision = ProposedEditState(decision)
    note = note.strip()
    if not editor.has_perm("stories.verify_citation"):
        raise PermissionDenied(_("Only editors verify or reject edits."))
    if decision not in DECISIONS:
        raise ValidationError({"decision": [_("Choose verify or reject.")]})
    if decision == ProposedEditState.REJECTED and not note:
        raise ValidationError(
            {"note": [_("Say why the edit is rejected: whoever proposed it will read it.")]}
        )
    with transaction.atomic():
        locked = (
            ProposedEdit.objects.select_for_update(of=("self",))
            .select_related("decided_by", "content_type")
            .get(pk=edit.pk)
        )
        if locked.state != ProposedEditState.PENDING or (
            expected_version is not None and locked.version != expected_version
        ):
            raise ProposedEditConflict(locked)
        target = _locked_target(locked)
        if decision == ProposedEditState.VERIFIED:
            _apply(target, locked, editor)
        locked.state = decision
        locked.decided_by = editor
        locked.decided_at = timezone.now()
        locked.note = note
        locked.save(update_fields=["state", "decided_by", "decided_at", "note"])
        audit_record(
            action=AuditAction.EDIT_VERIFIED
            if decision == ProposedEditState.VERIFIED
            else AuditAction.EDIT_REJECTED,
            obj=target,
            actor=editor,
            detail=f"Edit {locked.pk} ({', '.join(locked.fields)})" + (f": {note}" if note else ""),
        )
    edit.state, edit.decided_by, edit.decided_at, edit.note = (
        locked.state,
        locked.decided_by,
        locked.decided_at,
        locked.note,
    )
    return locked


def _locked_target(edit: ProposedEdit) -> Statement | Source | RoleChange:
    model = edit.content_type.model_class()
    queryset = model.objects.select_for_update(of=("self",))
    if model is Statement:
        queryset = queryset.select_related("source", "speaker")
    elif model is RoleChange:
        queryset = queryset.select_related("person", "organization", "post", "previous_post")
    return queryset.get(pk=edit.object_id)


def _apply(target: Statement | Source | RoleChange, edit: ProposedEdit, editor) -> None:
    values = proposed_edit_values(edit)
    if isinstance(target, Statement):
        statement_apply(statement=target, editor=editor, **values)
    elif isinstance(target, Source):
        source_apply(source=target, editor=editor, **values)
    else:
        role_change_apply(role_change=target, **values)
