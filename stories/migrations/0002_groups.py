"""Desk permissions for the Journalists and Editors groups (the design's table).

Journalists record sources, quotes and citations; Editors also verify, dispute or reject
citations (``verify_citation``) and delete.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["source", "statement", "citation"]
JOURNALIST = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "view")] + [
    "view_citationdecision"
]
EDITOR = JOURNALIST + [f"delete_{model}" for model in MODELS] + ["verify_citation"]


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
    stories_permissions = Permission.objects.filter(content_type__app_label="stories")
    for group in Group.objects.filter(name__in=["Journalists", "Editors"]):
        group.permissions.remove(*stories_permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0001_sources_statements_citations"),
        ("people", "0003_groups"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
