"""The audit log of editorial actions (written only by ``newsroom.audit.audit_record``), and
edits to verified material waiting for an editor (``newsroom.proposed_edits``)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CITATION_DECIDED = "citation.decided", _("Citation decided")
    CITATION_REOPENED = "citation.reopened", _("Citation reopened (its quote or source edited)")
    SOURCE_EDITED = "source.edited", _("Source edited")
    STATEMENT_EDITED = "statement.edited", _("Quote edited")
    STORY_PUBLISHED = "story.published", _("Story published")
    STORY_SCHEDULED = "story.scheduled", _("Story scheduled for publication")
    STORY_UNSCHEDULED = "story.unscheduled", _("Scheduled publication pulled")
    STORY_SENT_BACK = "story.sent_back", _("Story sent back")
    STORY_WITHDRAWN = "story.withdrawn", _("Story withdrawn")
    STORY_CORRECTED = "story.corrected", _("Correction added")
    CORRECTION_FLAG_RESOLVED = "story.flag_resolved", _("Correction flag resolved")
    CLAIM_CHECKED = "story.claim_checked", _("Flagged claim checked")
    ROLE_CHANGE_RECORDED = "role_change.recorded", _("Role change recorded")
    ROLE_CHANGE_EDITED = "role_change.edited", _("Role change edited")
    ROLE_CHANGE_DELETED = "role_change.deleted", _("Role change deleted")
    STORY_UPDATED = "story.updated", _("Published story updated")
    EDIT_PROPOSED = "edit.proposed", _("Edit of verified material proposed")
    EDIT_VERIFIED = "edit.verified", _("Edit of verified material verified")
    EDIT_REJECTED = "edit.rejected", _("Edit of verified material rejected")
    MOVES_IMPORTED = "import.moves", _("Moves imported (CSV)")
    POPOLO_IMPORTED = "import.popolo", _("Popolo imported")
    WIKIDATA_IMPORTED = "import.wikidata", _("Wikidata imported")


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
    diff = models.TextField(
        blank=True, help_text="What changed, line by line (a change to published text)."
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["actor", "-at"], name="audit_actor_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or 'system'} {self.action}"


class ProposedEditState(models.TextChoices):
    PENDING = "pending", _("waiting for an editor")
    VERIFIED = "verified", _("verified")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn: edited back to the verified version")


class ProposedEditQuerySet(models.QuerySet["ProposedEdit"]):
    def pending(self) -> "ProposedEditQuerySet":
        return self.filter(state=ProposedEditState.PENDING)

    def of(self, target: models.Model) -> "ProposedEditQuerySet":
        """The edits of one quote, source or move."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=target.pk
        )


class ProposedEdit(models.Model):
    """An edit of verified material (a quote, a source, a move) that waits for an editor.

    Rule 5: readers keep the row as an editor verified it; the edit is written to it only
    when an editor verifies the edit. ``changes`` lists each edited field with its verified
    and its proposed value (``newsroom.proposed_edits.encode``), in the order of the form.
    A later edit of the same object replaces the pending one (``version`` counts them, so an
    editor never verifies an edit other than the one they read).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    changes = models.JSONField(default=list)
    version = models.PositiveIntegerField(default=1)
    state = models.CharField(
        max_length=10, choices=ProposedEditState, default=ProposedEditState.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    objects = ProposedEditQuerySet.as_manager()

    class Meta:
        ordering = ["proposed_at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="proposed_edit_target"),
            models.Index(fields=["state", "proposed_at"], name="proposed_edit_queue"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(state="pending"),
                name="one_pending_edit_per_object",
            )
        ]

    def __str__(self) -> str:
        return f"Edit {self.pk} of {self.content_type_id}:{self.object_id} ({self.state})"

    @property
    def fields(self) -> list[str]:
        return [change["field"] for change in self.changes]


class WorkerHeartbeat(models.Model):
    """A background worker process that is, or was, alive (newsroom.jobs).

    Each worker updates ``seen_at`` every JOBS_HEARTBEAT_SECONDS from a thread of its own, so
    even a long job keeps it fresh. A running job whose worker has gone silent was cut short
    (the process killed, its machine lost) and is run again.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.host} (pid {self.pid})"


class ScheduledRun(models.Model):
    """A scheduled job enqueued for one due moment (settings.JOBS_SCHEDULE, newsroom.jobs).

    Unique by name and moment: however many workers look at the schedule, each due moment
    enqueues its job once.
    """

    name = models.CharField(max_length=100)
    due_at = models.DateTimeField()
    enqueued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "due_at"], name="scheduled_run_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} due {self.due_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """One thing a person should hear about, in their inbox on the desk (newsroom.notifications)
    and, unless they turned e-mail off, by e-mail (``emailed_at`` once sent)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=50)
    message = models.CharField(max_length=1000)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return f"{self.kind} for user {self.recipient_id}"


class NotificationPreference(models.Model):
    """A person's choice about e-mail; without a row, e-mail is on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    email = models.BooleanField(_("send me e-mail"), default=True)

    def __str__(self) -> str:
        return f"user {self.user_id}: e-mail {'on' if self.email else 'off'}"
