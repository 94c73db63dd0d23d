"""Names and ranks appear in cached fragments too: changing them bumps the data version."""

from django.db.models.signals import post_delete, post_save

from people.cache import bump_data_version
from people.models import Organization, Person, Post


def _changed(sender, **kwargs) -> None:
    bump_data_version()


def connect() -> None:
    for model in (Person, Organization, Post):
        post_save.connect(_changed, sender=model, dispatch_uid=f"bump-{model.__name__}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"bump-{model.__name__}-delete")
