"""Story permissions for the Journalists and Editors groups (newsroom/permissions.py): the
same grant again, now that the story models exist.
"""

from django.db import migrations

from newsroom.permissions import desk_groups_grant, desk_groups_revoke


def add_permissions(apps, schema_editor):
    desk_groups_grant(apps, app_label="stories", using=schema_editor.connection.alias)


def remove_permissions(apps, schema_editor):
    desk_groups_revoke(apps, app_label="stories", using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("stories", "0003_stories")]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
