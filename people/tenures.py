"""Tenures from role changes: the rules of rule 2, in one place.

A person's tenures at an organization are a pure function of their role changes there,
replayed in date order:

- joined, appointed and promoted open a tenure of the post; when a previous title is named,
  its tenure ends on the same day (a promotion on day *d* ends the old title and starts the
  new one on *d*);
- left ends the open tenure of the post; when none is recorded, a tenure with an unknown
  start is recorded ("until …"), which cannot have begun before the person last joined or
  left the organization (``start_after``); an end before the post's only recorded start,
  or a second end with no start between, is refused (a wrong date far more often than a
  re-hire whose start nobody knows: record that start first); a departure that leaves the
  organization also ends every other title the person still holds there;
- held (the person is recorded in the post on a date, when they took it up unknown) changes
  nothing when a tenure of the post is open; otherwise it opens one whose start is unknown,
  held for certain from that date on (``seen``) and possibly before it, back to the
  person's last arrival (``start_after``) or their previous tenure of the post;
- ended by a later title: a new title (joined, appointed or promoted without naming a
  previous title, "held" of a post not open, or a departure from a post whose start is
  unknown) ends each other title the person still holds there no later than the new one
  began (``end_is_bound``: the mirror of "held", an upper bound, never an invented day),
  unless the new one is interim or recorded as held at once (``keeps_other_titles``); the
  new title then began after the older one did;
- the same person may hold the same post again later, and several posts at once, but never
  the same post twice at once; and no tenure ends before it starts.

Replaying (rather than patching tenures one change at a time) makes the result independent
of the order in which facts were recorded, so imports, edits, deletions and the public view
(confirmed changes only) all follow the same rules.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext

from newsroom.dates import PartialDate, partial_date_columns
from people.models import RoleChange, RoleChangeKind, Tenure, TenureScope


class ReplayedPosts:
    """For a role change written without a model instance (the bulk import's, the synthetic
    desk's), which holds its posts: the ids the replay reads, as a RoleChange has them."""

    __slots__ = ()

    @property
    def post_id(self) -> int:
        return self.post.pk

    @property
    def previous_post_id(self) -> int | None:
        return self.previous_post.pk if self.previous_post else None


class TenureConflict(Exception):
    """A role change that the rules of rule 2 refuse, with a message naming what and when."""

    def __init__(self, message: str, role_change: RoleChange) -> None:
        super().__init__(message)
        self.message = message
        self.role_change = role_change


@dataclass
class TenureDraft:
    post_id: int
    post_title: str
    start: PartialDate | None
    started_by: RoleChange | None
    is_interim: bool = False
    end: PartialDate | None = None
    ended_by: RoleChange | None = None
    # With an unknown start: the earliest day the tenure can have begun, when anything
    # recorded bounds it (see :meth:`_Replay._close`).
    start_after: datetime.date | None = None
    # With an unknown start: the date a "held" record puts the person in the post.
    seen: PartialDate | None = None
    # The end is only a bound: ended no later than ``end`` (by a later title).
    end_is_bound: bool = False

    def columns(self, *, scope: TenureScope, person_id: int, organization_id: int) -> dict:
        """The Tenure row's column values (the bulk writers insert these directly)."""
        return {
            "scope": TenureScope(scope).value,
            "person_id": person_id,
            "organization_id": organization_id,
            "post_id": self.post_id,
            "is_interim": self.is_interim,
            **partial_date_columns("start", self.start),
            "start_after": self.start_after,
            **partial_date_columns("seen", self.seen),
            **partial_date_columns("end", self.end),
            "end_is_bound": self.end_is_bound,
            "started_by_id": self.started_by.pk if self.started_by else None,
            "ended_by_id": self.ended_by.pk if self.ended_by else None,
        }

    def to_model(self, *, scope: TenureScope, person_id: int, organization_id: int) -> Tenure:
        return Tenure(
            **self.columns(scope=scope, person_id=person_id, organization_id=organization_id)
        )


# What a role change does to tenures, as steps of the replay: a start of its post, a record
# that the post was held on a date, or an end of a post (its own for a departure; the
# previous title for a promotion that names one). On the same day they come in this order.
_START, _SEEN, _END = 0, 1, 2


def replay_steps(changes: Sequence[RoleChange]) -> list[tuple[int, RoleChange]]:
    """The replay's steps in date order: a start counts from its earliest day, a "held"
    record and an end from their latest.

    So "joined September 10, 2024" comes before "left September 2024", and "joined 2017"
    before "left 2017"; "held 2024" comes after "appointed May 2024", which it then confirms.
    On the same day, starts come before "held" records, and those before ends. A promotion
    that names its previous title is two steps: the start of the new title from its earliest
    day, the end of the old one from its latest ("appointed May 2024" can end a tenure begun
    May 20, 2024).
    """
    steps = []
    for change in changes:
        effective = change.effective
        kind = change.kind_enum
        if kind.opens_tenure:
            steps.append(((effective.earliest, _START, change.pk or 0), _START, change))
            if change.previous_post_id:
                steps.append(((effective.latest, _END, change.pk or 0), _END, change))
        elif kind == RoleChangeKind.HELD:
            steps.append(((effective.latest, _SEEN, change.pk or 0), _SEEN, change))
        else:
            steps.append(((effective.latest, _END, change.pk or 0), _END, change))
    steps.sort(key=lambda step: step[0])
    return [(step, change) for _, step, change in steps]


def build_tenures(changes: Sequence[RoleChange], *, strict: bool = True) -> list[TenureDraft]:
    """Replay one person's role changes at one organization into tenures.

    With ``strict``, a change the rules refuse raises :class:`TenureConflict`. Without it
    (the public view, built from confirmed changes only, where a pending change can leave a
    gap) the refused change is skipped.
    """
    steps = replay_steps(changes)
    replay = _Replay(steps)
    for position, (step, change) in enumerate(steps):
        try:
            if step == _START:
                replay.start(change)
            elif step == _SEEN:
                replay.seen(change)
            elif change.kind_enum.opens_tenure:
                replay.close(position, change, change.previous_post_id, change.previous_post.title)
            else:
                replay.leave(position, change)
        except TenureConflict:
            if strict:
                raise
    return replay.result()


class _Replay:
    def __init__(self, steps: Sequence[tuple[int, RoleChange]]) -> None:
        self.steps = steps
        self.open: dict[int, TenureDraft] = {}
        self.closed: list[TenureDraft] = []
        # The earliest day of the person's latest "joined", or of their latest departure
        # from the organization, so far: no tenure whose start is unknown began before it.
        self.arrived: datetime.date | None = None

    def result(self) -> list[TenureDraft]:
        return self.closed + list(self.open.values())

    def start(self, change: RoleChange) -> None:
        day = change.effective
        if change.kind_enum == RoleChangeKind.JOINED:
            self.arrived = day.earliest
        held = self.open.get(change.post_id)
        if held is not None:
            names = {
                "person": change.person,
                "title": change.post.title,
                "organization": change.organization,
                "day": day.display(),
            }
            if held.start:
                message = gettext(
                    "%(person)s already holds %(title)s at %(organization)s since %(since)s, "
                    "so they cannot start it again on %(day)s. Record the end of that tenure "
                    "first, or correct the date."
                ) % {**names, "since": held.start.display()}
            else:
                message = gettext(
                    "%(person)s already holds %(title)s at %(organization)s (recorded in it on "
                    "%(seen)s), so they cannot start it again on %(day)s. Record the end of "
                    "that tenure first, or correct the date."
                ) % {**names, "seen": held.seen.display()}
            raise TenureConflict(message, change)
        if not change.previous_post_id:
            self._end_older_titles(change, by=day)
        self.open[change.post_id] = TenureDraft(
            post_id=change.post_id,
            post_title=change.post.title,
            start=day,
            started_by=change,
            is_interim=change.is_interim,
        )

    def seen(self, change: RoleChange) -> None:
        """A "held" record: confirms the open tenure of the post, or opens one whose start
        is unknown, held for certain from the record's date."""
        if change.post_id in self.open:
            return
        day = change.effective
        earlier = [tenure.end for tenure in self.closed if tenure.post_id == change.post_id]
        # Not before the person's last arrival, nor before their last tenure of the post ended.
        bounds = [bound for bound in (self.arrived, *(end.earliest for end in earlier)) if bound]
        bounds.extend(self._end_older_titles(change, by=day))
        start_after = max(bounds) if bounds else None
        self.open[change.post_id] = TenureDraft(
            post_id=change.post_id,
            post_title=change.post.title,
            start=None,
            started_by=change,
            is_interim=change.is_interim,
            seen=day,
            start_after=start_after if start_after and start_after <= day.latest else None,
        )

    def leave(self, position: int, change: RoleChange) -> None:
        self.close(position, change, change.post_id, change.post.title)
        if change.leaves_organization:
            for post_id in list(self.open):
                self._end(self.open.pop(post_id), change.effective, change)
            # Whatever they held later, they took up after this departure.
            self.arrived = change.effective.earliest

    def close(self, position: int, change: RoleChange, post_id: int, title: str) -> None:
        """End the person's open tenure of ``post_id``; with none open, record one whose
        start is unknown, ending on the change's day."""
        day = change.effective
        held = self.open.pop(post_id, None)
        if held is not None:
            self._end(held, day, change, title)
            return
        # An end before the only recorded start of the post is far more often a wrong date
        # than a re-hire whose first start nobody knows: refused, saying how to record a
        # re-hire (its earlier start first).
        later_start = next(
            (
                later
                for step, later in self.steps[position + 1 :]
                if step == _START and later.post_id == post_id
            ),
            None,
        )
        if later_start is not None:
            raise TenureConflict(
                gettext(
                    "%(person)s's tenure as %(title)s at %(organization)s starts on %(start)s, "
                    "so it cannot end earlier, on %(day)s. Check the dates; if they also held "
                    "it earlier, record when that earlier tenure began first."
                )
                % {
                    "person": change.person,
                    "title": title,
                    "organization": change.organization,
                    "start": later_start.effective.display(),
                    "day": day.display(),
                },
                change,
            )
        earlier = [tenure for tenure in self.closed if tenure.post_id == post_id]
        if earlier:
            # Likewise a second end with no start between the two.
            raise TenureConflict(
                gettext(
                    "%(person)s holds no %(title)s tenure at %(organization)s on %(day)s to "
                    "end: the last one already ended on %(end)s. If they held it again, record "
                    "when that began first."
                )
                % {
                    "person": change.person,
                    "title": title,
                    "organization": change.organization,
                    "day": day.display(),
                    "end": earlier[-1].end.display(),
                },
                change,
            )
        bounds = [self.arrived] if self.arrived else []
        bounds.extend(self._end_older_titles(change, by=day, post_id=post_id))
        start_after = max(bounds) if bounds else None
        self.closed.append(
            TenureDraft(
                post_id=post_id,
                post_title=title,
                start=None,
                started_by=None,
                end=day,
                ended_by=change,
                start_after=start_after if start_after and start_after <= day.earliest else None,
            )
        )

    def _end_older_titles(
        self, change: RoleChange, *, by: PartialDate, post_id: int | None = None
    ) -> list[datetime.date]:
        """A new title ends the person's older open titles here no later than it began
        (``by``), unless it is interim or held at once; returns the days those titles began,
        after which the new one began.

        Older: begun (or seen) before the new title's earliest day, so two titles of the same
        day or year are not ordered. A title whose end is recorded later (its departure, or a
        promotion naming it) was held alongside until then; nor does a title end the one that
        replaced it.
        """
        if change.is_interim or getattr(change, "keeps_other_titles", False):
            return []
        post_id = post_id or change.post_id
        began = []
        for other_id, tenure in list(self.open.items()):
            known = tenure.start or tenure.seen
            if (
                other_id == post_id
                or known is None
                or known.latest >= by.earliest
                or getattr(tenure.started_by, "previous_post_id", None) == post_id
                or other_id in self._ended_later(change)
            ):
                continue
            self.open.pop(other_id)
            tenure.end = by
            tenure.end_is_bound = True
            tenure.ended_by = change
            self.closed.append(tenure)
            began.append(known.earliest)
        return began

    def _ended_later(self, change: RoleChange) -> set[int]:
        """The posts whose end is recorded after ``change`` in the replay."""
        position = next(
            index for index, (_, step_change) in enumerate(self.steps) if step_change is change
        )
        ended = set()
        for step, later in self.steps[position + 1 :]:
            if step != _END:
                continue
            ended.add(later.previous_post_id if later.kind_enum.opens_tenure else later.post_id)
        return ended

    def _end(
        self, tenure: TenureDraft, day: PartialDate, change: RoleChange, title: str = ""
    ) -> None:
        if tenure.start is not None and day.latest < tenure.start.earliest:
            raise TenureConflict(
                gettext(
                    "%(person)s's tenure as %(title)s at %(organization)s starts on %(start)s, "
                    "so it cannot end earlier, on %(day)s."
                )
                % {
                    "person": change.person,
                    "title": title or tenure.post_title,
                    "organization": change.organization,
                    "start": tenure.start.display(),
                    "day": day.display(),
                },
                change,
            )
        tenure.end = day
        tenure.ended_by = change
        self.closed.append(tenure)


def rebuild_tenures(*, person_id: int, organization_id: int) -> None:
    """Rebuild the desk and public tenures of one person at one organization.

    Raises :class:`TenureConflict` when the recorded changes break rule 2; call inside the
    transaction that changed them, so a refused change rolls back.
    """
    changes = list(
        RoleChange.objects.filter(person_id=person_id, organization_id=organization_id)
        .select_related("person", "organization", "post", "previous_post")
        .order_by("pk")
    )
    rows = tenure_rows(changes, person_id=person_id, organization_id=organization_id)
    Tenure.objects.filter(person_id=person_id, organization_id=organization_id).delete()
    Tenure.objects.bulk_create(rows)


def tenure_rows(
    changes: Sequence[RoleChange], *, person_id: int, organization_id: int
) -> list[Tenure]:
    """The unsaved Tenure rows of both scopes for one person's changes at one organization.

    See :func:`tenure_drafts`. The changes must be saved (tenures point at them) and have
    their person, organization, post and previous post loaded.
    """
    drafts = tenure_drafts(changes)
    return [
        draft.to_model(scope=scope, person_id=person_id, organization_id=organization_id)
        for scope, scope_drafts in drafts.items()
        for draft in scope_drafts
    ]


def tenure_drafts(changes: Sequence[RoleChange]) -> dict[TenureScope, list[TenureDraft]]:
    """Both scopes' tenures of one person's changes at one organization, as drafts.

    The desk scope replays every change strictly (raising :class:`TenureConflict`); the
    public scope replays the confirmed ones only, skipping what they leave inconsistent.
    """
    desk = build_tenures(changes, strict=True)
    public_changes = [change for change in changes if change.is_public]
    if len(public_changes) == len(changes):
        # Every change confirmed: the lenient replay of the same changes, which the strict
        # one just accepted, gives the same tenures (drafts are only read from here on).
        return {TenureScope.DESK: desk, TenureScope.PUBLIC: desk}
    return {
        TenureScope.DESK: desk,
        TenureScope.PUBLIC: build_tenures(public_changes, strict=False),
    }
