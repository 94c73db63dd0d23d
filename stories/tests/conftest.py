"""Keep the desk's groups through transactional tests.

A test marked ``django_db(transaction=True)`` (the concurrency tests on PostgreSQL) ends with
a flush that empties every table, including the Journalists and Editors groups the
migrations created; only content types and permissions come back (post_migrate). Tests that
run after it and make a journalist or an editor would then fail, depending on test order.
This puts the groups back after each flush, with the permissions the migrations give them.
"""

import importlib

from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_migrate

GROUP_MIGRATIONS = [
    ("people", "people.migrations.0003_groups"),
    ("stories", "stories.migrations.0002_groups"),
    ("stories", "stories.migrations.0004_story_groups"),
]


def _restore_desk_groups(sender, using="default", **kwargs) -> None:
    if sender.label != "stories":  # the last of the two apps: every permission exists
        return
    for app_label, module in GROUP_MIGRATIONS:
        migration = importlib.import_module(module)
        for name, codenames in (
            ("Journalists", migration.JOURNALIST),
            ("Editors", migration.EDITOR),
        ):
            group, _ = Group.objects.using(using).get_or_create(name=name)
            group.permissions.add(
                *Permission.objects.using(using).filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


post_migrate.connect(_restore_desk_groups, weak=False, dispatch_uid="stories-tests-desk-groups")
