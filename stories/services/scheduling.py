"""Embargoes: an editor schedules a story in review for a moment, and a job publishes it then.

Until that moment the story is in review like any other, so nothing of it is public: pages,
feeds, the sitemap, the API and search all read ``Story.objects.published()``. Each schedule
enqueues its own job, to run at that moment, carrying the moment it was made for; a job whose
moment is no longer the story's (rescheduled, pulled, or published by hand meanwhile) does
nothing. So rescheduling and pulling never need to find and cancel a queued job.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.audit import audit_record
from newsroom.models import AuditAction
from stories.models import Story, StoryStatus
from stories.services.rules import StoryNotPublishable, publication_blockers, require


def story_schedule(
    *, story: Story, editor: AbstractBaseUser, publish_at: datetime.datetime
) -> Story:
    """Schedule (or reschedule) `story`, in review, for `publish_at` (aware, in the time zone
    the editor chose, which is kept for display). Refused if that moment has passed, or while
    anything blocks publication now (the job checks again at the time)."""
    require(editor, "stories.publish_story", _("Only editors schedule stories."))
    if timezone.is_naive(publish_at):
        raise ValueError("publish_at must be aware")
    if publish_at <= timezone.now():
        raise ValidationError(_("That time has passed: choose a moment in the future."))
    from stories.jobs import publish_scheduled_story  # the job module imports the services

    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        if locked.status != StoryStatus.IN_REVIEW:
            raise ValidationError(
                _("Only a story in review can be scheduled; this one is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        if blockers := publication_blockers(locked):
            raise StoryNotPublishable(blockers)
        zone = publish_at.tzinfo
        locked.scheduled_for = publish_at
        locked.scheduled_time_zone = getattr(zone, "key", "") or str(zone)
        locked.scheduled_by = editor
        locked.save(update_fields=["scheduled_for", "scheduled_time_zone", "scheduled_by"])
        # In the same transaction: the job exists if and only if the schedule does.
        publish_scheduled_story.using(run_after=publish_at).enqueue(
            locked.pk, publish_at.astimezone(datetime.UTC).isoformat()
        )
        audit_record(
            action=AuditAction.STORY_SCHEDULED,
            obj=locked,
            actor=editor,
            detail=f"{publish_at:%Y-%m-%d %H:%M} {locked.scheduled_time_zone}",
        )
    return locked


def story_unschedule(*, story: Story, editor: AbstractBaseUser) -> Story:
    """Pull a scheduled story: it stays in review, unpublished; its job will do nothing."""
    require(editor, "stories.publish_story", _("Only editors schedule stories."))
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        if locked.scheduled_for is None:
            raise ValidationError(_("This story is not scheduled."))
        locked.scheduled_for = None
        locked.scheduled_time_zone = ""
        locked.scheduled_by = None
        locked.save(update_fields=["scheduled_for", "scheduled_time_zone", "scheduled_by"])
        audit_record(action=AuditAction.STORY_UNSCHEDULED, obj=locked, actor=editor)
    return locked


def scheduled_local(story: Story) -> datetime.datetime | None:
    """The scheduled moment in the time zone the editor chose."""
    if story.scheduled_for is None:
        return None
    try:
        return story.scheduled_for.astimezone(ZoneInfo(story.scheduled_time_zone))
    except (ValueError, KeyError):
        return story.scheduled_for
