"""The public record of what the editors changed: every correction and withdrawal, each
with its story (read by /corrections/ and its Atom feed)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from stories.models import Story


@dataclass(frozen=True)
class RecordEntry:
    """A correction or a withdrawal, with its story (a withdrawn one links to its tombstone)."""

    kind: str
    at: datetime.datetime
    story: Story
    text: str
    entry_id: int

    @property
    def url(self) -> str:
        if self.kind == "correction":
            return f"{self.story.get_absolute_url()}#correction-{self.entry_id}"
        return self.story.get_absolute_url()


def record_entries(rows) -> list[RecordEntry]:
    """The rows of ``Correction.objects.public_record()`` with their stories, in one query."""
    rows = list(rows)
    stories = Story.objects.only("title", "slug", "status").in_bulk(
        {row["story_ref"] for row in rows}
    )
    return [
        RecordEntry(
            kind=row["kind"],
            at=row["at"],
            story=stories[row["story_ref"]],
            text=row["notice"],
            entry_id=row["entry_id"],
        )
        for row in rows
        if row["story_ref"] in stories
    ]
