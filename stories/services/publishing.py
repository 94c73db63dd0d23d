"""Publishing and what follows it: rules 4 and 6 of the design.

- Rule 4: :func:`story_publish` refuses while anything in :func:`publication_blockers`
  stands in the way, naming each with a link.
- Rule 6: :func:`stories_flag_for_correction` flags every public story relying on a citation
  that was disputed or rejected (the article marks that footnote for readers at once,
  stories/views/articles.py); :func:`story_add_correction` resolves the flags the correction
  addresses, and only those. A withdrawn story keeps its date and the editors' notice, which
  readers get on its tombstone (410), in the feeds and on /corrections/.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.audit import audit_record
from newsroom.cache import touches
from newsroom.models import AuditAction
from newsroom.notifications import notify
from stories.cache_tags import of_story
from stories.models import (
    Citation,
    Correction,
    CorrectionFlag,
    FlagResolution,
    Story,
    StoryStatus,
)
from stories.services.rules import StoryNotPublishable, publication_blockers, require


@touches(of_story)
def story_publish(*, story: Story, editor: AbstractBaseUser) -> Story:
    """Publish a story in review; refused, naming each blocker, while any stands."""
    require(editor, "stories.publish_story", "Only editors publish stories.")
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        if locked.status != StoryStatus.IN_REVIEW:
            raise ValidationError(
                "Only a story in review can be published; "
                f"this one is {locked.get_status_display()}."
            )
        if blockers := publication_blockers(locked):
            raise StoryNotPublishable(blockers)
        now = timezone.now()
        locked.status = StoryStatus.PUBLISHED
        locked.first_published_at = locked.first_published_at or now
        locked.last_updated_at = now
        locked.review_note = ""
        # Published, by hand or by its job: an embargo has nothing left to do.
        locked.scheduled_for = None
        locked.scheduled_time_zone = ""
        locked.save()
        audit_record(action=AuditAction.STORY_PUBLISHED, obj=locked, actor=editor)
        notify(
            recipients=locked.authors.all(),
            kind="story.published",
            message=_("Your story “%(title)s” was published.") % {"title": locked.title},
            url=reverse("stories:story-detail", args=[locked.slug]),
        )
    return locked


@touches(of_story)
def story_withdraw(*, story: Story, editor: AbstractBaseUser, note: str) -> Story:
    """Take a published story down. Readers then get its tombstone (410): the headline, the
    dates and this notice, which the feeds and /corrections/ carry too.

    Its open correction flags are closed as resolved by the withdrawal: no correction can
    follow on a story readers no longer see, and the flag keeps who closed it, when and how.
    """
    require(editor, "stories.publish_story", "Only editors withdraw stories.")
    if not note.strip():
        raise ValidationError({"note": [_("Say why the story is withdrawn.")]})
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        if not locked.is_public:
            raise ValidationError(_("Only a published story can be withdrawn."))
        now = timezone.now()
        locked.status = StoryStatus.WITHDRAWN
        locked.withdrawal_note = note.strip()
        locked.withdrawn_at = now
        locked.save(update_fields=["status", "withdrawal_note", "withdrawn_at", "updated_at"])
        audit_record(
            action=AuditAction.STORY_WITHDRAWN, obj=locked, actor=editor, detail=note.strip()
        )
        open_flags = CorrectionFlag.objects.select_for_update().filter(
            story=locked, resolved_at__isnull=True
        )
        _resolve_flags(
            open_flags.order_by("pk"),
            story=locked,
            editor=editor,
            at=now,
            resolution=FlagResolution.WITHDRAWAL,
            detail=f"By withdrawing the story: {note.strip()}",
        )
    return locked


def _resolve_flags(
    flags: Iterable[CorrectionFlag],
    *,
    story: Story,
    editor: AbstractBaseUser,
    at: datetime.datetime,
    resolution: FlagResolution,
    detail: str,
    correction: Correction | None = None,
) -> None:
    """Close ``flags`` (locked, of ``story``), each with an audit entry saying how."""
    for flag in flags:
        flag.story = story  # named in the audit entry; already loaded and locked
        flag.resolved_at = at
        flag.resolved_by = editor
        flag.resolution = resolution
        flag.correction = correction
        flag.save(update_fields=["resolved_at", "resolved_by", "resolution", "correction"])
        audit_record(
            action=AuditAction.CORRECTION_FLAG_RESOLVED, obj=flag, actor=editor, detail=detail
        )


@touches(of_story)
def story_add_correction(
    *,
    story: Story,
    editor: AbstractBaseUser,
    text: str,
    resolved_flag_ids: Iterable[int] = (),
) -> Correction:
    """Add a dated correction to a published story, resolving the flags it addresses.

    Only the open flags named in ``resolved_flag_ids`` are resolved: a correction about a date
    says nothing about a disputed quote, so every other flag stays on the editors' desk. A flag
    that is not open on this story (resolved meanwhile, or another story's) refuses the whole
    correction, so the editor can look again before anything is written.
    """
    require(editor, "stories.correct_story", "Only editors add corrections.")
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        if not locked.is_public:
            raise ValidationError(_("Corrections are added to published stories."))
        return correction_add(
            story=locked, editor=editor, text=text, resolved_flag_ids=resolved_flag_ids
        )


def correction_check(*, story: Story, text: str, resolved_flag_ids: Iterable[int]) -> list:
    """The open flags of ``story`` (locked) that a correction saying ``text`` resolves;
    ValidationError when the text is empty or a flag is not open on this story."""
    if not text.strip():
        raise ValidationError({"text": [_("Write the correction readers will see.")]})
    wanted = set(resolved_flag_ids)
    flags = list(
        CorrectionFlag.objects.select_for_update()
        .filter(story=story, resolved_at__isnull=True, pk__in=wanted)
        .order_by("pk")
    )
    if missing := wanted - {flag.pk for flag in flags}:
        raise ValidationError(
            {
                "resolved_flag_ids": [
                    f"Flag {pk} is not an open flag of this story (another editor may have "
                    "resolved it): reload the story and tick the flags again."
                    for pk in sorted(missing)
                ]
            }
        )
    return flags


@touches(of_story)
def correction_add(
    *,
    story: Story,
    editor: AbstractBaseUser,
    text: str,
    resolved_flag_ids: Iterable[int] = (),
    diff: str = "",
) -> Correction:
    """Write a correction of ``story`` (locked and public): the dated text readers see, the
    story marked corrected, the audit entry (with ``diff`` when the text itself changed) and
    the flags it resolves."""
    flags = correction_check(story=story, text=text, resolved_flag_ids=resolved_flag_ids)
    now = timezone.now()
    correction = Correction.objects.create(
        story=story, text=text.strip(), created_by=editor, created_at=now
    )
    story.status = StoryStatus.CORRECTED
    story.last_updated_at = now
    story.save(update_fields=["status", "last_updated_at", "updated_at"])
    audit_record(
        action=AuditAction.STORY_CORRECTED, obj=story, actor=editor, detail=text.strip(), diff=diff
    )
    _resolve_flags(
        flags,
        story=story,
        editor=editor,
        at=now,
        resolution=FlagResolution.CORRECTION,
        detail=f"By correction {correction.pk}: {correction.text}",
        correction=correction,
    )
    return correction


def stories_flag_for_correction(*, citation: Citation, note: str) -> int:
    """Rule 6: flag every public story relying on a citation just disputed or rejected."""
    now = timezone.now()
    reason = f"Citation {citation.pk} was {citation.get_state_display()}: {note}"
    stories = Story.objects.published().filter(citations=citation)
    flagged = 0
    for story in stories:
        # An open flag says why as of the latest decision (disputed, then rejected).
        _flag, created = CorrectionFlag.objects.update_or_create(
            story=story,
            citation=citation,
            resolved_at=None,
            defaults={"reason": reason},
            create_defaults={"reason": reason, "created_at": now},
        )
        flagged += created
        if created:
            notify(
                recipients=story.authors.all(),
                kind="story.flagged",
                message=_("Your story “%(title)s” is flagged for a correction: %(reason)s")
                % {"title": story.title, "reason": reason},
                url=reverse("stories:story-edit", args=[story.pk]),
            )
    return flagged
