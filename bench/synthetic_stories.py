"""The synthetic desk's stories (a step of bench/synthetic.py): runs of neighbouring moves,
citing only verified citations (rule 4), with their revisions, corrections and links."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict

from bench.records import Move, move_quote
from newsroom.slugs import unique_slugs
from people.models import RoleChangeKind
from stories.models import Correction, Story, StoryRevision, StoryStatus
from stories.rendering import render_body


class StorySteps:
    """A step of the generator (bench.synthetic._Generator)."""

    def stories(self) -> None:
        """Stories about runs of neighbouring moves, citing only verified citations."""
        rng = self.rng
        statuses = rng.choices(
            [
                StoryStatus.PUBLISHED,
                StoryStatus.CORRECTED,
                StoryStatus.IN_REVIEW,
                StoryStatus.DRAFT,
                StoryStatus.WITHDRAWN,
            ],
            weights=[80, 3, 5, 10, 2],
            k=self.scale.stories,
        )
        picks = self.story_runs()
        titles = [_headline(run[0][1]) for run in picks]
        slugs = unique_slugs(Story, titles)
        story_ids = self.writer.ids(Story, len(picks))
        rows: dict[str, list[dict]] = defaultdict(list)
        for pk, run, status, title, slug in self.steps(
            zip(story_ids, picks, statuses, titles, slugs, strict=True), len(picks), "Stories"
        ):
            self.story_rows(rows, pk, run, status, title, slug)
        self.insert(Story, rows.pop("stories"))
        self.insert(StoryRevision, self.with_ids(StoryRevision, rows.pop("revisions")))
        self.insert(Correction, self.with_ids(Correction, rows.pop("corrections", [])))
        for field, links in rows.items():
            through = Story._meta.get_field(field).remote_field.through
            unique = list({tuple(row.items()): row for row in links}.values())
            self.insert(through, self.with_ids(through, unique))

    def story_runs(self) -> list[list[tuple[int, Move]]]:
        """What each story covers: a few neighbouring verified citations at one organization."""
        rng, verified = self.rng, self.verified_citations
        picks = []
        for _ in range(self.scale.stories):
            start = rng.randrange(len(verified))
            organization_id = verified[start][1].organization_id
            run = [
                pair
                for pair in verified[start : start + rng.choice((1, 1, 2, 2, 3, 4))]
                if pair[1].organization_id == organization_id
            ]
            picks.append(run)
        return picks

    def story_rows(self, rows, pk, run, status: StoryStatus, title: str, slug: str) -> None:
        """One story's rows: the story, its first revision, a correction, and its links."""
        rng = self.rng
        author = rng.choice(self.journalist_ids)
        body = _body(run)
        rendered = render_body(body)
        last_day = max(move.day for _, move in run)
        published_at = None
        if status in (StoryStatus.PUBLISHED, StoryStatus.CORRECTED, StoryStatus.WITHDRAWN):
            published_at = datetime.datetime.combine(
                datetime.date.fromordinal(last_day + rng.randrange(3)),
                datetime.time(rng.randrange(7, 20), rng.randrange(60)),
                tzinfo=datetime.UTC,
            )
        first = run[0][1]
        dek = f"{first.organization} reshapes its leadership."
        rows["stories"].append(
            {
                "id": pk,
                "title": title,
                "slug": slug,
                "dek": dek,
                "body": body,
                "body_html": rendered.html,
                "cited_ids": json.dumps(rendered.citation_ids),
                "status": status.value,
                "version": 2 if status == StoryStatus.CORRECTED else 1,
                "withdrawal_note": "Withdrawn at the subject's request pending review."
                if status == StoryStatus.WITHDRAWN
                else "",
                "first_published_at": published_at,
                "last_updated_at": published_at,
                "created_by_id": author,
            }
        )
        rows["revisions"].append(
            {
                "story_id": pk,
                "number": 1,
                "title": title,
                "dek": dek,
                "body": body,
                "saved_by_id": author,
                "saved_at": published_at or self.now,
            }
        )
        if status == StoryStatus.CORRECTED:
            rows["corrections"].append(
                {
                    "story_id": pk,
                    "text": "An earlier version misstated the effective date.",
                    "created_by_id": rng.choice(self.editor_ids),
                    "created_at": published_at + datetime.timedelta(days=1),
                }
            )
        rows["authors"].append({"story_id": pk, "user_id": author})
        rows["organizations"].append({"story_id": pk, "organization_id": first.organization_id})
        for person_id in dict.fromkeys(move.person_id for _, move in run):
            rows["people"].append({"story_id": pk, "person_id": person_id})
        for citation_id, move in run:
            rows["role_changes"].append({"story_id": pk, "rolechange_id": move.pk})
            rows["citations"].append({"story_id": pk, "citation_id": citation_id})


_VERBS = {
    RoleChangeKind.JOINED: "joins",
    RoleChangeKind.APPOINTED: "is appointed",
    RoleChangeKind.PROMOTED: "is promoted to",
    RoleChangeKind.LEFT: "leaves",
}


def _headline(move: Move) -> str:
    if move.kind_enum == RoleChangeKind.LEFT:
        return f"{move.person} leaves {move.organization} ({move.post.title})"
    if move.kind_enum == RoleChangeKind.JOINED:
        return f"{move.person} joins {move.organization} as {move.post.title}"
    return f"{move.organization} names {move.person} {move.post.title}"


def _body(run: list[tuple[int, Move]]) -> str:
    paragraphs = []
    for citation_id, move in run:
        day = datetime.date.fromordinal(move.day)
        paragraphs.append(
            f"{move.person} {_VERBS[move.kind_enum]} {move.post.title} at "
            f"**{move.organization}**, effective {day:%B} {day.day}, {day.year}.[^c{citation_id}]"
        )
    paragraphs.append(
        f"> “{move_quote(run[0][1])}”[^c{run[0][0]}]\n\n"
        "The desk will follow the story as the leadership settles."
    )
    return "\n\n".join(paragraphs)
