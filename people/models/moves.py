from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from newsroom.dates import PartialDateFields, Precision


class RoleChangeKind(models.TextChoices):
    JOINED = "joined", _("joined")
    APPOINTED = "appointed", _("appointed")
    PROMOTED = "promoted", _("promoted")
    LEFT = "left", _("left")
    # Not a move: the person is recorded in the post on the date ("Chief Strategy Officer
    # Jason Kwon posted…"), while when they took it up is unknown. Displayed as "was".
    HELD = "held", _("was")

    @property
    def opens_tenure(self) -> bool:
        """Joined, appointed, promoted: the change starts a tenure on its date."""
        return self in (RoleChangeKind.JOINED, RoleChangeKind.APPOINTED, RoleChangeKind.PROMOTED)


# The choices as forms offer them: "was" alone would not say what it records.
KIND_FORM_CHOICES = [
    (kind.value, _("held (was in the post on that date; when they took it up is unknown)"))
    if kind == RoleChangeKind.HELD
    else (kind.value, kind.label)
    for kind in RoleChangeKind
]


# What makes two records the same move: the same person, post (title at the organization), kind
# and effective date at the same precision. The database holds it (role_change_unique_fact);
# the desk finds an existing move with ``RoleChangeQuerySet.same_move`` and the bulk import
# in memory with ``same_move_key``.
SAME_MOVE_FIELDS = ("person_id", "post_id", "kind", "effective_date", "effective_precision")


def same_move_key(
    *, person_id: int, post_id: int, kind: str, effective_date: datetime.date, precision: str
) -> tuple:
    """The identity of a move, for matching records in memory (see :data:`SAME_MOVE_FIELDS`)."""
    return (person_id, post_id, str(kind), effective_date, str(precision))


class RoleChangeQuerySet(models.QuerySet["RoleChange"]):
    def same_move(self, *, person_id: int, post, kind: str, effective) -> RoleChangeQuerySet:
        """The record of this move, if there is one (see :data:`SAME_MOVE_FIELDS`).

        ``post`` is a post, or a queryset of the one post a title names at an organization
        (titles are unique there), which keeps the look-up to one query.
        """
        key = same_move_key(
            person_id=person_id,
            post_id=0,
            kind=kind,
            effective_date=effective.earliest,
            precision=effective.precision,
        )
        lookups = dict(zip(SAME_MOVE_FIELDS, key, strict=True))
        del lookups["post_id"]
        if isinstance(post, models.QuerySet):
            return self.filter(post__in=post, **lookups)
        return self.filter(post=post, **lookups)

    def public(self) -> RoleChangeQuerySet:
        """Publicly confirmed changes: the only ones readers see (rule 3)."""
        return self.filter(is_public=True)

    def at(self, organization) -> RoleChangeQuerySet:
        return self.filter(organization=organization)

    def between(self, first_day: datetime.date, last_day: datetime.date) -> RoleChangeQuerySet:
        """Changes that may have taken effect between two days, both included.

        A change known only to the month or year is included when any day it can stand
        for falls in the range.
        """
        return self.filter(effective_latest__gte=first_day, effective_date__lte=last_day)

    def moves(self) -> RoleChangeQuerySet:
        """Arrivals, departures and promotions: not the records of someone "held" a post."""
        return self.exclude(kind=RoleChangeKind.HELD)

    def departures(self) -> RoleChangeQuerySet:
        return self.filter(kind=RoleChangeKind.LEFT)

    def newest_first(self) -> RoleChangeQuerySet:
        return self.order_by("-effective_date", "-effective_latest", "-pk")

    def chronological(self) -> RoleChangeQuerySet:
        return self.order_by("effective_date", "effective_latest", "pk")

    def for_display(self) -> RoleChangeQuerySet:
        return self.select_related("person", "organization", "post", "previous_post")


