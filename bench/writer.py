"""The desk at work during the mixed run: one new move verified every second (recorded with a
pending citation, then verified by an editor) and a story published every minute, through
the same services as the desk. Run by bench/run.py beside the readers' load:

    DJANGO_SETTINGS_MODULE=bench.settings python -m bench.writer SECONDS OUTPUT_JSON

Writes ``{"moves": n, "stories": n, "seconds": s}`` to OUTPUT_JSON.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from newsroom.dates import PartialDate  # noqa: E402
from people.models import Organization, Person, Tenure  # noqa: E402
from people.services import role_change_record  # noqa: E402
from stories.services import (  # noqa: E402
    citation_add,
    citation_decide,
    source_get_or_create,
    story_create,
    story_publish,
    story_submit,
)

MOVE_EVERY = 1.0
STORY_EVERY = 60.0


def verify_one_move(rng: random.Random, organizations: list[int], users: dict, number: int):
    organization = Organization.objects.get(pk=rng.choice(organizations))
    person = Person.objects.create(name=f"Bench Writer {time.time_ns()}")
    move = role_change_record(
        person=person,
        organization=organization,
        kind="joined",
        title="Engineer",
        effective=PartialDate.parse("2026-06"),
        recorded_by=users["journalist"],
    )
    source, _ = source_get_or_create(
        url=f"https://example.com/bench/{time.time_ns()}-{number}",
        title="A bench source",
        created_by=users["journalist"],
    )
    citation = citation_add(role_change=move, source=source, created_by=users["journalist"])
    return citation_decide(citation=citation, editor=users["editor"], decision="verified")


def publish_story(citation, users: dict, number: int) -> None:
    story = story_create(
        author=users["journalist"],
        title=f"Bench story {number} {time.time_ns()}",
        body=f"A move, verified. {citation.marker}",
        citations=[citation],
    )
    story_submit(story=story, user=users["journalist"])
    story_publish(story=story, editor=users["editor"])


def main(seconds: float, output: Path) -> None:
    rng = random.Random(2026)  # noqa: S311 - which organization, not a secret
    users = {
        "journalist": get_user_model().objects.get(username="synthetic-journalist-01"),
        "editor": get_user_model().objects.get(username="synthetic-editor-01"),
    }
    organizations = list(
        Tenure.objects.public().values_list("organization_id", flat=True).distinct()[:500]
    )
    moves = stories = 0
    started = time.monotonic()
    next_story = started + STORY_EVERY / 2
    while (now := time.monotonic()) - started < seconds:
        citation = verify_one_move(rng, organizations, users, moves)
        moves += 1
        if now >= next_story:
            publish_story(citation, users, stories)
            stories += 1
            next_story += STORY_EVERY
        time.sleep(max(0.0, started + moves * MOVE_EVERY - time.monotonic()))
    output.write_text(
        json.dumps({"moves": moves, "stories": stories, "seconds": time.monotonic() - started})
    )


if __name__ == "__main__":
    main(float(sys.argv[1]), Path(sys.argv[2]))
