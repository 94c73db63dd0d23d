from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse

# stories.models.CitationState.VERIFIED, named here because people never imports stories.
VERIFIED_CITATION = "verified"


class PersonQuerySet(models.QuerySet["Person"]):
    def matching(self, text: str) -> PersonQuerySet:
        """People whose name or any other name contains ``text``, in any script.

        Written as one ``IN`` over a union of the two name searches, not as ``name LIKE … OR
        EXISTS (…)``: each half can then use its trigram index on PostgreSQL (migration
        people 0006), where the ``OR`` would read every person. ``folded_contains`` is
        ``icontains`` on PostgreSQL, and ignores case in every script on SQLite too
        (newsroom/search.py).
        """
        text = " ".join(text.split())
        if not text:
            return self.none()
        by_name = Person.objects.filter(name__folded_contains=text).values("pk")
        by_other_name = PersonName.objects.filter(name__folded_contains=text).values("person_id")
        return self.filter(pk__in=by_name.union(by_other_name, all=True))

    def public(self) -> PersonQuerySet:
        """People readers may see: with a confirmed move, or quoted in a verified citation.

        Someone the desk knows only from pending work (a person created on the spot for a
        move not yet verified) stays off every reader page, list, feed and sitemap: an
        unverified scoop must not leak a name. Citations are reached through the reverse
        relations (people never imports stories).
        """
        moves = self.model._meta.get_field("role_changes").related_model
        statements = self.model._meta.get_field("statements").related_model
        return self.filter(
            Exists(moves.objects.public().filter(person=OuterRef("pk")))
            | Exists(
                statements.objects.filter(
                    speaker=OuterRef("pk"), citations__state=VERIFIED_CITATION
                )
            )
        )

    def visible_to(self, *, staff: bool) -> PersonQuerySet:
        return self if staff else self.public()

    def named_exactly(self, name: str) -> PersonQuerySet:
        """People whose name or an other name is ``name``, ignoring case."""
        name = " ".join(name.split())
        other_names = PersonName.objects.filter(person=OuterRef("pk"), name__folded_exact=name)
        return self.filter(Q(name__folded_exact=name) | Exists(other_names))


class Person(models.Model):
    name = models.CharField("display name", max_length=200)
    sort_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="How the name sorts, e.g. “Murati, Mira”. Left empty: family name first.",
    )
    slug = models.SlugField(max_length=220, unique=True, editable=False)
    bio = models.TextField("short bio", blank=True)
    photo = models.ImageField(upload_to="people/photos/", blank=True)
    photo_thumbnail = models.ImageField(upload_to="people/photos/", blank=True, editable=False)
    wikidata_id = models.CharField(
        "Wikidata QID",
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9]\d*$", "A Wikidata QID looks like Q42.")],
    )
    x_handle = models.CharField(
        "X handle",
        max_length=15,
        blank=True,
        validators=[
            RegexValidator(r"^[A-Za-z0-9_]{1,15}$", "An X handle is 1–15 letters, digits or _.")
        ],
        help_text="Without the @.",
    )
    homepage = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name", "name"]
        verbose_name_plural = "people"
        indexes = [models.Index(Lower("name"), name="person_name_lower")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        from newsroom.slugs import unique_slug

        self.name = " ".join(self.name.split())
        if not self.sort_name:
            self.sort_name = default_sort_name(self.name)
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        from newsroom.cache import touching
        from people.cache_tags import person_tags

        new = self._state.adding
        # The pages that show this (newsroom/page_cache.py), not every page.
        with touching() as scope:
            super().save(*args, **kwargs)
            if scope.wrote:
                scope.update(person_tags(self, new=new))

    def get_absolute_url(self) -> str:
        return reverse("people:person-detail", args=[self.slug])

    @property
    def initials(self) -> str:
        words = [word for word in self.name.replace("-", " ").split() if word[:1].isalnum()]
        if not words:
            return self.name[:1].upper()
        if len(words) == 1:
            return words[0][:2].upper()
        return (words[0][0] + words[-1][0]).upper()


def default_sort_name(name: str) -> str:
    """ "Mira Murati" sorts as "Murati, Mira"; a single word sorts as itself."""
    words = name.split()
    if len(words) < 2:
        return name
    return f"{words[-1]}, {' '.join(words[:-1])}"


class PersonName(models.Model):
    """Another name for a person: a native-script name, a transliteration, a nickname."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    name = models.CharField(max_length=200)
    language = models.CharField(
        max_length=35, blank=True, help_text="A language tag such as ja, zh-Hans or en."
    )
    note = models.CharField(max_length=200, blank=True, help_text="e.g. “katakana”, “nickname”.")

    class Meta:
        ordering = ["language", "name"]
        constraints = [
            models.UniqueConstraint(
                "person", Lower("name"), name="person_other_name_unique_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})" if self.language else self.name
