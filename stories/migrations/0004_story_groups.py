"""Story permissions for the Journalists and Editors groups (the design's table)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

JOURNALIST = [
    "add_story",
    "change_story",
    "view_story",
    "view_storyrevision",
    "view_correction",
]
EDITOR = JOURNALIST + [
    "delete_story",
    "publish_story",
    "correct_story",
    "add_correction",
    "view_correctionflag",
    "change_correctionflag",
]


def add_permissions(apps, schema_editor):
    app_config = apps.get_app_config("stories")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in (("Journalists", JOURNALIST), ("Editors", EDITOR)):
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="stories", codename__in=codenames)
        )


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = set(EDITOR)
    permissions = Permission.objects.filter(
        content_type__app_label="stories", codename__in=codenames
    )
    for group in Group.objects.filter(name__in=["Journalists", "Editors"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("stories", "0003_stories")]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
