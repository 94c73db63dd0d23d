"""The synthetic desk's records: what the simulation (bench/simulation.py) works on, and the
day every synthetic date ends on."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from newsroom.dates import PartialDate, Precision
from people.models import RoleChangeKind
from people.tenures import ReplayedPosts

REFERENCE_DAY = datetime.date(2026, 10, 31)


@dataclass(eq=False, slots=True)
class Org:
    pk: int
    name: str
    founded: int  # date ordinal
    posts: list[SimulatedPost]


@dataclass(eq=False, slots=True)
class SimulatedPost:
    pk: int
    title: str
    rank: int


@dataclass(eq=False, slots=True)
class Move(ReplayedPosts):
    """A role change as the tenure replay (people.tenures) reads one, without a model."""

    pk: int
    person_id: int
    organization_id: int
    post: SimulatedPost
    kind_enum: RoleChangeKind
    day: int  # the true day (ordinal); ``effective`` may be coarser
    effective: PartialDate
    previous_post: SimulatedPost | None = None
    is_interim: bool = False
    leaves_organization: bool = False
    is_public: bool = False
    person: str = ""  # names, for the replay's messages
    organization: str = ""


def coarse(day: datetime.date, rng: random.Random) -> PartialDate:
    """Most moves are known to the day; some only to the month or the year (rule 1)."""
    draw = rng.random()
    if draw < 0.85:
        return PartialDate(day, Precision.DAY)
    if draw < 0.95:
        return PartialDate(day.replace(day=1), Precision.MONTH)
    return PartialDate(datetime.date(day.year, 1, 1), Precision.YEAR)


def move_quote(move: Move) -> str:
    """What the synthetic desk quotes a move's source saying."""
    if move.kind_enum == RoleChangeKind.LEFT:
        return f"It has been a privilege to serve as {move.post.title} of {move.organization}."
    return f"{move.person} will lead us forward as {move.post.title}."
