"""The audit log of editorial actions. Written only by ``newsroom.audit.audit_record``."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    CITATION_DECIDED = "citation.decided", "Citation decided"
    CITATION_REOPENED = "citation.reopened", "Citation reopened (its quote or source edited)"
    SOURCE_EDITED = "source.edited", "Source edited"
    STATEMENT_EDITED = "statement.edited", "Quote edited"
    STORY_PUBLISHED = "story.published", "Story published"
    STORY_SENT_BACK = "story.sent_back", "Story sent back"
    STORY_WITHDRAWN = "story.withdrawn", "Story withdrawn"
    STORY_CORRECTED = "story.corrected", "Correction added"
    CORRECTION_FLAG_RESOLVED = "story.flag_resolved", "Correction flag resolved"
    ROLE_CHANGE_RECORDED = "role_change.recorded", "Role change recorded"
    ROLE_CHANGE_EDITED = "role_change.edited", "Role change edited"
    ROLE_CHANGE_DELETED = "role_change.deleted", "Role change deleted"
    MOVES_IMPORTED = "import.moves", "Moves imported (CSV)"
    POPOLO_IMPORTED = "import.popolo", "Popolo imported"
    WIKIDATA_IMPORTED = "import.wikidata", "Wikidata imported"


class AuditEntry(models.Model):
    """Who did what to which object, when, and from which address.

    The object is named by type, id and a short text kept at the time, so the entry still
    reads correctly after the object changes or is deleted; so is the actor's username.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=32, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["actor", "-at"], name="audit_actor_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or 'system'} {self.action}"
