"""A Popolo document's memberships, as moves.

- The post: ``post_id``; without one, the membership's ``role`` (or ``label``) names it: a post
  of that title at the organization, found or created as the CSV import does. With neither,
  it is a plain membership of the organization, recorded under the title "Member".
- The organization: ``organization_id``, or the post's.
- ``start_date`` starts the post ("appointed"; "joined" for a plain membership) and
  ``end_date`` ends it ("left"), each at its precision. Our own export's extensions ``start``
  and ``end`` name the change at each end, and ``held_on`` the dates the person is on
  record in the post (a "held" record each).
- A membership with none of these is skipped, and the skip is reported with its reason: the
  desk records dated facts, and nothing says when that post was held. Unless the import is
  told the date the document describes (``--held-on``: a list of current councillors
  published in November 2016 says who held each seat then): each undated membership is then
  a "held" record on that date, at its precision.
- Memberships others write for the same person, organization and post (a term each): one
  that starts while an earlier one is still open (no ``end_date``) is recorded as "held" on
  its start date, which the open tenure already covers; one that starts on the day the
  earlier one ends continues it (neither the end nor the new start is a move).
- Sources: an end's own (our extension), else the membership's ``sources``, else the
  ``--source`` given to the import. Without any, the move has no citation, and stays
  pending until one is added on the desk.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from exchange.csv_format import NAME_MAX_LENGTH
from exchange.documents import DocumentReader
from exchange.identities import Named
from exchange.popolo.entities import Entries, PostEntry
from newsroom.dates import PartialDate
from people.models import RoleChangeKind

MEMBER = "Member"


@dataclass(eq=False)
class Boundary:
    """A role change at one end of a membership (or a "held" record within it)."""

    where: str
    date: PartialDate
    kind: RoleChangeKind
    sources: list[tuple[str, str]]
    post: PostEntry | None = None  # the post a departure or promotion names (our extension)
    ends_previous: bool = False  # a promotion that ends the membership's post
    leaves: bool = False
    extension: bool = False  # written with our extension: taken as it is


@dataclass(eq=False)
class Span:
    path: str
    person: Named
    organization: Named
    post: PostEntry | None
    role: str
    start: Boundary | None = None
    end: Boundary | None = None
    held: list[Boundary] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.post.record.title if self.post else self.role

    @property
    def foreign(self) -> bool:
        """Written by others (no extension of ours), so open to :func:`spans_join`."""
        return not any(b.extension for b in (self.start, self.end, *self.held) if b)


@dataclass
class Context:
    reader: DocumentReader
    people: Entries
    organizations: Entries
    posts: Entries
    default_sources: list[tuple[str, str]]
    held_on: PartialDate | None = None  # the date an undated membership is on record


def memberships_read(context: Context, listed: list[tuple[str, dict, dict]]) -> list[Span]:
    """Every membership as a span, in document order; problems refused where they are,
    undated memberships skipped with their reason."""
    spans = []
    for path, item, defaults in listed:
        span = _span(context, path, item, defaults)
        if span is None:
            continue
        reader = context.reader
        before = len(reader.errors)
        membership_sources = reader.urls(item, path) or context.default_sources
        span.start = _boundary(context, span, item, "start", membership_sources)
        span.end = _boundary(context, span, item, "end", membership_sources)
        span.held = _held(context, span, item)
        if len(reader.errors) > before:
            continue
        if span.start is None and span.end is None and not span.held and context.held_on:
            span.held = [Boundary(path, context.held_on, RoleChangeKind.HELD, membership_sources)]
            span.notes.append(
                _("no date of its own: on record on %(date)s, the date the document describes")
                % {"date": context.held_on}
            )
        if span.start is None and span.end is None and not span.held:
            reader.skip(
                path,
                _(
                    "skipped: no start_date, end_date or held_on, so nothing says when "
                    "%(person)s was %(title)s at %(organization)s; the desk records dated "
                    "facts only (--held-on gives the date the document describes)."
                )
                % {
                    "person": span.person.name,
                    "title": span.post.label if span.post else span.role,
                    "organization": span.organization.name,
                },
            )
            reader.count(_("memberships"), _("skipped"))
            continue
        spans.append(span)
    return spans


def _reference(context: Context, item: dict, defaults: dict, path: str, key: str, entries):
    """The entry a membership's ``key`` names: (found, refused-or-missing-and-reported)."""
    value = item.get(key, defaults.get(key))
    if value is None or value == "":
        return None, False
    value = str(value)
    if value in entries.refused:
        return None, True  # refused already, for its own reason: not again here
    found = entries.by_id.get(value)
    if found is None:
        context.reader.refuse(
            f"{path}.{key}",
            _("names nothing in this document: %(value)r.") % {"value": value},
        )
        return None, True
    return found, False


