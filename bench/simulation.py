"""An organization's posts over time, for the synthetic desk (bench/synthetic.py).

Each post is held by one person at a time: a holder leaves (sometimes leaving the
organization, which ends their other titles that day), and the post is filled again after a
gap by a promotion from a lower post, an interim appointment from inside, or someone new.
Tenures are drawn to spend the organization's budget of role changes evenly until
:data:`~bench.records.REFERENCE_DAY`.
"""

from __future__ import annotations

import datetime
import heapq
import random
from collections import defaultdict
from collections.abc import Callable, Iterator

from bench.records import REFERENCE_DAY, Move, Org, SimulatedPost, coarse
from people.models import RoleChangeKind


class OrganizationHistory:
    """One organization's moves, up to ``budget`` of them, recorded with ``add(move)``."""

    def __init__(
        self,
        org: Org,
        budget: int,
        *,
        rng: random.Random,
        person_ids: list[int],
        person_names: list[str],
        move_ids: Iterator[int],
        add: Callable[[Move], None],
    ) -> None:
        self.org = org
        self.posts = org.posts
        self.rng = rng
        self.person_ids = person_ids
        self.person_names = person_names
        self.move_ids = move_ids
        self.add = add
        self.end = REFERENCE_DAY.toordinal()
        self.held: list[tuple[int, int] | None] = [None] * len(self.posts)  # (person, since)
        self.version = [0] * len(self.posts)
        self.holdings: dict[int, set[int]] = defaultdict(set)
        self.last_day: dict[int, int] = {}
        self.events = [
            (org.founded + rng.randrange(720), index, 0) for index in range(len(self.posts))
        ]
        heapq.heapify(self.events)
        self.budget = self.remaining = budget

    def run(self) -> int:
        """Simulate until the budget or the reference day is reached; the moves recorded."""
        while self.remaining > 0 and self.events:
            day, index, event_version = heapq.heappop(self.events)
            if event_version != self.version[index] or day >= self.end:
                continue
            if self.held[index] is not None:
                self.vacate(index, day)
            else:
                self.fill(index, day)
        return self.budget - self.remaining

    def schedule(self, day: int, index: int) -> None:
        self.version[index] += 1
        heapq.heappush(self.events, (day, index, self.version[index]))

    def tenure_length(self, day: int) -> int:
        # Spread the remaining budget over the remaining years, leaving some slack.
        tenures_left = max(1.0, self.remaining / (2 * len(self.posts)))
        mean = (self.end - day) / tenures_left * 0.8
        return max(45, int(mean * self.rng.uniform(0.4, 1.6)))

    def gap(self) -> int:
        return 0 if self.rng.random() < 0.5 else self.rng.randint(1, 120)

    def record(
        self, person: int, post: SimulatedPost, kind: RoleChangeKind, day: int, **extra
    ) -> None:
        self.add(
            Move(
                pk=next(self.move_ids),
                person_id=self.person_ids[person],
                organization_id=self.org.pk,
                post=post,
                kind_enum=kind,
                day=day,
                effective=coarse(datetime.date.fromordinal(day), self.rng),
                person=self.person_names[person],
                organization=self.org.name,
                **extra,
            )
        )
        self.last_day[person] = day
        self.remaining -= 1

    def vacate(self, index: int, day: int) -> None:
        """The holder leaves the post (and sometimes the organization)."""
        person = self.held[index][0]
        if self.last_day.get(person) == day:
            self.schedule(day + 1, index)  # one change per person and day here
            return
        others = self.holdings[person] - {index}
        leaves = bool(others) and self.rng.random() < 0.3
        self.record(person, self.posts[index], RoleChangeKind.LEFT, day, leaves_organization=leaves)
        for ended in [index, *others] if leaves else [index]:
            self.held[ended] = None
            self.holdings[person].discard(ended)
            self.schedule(day + self.gap(), ended)

    def fill(self, index: int, day: int) -> None:
        """Someone takes the vacant post: promoted, appointed for an interim, or new."""
        rng, held, post = self.rng, self.held, self.posts[index]
        draw = rng.random()
        promotable = [
            other
            for other, tenure in enumerate(held)
            if tenure is not None
            and self.posts[other].rank > post.rank
            and tenure[1] < day - 30
            and self.last_day.get(tenure[0]) != day
        ]
        if draw < 0.25 and promotable:
            previous = rng.choice(promotable)
            person = held[previous][0]
            self.record(
                person, post, RoleChangeKind.PROMOTED, day, previous_post=self.posts[previous]
            )
            held[previous] = None
            self.holdings[person].discard(previous)
            self.schedule(day + self.gap(), previous)
            length = self.tenure_length(day)
        elif draw < 0.3 and (
            insiders := [t[0] for t in held if t and self.last_day.get(t[0]) != day]
        ):
            person = rng.choice(insiders)
            self.record(person, post, RoleChangeKind.APPOINTED, day, is_interim=True)
            length = rng.randint(90, 400)
        else:
            person = rng.randrange(len(self.person_ids))
            while self.last_day.get(person) == day:
                person = rng.randrange(len(self.person_ids))
            kind = RoleChangeKind.APPOINTED if self.holdings.get(person) else RoleChangeKind.JOINED
            self.record(person, post, kind, day)
            length = self.tenure_length(day)
        held[index] = (person, day)
        self.holdings[person].add(index)
        self.schedule(day + length, index)
