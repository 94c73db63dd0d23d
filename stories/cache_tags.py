"""What a write to stories changes, as page tags (newsroom/cache.py; people/cache_tags.py
for people's data): the story's own page and the lists of stories; a citation's decision
changes the stories that cite it and, through its move, the people's pages."""

from __future__ import annotations

from people.cache_tags import move_tags
from stories.models import Citation, Story


def story_tags(story: Story | None) -> set[str]:
    return {"stories", f"story:{story.slug}"} if story is not None else {"stories"}


def citation_tags(citation: Citation | None) -> set[str]:
    if citation is None:
        return set()
    tags = {
        f"story:{slug}"
        for slug in Story.objects.filter(citations=citation.pk).values_list("slug", flat=True)
    }
    if citation.role_change_id:
        tags |= move_tags(citation.role_change_id)
    return tags


def of_story(result, *, story: Story | None = None, **kwargs) -> set[str]:
    """For ``@touches``: the story a service was given, or the one it made."""
    return story_tags(story or (result if isinstance(result, Story) else None))
