"""Keep the desk's groups through transactional tests.

A test marked ``django_db(transaction=True)`` (the concurrency tests on PostgreSQL) ends with
a flush that empties every table, including the Journalists and Editors groups the
migrations created; only content types and permissions come back (post_migrate). Tests that
run after it and make a journalist or an editor would then fail, depending on test order.
This puts the groups back after each flush, from the permission table the migrations grant
(newsroom/permissions.py).
"""

from django.apps import apps
from django.db.models.signals import post_migrate

from newsroom.permissions import DESK_PERMISSIONS, desk_groups_grant


def _restore_desk_groups(sender, using="default", **kwargs) -> None:
    if sender.label != "stories":  # the last of the two apps: every permission exists
        return
    for app_label in sorted({app for by_app in DESK_PERMISSIONS.values() for app in by_app}):
        desk_groups_grant(apps, app_label=app_label, using=using)


post_migrate.connect(_restore_desk_groups, weak=False, dispatch_uid="stories-tests-desk-groups")
