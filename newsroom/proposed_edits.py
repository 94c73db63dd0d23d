"""Edits of verified material that wait for an editor (rule 5), whatever the material is.

An edit of a quote, a source or a move that an editor verified never reaches readers on its
own: the app that owns the material compares the edit with the row (the verified version)
and hands the difference to :func:`proposed_edit_hold`, which keeps it as one pending
:class:`~newsroom.models.ProposedEdit` per object. The row is written only when an editor
verifies the edit (stories.services.edits); until then readers, feeds and the API read the
row as it was verified, and the desk shows both.

Values are kept as JSON (:func:`encode`): a partial date keeps its precision, a person or
an organization its id and the name it had, so the edit can be applied (:func:`decode`) and
shown (:func:`display`) later.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Mapping
from enum import Enum

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.audit import audit_record
from newsroom.dates import InvalidPartialDate, PartialDate
from newsroom.models import AuditAction, ProposedEdit, ProposedEditState

# Values --------------------------------------------------------------------------------------


def encode(value: object) -> object:
    """A field's value as JSON that :func:`decode` turns back into it."""
    if isinstance(value, PartialDate):
        return {"partial_date": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, models.Model):
        return {"model": value._meta.label_lower, "pk": value.pk, "text": str(value)}
    if isinstance(value, Enum):
        return value.value
    return value


def decode(value: object) -> object:
    """The value :func:`encode` kept; a person or organization is read again by its id (one
    that no longer exists is refused, saying which)."""
    if not isinstance(value, dict):
        return value
    if "partial_date" in value:
        return PartialDate.parse(value["partial_date"])
    if "date" in value:
        return datetime.date.fromisoformat(value["date"])
    model = apps.get_model(value["model"])
    found = model.objects.filter(pk=value["pk"]).first()
    if found is None:
        raise ValidationError(
            _("%(name)s is no longer on the desk: edit it again.") % {"name": value["text"]}
        )
    return found


def display(value: object) -> str:
    """A kept value as the desk shows it: dates at their precision, names, yes or no."""
    if value is None or value == "":
        return _("(empty)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        if "partial_date" in value:
            try:
                return PartialDate.parse(value["partial_date"]).display()
            except InvalidPartialDate:
                return value["partial_date"]
        if "date" in value:
            return value["date"]
        return str(value.get("text", ""))
    return str(value)


def is_text(value: object) -> bool:
    """Text is shown as a word-by-word difference; anything else as before → after."""
    return isinstance(value, str)


# Showing what changed ------------------------------------------------------------------------

# Words and spaces of alphabetic scripts stay whole; Chinese, Japanese and Korean characters,
# written without spaces, are compared one by one, as is any punctuation (an added "。").
_TOKEN = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]|\w+|\s+|.", re.S)


def inline_diff(before: str, after: str) -> list[tuple[str, str]]:
    """``(operation, text)`` pieces that turn ``before`` into ``after``: ``"="`` kept,
    ``"-"`` removed, ``"+"`` added. Adjacent pieces of the same kind are joined."""
    old, new = _TOKEN.findall(before or ""), _TOKEN.findall(after or "")
    pieces: list[tuple[str, str]] = []

    def add(operation: str, tokens: list[str]) -> None:
        if not tokens:
            return
        text = "".join(tokens)
        if pieces and pieces[-1][0] == operation:
            pieces[-1] = (operation, pieces[-1][1] + text)
        else:
            pieces.append((operation, text))

    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            add("=", old[old_start:old_end])
        else:
            add("-", old[old_start:old_end])
            add("+", new[new_start:new_end])
    return pieces


# Holding an edit -----------------------------------------------------------------------------


def proposed_edit_pending(target: models.Model) -> ProposedEdit | None:
    """The edit of ``target`` waiting for an editor, if there is one."""
    return ProposedEdit.objects.pending().of(target).first()


def proposed_edit_values(edit: ProposedEdit) -> dict[str, object]:
    """The proposed value of each edited field, ready to write."""
    return {change["field"]: decode(change["after"]) for change in edit.changes}


def proposed_edit_hold(
    *,
    target: models.Model,
    changes: Mapping[str, tuple[object, object]],
    proposed_by: AbstractBaseUser | None,
) -> ProposedEdit | None:
    """Keep ``changes`` (field → (verified value, proposed value)) to ``target`` for an
    editor; nothing is written to ``target`` itself.

    An edit already waiting for ``target`` is replaced: both start from the verified version,
    so the new one says everything. With no change left (edited back to the verified
    version), the waiting edit is withdrawn and None is returned.
    """
    try:
        with transaction.atomic():
            return _hold(target, changes, proposed_by)
    except IntegrityError:
        # Another edit of the same object was proposed at this very moment: replace it.
        with transaction.atomic():
            return _hold(target, changes, proposed_by)


def _hold(target, changes, proposed_by) -> ProposedEdit | None:
    now = timezone.now()
    pending = ProposedEdit.objects.pending().of(target).select_for_update().first()
    if not changes:
        if pending is not None:
            pending.state = ProposedEditState.WITHDRAWN
            pending.decided_by = proposed_by
            pending.decided_at = now
            pending.note = _("Edited back to the verified version.")
            pending.save(update_fields=["state", "decided_by", "decided_at", "note"])
            audit_record(
                action=AuditAction.EDIT_PROPOSED,
                obj=target,
                actor=proposed_by,
                detail=f"Edit {pending.pk} withdrawn: edited back to the verified version.",
            )
        return None
    if pending is None:
        pending = ProposedEdit(
            content_type=ContentType.objects.get_for_model(target), object_id=target.pk
        )
    else:
        pending.version += 1
    pending.changes = [
        {"field": field, "before": encode(before), "after": encode(after)}
        for field, (before, after) in changes.items()
    ]
    pending.proposed_by = proposed_by
    pending.proposed_at = now
    pending.save()
    audit_record(
        action=AuditAction.EDIT_PROPOSED,
        obj=target,
        actor=proposed_by,
        detail=f"Edit {pending.pk} waits for an editor: {', '.join(changes)}.",
    )
    return pending
