"""The stories app's background jobs (newsroom.jobs: retried with backoff, idempotent)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.jobs import job
from stories.models import Source, Story, StoryStatus
from stories.source_checks import source_check


class SourceUnreachable(Exception):
    """No server answered: worth trying again later (the job is retried with backoff)."""


@job(max_attempts=4)
def check_source(source_id: int) -> str:
    """Check one source and keep a snapshot of its page (stories.snapshots).

    Enqueued when a source is first cited, and by the scheduled checks. Idempotent: a check
    records the page as it is now, and an unchanged page adds no snapshot.
    """
    source = Source.objects.prefetch_related("statements").filter(pk=source_id).first()
    if source is None:
        return "the source no longer exists"
    check = source_check(source=source)
    if check.status == "unreachable":
        raise SourceUnreachable(check.note)
    return check.status


@job(max_attempts=3)
def check_stale_sources(stale_days: int) -> int:
    """The nightly check (settings.JOBS_SCHEDULE): one check_source job for each source not
    checked in `stale_days` days, never checked ones first; return how many. Each check is
    its own job, retried on its own."""
    cutoff = timezone.now() - datetime.timedelta(days=stale_days)
    stale = (
        Source.objects.filter(Q(last_checked_at__isnull=True) | Q(last_checked_at__lt=cutoff))
        .order_by(F("last_checked_at").asc(nulls_first=True), "pk")
        .values_list("pk", flat=True)
    )
    ids = list(stale)
    # Below the default priority: a source cited a moment ago is checked before these.
    nightly = check_source.using(priority=-10)
    for source_id in ids:
        nightly.enqueue(source_id)
    return len(ids)


@job(max_attempts=3)
def publish_scheduled_story(story_id: int, scheduled_for: str) -> str:
    """Publish a story at the moment it was scheduled for (stories.services.scheduling).

    Does nothing when the story is no longer scheduled for `scheduled_for` (an ISO 8601
    moment in UTC): rescheduled, pulled, or published meanwhile. A story that something now
    blocks (a citation disputed since) is not published: the job fails with the blockers,
    and the desk lists it.
    """
    from stories.services import story_publish  # the services import this module

    story = Story.objects.filter(pk=story_id).first()
    moment = datetime.datetime.fromisoformat(scheduled_for)
    if story is None or story.status != StoryStatus.IN_REVIEW or story.scheduled_for != moment:
        return "no longer scheduled for this moment"
    editor = get_user_model().objects.filter(pk=story.scheduled_by_id).first()
    if editor is None:
        raise RuntimeError(f"the editor who scheduled story {story_id} no longer exists")
    story_publish(story=story, editor=editor)
    return "published"


def _queue_line(label: str, count: int, oldest: datetime.datetime | None) -> str:
    if not count:
        return ""
    return _("%(label)s: %(count)s, the oldest since %(oldest)s") % {
        "label": label,
        "count": count,
        "oldest": f"{timezone.localtime(oldest):%Y-%m-%d %H:%M}" if oldest else "?",
    }


@job(max_attempts=3)
def send_editors_digest() -> int:
    """What waits in the editors' queues (how many, since when), to every editor: in the
    inbox, and by e-mail to those who want it. Daily (settings.JOBS_SCHEDULE); nothing is
    sent when nothing waits. Returns how many editors were told."""
    from newsroom.models import ProposedEdit
    from newsroom.notifications import notify
    from newsroom.permissions import EDITORS
    from stories.models import Citation, CorrectionFlag

    def summary(queryset, field: str) -> tuple[int, datetime.datetime | None]:
        found = queryset.aggregate(count=Count("pk"), oldest=Min(field))
        return found["count"], found["oldest"]

    lines = [
        _queue_line(_("Citations to verify"), *summary(Citation.objects.pending(), "created_at")),
        _queue_line(
            _("Stories in review"),
            *summary(Story.objects.filter(status=StoryStatus.IN_REVIEW), "updated_at"),
        ),
        _queue_line(
            _("Stories flagged for a correction"),
            *summary(CorrectionFlag.objects.filter(resolved_at__isnull=True), "created_at"),
        ),
        _queue_line(
            _("Edits of verified material"),
            *summary(ProposedEdit.objects.pending(), "proposed_at"),
        ),
    ]
    lines = [line for line in lines if line]
    if not lines:
        return 0
    editors = (
        get_user_model()
        .objects.filter(Q(groups__name=EDITORS) | Q(is_superuser=True), is_active=True)
        .distinct()
    )
    told = notify(
        recipients=editors,
        kind="digest",
        message=_("Waiting on the desk. %(lines)s.") % {"lines": "; ".join(lines)},
        url=reverse("stories:verify-queue"),
    )
    return len(told)
