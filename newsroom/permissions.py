"""Who sees what: the one place the design's permission table is read from."""

from django.contrib.auth.models import AnonymousUser, User


def can_see_unconfirmed(user: User | AnonymousUser) -> bool:
    """Journalists and editors see pending role changes (marked as such); readers never do."""
    return user.is_authenticated and user.has_perm("people.view_rolechange")
