"""Who may do what: the design's permission table, in one place.

:data:`DESK_PERMISSIONS` is the table itself (../shared/DESIGN.md, "Roles and permissions"):
the permissions each desk group holds, by app. The data migrations that create the groups and
the tests that restore them both grant it with :func:`desk_groups_grant`; the predicates
below are what views ask. Permissions are named by their codename only, so this module
imports no app.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

JOURNALISTS = "Journalists"
EDITORS = "Editors"


def _crud(actions: tuple[str, ...], *models: str) -> list[str]:
    return [f"{action}_{model}" for model in models for action in actions]


_PEOPLE_MODELS = ("person", "personname", "organization", "organizationname", "post", "rolechange")
_CITATION_MODELS = ("source", "statement", "citation")
_JOURNALIST_STORIES = [
    *_crud(("add", "change", "view"), *_CITATION_MODELS),
    "view_citationdecision",
    "add_story",
    "change_story",
    "view_story",
    "view_storyrevision",
    "view_correction",
]

DESK_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    JOURNALISTS: {
        "people": _crud(("add", "change", "view"), *_PEOPLE_MODELS),
        "stories": _JOURNALIST_STORIES,
    },
    EDITORS: {
        "people": [
            *_crud(("add", "change", "view", "delete"), *_PEOPLE_MODELS),
            "view_tenure",
            "confirm_rolechange",
        ],
        "stories": [
            *_JOURNALIST_STORIES,
            *_crud(("delete",), *_CITATION_MODELS),
            "verify_citation",
            "delete_story",
            "publish_story",
            "correct_story",
            "add_correction",
            "view_correctionflag",
            "change_correctionflag",
        ],
    },
}


def desk_groups_grant(apps, *, app_label: str, using: str = "default") -> None:
    """Create the desk groups and grant them ``app_label``'s part of the table.

    ``apps`` is a migration's historical registry (or ``django.apps.apps``). Permissions are
    normally created after migrations, so the app's are created first; a codename whose
    model does not exist yet at this point of the migrations is skipped, and granted by the
    later migration that calls this again.
    """
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True  # a migration's stub has none
    create_permissions(app_config, apps=apps, verbosity=0, using=using)
    app_config.models_module = models_module
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for group_name, by_app in DESK_PERMISSIONS.items():
        group, _ = group_model.objects.using(using).get_or_create(name=group_name)
        group.permissions.add(
            *permission_model.objects.using(using).filter(
                content_type__app_label=app_label, codename__in=by_app.get(app_label, [])
            )
        )


def desk_groups_revoke(apps, *, app_label: str, using: str = "default") -> None:
    """Take ``app_label``'s permissions back from the desk groups (a migration's reverse)."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    permissions = permission_model.objects.using(using).filter(content_type__app_label=app_label)
    for group in group_model.objects.using(using).filter(name__in=DESK_PERMISSIONS):
        group.permissions.remove(*permissions)


def can_see_unconfirmed(user: User | AnonymousUser) -> bool:
    """Journalists and editors see pending role changes (marked as such); readers never do."""
    return user.is_authenticated and user.has_perm("people.view_rolechange")


def is_desk_member(user: User | AnonymousUser) -> bool:
    """Journalists and editors work on the desk."""
    return user.is_authenticated and user.has_perm("stories.view_citation")


def is_editor(user: User | AnonymousUser) -> bool:
    """Editors verify citations, publish stories and issue corrections."""
    return user.is_authenticated and user.has_perm("stories.verify_citation")
