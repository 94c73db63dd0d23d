"""Slugs for reader-facing URLs: lowercase ASCII of a display name, unique per model."""

from anyascii import anyascii
from django.db import models
from django.utils.text import slugify


def slug_base(text: str, *, fallback: str) -> str:
    """Lowercase ASCII words joined by hyphens: "Łukasz Kaiser" -> "lukasz-kaiser".

    Names in other scripts are transliterated ("ミラ" -> "mira"); a name with nothing
    transliterable falls back to ``fallback``.
    """
    return slugify(anyascii(text))[:200].strip("-") or fallback


def unique_slug(instance: models.Model, text: str, *, field: str = "slug") -> str:
    """A slug for ``instance`` that no other row of its model uses.

    On a collision a numeric suffix is added: ``mark-chen``, ``mark-chen-2``, ``mark-chen-3``.
    """
    model = type(instance)
    base = slug_base(text, fallback=model._meta.model_name)
    others = (
        model._default_manager.exclude(pk=instance.pk) if instance.pk else model._default_manager
    )
    taken = set(others.filter(**{f"{field}__startswith": base}).values_list(field, flat=True))
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"


def unique_slugs(
    model: type[models.Model], texts: list[str], *, field: str = "slug", batch: int = 500
) -> list[str]:
    """Slugs for many new rows at once (bulk inserts), one per text, in the same order.

    The same rule as :func:`unique_slug`: a base no row uses is taken as it is, otherwise
    the first free numeric suffix; rows of the same batch never share a slug. Queries are
    bounded by batches, not by the number of texts: one per ``batch`` distinct bases, plus
    one per ``batch`` bases already taken. Run it inside the transaction that inserts the
    rows, and hold a lock against concurrent writers if they could pick the same names.
    """
    fallback = model._meta.model_name
    bases = [slug_base(text, fallback=fallback) for text in texts]
    distinct = sorted(set(bases))
    manager = model._default_manager
    taken: set[str] = set()
    for start in range(0, len(distinct), batch):
        chunk = distinct[start : start + batch]
        taken |= set(manager.filter(**{f"{field}__in": chunk}).values_list(field, flat=True))
    # Only bases already taken need their suffixed spellings looked up.
    crowded = sorted(taken)
    for start in range(0, len(crowded), batch):
        query = models.Q()
        for base in crowded[start : start + batch]:
            query |= models.Q(**{f"{field}__startswith": f"{base}-"})
        taken |= set(manager.filter(query).values_list(field, flat=True))
    result = []
    next_suffix: dict[str, int] = {}
    for base in bases:
        if base not in taken:
            slug = base
        else:
            suffix = next_suffix.get(base, 2)
            while f"{base}-{suffix}" in taken:
                suffix += 1
            next_suffix[base] = suffix + 1
            slug = f"{base}-{suffix}"
        taken.add(slug)
        result.append(slug)
    return result


class RemembersSlug:
    """A model mixin keeping the slug a row was loaded with (``slug_on_record``), so a save
    that changes the slug can also expire what was cached under the old address."""

    slug_on_record = ""

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        instance = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        if "slug" in instance.__dict__:  # not deferred
            instance.slug_on_record = instance.slug
        return instance

    def old_address_tags(self, prefix: str) -> set[str]:
        """The tag of the address this row had before this save, when it changed."""
        old, self.slug_on_record = self.slug_on_record, self.slug
        return {f"{prefix}:{old}"} if old and old != self.slug else set()
