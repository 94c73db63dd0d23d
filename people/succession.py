"""Succession: whom a tenure succeeded and who succeeded it, derived when it is read.

Nothing is stored: tenures are rebuilt one (person, organization) at a time, so a stored
"predecessor" would go stale whenever someone else's tenures of the same post are rebuilt.
Instead :func:`with_succession` reads every tenure of the posts a page shows, in one query
however many tenures the page has, and applies the rule below in Python.

Only leadership posts have a succession: a title many hold at once ("Member of Technical
Staff") has no line of holders, and reading all its tenures would cost the most.

The rule, for the tenures of one leadership post in one scope (every holder, interim ones included;
readers' pages pass public tenures, so what they see rests on confirmed changes only, rule 3):

- *B can follow A* when A has an end, B has a known start, and A's end can be on or before
  B's start: A's earliest possible end <= B's latest possible start (rule 2: a promotion on
  *d* ends one tenure and starts the next on *d*; "left May 2024" can be followed by
  "appointed May 2024"). When B can follow A and A can follow B too (both fit within the
  same coarse dates), the dates cannot tell who came first, and neither follows the other.
- *B's last to end* are the tenures B can follow that ended last: the latest earliest-possible
  end, then the latest latest-possible end; every one sharing that exact partial date.
  Every holder counts here, B's own earlier tenures of the post included.
- *A's first to start* are the tenures that can follow A that started first: the earliest
  latest-possible start, then the earliest earliest-possible start (the mirror image); every
  one sharing that exact partial date.
- *B succeeded A* (and A was succeeded by B) when A is among B's last to end, B is among A's
  first to start, and they are different people.

Requiring both directions keeps the two pages of a succession consistent and avoids claims
the record does not support: when A left in 2005, B took the post in 2005 and still holds
it, and C became a second holder in 2010, C did not succeed A (B did). A re-hire is never
their own predecessor, and someone who left a post, came back after a vacancy and left
again did not succeed whoever held it before their first tenure. A gap (a vacancy) between
two holders does not break a succession. Co-holders who ended on exactly the same partial
date are all listed, by name. A tenure whose start is unknown has no derivable predecessor: its
``start_after`` only says when the person arrived at the organization, not when they took
the post, so who held the post just before cannot be told (it can still have a successor).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from people.models import Person, Tenure


@dataclass(frozen=True)
class SuccessionLink:
    """Another holder of the post; ``pending`` when a move joining the two tenures is not
    confirmed yet (only possible in the desk scope)."""

    person: Person
    pending: bool


@dataclass(frozen=True)
class Succession:
    predecessors: tuple[SuccessionLink, ...] = ()
    successors: tuple[SuccessionLink, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.predecessors or self.successors)


def can_follow(earlier: Tenure, later: Tenure) -> bool:
    """Whether ``earlier``'s end can be on or before ``later``'s start (see the module)."""
    return (
        earlier.end_date is not None
        and later.start_latest is not None
        and earlier.end_date <= later.start_latest
    )


def follows(earlier: Tenure, later: Tenure) -> bool:
    """Whether ``later`` can follow ``earlier`` and the dates tell which came first."""
    return earlier.pk != later.pk and can_follow(earlier, later) and not can_follow(later, earlier)


def last_to_end(tenure: Tenure, holders: Sequence[Tenure]) -> list[Tenure]:
    """The tenures of the post that ``tenure`` can follow and that ended last."""
    candidates = [holder for holder in holders if follows(holder, tenure)]
    if not candidates:
        return []
    last = max((holder.end_date, holder.end_latest) for holder in candidates)
    return [holder for holder in candidates if (holder.end_date, holder.end_latest) == last]


def first_to_start(tenure: Tenure, holders: Sequence[Tenure]) -> list[Tenure]:
    """The tenures of the post that can follow ``tenure`` and that started first."""
    candidates = [holder for holder in holders if follows(tenure, holder)]
    if not candidates:
        return []
    first = min((holder.start_latest, holder.start_date) for holder in candidates)
    return [holder for holder in candidates if (holder.start_latest, holder.start_date) == first]


def _is_pending(earlier: Tenure, later: Tenure) -> bool:
    """Whether the end of ``earlier`` or the start of ``later`` is not confirmed yet."""
    return any(
        change is not None and not change.is_public
        for change in (earlier.ended_by, later.started_by)
    )


def _links(pairs: Iterable[tuple[Tenure, Tenure]], *, other: int) -> tuple[SuccessionLink, ...]:
    """One link per other person (``other`` picks which side of each pair they are on), by
    name."""
    links: dict[int, SuccessionLink] = {}
    for pair in sorted(pairs, key=lambda pair: (pair[other].person.name, pair[other].pk)):
        person = pair[other].person
        pending = _is_pending(*pair)
        if person.pk not in links or (links[person.pk].pending and not pending):
            links[person.pk] = SuccessionLink(person=person, pending=pending)
    return tuple(links.values())


def succession_of(tenure: Tenure, holders: Sequence[Tenure]) -> Succession:
    """Whom ``tenure`` succeeded and who succeeded it, among ``holders`` (every tenure of
    its post in its scope, ``tenure`` itself included; with their person, ``started_by``
    and ``ended_by`` loaded)."""
    this = next((holder for holder in holders if holder.pk == tenure.pk), None)
    if this is None:  # rebuilt between the two reads: the next request will tell
        return Succession()
    predecessors = [
        (earlier, this)
        for earlier in last_to_end(this, holders)
        if earlier.person_id != this.person_id
        and any(later.pk == this.pk for later in first_to_start(earlier, holders))
    ]
    successors = [
        (this, later)
        for later in first_to_start(this, holders)
        if later.person_id != this.person_id
        and any(earlier.pk == this.pk for earlier in last_to_end(later, holders))
    ]
    return Succession(
        predecessors=_links(predecessors, other=0), successors=_links(successors, other=1)
    )


def with_succession(tenures: list[Tenure]) -> list[Tenure]:
    """Set ``succession`` on each of ``tenures``, reading every tenure of their leadership
    posts in their scopes in one query (none when ``tenures`` is empty); tenures of other
    posts get an empty one."""
    if not tenures:
        return tenures
    holders: dict[tuple[str, int], list[Tenure]] = defaultdict(list)
    rows = (
        Tenure.objects.filter(
            scope__in={tenure.scope for tenure in tenures},
            post_id__in={tenure.post_id for tenure in tenures},
            post__is_leadership=True,
        )
        .select_related("person", "started_by", "ended_by")
        .only(
            "scope",
            "post",
            "person",
            "started_by",
            "ended_by",
            "start_date",
            "start_latest",
            "end_date",
            "end_latest",
            "person__name",
            "person__slug",
            "started_by__is_public",
            "ended_by__is_public",
        )
        .order_by()
    )
    for holder in rows:
        holders[(holder.scope, holder.post_id)].append(holder)
    for tenure in tenures:
        tenure.succession = succession_of(tenure, holders[(tenure.scope, tenure.post_id)])
    return tenures
