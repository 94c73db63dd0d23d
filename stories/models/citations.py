from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CitationState(models.TextChoices):
    PENDING = "pending", _("pending")
    VERIFIED = "verified", _("verified")
    DISPUTED = "disputed", _("disputed")
    REJECTED = "rejected", _("rejected")


class CitationQuerySet(models.QuerySet["Citation"]):
    def verified(self) -> CitationQuerySet:
        return self.filter(state=CitationState.VERIFIED)

    def pending(self) -> CitationQuerySet:
        return self.filter(state=CitationState.PENDING)

    def source_urls_by_move(self, role_change_ids: Iterable[int | None]) -> dict[int, list[str]]:
        """The canonical URLs of these citations' sources for each role change, sorted, in one
        query: ``Citation.objects.verified().source_urls_by_move(ids)`` is what readers are
        shown as a move's sources."""
        urls: dict[int, list[str]] = defaultdict(list)
        for role_change_id, url in (
            self.filter(role_change_id__in=sorted({pk for pk in role_change_ids if pk}))
            .order_by("source__canonical_url")
            .values_list("role_change_id", "source__canonical_url")
            .distinct()
        ):
            urls[role_change_id].append(url)
        return urls

    def for_display(self) -> CitationQuerySet:
        return self.select_related(
            "source",
            "statement",
            "statement__speaker",
            "role_change",
            "role_change__person",
            "role_change__organization",
            "role_change__post",
            "decided_by",
        )


class Citation(models.Model):
    """What supports a claim: a statement (or a bare source) behind a role change.

    The verification state changes only through stories.services, which records every
    decision in :class:`CitationDecision` and keeps the role change's public flag in step.
    """

    role_change = models.ForeignKey(
        "people.RoleChange",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="citations",
    )
    source = models.ForeignKey("stories.Source", on_delete=models.PROTECT, related_name="citations")
    statement = models.ForeignKey(
        "stories.Statement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="citations",
    )
    state = models.CharField(max_length=10, choices=CitationState, default=CitationState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["state", "created_at"]),
            models.Index(fields=["role_change", "state"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["role_change", "statement"],
                condition=Q(statement__isnull=False),
                name="citation_statement_once_per_role_change",
            ),
            models.UniqueConstraint(
                fields=["role_change", "source"],
                condition=Q(statement__isnull=True),
                name="citation_bare_source_once_per_role_change",
            ),
        ]
        permissions = [("verify_citation", "Can verify, dispute or reject a citation")]

    def __str__(self) -> str:
        return f"Citation {self.pk} ({self.state})"

    @property
    def marker(self) -> str:
        """How a story body cites it: ``[^c12]``."""
        return f"[^c{self.pk}]"


class CitationDecision(models.Model):
    """One entry of a citation's history: who moved it from which state to which, and why."""

    citation = models.ForeignKey(Citation, on_delete=models.CASCADE, related_name="decisions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    from_state = models.CharField(max_length=10, choices=CitationState, blank=True)
    to_state = models.CharField(max_length=10, choices=CitationState)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state or 'new'} → {self.to_state} by {self.actor_id} at {self.at}"
