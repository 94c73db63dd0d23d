"""The desk's CSV upload, imported by a background job, with its progress on the side.

**Where the progress goes, and why.** The import writes everything in one transaction, all
or nothing (exchange/imports.py), and the rows done must be visible while that transaction
is still open. A write to the upload's own row from inside it would be invisible until the
commit; a second database connection does not do either: on SQLite (the embedded default)
the open import holds the database's only write lock, so any other writer waits for the
commit. So progress goes to a cache, ``caches["progress"]``, which no transaction covers and
which every process sees: Redis in production (the shared default cache), small files under
``var/progress`` otherwise (a worker and the development server on one machine). A lost or
evicted entry costs only the bar: the page then says "importing" without figures. Writes
are throttled to two a second. The result itself (state, counts, every error with its line)
is written to the ``MovesUpload`` row in the import's own transaction, so it is committed
exactly when the import is.

**Retries.** The job locks the upload's row and does nothing when it is already finished,
so a retry of a finished import, or the same job delivered twice, changes nothing. An attempt
that fails rolls back the import and the result together (one transaction): nothing half
imported, and the next attempt starts from the file again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exchange.csv_format import moves_parse
from exchange.imports import ImportNotAllowed, import_verifier, moves_import
from exchange.models import FINISHED, MovesUpload, UploadState
from newsroom.jobs import job

PROGRESS_TTL = 24 * 3600
WRITE_EVERY = 0.5  # seconds between progress writes, at most


def _key(upload: MovesUpload) -> str:
    return f"moves-upload:{upload.pk}:{upload.created_at.timestamp()}"


@dataclass(frozen=True)
class Progress:
    """Rows done of an import running now, with its speed and the time left."""

    done: int
    total: int
    elapsed: float  # seconds since the import started

    @property
    def rows_per_second(self) -> float | None:
        return self.done / self.elapsed if self.done and self.elapsed > 0 else None

    @property
    def seconds_left(self) -> int | None:
        rate = self.rows_per_second
        return round((self.total - self.done) / rate) if rate else None


def progress_read(upload: MovesUpload) -> Progress | None:
    """The last progress written for a running upload (no database query)."""
    entry = caches["progress"].get(_key(upload))
    if not entry:
        return None
    return Progress(done=entry["done"], total=entry["total"], elapsed=entry["at"] - entry["start"])


class _ProgressWriter:
    def __init__(self, upload: MovesUpload, total: int) -> None:
        self.key = _key(upload)
        self.total = total
        self.start = time.time()
        self.last = 0.0
        self.write(0, force=True)

    def write(self, done: int, *, force: bool = False) -> None:
        now = time.time()
        if not force and now - self.last < WRITE_EVERY and done < self.total:
            return
        self.last = now
        entry = {"done": done, "total": self.total, "start": self.start, "at": now}
        caches["progress"].set(self.key, entry, PROGRESS_TTL)


def _finish(upload: MovesUpload, state: UploadState, summary: str, errors: list) -> None:
    upload.state = state
    upload.summary = summary
    upload.errors = errors
    upload.finished_at = timezone.now()
    upload.save(update_fields=["state", "summary", "errors", "finished_at"])


def moves_upload_gave_up(upload_id: int, *, error: str) -> None:
    """Every attempt failed (or the last one's worker was lost): the page says so for good,
    instead of waiting for a worker that will not come."""
    MovesUpload.objects.filter(pk=upload_id).exclude(state__in=FINISHED).update(
        state=UploadState.FAILED,
        finished_at=timezone.now(),
        summary=_("Every attempt failed and was rolled back; nothing was imported (%(error)s).")
        % {"error": error[:500]},
    )


@job(max_attempts=3, on_give_up=moves_upload_gave_up)
def moves_upload_run(upload_id: int) -> str:
    """Import an uploaded file (all or nothing) and record the result on its upload."""
    upload = MovesUpload.objects.filter(pk=upload_id).first()
    if upload is None:
        return "the upload no longer exists"
    if upload.finished:
        return f"already {upload.state}"
    parsed = moves_parse(upload.content, filename=upload.filename)
    # Outside the import's transaction (autocommit): the page shows at once that it started.
    MovesUpload.objects.filter(pk=upload.pk).update(
        state=UploadState.RUNNING, started_at=timezone.now(), rows_total=len(parsed.rows)
    )
    writer = _ProgressWriter(upload, len(parsed.rows))
    try:
        with transaction.atomic():
            upload = (
                MovesUpload.objects.select_for_update(of=("self",))
                .select_related("uploaded_by")
                .get(pk=upload_id)
            )
            if upload.finished:
                return f"already {upload.state}"
            try:
                verifier = (
                    import_verifier(upload.uploaded_by.get_username()) if upload.verify else None
                )
            except ImportNotAllowed as refused:
                _finish(upload, UploadState.REFUSED, "", [[1, str(refused)]])
                return upload.state
            result = moves_import(
                parsed=parsed,
                verified_by=verifier,
                recorded_by=upload.uploaded_by,
                on_progress=writer.write,
            )
            if result.ok:
                writer.write(result.rows, force=True)
                _finish(upload, UploadState.DONE, result.summary(), [])
            else:
                errors = [[error.line, error.message] for error in result.errors]
                _finish(upload, UploadState.REFUSED, "", errors)
    except Exception as failed:
        # Rolled back whole; newsroom.jobs tries the job again later (the desk's job list
        # shows it if it fails for good). The page says so meanwhile.
        MovesUpload.objects.filter(pk=upload_id).update(
            state=UploadState.QUEUED,
            summary=_("An attempt failed and was rolled back (%(error)s); it will be tried again.")
            % {"error": f"{type(failed).__name__}: {failed}"[:500]},
        )
        raise
    return upload.state