def _span(context: Context, path: str, item: dict, defaults: dict) -> Span | None:
    reader = context.reader
    person, person_done = _reference(context, item, defaults, path, "person_id", context.people)
    post, post_done = _reference(context, item, defaults, path, "post_id", context.posts)
    organization, organization_done = _reference(
        context, item, defaults, path, "organization_id", context.organizations
    )
    if person is None and not person_done:
        reader.refuse(f"{path}.person_id", _("is missing: whose membership is it?"))
        return None
    if organization is None and post is not None:
        organization = post.organization
    elif organization is None and not (organization_done or post_done):
        reader.refuse(
            f"{path}.organization_id", _("is missing, and no post_id names the organization.")
        )
    if person is None or organization is None or post_done:
        return None
    if post is not None and post.organization is not organization:
        reader.refuse(f"{path}.post_id", _("is a post of another organization."))
        return None
    role = ""
    if post is None:
        role = reader.text(item, path, "role", required=False, limit=NAME_MAX_LENGTH)
        role = role or reader.text(item, path, "label", required=False, limit=NAME_MAX_LENGTH)
        if not role:
            role = MEMBER
    return Span(path, person, organization, post, role)


def _boundary(context: Context, span: Span, item: dict, end: str, sources: list) -> Boundary | None:
    """The role change at one end (``start`` or ``end``) of a membership, if it has one."""
    reader = context.reader
    path = span.path
    date = reader.date(item, path, f"{end}_date")
    change = item.get(end)
    if change is not None and date is None:
        reader.refuse(f"{path}.{end}", _("give %(end)s_date with it.") % {"end": end})
        return None
    if date is None:
        return None
    if change is None:
        if end == "end":
            kind = RoleChangeKind.LEFT
        else:
            kind = RoleChangeKind.APPOINTED if span.role != MEMBER else RoleChangeKind.JOINED
        return Boundary(f"{path}.{end}_date", date, kind, sources)
    if not isinstance(change, dict):
        reader.refuse(f"{path}.{end}", _("must be an object."))
        return None
    return _extension(context, span, change, end, date)


def _extension(context: Context, span: Span, change: dict, end: str, date: PartialDate):
    """Our export's ``start`` or ``end`` object: the change, and the post a departure or
    promotion names."""
    reader = context.reader
    where = f"{span.path}.{end}"
    kind = change.get("change")
    if kind not in RoleChangeKind.values:
        reader.refuse(
            f"{where}.change",
            _("%(kind)r is not a change; use joined, appointed, promoted or left.")
            % {"kind": kind},
        )
        return None
    kind = RoleChangeKind(kind)
    if kind == RoleChangeKind.HELD:
        reader.refuse(
            f"{where}.change",
            _(
                "“held” neither starts nor ends a tenure: list its date under held_on, and "
                "leave %(end)s_date and %(end)s out."
            )
            % {"end": end},
        )
        return None
    if end == "start" and not kind.opens_tenure:
        reader.refuse(f"{where}.change", _("a tenure cannot start with “left”."))
        return None
    boundary = Boundary(where, date, kind, reader.urls(change, where), extension=True)
    if end == "start":
        return boundary
    post_id = str(change.get("post_id"))
    boundary.post = context.posts.by_id.get(post_id)
    if boundary.post is None or boundary.post.organization is not span.organization:
        if post_id not in context.posts.refused:
            reader.refuse(f"{where}.post_id", _("names no post of this organization."))
        return None
    boundary.leaves = bool(change.get("leaves_organization", False))
    if kind.opens_tenure:
        boundary.ends_previous = True
        if boundary.leaves:
            reader.refuse(f"{where}.leaves_organization", _("only a departure leaves."))
            return None
    elif boundary.post is not span.post and not boundary.leaves:
        reader.refuse(
            where,
            _("a departure from another post ends this one only when it leaves the organization."),
        )
        return None
    return boundary


