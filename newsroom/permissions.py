"""Who sees what: the one place the design's permission table is read from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser, User

if TYPE_CHECKING:
    from stories.models import Source, Statement


def can_see_unconfirmed(user: User | AnonymousUser) -> bool:
    """Journalists and editors see pending role changes (marked as such); readers never do."""
    return user.is_authenticated and user.has_perm("people.view_rolechange")


def is_desk_member(user: User | AnonymousUser) -> bool:
    """Journalists and editors work on the desk."""
    return user.is_authenticated and user.has_perm("stories.view_citation")


def is_editor(user: User | AnonymousUser) -> bool:
    """Editors verify citations, publish stories and issue corrections."""
    return user.is_authenticated and user.has_perm("stories.verify_citation")


def can_edit_cited_material(user: User | AnonymousUser, material: Source | Statement) -> bool:
    """Who may correct a source or a quote (statement).

    Editors may correct any. A journalist may correct only one they recorded, and only while
    none of its citations is verified: what an editor checked is the editors' to change (an
    edit puts its citations back to pending, rule 5).
    """
    if is_editor(user):
        return True
    if not is_desk_member(user) or material.created_by_id != user.pk:
        return False
    # Imported here: people's views use this module too, and people never imports stories.
    from stories.models import CitationState

    return not material.citations.filter(state=CitationState.VERIFIED).exists()
