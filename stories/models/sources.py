from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import MD5, Coalesce
from django.utils.translation import gettext_lazy as _

from newsroom.dates import PartialDateFields, Precision

# A quote is the words that support a claim, not the document: a longer one is refused with a
# message saying so (a 10,000-character quote made the verification queue unreadable).
QUOTE_MAX_LENGTH = 2000
TRANSLATION_MAX_LENGTH = 4000


class SourceKind(models.TextChoices):
    POST = "post", _("social media post")
    PRESS_RELEASE = "press_release", _("press release")
    MEMO = "memo", _("memo")
    FILING = "filing", _("filing")
    ARTICLE = "article", _("article")
    OTHER = "other", _("other")


class LinkStatus(models.TextChoices):
    UNCHECKED = "unchecked", _("not checked yet")
    LIVE = "live", _("live")
    DEAD = "dead", _("dead")
    CHANGED = "changed", _("changed (a quote is no longer found)")


class Source(models.Model):
    """A published document at a URL. One row per document: see stories/canonical.py."""

    canonical_url = models.URLField(max_length=2000, unique=True)
    url_as_entered = models.CharField(max_length=2000)
    title = models.CharField(max_length=300, blank=True)
    publisher = models.CharField("publisher or site", max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=SourceKind, default=SourceKind.OTHER)
    published_date = models.DateField(null=True, blank=True)
    published_precision = models.CharField(max_length=5, choices=Precision, blank=True)
    published_latest = models.DateField(null=True, blank=True, editable=False)
    language = models.CharField(max_length=35, blank=True)
    archive_url = models.URLField(max_length=2000, blank=True)
    archive_date = models.DateField(null=True, blank=True)
    link_status = models.CharField(max_length=10, choices=LinkStatus, default=LinkStatus.UNCHECKED)
    last_fetched_at = models.DateTimeField(
        null=True, blank=True, help_text="When check_sources last actually received the page."
    )
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_check_note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Edits of a source an editor verified, waiting for an editor (rule 5).
    proposed_edits = GenericRelation("newsroom.ProposedEdit")

    published = PartialDateFields("published")

    class Meta:
        ordering = ["-published_date", "title"]

    def __str__(self) -> str:
        return self.title or self.canonical_url

    @property
    def display_title(self) -> str:
        return self.title or self.canonical_url


class Statement(models.Model):
    """A quote from a source: the exact words, with a little context to find them again."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="statements")
    quote = models.TextField(
        "exact quoted words",
        validators=[
            MaxLengthValidator(
                QUOTE_MAX_LENGTH,
                message=_(
                    "A quote is at most %(limit_value)s characters long; this one has "
                    "%(show_value)s. Quote only the sentences that support the claim: the "
                    "source holds the rest."
                ),
            )
        ],
    )
    context_before = models.CharField(max_length=500, blank=True)
    context_after = models.CharField(max_length=500, blank=True)
    # PROTECT: a quote keeps its speaker. Deleting the person would otherwise leave words
    # nobody said (and could make two statements of one: statement_once_per_source_and_speaker).
    speaker = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
    )
    language = models.CharField(max_length=35, blank=True)
    translation = models.TextField(
        blank=True,
        help_text="In English, when the quote is not.",
        validators=[
            MaxLengthValidator(
                TRANSLATION_MAX_LENGTH,
                message=_(
                    "A translation is at most %(limit_value)s characters long; this one has "
                    "%(show_value)s. Translate the quoted sentences only."
                ),
            )
        ],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Edits of a quote an editor verified, waiting for an editor (rule 5).
    proposed_edits = GenericRelation("newsroom.ProposedEdit")

    class Meta:
        ordering = ["pk"]
        constraints = [
            # The same words from the same speaker in the same source are one statement. An
            # unknown speaker counts as one speaker (0: no person has that id), and the quote
            # is indexed by its hash: a PostgreSQL index entry cannot hold a long quote.
            models.UniqueConstraint(
                "source",
                Coalesce("speaker", 0),
                MD5("quote"),
                name="statement_once_per_source_and_speaker",
                violation_error_message=(
                    "This source already has a statement with these exact words from this speaker."
                ),
            ),
        ]

    def __str__(self) -> str:
        quote = self.quote if len(self.quote) <= 60 else self.quote[:57] + "…"
        return f"“{quote}”"
