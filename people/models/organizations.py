from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from newsroom.dates import PartialDateFields, Precision
from newsroom.slugs import RemembersSlug


class OrganizationKind(models.TextChoices):
    COMPANY = "company", _("company")
    NONPROFIT = "nonprofit", _("non-profit")
    RESEARCH_LAB = "lab", _("research lab")
    UNIVERSITY = "university", _("university")
    GOVERNMENT = "government", _("government body")
    OTHER = "other", _("other")


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def matching(self, text: str) -> OrganizationQuerySet:
        text = " ".join(text.split())
        if not text:
            return self.none()
        other_names = OrganizationName.objects.filter(
            organization=OuterRef("pk"), name__folded_contains=text
        )
        return self.filter(Q(name__folded_contains=text) | Exists(other_names))

    def public(self) -> OrganizationQuerySet:
        """Organizations readers may see: with a confirmed move, or covered by a published
        story (whose sidebar links them). One known only from pending desk work stays off
        reader pages (see ``PersonQuerySet.public``)."""
        moves = self.model._meta.get_field("role_changes").related_model
        stories = self.model._meta.get_field("stories").related_model
        return self.filter(
            Exists(moves.objects.public().filter(organization=OuterRef("pk")))
            | Exists(stories.objects.published().filter(organizations=OuterRef("pk")))
        )

    def visible_to(self, *, staff: bool) -> OrganizationQuerySet:
        return self if staff else self.public()

    def named_exactly(self, name: str) -> OrganizationQuerySet:
        name = " ".join(name.split())
        other_names = OrganizationName.objects.filter(
            organization=OuterRef("pk"), name__folded_exact=name
        )
        return self.filter(Q(name__folded_exact=name) | Exists(other_names))


class Organization(RemembersSlug, models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True, editable=False)
    kind = models.CharField(
        max_length=20, choices=OrganizationKind, default=OrganizationKind.COMPANY
    )
    # Data from others classifies organizations in its own words (party, legislature,
    # committee, board): kept as written and shown, beside the kind the desk sorts by.
    classification = models.CharField(
        max_length=100,
        blank=True,
        help_text="How the source that listed it classifies it (party, legislature, "
        "committee), when that is not one of the kinds.",
    )
    wikidata_id = models.CharField(
        "Wikidata QID",
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9]\d*$", "A Wikidata QID looks like Q42.")],
    )
    description = models.TextField(blank=True)
    homepage = models.URLField(blank=True)
    logo = models.ImageField(upload_to="organizations/logos/", blank=True)
    logo_thumbnail = models.ImageField(upload_to="organizations/logos/", blank=True, editable=False)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    # When the organization was founded, at its precision (rule 1): leadership before it is
    # empty, and no move can date from before it.
    founded_date = models.DateField("founded (earliest day)", null=True, blank=True)
    founded_precision = models.CharField(max_length=5, choices=Precision, blank=True)
    founded_latest = models.DateField("founded (latest day)", null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    founded = PartialDateFields("founded")

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(Lower("name"), name="organization_name_lower")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(founded_date__isnull=True, founded_precision="", founded_latest__isnull=True)
                    | Q(
                        founded_date__isnull=False,
                        founded_latest__gte=models.F("founded_date"),
                    )
                    & ~Q(founded_precision="")
                ),
                name="organization_founded_complete",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        from newsroom.slugs import unique_slug

        self.name = " ".join(self.name.split())
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        from newsroom.cache import touching
        from people.cache_tags import organization_tags

        new = self._state.adding
        # The pages that show this (newsroom/page_cache.py), not every page.
        with touching() as scope:
            super().save(*args, **kwargs)
            if scope.wrote:
                scope.update(organization_tags(self, new=new))
                scope.update(self.old_address_tags("org"))

    def get_absolute_url(self) -> str:
        return reverse("people:organization-detail", args=[self.slug])

    @property
    def classification_shown(self) -> str:
        """The source's own classification when it has one, else the kind."""
        return self.classification or self.get_kind_display()


class OrganizationName(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="other_names"
    )
    name = models.CharField(max_length=200)
    language = models.CharField(max_length=35, blank=True)

    class Meta:
        ordering = ["language", "name"]
        constraints = [
            models.UniqueConstraint(
                "organization", Lower("name"), name="organization_other_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Rank(models.IntegerChoices):
    """Seniority, for ordering leadership. Lower sorts first."""

    CEO = 10, "chief executive"
    PRESIDENT = 20, "president"
    C_SUITE = 30, "C-suite"
    SVP = 40, "senior vice president"
    VP = 50, "vice president"
    HEAD = 60, "head"
    OTHER = 90, "other"

    @classmethod
    def guess(cls, title: str) -> Rank:
        """A first guess from a title; an editor can correct it on the post."""
        words = title.casefold()
        if re.search(r"\bceo\b|chief executive", words):
            return cls.CEO
        if re.search(r"^(co-?)?president\b|\bpresident$", words) and "vice" not in words:
            return cls.PRESIDENT
        if re.search(r"\bchief\b|\bc[a-z]{1,3}o\b", words):
            return cls.C_SUITE
        if re.search(r"\bsvp\b|senior vice president|\bevp\b|executive vice president", words):
            return cls.SVP
        if re.search(r"\bvp\b|vice president", words):
            return cls.VP
        if re.search(r"^head\b|\bhead of\b", words):
            return cls.HEAD
        return cls.OTHER


class Post(models.Model):
    """A position that exists apart from whoever holds it: "Chief Technology Officer of OpenAI"."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="posts")
    title = models.CharField(max_length=200)
    rank = models.PositiveSmallIntegerField(choices=Rank, default=Rank.OTHER)
    is_leadership = models.BooleanField(
        "counts as leadership",
        default=False,
        help_text="Shown in the organization's leadership and in story sidebars.",
    )
    one_holder = models.BooleanField(
        "one holder at a time",
        default=False,
        db_default=False,
        help_text="Set by an editor (CEO, CTO…): the desk warns when a second holder is "
        "recorded while the first one's tenure is open.",
    )

    class Meta:
        ordering = ["organization", "rank", "title"]
        constraints = [
            models.UniqueConstraint(
                "organization", Lower("title"), name="post_title_unique_per_organization"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.organization}"

    def clean(self) -> None:
        super().clean()
        if self.pk is None or self.organization_id is None:
            return
        stored = Post.objects.filter(pk=self.pk).values_list("organization_id", flat=True).first()
        if stored is None or stored == self.organization_id:
            return
        # Role changes and tenures name their organization beside the post: moving the post
        # would leave them pointing at a title of another organization.
        if self.is_in_use():
            raise ValidationError(
                {
                    "organization": (
                        "This title already has recorded role changes or tenures, so it "
                        "cannot move to another organization. Record the moves under a "
                        "title of the other organization instead."
                    )
                }
            )

    def is_in_use(self) -> bool:
        """Whether any role change (as its title or previous title) or tenure names it."""
        from people.models.moves import RoleChange
        from people.models.tenures import Tenure

        return (
            RoleChange.objects.filter(Q(post=self.pk) | Q(previous_post=self.pk)).exists()
            or Tenure.objects.filter(post=self.pk).exists()
        )
