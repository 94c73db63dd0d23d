"""The pictures readers see: an organization's leadership timeline, a person's career
timeline and an organization's turnover, built from confirmed facts only (rule 3) whoever
reads, like the story sidebar. Drawing data comes from people/timelines.py (bars) and
people/turnover.py (quarters); this module reads what they need, in a fixed number of
queries however long the history.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from django.utils import formats
from django.utils.translation import gettext as _

from newsroom.dates import PartialDate
from people.models import Organization, Person, RoleChange, Tenure
from people.timelines import (
    DAY,
    DayScale,
    Timeline,
    build_timeline,
    credit_line,
    rows_from_tenures,
)
from people.turnover import Turnover, build_turnover

# How far back a tenure with no known start fades when nothing bounds it (no arrival on
# record, no founding date): far enough to read as "possibly long before".
UNBOUNDED_LEAD = datetime.timedelta(days=365)
# The narrowest range a picture is drawn over: a zoom to one day would say nothing about
# the days around it.
MIN_ZOOM_DAYS = 7


@dataclass(frozen=True)
class Range:
    """The days a picture covers: ``first`` to ``last``, both drawn."""

    first: datetime.date
    last: datetime.date


@dataclass
class OrganizationPictures:
    """The organization page's two pictures, over the same days."""

    timeline: Timeline
    turnover: Turnover
    natural: Range  # the organization's whole life on record, up to today
    shown: Range  # what is drawn (``natural`` unless zoomed)
    departures: list[RoleChange] = field(default_factory=list)
    # The words around the pictures (titles, descriptions, credits): see
    # organization_picture_context.
    page_context: dict = field(default_factory=dict)

    @property
    def is_zoomed(self) -> bool:
        return self.shown != self.natural


def tenure_span(tenure: Tenure, *, cutoff: datetime.date | None = None) -> str:
    """The tenure's dates at their precision, in the reader's language ("January 2017 –
    2018", "since 2019", "since at least September 25, 2024", "until September 25, 2024").

    With ``cutoff`` (a picture as of a past day), an end after that day is not known yet.
    """
    start, seen, end = tenure.start, tenure.seen, tenure.end
    if end is not None and cutoff is not None and end.earliest > cutoff:
        end = None
    if end and tenure.end_is_bound:
        # Ended by a later title: when exactly is unknown, no later than ``end``.
        since = start.display() if start else seen.display() if seen else ""
        if not since:
            return _("by %(end)s") % {"end": end.display()}
        return _("%(start)s – by %(end)s") % {"start": since, "end": end.display()}
    if start and end:
        if start == end:
            return start.display()
        return _("%(start)s – %(end)s") % {"start": start.display(), "end": end.display()}
    if start:
        return _("since %(date)s") % {"date": start.display()}
    if seen and end:
        return _("since at least %(seen)s, until %(end)s") % {
            "seen": seen.display(),
            "end": end.display(),
        }
    if seen:
        return _("since at least %(date)s") % {"date": seen.display()}
    if end:
        return _("until %(date)s") % {"date": end.display()}
    return _("dates unknown")


def _possible_first(tenure: Tenure) -> datetime.date:
    """The first day ``tenure`` may have been held, for sizing a picture."""
    if tenure.start is not None:
        return tenure.start.earliest
    if tenure.start_after is not None:
        return tenure.start_after
    anchor = tenure.seen or tenure.end
    return anchor.earliest - UNBOUNDED_LEAD


def natural_range(
    tenures: Sequence[Tenure], *, today: datetime.date, founded: PartialDate | None = None
) -> Range:
    """From the founding (when known) or the first day anything shown may have begun, to
    today (or the last recorded day, if later)."""
    firsts = [_possible_first(tenure) for tenure in tenures]
    if founded is not None:
        firsts.append(founded.earliest)
    first = min(firsts) if firsts else today - UNBOUNDED_LEAD
    ends = [tenure.end.latest for tenure in tenures if tenure.end is not None]
    last = max([today, *ends])
    return Range(min(first, last - DAY * MIN_ZOOM_DAYS), last)


def zoomed(natural: Range, first: datetime.date | None, last: datetime.date | None) -> Range:
    """The range asked for (either end may be left open) within the organization's or the
    person's history, at least a week long."""
    first = first or natural.first
    last = last or natural.last
    if last < first:
        first, last = last, first
    first = min(max(first, natural.first), natural.last - DAY * (MIN_ZOOM_DAYS - 1))
    last = max(min(last, natural.last), first + DAY * (MIN_ZOOM_DAYS - 1))
    return Range(first, last)


def page_link(path: str, **params: str) -> str:
    """``path`` with the given query parameters (empty ones left out)."""
    query = urlencode({key: value for key, value in params.items() if value})
    return f"{path}?{query}" if query else path