class RoleChange(models.Model):
    """A dated event: someone joins, is appointed or promoted to, or leaves a post.

    Role changes are the facts; tenures are derived from them (see people/tenures.py).
    Record, edit and delete them through people.services so tenures follow.
    """

    # No index of their own: the (person, effective_date) and (organization, effective_date)
    # indexes below serve the same lookups, and every index slows the bulk import.
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="role_changes", db_index=False
    )
    organization = models.ForeignKey(
        "people.Organization",
        on_delete=models.CASCADE,
        related_name="role_changes",
        db_index=False,
    )
    post = models.ForeignKey(
        "people.Post",
        on_delete=models.PROTECT,
        related_name="role_changes",
        help_text="The title started (joined, appointed, promoted) or ended (left).",
    )
    kind = models.CharField(max_length=10, choices=RoleChangeKind)
    previous_post = models.ForeignKey(
        "people.Post",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For joined, appointed or promoted: the title it ends on the same day.",
    )
    leaves_organization = models.BooleanField(
        default=False,
        help_text="For a departure: the person leaves the organization, so every title they "
        "still hold there ends on the same day.",
    )
    is_interim = models.BooleanField(default=False)
    keeps_other_titles = models.BooleanField(
        default=False,
        db_default=False,
        help_text="A second post held at once: the titles the person already holds at the "
        "organization go on. Otherwise a new title (not interim) ends each of them, no later "
        "than it began.",
    )
    effective_date = models.DateField("effective (earliest day)")
    effective_precision = models.CharField(max_length=5, choices=Precision)
    effective_latest = models.DateField("effective (latest day)", editable=False)
    announced_date = models.DateField("announced (earliest day)", null=True, blank=True)
    announced_precision = models.CharField(max_length=5, choices=Precision, blank=True)
    announced_latest = models.DateField(
        "announced (latest day)", null=True, blank=True, editable=False
    )
    reason = models.TextField("reason for leaving", blank=True)
    is_public = models.BooleanField(
        "publicly confirmed",
        default=False,
        help_text="Readers see only confirmed changes. Set from verified citations.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Edits of a confirmed move waiting for an editor (rule 5); they go when the move goes.
    proposed_edits = GenericRelation("newsroom.ProposedEdit")

    effective = PartialDateFields("effective")
    announced = PartialDateFields("announced")

    objects = RoleChangeQuerySet.as_manager()

    class Meta:
        ordering = ["effective_date", "effective_latest", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=[field.removesuffix("_id") for field in SAME_MOVE_FIELDS],
                name="role_change_unique_fact",
                violation_error_message="This move is already recorded.",
            ),
            models.CheckConstraint(
                condition=Q(effective_latest__gte=models.F("effective_date")),
                name="role_change_effective_range",
            ),
            models.CheckConstraint(
                condition=Q(kind=RoleChangeKind.LEFT) | Q(leaves_organization=False),
                name="role_change_only_departures_leave_organization",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=[RoleChangeKind.LEFT, RoleChangeKind.HELD])
                | Q(previous_post__isnull=True),
                name="role_change_only_starts_end_a_previous_title",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "effective_date"]),
            models.Index(fields=["person", "effective_date"]),
            models.Index(fields=["is_public", "effective_date"]),
        ]
        permissions = [("confirm_rolechange", "Can confirm a role change for readers")]

    def __str__(self) -> str:
        return f"{self.person} {self.describe()} ({self.effective})"

    def describe(self) -> str:
        """ "left Chief Technology Officer at OpenAI", "was President at OpenAI": what
        happened, without the date."""
        return f"{self.get_kind_display()} {self.post.title} at {self.organization}"

    @property
    def kind_enum(self) -> RoleChangeKind:
        return RoleChangeKind(self.kind)

    @property
    def move_key(self) -> tuple:
        return same_move_key(
            person_id=self.person_id,
            post_id=self.post_id,
            kind=self.kind,
            effective_date=self.effective_date,
            precision=self.effective_precision,
        )
