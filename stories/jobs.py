"""The stories app's background jobs (newsroom.jobs: retried with backoff, idempotent)."""

from __future__ import annotations

from newsroom.jobs import job
from stories.models import Source
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
