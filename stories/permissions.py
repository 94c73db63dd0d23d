"""Who may correct cited material (the rest of the design's table: newsroom/permissions.py)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from newsroom.permissions import is_desk_member, is_editor
from stories.models import CitationState, Source, Statement


def can_edit_cited_material(user: User | AnonymousUser, material: Source | Statement) -> bool:
    """Who may correct a source or a quote (statement).

    Editors may correct any. A journalist may correct only one they recorded, and only while
    none of its citations is verified: what an editor checked is the editors' to change (and
    the edit then waits for an editor beside the verified version, rule 5).
    """
    if is_editor(user):
        return True
    if not is_desk_member(user) or material.created_by_id != user.pk:
        return False
    return not material.citations.filter(state=CitationState.VERIFIED).exists()
