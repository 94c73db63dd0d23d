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