def _held(context: Context, span: Span, item: dict) -> list[Boundary]:
    """The membership's ``held_on`` records: each date the person is on record in the post."""
    reader = context.reader
    held = item.get("held_on", [])
    if not isinstance(held, list):
        reader.refuse(f"{span.path}.held_on", _("must be a list."))
        return []
    found = []
    for index, record in enumerate(held):
        where = f"{span.path}.held_on[{index}]"
        if not isinstance(record, dict):
            reader.refuse(where, _("must be an object."))
            continue
        if "date" not in record:
            reader.refuse(f"{where}.date", _("missing: the date they held the post."))
            continue
        date = reader.date(record, where, "date")
        if date is not None:
            sources = reader.urls(record, where)
            found.append(Boundary(where, date, RoleChangeKind.HELD, sources, extension=True))
    return found


def spans_join(spans: list[Span]) -> None:
    """Others' terms of the same post, one after another (see the module's docstring)."""
    groups: dict[tuple, list[Span]] = defaultdict(list)
    for span in spans:
        if span.foreign and span.start is not None:
            title = (span.post.label if span.post else span.role).casefold()
            groups[(id(span.person), id(span.organization), title)].append(span)
    for group in groups.values():
        group.sort(key=lambda span: (span.start.date.earliest, span.start.date.latest))
        open_span = None
        for span in group:
            if open_span is not None and open_span.end is None:
                span.notes.append(
                    _(
                        "starts while %(earlier)s is still open (it has no end_date): recorded "
                        "as held on %(date)s"
                    )
                    % {"earlier": open_span.path, "date": span.start.date}
                )
                span.start.kind = RoleChangeKind.HELD
            elif open_span is not None and open_span.end.date == span.start.date:
                span.notes.append(
                    _("continues %(earlier)s, which ends the day it starts")
                    % {"earlier": open_span.path}
                )
                open_span.end = None
                span.start = None
            open_span = span


def memberships_rows(spans: list[Span], reader: DocumentReader) -> None:
    """The moves of every span (one per source), and what each membership became."""
    for span in spans:
        person, organization = span.person.record, span.organization.record
        done = []
        for boundary in (span.start, span.end, *span.held):
            if boundary is None:
                continue
            title = boundary.post.record.title if boundary.post else span.title
            previous_title = span.title if boundary.ends_previous else ""
            reader.add_move(
                boundary.where,
                person=person,
                organization=organization,
                sources=boundary.sources,
                effective=boundary.date,
                kind=boundary.kind,
                title=title,
                previous_title=previous_title,
                leaves_organization=boundary.leaves,
            )
            if boundary.kind == RoleChangeKind.HELD:
                move = _("held on %(date)s") % {"date": boundary.date}
            else:
                move = _("%(change)s %(date)s") % {
                    "change": boundary.kind.label,
                    "date": boundary.date,
                }
            if not boundary.sources:
                move += " " + _("(no source: stays pending)")
            done.append(move)
        reader.count(_("memberships"), _("imported"))
        text = _("%(person)s, %(title)s at %(organization)s: %(moves)s") % {
            "person": person.name,
            "title": span.title,
            "organization": organization.name,
            "moves": "; ".join(done) or _("no move of its own"),
        }
        reader.map(span.path, "; ".join([text, *span.notes]))
