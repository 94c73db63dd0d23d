"""Desk permissions for the Journalists and Editors groups: the stories app's part of the
design's table (newsroom/permissions.py) for sources, quotes and citations.
"""

from django.db import migrations

from newsroom.permissions import desk_groups_grant, desk_groups_revoke


def add_permissions(apps, schema_editor):
    desk_groups_grant(apps, app_label="stories", using=schema_editor.connection.alias)


def remove_permissions(apps, schema_editor):
    desk_groups_revoke(apps, app_label="stories", using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0001_sources_statements_citations"),
        ("people", "0003_groups"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
