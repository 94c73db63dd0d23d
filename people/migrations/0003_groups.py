"""The Journalists and Editors groups with the people-desk permissions of the design's table.

Journalists record and edit people, organizations and moves; Editors also delete them and
confirm moves for readers. The stories app adds its own permissions to the same groups.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["person", "personname", "organization", "organizationname", "post", "rolechange"]

JOURNALIST = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "view")]
EDITOR = JOURNALIST + [f"delete_{model}" for model in MODELS] + [
    "view_tenure",
    "confirm_rolechange",
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrations; make sure they exist now.
    app_config = apps.get_app_config("people")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in (("Journalists", JOURNALIST), ("Editors", EDITOR)):
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="people", codename__in=codenames)
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Journalists", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_tenure_no_overlap_postgresql"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
