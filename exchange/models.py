"""An editor's CSV upload of moves, imported by a background job (exchange.upload_jobs).

The file's text is kept in the row (a TextField, not a file under MEDIA_ROOT): it is at most
a few MB, it must reach the worker on whatever machine runs it (the database is the one
store every worker shares; the media root need not be), and it goes with the row when the
row is deleted, so nothing is left behind on disk.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UploadState(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    REFUSED = "refused", _("Refused: nothing imported")
    FAILED = "failed", _("Failed: nothing imported")


FINISHED = (UploadState.DONE, UploadState.REFUSED, UploadState.FAILED)


class MovesUpload(models.Model):
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moves_uploads"
    )
    filename = models.CharField(max_length=255)
    content = models.TextField()
    verify = models.BooleanField(default=False)
    state = models.CharField(max_length=16, choices=UploadState, default=UploadState.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True)
    # [[line, message], ...] in line order: every error of a refused file.
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in FINISHED
