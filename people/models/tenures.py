from __future__ import annotations

import datetime

from django.contrib.postgres.fields import DateRangeField
from django.db import connections, models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

from newsroom.dates import PartialDateFields, Precision


class TenureScope(models.TextChoices):
    """Tenures are derived twice: from every role change, and from confirmed ones only."""

    DESK = "desk", _("desk (all recorded changes)")
    PUBLIC = "public", _("public (confirmed changes only)")


class Certainty(models.TextChoices):
    CERTAIN = "certain", _("certain")
    UNCERTAIN = "uncertain", _("uncertain")


class PossibleSpan(models.Func):
    """``[earliest possible start, latest possible end)`` as a PostgreSQL daterange (an empty
    bound is open). A day is in it exactly when the tenure was or may have been held that
    day (rule 2).
    """

    template = "DATERANGE(%(expressions)s, '[)')"
    output_field = DateRangeField()

    def __init__(self) -> None:
        super().__init__(
            Coalesce(F("start_date"), F("start_after"), output_field=models.DateField()),
            F("end_latest"),
        )


class TenureQuerySet(models.QuerySet["Tenure"]):
    def public(self) -> TenureQuerySet:
        return self.filter(scope=TenureScope.PUBLIC)

    def desk(self) -> TenureQuerySet:
        return self.filter(scope=TenureScope.DESK)

    def for_audience(self, *, staff: bool) -> TenureQuerySet:
        return self.desk() if staff else self.public()

    def at(self, organization) -> TenureQuerySet:
        """Tenures at ``organization``.

        The key is compared as the column's own type (bigint): btree_gist has no bigint =
        integer operator, so with a plain integer PostgreSQL could not search the GiST range
        index of migration people 0007 by organization and day together.
        """
        return self.filter(organization_id=Cast(Value(organization.pk), models.BigIntegerField()))

    def held_on(self, day: datetime.date) -> TenureQuerySet:
        """Tenures that were or may have been held on ``day``, each with its certainty.

        Rule 2: a tenure is held on ``day`` when ``start <= day < end``. With partial
        dates it is *certainly* held when its latest possible start is on or before the day
        and its earliest possible end is after it; it is *uncertainly* held when the day
        falls in the range the partial dates leave open. ``certainty`` is annotated.
        """
        unknown_start = Q(start_date__isnull=True) & (
            Q(start_after__isnull=True) | Q(start_after__lte=day)
        )
        possibly = (unknown_start | Q(start_date__lte=day)) & (
            Q(end_latest__isnull=True) | Q(end_latest__gt=day)
        )
        # Held for certain from its latest possible start, or (start unknown) from the
        # latest day of the date it was recorded as held on.
        # An end known only as a bound ("ended by") makes no day after the start certain.
        certainly = (
            (Q(start_latest__lte=day) | Q(seen_latest__lte=day))
            & (Q(end_date__isnull=True) | Q(end_date__gt=day))
            & (Q(end_is_bound=False) | Q(start_latest=day) | Q(seen_latest=day))
        )
        held = self.filter(possibly)
        if connections[self.db].vendor == "postgresql":
            # ``possibly`` again, as a range containing the day: the GiST index of migration
            # people 0007 answers this form, without reading every tenure of the organization.
            held = held.alias(possible_span=PossibleSpan()).filter(possible_span__contains=day)
        return held.annotate(
            certainty=Case(
                When(certainly, then=Value(Certainty.CERTAIN)),
                default=Value(Certainty.UNCERTAIN),
                output_field=models.CharField(),
            )
        )

    def current(self) -> TenureQuerySet:
        """Tenures still held: no recorded end."""
        return self.filter(end_date__isnull=True)

    def leadership(self) -> TenureQuerySet:
        return self.filter(post__is_leadership=True)

    def by_seniority(self) -> TenureQuerySet:
        return self.order_by("post__rank", "person__sort_name", "person__name", "start_date")

    def chronological(self) -> TenureQuerySet:
        """In career order. A tenure whose start is unknown takes its place by the earliest
        day it can have begun, else by the day it was recorded as held, else by its end."""
        return self.order_by(
            Coalesce("start_date", "start_after", "seen_date", "end_date").asc(),
            F("end_date").asc(nulls_last=True),
            "pk",
        )