def link_leadership(timeline: Timeline, path: str, **keep: str) -> Timeline:
    """Point every bar and every stretch of the axis at the organization page (``path``)
    as of its day, keeping ``keep`` (the zoom) in the link."""
    for bar in timeline.bars:
        day = bar.link_day
        bar.href = page_link(path, as_of=day.isoformat(), **keep)
        bar.link_label = _link_label(bar, _("the leadership"))
    for band in timeline.bands:
        band.href = page_link(path, as_of=band.day.isoformat(), **keep)
    return timeline


def _link_label(bar, what: str) -> str:
    """A bar's link, in words: the day it leads to when the bar is held for certain that day;
    a bar held on no day for certain leads to the first day it may have been, which is not
    named (it would read as a date on record)."""
    if bar.certainly_held:
        return _("%(bar)s. Show %(what)s on %(day)s") % {
            "bar": bar.description,
            "what": what,
            "day": formats.date_format(bar.link_day, "DATE_FORMAT"),
        }
    return _("%(bar)s. Show %(what)s on a day it may have been held") % {
        "bar": bar.description,
        "what": what,
    }


def credited_sources(role_change_ids: Iterable[int]) -> dict[int, list[str]]:
    """For each role change, the names of the sources of its verified citations (the
    publisher, else the site's host), in one query. The people app reaches citations through
    the reverse relation only (see people.queries.citations_shown)."""
    ids = {pk for pk in role_change_ids if pk}
    if not ids:
        return {}
    citation_model = RoleChange._meta.get_field("citations").related_model
    rows = (
        citation_model.objects.filter(role_change_id__in=ids, state="verified")
        .values_list("role_change_id", "source__publisher", "source__canonical_url")
        .order_by()
        .distinct()
    )
    names: dict[int, list[str]] = defaultdict(list)
    for role_change_id, publisher, url in rows:
        name = publisher.strip() or (urlsplit(url).hostname or url)
        if name not in names[role_change_id]:
            names[role_change_id].append(name)
    return names


def _credits(ids: Iterable[int | None], credited: dict[int, list[str]]) -> list[str]:
    """Every source name behind ``ids``, most used first, then by name."""
    counts: dict[str, int] = defaultdict(int)
    for pk in ids:
        for name in credited.get(pk, []) if pk else []:
            counts[name] += 1
    return sorted(counts, key=lambda name: (-counts[name], name.casefold()))


def _leadership_tenures(organization: Organization) -> list[Tenure]:
    tenures = list(
        Tenure.objects.public()
        .at(organization)
        .leadership()
        .select_related("person", "post")
        .order_by("post__rank", "post__title", "post_id", "start_date", "pk")
    )
    for tenure in tenures:
        tenure.organization = organization  # the page's own: no query per bar
    return tenures


def leadership_timeline(
    organization: Organization,
    tenures: Sequence[Tenure],
    *,
    shown: Range,
    natural: Range,
    as_of: datetime.date | None,
    sources: Sequence[str],
    cutoff: datetime.date | None = None,
) -> Timeline:
    """One row per leadership post, by seniority; a bar per tenure, named by its holder."""
    scale = DayScale(shown.first, shown.last)
    rows = rows_from_tenures(
        tenures,
        scale=scale,
        floor=natural.first,
        ceiling=natural.last + DAY,
        row_of=lambda tenure: (
            (tenure.post.rank, tenure.post.title, tenure.post_id),
            tenure.post.title,
            "",
        ),
        label_of=lambda bar: bar.person_name,
        span_of=lambda tenure: tenure_span(tenure, cutoff=cutoff),
    )
    return build_timeline(rows, scale=scale, as_of=as_of, sources=sources)


def organization_pictures(
    organization: Organization,
    *,
    today: datetime.date,
    as_of: datetime.date | None,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
) -> OrganizationPictures:
    """The leadership timeline and the turnover chart, over the organization's life (or the
    zoomed range ``first``..``last``). Three queries: the leadership tenures, the departures,
    and the sources credited for both."""
    tenures = _leadership_tenures(organization)
    departures = list(
        RoleChange.objects.public()
        .at(organization)
        .departures()
        .select_related("person", "post")
        .chronological()
    )
    natural = natural_range(tenures, today=today, founded=organization.founded)
    shown = zoomed(natural, first, last) if first or last else natural
    credited = credited_sources(
        [pk for tenure in tenures for pk in (tenure.started_by_id, tenure.ended_by_id)]
        + [departure.pk for departure in departures]
    )
    timeline = leadership_timeline(
        organization,
        tenures,
        shown=shown,
        natural=natural,
        as_of=as_of,
        sources=_credits(
            (pk for tenure in tenures for pk in (tenure.started_by_id, tenure.ended_by_id)),
            credited,
        ),
    )
    turnover = build_turnover(
        departures,
        first=shown.first,
        last=shown.last,
        sources=_credits((departure.pk for departure in departures), credited),
    )
    return OrganizationPictures(
        timeline=timeline,
        turnover=turnover,
        natural=natural,
        shown=shown,
        departures=departures,
    )


