"""Timelines inside a story: ``[timeline:openai]`` (or ``[timeline:openai 2023-11-06..2023-12-04]``
for a range) on a line of its own in the body draws the organization's leadership as of the
story's publication date.

Anything newer follows the story sidebar's rule: the picture stops at the publication date,
and what changed since is listed under it, marked "since this story was published", never
drawn into it. Confirmed facts only (rule 3), whoever reads. Two queries for every timeline
a story holds: the leadership tenures of the organizations named (with the moves at their
ends), and the sources credited.

The marker's syntax lives in stories/rendering.py (which turns it into a placeholder when the
body is rendered); the people app only draws what it is asked for.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from people.models import RoleChange, RoleChangeKind, Tenure
from people.pictures import (
    Range,
    credited_sources,
    leadership_timeline,
    link_leadership,
    natural_range,
    timeline_description,
)
from people.timelines import DAY, Timeline, credit_line


@dataclass(frozen=True)
class TimelineRequest:
    """What a marker asks for: an organization (by slug) and, optionally, a range."""

    slug: str
    first: datetime.date | None = None
    last: datetime.date | None = None


@dataclass
class EmbeddedTimeline:
    request: TimelineRequest
    organization_name: str = ""
    organization_url: str = ""
    timeline: Timeline | None = None
    description: str = ""
    credit: str = ""
    # Moves at the ends of the drawn posts' tenures dated on or after the publication day.
    since: list[RoleChange] = field(default_factory=list)


def story_timelines(
    requests: list[TimelineRequest], *, published_on: datetime.date, today: datetime.date
) -> list[EmbeddedTimeline]:
    """Each requested timeline as of ``published_on``, in the order asked."""
    if not requests:
        return []
    slugs = {request.slug for request in requests}
    tenures_by_slug: dict[str, list[Tenure]] = defaultdict(list)
    rows = (
        Tenure.objects.public()
        .leadership()
        .filter(organization__slug__in=slugs)
        .select_related("organization", "person", "post", "started_by__post", "ended_by__post")
        .order_by("organization_id", "post__rank", "post__title", "post_id", "start_date", "pk")
    )
    for tenure in rows:
        tenures_by_slug[tenure.organization.slug].append(tenure)
    credited = credited_sources(
        pk for tenure in rows for pk in (tenure.started_by_id, tenure.ended_by_id)
    )
    return [
        _embedded(request, tenures_by_slug[request.slug], credited, published_on, today)
        for request in requests
    ]


def _embedded(
    request: TimelineRequest,
    tenures: list[Tenure],
    credited: dict[int, list[str]],
    published_on: datetime.date,
    today: datetime.date,
) -> EmbeddedTimeline:
    embedded = EmbeddedTimeline(request=request)
    if not tenures:
        return embedded
    organization = tenures[0].organization
    embedded.organization_name = organization.name
    embedded.organization_url = organization.get_absolute_url()
    # The picture's days end on the publication day, whatever the marker asked for.
    natural = natural_range(tenures, today=published_on, founded=organization.founded)
    natural = Range(natural.first, published_on)
    last = min(request.last or published_on, published_on)
    first = min(request.first or natural.first, last - DAY * 6)
    drawn_ids = [pk for tenure in tenures for pk in (tenure.started_by_id, tenure.ended_by_id)]
    names = []
    for pk in drawn_ids:
        for name in credited.get(pk, []) if pk else []:
            if name not in names:
                names.append(name)
    timeline = leadership_timeline(
        organization,
        tenures,
        shown=Range(first, last),
        natural=natural,
        as_of=published_on,
        sources=names,
        cutoff=published_on,
    )
    embedded.timeline = link_leadership(timeline, organization.get_absolute_url())
    embedded.description = timeline_description(timeline)
    embedded.credit = credit_line(timeline.sources)
    embedded.since = _since(tenures, published_on=published_on, today=today)
    return embedded


def _since(
    tenures: list[Tenure], *, published_on: datetime.date, today: datetime.date
) -> list[RoleChange]:
    """The moves starting or ending these tenures that may have taken effect from the
    publication day to today, newest first: the sidebar's "since this story was published"
    (``RoleChangeQuerySet.between``), for the posts the picture draws."""
    moves: dict[int, RoleChange] = {}
    for tenure in tenures:
        for change in (tenure.started_by, tenure.ended_by):
            if (
                change is not None
                and change.kind != RoleChangeKind.HELD
                and change.effective_latest >= published_on
                and change.effective_date <= max(today, published_on)
            ):
                change.person = tenure.person
                moves[change.pk] = change
    return sorted(
        moves.values(),
        key=lambda move: (move.effective_date, move.effective_latest, move.pk),
        reverse=True,
    )
