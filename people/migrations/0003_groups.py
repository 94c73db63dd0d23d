"""The Journalists and Editors groups, with the people desk's part of the design's table
(newsroom/permissions.py: Journalists record and edit people, organizations and moves;
Editors also delete them and confirm moves for readers). The stories app adds its part.
"""

from django.db import migrations

from newsroom.permissions import desk_groups_grant


def create_groups(apps, schema_editor):
    desk_groups_grant(apps, app_label="people", using=schema_editor.connection.alias)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Journalists", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_tenure_no_overlap_postgresql"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