class Tenure(models.Model):
    """A person holding a post from a start to an end (open while still held).

    Derived state: people/tenures.py rebuilds a person's tenures at an organization from
    their role changes whenever those change. Never edit a tenure by hand.
    """

    scope = models.CharField(max_length=6, choices=TenureScope)
    # No index of their own: the (person, scope), (organization, scope, start_date) and
    # (post, scope) indexes below serve the same lookups, and every index slows the import.
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="tenures", db_index=False
    )
    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, related_name="tenures", db_index=False
    )
    post = models.ForeignKey(
        "people.Post", on_delete=models.CASCADE, related_name="tenures", db_index=False
    )
    is_interim = models.BooleanField(default=False)
    start_date = models.DateField(null=True, blank=True, help_text="Empty when unknown.")
    start_precision = models.CharField(max_length=5, choices=Precision, blank=True)
    start_latest = models.DateField(null=True, blank=True)
    start_after = models.DateField(
        null=True,
        blank=True,
        help_text=(
            "When the start is unknown: the earliest day it can have been (the person's last "
            "arrival at, or departure from, the organization)."
        ),
    )
    # When the start is unknown but a "held" record puts the person in the post on a date
    # (the tenure's started_by): that date. The tenure began by its latest day.
    seen_date = models.DateField(null=True, blank=True)
    seen_precision = models.CharField(max_length=5, choices=Precision, blank=True)
    seen_latest = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True, help_text="Empty while still held.")
    end_precision = models.CharField(max_length=5, choices=Precision, blank=True)
    end_latest = models.DateField(null=True, blank=True)
    # "Ended by": the end is not known, only that it came no later than ``end`` (the day a
    # later title began), the mirror of ``seen``. Held for certain only up to what is
    # recorded of it (its start, or the day it was seen), possibly up to ``end``.
    end_is_bound = models.BooleanField(default=False, db_default=False)
    # SET_NULL, not CASCADE: deleting a role change goes through the service, which
    # rebuilds these rows anyway.
    started_by = models.ForeignKey(
        "people.RoleChange", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_by = models.ForeignKey(
        "people.RoleChange", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    start = PartialDateFields("start")
    seen = PartialDateFields("seen")
    end = PartialDateFields("end")

    objects = TenureQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=False)
                | Q(seen_date__isnull=False)
                | Q(end_date__isnull=False),
                name="tenure_has_start_seen_or_end",
            ),
            models.CheckConstraint(
                condition=Q(seen_date__isnull=True) | Q(start_date__isnull=True),
                name="tenure_seen_only_when_start_unknown",
            ),
            models.CheckConstraint(
                condition=Q(seen_date__isnull=True)
                | Q(end_latest__isnull=True)
                | Q(end_latest__gte=F("seen_date")),
                name="tenure_end_not_before_seen",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_latest__isnull=True)
                | Q(end_latest__gte=F("start_date")),
                name="tenure_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(start_after__isnull=True) | Q(start_date__isnull=True),
                name="tenure_start_after_only_when_start_unknown",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "scope", "start_date"]),
            models.Index(fields=["person", "scope"]),
            models.Index(fields=["post", "scope"]),
        ]

    def __str__(self) -> str:
        return f"{self.person}, {self.post.title} at {self.organization} ({self.span()})"

    def span(self) -> str:
        """ "January 2017 – 2018", "since May 2022", "until September 25, 2024", "since at
        least September 25, 2024" (start unknown, recorded in the post that day), "2018 – by
        September 25, 2024" (ended by a later title: when exactly is unknown).

        templates/people/_tenure_span.html writes the same words for pages.
        """
        start, seen, end = self.start, self.seen, self.end
        if end and self.end_is_bound:
            since = start.display() if start else f"since at least {seen.display()}" if seen else ""
            return f"{since} – by {end.display()}" if since else f"by {end.display()}"
        if start and end:
            if start == end and start.precision != Precision.DAY:
                return start.display()
            return f"{start.display()} – {end.display()}"
        if start:
            return f"since {start.display()}"
        if seen:
            return f"since at least {seen.display()}" + (f", until {end.display()}" if end else "")
        if end:
            return f"until {end.display()}"
        return "dates unknown"

    @property
    def is_current(self) -> bool:
        return self.end_date is None
