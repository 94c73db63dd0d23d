"""Who sees what: the one place the design's permission table is read from."""

from django.contrib.auth.models import AnonymousUser, User


def can_see_unconfirmed(user: User | AnonymousUser) -> bool:
    """Journalists and editors see pending role changes (marked as such); readers never do."""
    return user.is_authenticated and user.has_perm("people.view_rolechange")


def is_desk_member(user: User | AnonymousUser) -> bool:
    """Journalists and editors work on the desk."""
    return user.is_authenticated and user.has_perm("stories.view_citation")


def is_editor(user: User | AnonymousUser) -> bool:
    """Editors verify citations, publish stories and issue corrections."""
    return user.is_authenticated and user.has_perm("stories.verify_citation")
