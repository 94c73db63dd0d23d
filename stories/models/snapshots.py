"""Snapshots of sources: what a source's page said when it was fetched (stories.snapshots)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceSnapshot(models.Model):
    """One capture of a source's page: kept so that a quote can be checked again after the
    page changes or disappears.

    A new snapshot is recorded only when what the server sent differs from the source's
    latest snapshot (``content_hash``); a fetch that finds the same bytes only moves
    ``last_seen_at``, so retried and repeated checks are idempotent. The raw response is in
    ``warc`` (a gzipped WARC file under MEDIA_ROOT, never served as a web page); ``text`` is
    the page's main text, as extracted (trafilatura), and what the desk shows.
    """

    source = models.ForeignKey("stories.Source", on_delete=models.CASCADE, related_name="snapshots")
    taken_at = models.DateTimeField(_("taken at"), db_index=True)
    last_seen_at = models.DateTimeField(_("last seen at"))
    url = models.URLField(_("URL asked for"), max_length=2000)
    final_url = models.URLField(_("final URL"), max_length=2000)
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    content_hash = models.CharField(_("SHA-256 of the body"), max_length=64)
    text_hash = models.CharField(_("SHA-256 of the main text"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("bytes kept"), default=0)
    truncated = models.BooleanField(_("cut at the size limit"), default=False)
    text = models.TextField(_("main text"), blank=True)
    warc = models.FileField(_("WARC file"), upload_to="snapshots/", blank=True, max_length=300)

    class Meta:
        ordering = ["-taken_at", "-pk"]
        indexes = [models.Index(fields=["source", "-taken_at"], name="snapshot_source_taken")]

    def __str__(self) -> str:
        return f"{self.final_url} at {self.taken_at:%Y-%m-%d %H:%M}"
