from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class StoryStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    CORRECTED = "corrected", _("corrected")
    WITHDRAWN = "withdrawn", _("withdrawn")


PUBLIC_STATUSES = (StoryStatus.PUBLISHED, StoryStatus.CORRECTED)


class PublishedChange(models.TextChoices):
    """What an editor's edit of a published story's text is, for readers."""

    UPDATE = "update", _("an update (the article says when it was updated)")
    CORRECTION = "correction", _("a correction (shown on the article, dated)")


class StoryLanguage(models.TextChoices):
    ENGLISH = "en", "English"
    JAPANESE = "ja", _("日本語 (Japanese)")


class StoryQuerySet(models.QuerySet["Story"]):
    def published(self) -> StoryQuerySet:
        """What readers may see: published stories, corrected or not."""
        return self.filter(status__in=PUBLIC_STATUSES)

    def newest_first(self) -> StoryQuerySet:
        return self.order_by("-first_published_at", "-pk")

    def by_author(self, user) -> StoryQuerySet:
        return self.filter(authors=user)


class Story(models.Model):
    """A story: Markdown with citation markers (``[^c12]``), rendered once per save.

    Written through stories.services (story_create, story_save, ...), which keep a revision
    per save, refuse stale saves and enforce rule 4 on publishing.
    """

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=220, unique=True, editable=False)
    dek = models.CharField("dek (standfirst)", max_length=500, blank=True)
    body = models.TextField(blank=True, help_text="Markdown. Cite with markers like [^c12].")
    body_html = models.TextField(blank=True, editable=False)
    cited_ids = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Citation ids in the order the body first cites them: footnote 1, 2, ...",
    )
    language = models.CharField(max_length=5, choices=StoryLanguage, default=StoryLanguage.ENGLISH)
    # A translation names its original; the original's ``translations`` are its versions in
    # other languages. Each is reviewed and published on its own.
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text="The story this one translates (in another language).",
    )
    status = models.CharField(max_length=10, choices=StoryStatus, default=StoryStatus.DRAFT)
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="stories")
    organizations = models.ManyToManyField(
        "people.Organization", blank=True, related_name="stories"
    )
    people = models.ManyToManyField("people.Person", blank=True, related_name="stories")
    role_changes = models.ManyToManyField("people.RoleChange", blank=True, related_name="stories")
    citations = models.ManyToManyField("stories.Citation", blank=True, related_name="stories")
    version = models.PositiveIntegerField(default=1, editable=False)
    review_note = models.TextField(blank=True, help_text="The editor's note when sent back.")
    withdrawal_note = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    first_published_at = models.DateTimeField(null=True, blank=True)
    last_updated_at = models.DateTimeField(
        null=True, blank=True, help_text="Last change readers can see: an edit or a correction."
    )
    # An embargo (stories.services.scheduling): a story in review that a job publishes at
    # this moment, entered in ``scheduled_time_zone`` by ``scheduled_by``. Until then it is
    # in review like any other, and so nowhere public.
    scheduled_for = models.DateTimeField(null=True, blank=True, db_index=True)
    scheduled_time_zone = models.CharField(max_length=64, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-first_published_at", "-pk"]
        verbose_name_plural = "stories"
        indexes = [
            models.Index(fields=["status", "first_published_at"]),
            # The reader's list and feed: published stories, newest first, a page at a time.
            models.Index(
                models.F("first_published_at").desc(),
                models.F("id").desc(),
                condition=Q(status__in=PUBLIC_STATUSES),
                name="story_published_newest_first",
            ),
        ]
        permissions = [
            ("publish_story", "Can publish, send back and withdraw stories"),
            ("correct_story", "Can add a correction to a published story"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stories:story-detail", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_withdrawn(self) -> bool:
        return self.status == StoryStatus.WITHDRAWN


class StoryRevision(models.Model):
    """The text of a story as one save left it. Every save keeps one."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    dek = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True)
    language = models.CharField(max_length=5, choices=StoryLanguage, blank=True)
    change = models.CharField(
        max_length=10,
        choices=PublishedChange,
        blank=True,
        help_text="A save of published text: an update or a correction.",
    )
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField()

    class Meta:
        ordering = ["story", "number"]
        constraints = [
            models.UniqueConstraint(fields=["story", "number"], name="revision_number_per_story")
        ]

    def __str__(self) -> str:
        return f"{self.story} (revision {self.number})"


class CorrectionQuerySet(models.QuerySet["Correction"]):
    def public_record(self) -> models.QuerySet:
        """Every correction and every withdrawal, newest first, as rows of ``kind``
        ("correction" or "withdrawal"), ``at``, ``story_ref``, ``notice`` and ``entry_id`` (the
        correction's or the withdrawn story's id): what /corrections/ and its feed list."""
        kind = models.CharField()
        # Each part without its model's default ordering: a compound query orders once, here.
        corrections = self.order_by().values(
            kind=models.Value("correction", output_field=kind),
            at=models.F("created_at"),
            story_ref=models.F("story_id"),
            notice=models.F("text"),
            entry_id=models.F("pk"),
        )
        withdrawals = (
            Story.objects.filter(status=StoryStatus.WITHDRAWN, withdrawn_at__isnull=False)
            .order_by()
            .values(
                kind=models.Value("withdrawal", output_field=kind),
                at=models.F("withdrawn_at"),
                story_ref=models.F("pk"),
                notice=models.F("withdrawal_note"),
                entry_id=models.F("pk"),
            )
        )
        return corrections.union(withdrawals, all=True).order_by("-at", "-entry_id")


class Correction(models.Model):
    """A dated correction shown on the article. Never edited, never deleted."""

    story = models.ForeignKey(Story, on_delete=models.PROTECT, related_name="corrections")
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Correction to {self.story_id} on {self.created_at:%Y-%m-%d}"


class FlagResolution(models.TextChoices):
    CORRECTION = "correction", _("resolved by a correction")
    WITHDRAWAL = "withdrawal", _("closed when the story was withdrawn")


class CorrectionFlag(models.Model):
    """Rule 6: a citation a published story relies on was disputed or rejected.

    Open until a correction addresses it or the story is withdrawn; ``resolution`` says which.
    """

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="flags")
    citation = models.ForeignKey(
        "stories.Citation", on_delete=models.CASCADE, related_name="correction_flags"
    )
    reason = models.TextField()
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(max_length=10, choices=FlagResolution, blank=True)
    correction = models.ForeignKey(
        Correction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "citation"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_flag_per_story_and_citation",
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, resolution="")
                | Q(resolved_at__isnull=False, resolution__in=FlagResolution.values),
                name="flag_resolved_says_how",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.story} needs a correction (citation {self.citation_id})"


class ClaimCheck(models.Model):
    """An editor's "checked" on a claim the desk flagged in a story (stories/claims.py): the
    flag's fingerprint, what it said, and the editor's note. Kept with the story and shown
    in its history; a flag with a check no longer blocks publication."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="claim_checks")
    fingerprint = models.CharField(max_length=32)
    kind = models.CharField(max_length=10)
    claim = models.CharField(max_length=300)
    message = models.TextField()
    note = models.TextField()
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["checked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "fingerprint"], name="one_check_per_story_and_claim"
            )
        ]

    def __str__(self) -> str:
        return f"{self.story}: “{self.claim}” checked"