def career_timeline(
    person: Person,
    tenures: Sequence[Tenure],
    *,
    today: datetime.date,
    sources: Sequence[str],
) -> Timeline:
    """A person's titles at each organization, a row each (in the order they began), over
    their whole career up to today. ``tenures``: their public tenures, with organization and
    post loaded."""
    tenures = list(tenures)
    for tenure in tenures:
        tenure.person = person
    natural = natural_range(tenures, today=today)
    scale = DayScale(natural.first, natural.last)
    rows = rows_from_tenures(
        tenures,
        scale=scale,
        floor=natural.first,
        ceiling=natural.last + DAY,
        row_of=lambda tenure: (
            (tenure.organization_id, tenure.post_id),
            tenure.post.title,
            tenure.organization.name,
        ),
        label_of=lambda bar: bar.span,
        span_of=tenure_span,
    )
    timeline = build_timeline(rows, scale=scale, as_of=None, sources=sources)
    for bar in timeline.bars:
        bar.href = page_link(bar.organization_url, as_of=bar.link_day.isoformat())
        bar.link_label = _link_label(
            bar,
            _("the leadership of %(organization)s") % {"organization": bar.organization_name},
        )
    return timeline


def career_sources(moves: Iterable[RoleChange]) -> list[str]:
    """The sources credited on a career picture: the verified citations of the person's
    public moves, as the profile already loaded them (``shown_citations``)."""
    counts: dict[str, int] = defaultdict(int)
    for move in moves:
        if not move.is_public:
            continue
        for citation in getattr(move, "shown_citations", []):
            if citation.state != "verified":
                continue
            source = citation.source
            name = source.publisher.strip() or (
                urlsplit(source.canonical_url).hostname or source.canonical_url
            )
            counts[name] += 1
    return sorted(counts, key=lambda name: (-counts[name], name.casefold()))


def _range_words(timeline: Timeline) -> dict[str, str]:
    """The drawn range in words: by day when zoomed to three months or less, else by month
    (a drawing that begins with a date known only to the month or year must not read as
    if it knew the day)."""
    unit = "DATE_FORMAT" if timeline.scale.days <= 92 else "YEAR_MONTH_FORMAT"
    return {
        "first": formats.date_format(timeline.scale.first, unit),
        "last": formats.date_format(timeline.scale.last, unit),
    }


def timeline_description(timeline: Timeline) -> str:
    """The ``<desc>`` of a timeline: what it covers and how to read it, in words."""
    text = _(
        "%(posts)d rows and %(bars)d tenures from %(first)s to %(last)s. Hatched bars are "
        "interim tenures; a bar fades across a start or an end known only to the month or "
        "the year, and before a start that is not known; pale dashed bars are uncertain on "
        "every day; gaps are vacancies."
    ) % {"posts": len(timeline.rows), "bars": len(timeline.bars), **_range_words(timeline)}
    if timeline.as_of is not None:
        text += " " + _("The red line marks %(day)s.") % {"day": timeline.as_of_label}
    return text


def organization_picture_context(
    organization: Organization, pictures: OrganizationPictures, *, page_url: str
) -> dict[str, object]:
    """What the two organization pictures' templates need, on the page and on their own."""
    timeline, turnover = pictures.timeline, pictures.turnover
    counted = sum(quarter.certain_count for quarter in turnover.quarters)
    spread_over = len(
        {departure.pk for quarter in turnover.quarters for departure, _share in quarter.possible}
    )
    return {
        "timeline": timeline,
        "turnover": turnover,
        "page_url": page_url,
        "back_label": _("%(name)s on Newsroom: %(url)s")
        % {"name": organization.name, "url": page_url},
        "timeline_title": _("Leadership of %(organization)s over time")
        % {"organization": organization.name},
        "timeline_desc": timeline_description(timeline),
        "timeline_credit": credit_line(timeline.sources),
        "turnover_title": _("Departures from %(organization)s per quarter")
        % {"organization": organization.name},
        "turnover_desc": _(
            "%(quarters)d quarters from %(first)s to %(last)s: %(counted)d departures on a "
            "known day or month, and %(spread)d known only to a coarser date, spread lighter "
            "over the quarters they may fall in."
        )
        % {
            "quarters": len(turnover.quarters),
            "counted": counted,
            "spread": spread_over,
            **_range_words(timeline),
        },
        "turnover_credit": credit_line(turnover.sources),
    }


def career_picture_context(person: Person, timeline: Timeline, *, page_url: str) -> dict:
    """What the career picture's template needs, on the profile and on its own."""
    return {
        "timeline": timeline,
        "page_url": page_url,
        "back_label": _("%(name)s on Newsroom: %(url)s") % {"name": person.name, "url": page_url},
        "timeline_title": _("Career of %(person)s") % {"person": person.name},
        "timeline_desc": timeline_description(timeline),
        "timeline_credit": credit_line(timeline.sources),
    }
