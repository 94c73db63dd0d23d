"""Timelines drawn at their precision: the data behind the leadership and career pictures.

A picture of who held which post when must be as honest as the lists: where a date is known
only to the month or the year, the edge of a bar must not look like a known day (rule 1),
and a day on which a holder is *uncertain* (rule 2) is never drawn as certain.

Each tenure becomes a :class:`Bar` of up to three :class:`Segment`\\ s, in days (half-open,
``[first, end)``, like tenures themselves):

- a *lead*: before the first day the tenure is certainly held. ``fade_in`` across a start
  known only to the month or year (``2019`` fades across 2019); ``unknown_start`` for a
  "held" record whose start nobody knows (faded from the person's arrival, or from the left
  edge, up to the recorded day); ``uncertain`` for a tenure never certainly held on any day
  (a departure with no recorded start, or a start and an end that share a month or year);
- ``certain``: from the latest possible start to the earliest possible end (or to the right
  edge while still held);
- a ``fade_out`` tail across an end known only to the month or year.

These are exactly the days :meth:`people.models.tenures.TenureQuerySet.held_on` calls
certain or uncertain, so the picture and the lists never disagree. Bars of one post share a
row (leadership posts by seniority; on a career, one row per title and organization); bars
whose possible spans overlap (a successor appointed within the month the predecessor left,
co-holders) go on separate lanes of the row, so no two bars, and no two labels, overlap.

Everything is computed here; the templates (``templates/people/_timeline_svg.html``) only
write it out. The tests check these objects, not pixels.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _

from newsroom.dates import PartialDate
from people.models import Tenure

DAY = datetime.timedelta(days=1)

# Geometry, in SVG user units (pixels at 100 %).
WIDTH = 960
MARGIN = 12
PLOT_LEFT = MARGIN
PLOT_RIGHT = WIDTH - MARGIN
AXIS_HEIGHT = 34
ROW_HEADER = 18
LANE_HEIGHT = 26
BAR_HEIGHT = 20
ROW_GAP = 10
FOOTER_LINE = 16
# A bar is never thinner than this, so that a tenure of a few days stays visible.
MIN_BAR_WIDTH = 3.0
# Opacity at the far end of a fade: faint, but still there.
FADE_FLOOR = 0.08
UNCERTAIN_OPACITY = 0.35
# Average advance of a character of the 12 px labels, for deciding whether a label fits;
# wide (CJK) characters count double.
CHAR_WIDTH = 6.8
LABEL_PADDING = 5
# The most clickable stretches of the axis a drawing carries.
MAX_BANDS = 200
# Room left after a label outside its bar, before the next bar on the lane.
LANE_SPACING = 6


class SegmentKind:
    CERTAIN = "certain"
    FADE_IN = "fade_in"
    FADE_OUT = "fade_out"
    UNKNOWN_START = "unknown_start"
    UNCERTAIN = "uncertain"


def text_width(text: str) -> float:
    """A generous estimate of the width of ``text`` in the pictures' 12 px font."""
    return sum(CHAR_WIDTH * (2 if ord(char) > 0x2E80 else 1) for char in text)


@dataclass(frozen=True)
class DayScale:
    """Days ``first``..``last`` (both drawn) mapped onto ``left``..``right``."""

    first: datetime.date
    last: datetime.date
    left: float = PLOT_LEFT
    right: float = PLOT_RIGHT

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def x(self, day: datetime.date) -> float:
        """Where ``day`` begins."""
        offset = (day - self.first).days
        return round(self.left + (self.right - self.left) * offset / self.days, 2)

    def middle(self, day: datetime.date) -> float:
        """The middle of ``day``: where a line standing for the whole day is drawn."""
        return round((self.x(day) + self.x(day + DAY)) / 2, 2)

    def clip(self, first: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
        """``[first, end)`` cut to the drawn days."""
        return max(first, self.first), min(end, self.last + DAY)

    def contains(self, day: datetime.date) -> bool:
        return self.first <= day <= self.last


@dataclass
class Segment:
    """Part of a bar: ``[first, end)`` in days, and how it is drawn."""

    kind: str
    first: datetime.date
    end: datetime.date
    x: float = 0.0
    width: float = 0.0
    # Opacity at the segment's left and right edges (fades only; clipping to a zoomed
    # range keeps the fade's slope, so a slice of a year's fade stays a slice).
    opacity_from: float = 1.0
    opacity_to: float = 1.0
    # Whether the segment goes on beyond the drawn range (left, right).
    cut_left: bool = False
    cut_right: bool = False
    # Faded segments each get a gradient of their own, numbered within the drawing.
    fade_id: int = 0

    @property
    def is_faded(self) -> bool:
        return self.kind in (SegmentKind.FADE_IN, SegmentKind.FADE_OUT, SegmentKind.UNKNOWN_START)

    @property
    def is_certain(self) -> bool:
        return self.kind == SegmentKind.CERTAIN


@dataclass
class Bar:
    """One tenure, drawn."""

    tenure_id: int
    person_name: str
    person_url: str
    title: str
    organization_name: str
    organization_url: str
    is_interim: bool
    start: PartialDate | None
    seen: PartialDate | None
    end: PartialDate | None
    segments: list[Segment]
    # The day a click on the bar shows the leadership of: its first certain day, else the
    # first day it may have been held.
    link_day: datetime.date
    # Whether the tenure is still held (drawn to the right edge).
    is_open: bool
    lane: int = 0
    x: float = 0.0
    width: float = 0.0
    y: float = 0.0
    label: str = ""
    label_x: float = 0.0
    label_y: float = 0.0
    # Left and right of what the bar and its label cover, in pixels.
    extent: tuple[float, float] = (0.0, 0.0)
    span: str = ""
    description: str = ""
    # Set by the page that shows the drawing (people/pictures.py): where a click goes.
    href: str = ""
    link_label: str = ""
    # What the drawing shows beyond the dates, in words (for the table).
    notes: list[str] = field(default_factory=list)

    @property
    def first(self) -> datetime.date:
        return self.segments[0].first

    @property
    def last_end(self) -> datetime.date:
        return self.segments[-1].end

    @property
    def certainly_held(self) -> bool:
        return any(segment.is_certain for segment in self.segments)


@dataclass
class Row:
    """A post (on a career: a title at an organization) and its bars, on lanes."""

    key: tuple
    title: str
    subtitle: str = ""
    bars: list[Bar] = field(default_factory=list)
    lanes: int = 1
    y: float = 0.0
    height: float = 0.0
    header_y: float = 0.0
    rule_y: float = 0.0


@dataclass(frozen=True)
class Tick:
    x: float
    day: datetime.date
    label: str


@dataclass
class Band:
    """A stretch of the axis (a day, a month or a year) that links to the leadership on its
    first day: clicking a point in time."""

    x: float
    width: float
    day: datetime.date
    label: str
    href: str = ""


@dataclass
class Timeline:
    """A drawing: rows of bars over a day scale, with its axis, the ``as_of`` line and the
    sources it rests on."""

    scale: DayScale
    rows: list[Row]
    ticks: list[Tick]
    bands: list[Band]
    as_of: datetime.date | None
    as_of_x: float | None
    sources: list[str]
    height: float = 0.0
    plot_top: float = AXIS_HEIGHT
    plot_bottom: float = 0.0
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT
    tick_top: float = AXIS_HEIGHT - 8
    tick_label_y: float = AXIS_HEIGHT - 14
    as_of_label: str = ""
    # Where the as_of label sits: after the line, or before it near the right edge.
    as_of_anchor: str = "start"
    as_of_label_x: float = 0.0
    credit_y: float = 0.0
    back_y: float = 0.0

    @property
    def bars(self) -> list[Bar]:
        return [bar for row in self.rows for bar in row.bars]

    @property
    def is_empty(self) -> bool:
        return not self.rows


# Bars from tenures --------------------------------------------------------------------------


def tenure_segments(
    tenure: Tenure, *, floor: datetime.date, ceiling: datetime.date
) -> list[Segment]:
    """The segments of ``tenure`` in days (see the module docstring), before clipping.

    ``floor`` is where a lead of unknown beginning starts (the organization's founding, or
    the picture's first day); ``ceiling`` the day after the last one drawn (where a tenure
    still held stops).
    """
    start, seen, end = tenure.start, tenure.seen, tenure.end
    certain_end = end.earliest if end else ceiling
    possible_end = end.latest if end else ceiling
    if start is not None:
        lead_first, certain_first, lead_kind = start.earliest, start.latest, SegmentKind.FADE_IN
    else:
        lead_first = max(tenure.start_after, floor) if tenure.start_after else floor
        if seen is None:
            # A departure with no recorded start: possibly held from the person's arrival
            # (or as far back as the picture goes), certainly on no day.
            lead_first = min(lead_first, certain_end)
            return [Segment(SegmentKind.UNCERTAIN, lead_first, max(possible_end, lead_first + DAY))]
        certain_first, lead_kind = seen.latest, SegmentKind.UNKNOWN_START
        lead_first = min(lead_first, certain_first)
    if tenure.end_is_bound:
        # Ended by a later title: no day after what is recorded of it is certain.
        certain_end = certain_first
    if certain_first >= certain_end:
        # Never certainly held on any day: the dates' ranges meet (a start and an end in the
        # same month or year). One uncertain stretch over every possible day.
        return [Segment(SegmentKind.UNCERTAIN, lead_first, max(possible_end, lead_first + DAY))]
    segments: list[Segment] = []
    if lead_first < certain_first:
        segments.append(Segment(lead_kind, lead_first, certain_first))
    segments.append(Segment(SegmentKind.CERTAIN, certain_first, certain_end))
    if end is not None and end.earliest < end.latest:
        segments.append(Segment(SegmentKind.FADE_OUT, end.earliest, end.latest))
    return segments


def _place(segment: Segment, scale: DayScale) -> Segment | None:
    """Clip ``segment`` to the scale and give it its x, width and edge opacities."""
    first, end = scale.clip(segment.first, segment.end)
    if first >= end:
        return None
    whole = (segment.end - segment.first).days

    def opacity(day: datetime.date) -> float:
        share = (day - segment.first).days / whole if whole else 1.0
        if segment.kind == SegmentKind.FADE_OUT:
            share = 1 - share
        return round(FADE_FLOOR + (1 - FADE_FLOOR) * share, 3)

    placed = Segment(
        segment.kind,
        first,
        end,
        x=scale.x(first),
        width=round(scale.x(end) - scale.x(first), 2),
        cut_left=first > segment.first,
        cut_right=end < segment.end,
    )
    if segment.is_faded:
        placed.opacity_from, placed.opacity_to = opacity(first), opacity(end)
    elif segment.kind == SegmentKind.UNCERTAIN:
        placed.opacity_from = placed.opacity_to = UNCERTAIN_OPACITY
    return placed


def tenure_bar(
    tenure: Tenure,
    *,
    scale: DayScale,
    floor: datetime.date,
    ceiling: datetime.date | None = None,
    span: str = "",
) -> Bar | None:
    """``tenure`` drawn on ``scale``; ``None`` when none of it falls in the drawn days.
    A tenure still held goes on to ``ceiling`` (today), past the drawn days when zoomed."""
    raw = tenure_segments(tenure, floor=floor, ceiling=ceiling or scale.last + DAY)
    placed = [segment for segment in (_place(raw_segment, scale) for raw_segment in raw) if segment]
    if not placed:
        return None
    certain = next((segment for segment in raw if segment.is_certain), None)
    link_day = certain.first if certain else raw[0].first
    link_day = min(max(link_day, scale.first), scale.last)
    x = placed[0].x
    width = max(placed[-1].x + placed[-1].width - x, MIN_BAR_WIDTH)
    if width == MIN_BAR_WIDTH:
        # Too short to see at this scale: widen the (one) visible segment a little.
        placed[-1].width = max(placed[-1].width, MIN_BAR_WIDTH - (placed[-1].x - x))
    person, organization = tenure.person, tenure.organization
    return Bar(
        tenure_id=tenure.pk,
        person_name=person.name,
        person_url=person.get_absolute_url(),
        title=tenure.post.title,
        organization_name=organization.name if organization else "",
        organization_url=organization.get_absolute_url() if organization else "",
        is_interim=tenure.is_interim,
        start=tenure.start,
        seen=tenure.seen,
        end=tenure.end,
        segments=placed,
        link_day=link_day,
        is_open=tenure.end is None,
        x=x,
        width=round(width, 2),
        span=span,
    )


def assign_lanes(bars: list[Bar]) -> int:
    """Put each bar on the first lane where neither it nor its label overlaps anything
    already there (bars whose days may overlap always land on different lanes); returns
    the number of lanes."""
    lane_rights: list[float] = []
    for bar in sorted(bars, key=lambda bar: (bar.extent[0], bar.extent[1], bar.tenure_id)):
        left, right = bar.extent
        for lane, lane_right in enumerate(lane_rights):
            if lane_right <= left:
                bar.lane = lane
                lane_rights[lane] = right
                break
        else:
            bar.lane = len(lane_rights)
            lane_rights.append(right)
    return max(len(lane_rights), 1)


def place_label(bar: Bar, text: str, *, scale: DayScale) -> None:
    """Write ``text`` inside the bar when it fits there (in its first certain segment when
    that has room, so the name reads over a solid fill), else just after the bar, or before
    it at the right edge. The bar's ``extent`` then covers its label too, so that lanes keep
    labels from ever overlapping."""
    bar.label = text
    width = text_width(text)
    needed = width + 2 * LABEL_PADDING
    certain = next((segment for segment in bar.segments if segment.is_certain), None)
    right = bar.x + bar.width
    if certain is not None and certain.width >= needed:
        bar.label_x = round(certain.x + LABEL_PADDING, 2)
    elif bar.width >= needed:
        bar.label_x = round(bar.x + LABEL_PADDING, 2)
    elif right + LABEL_PADDING + width <= scale.right:
        bar.label_x = round(right + LABEL_PADDING, 2)
        right = bar.label_x + width + LANE_SPACING
    else:
        bar.label_x = round(max(scale.left, bar.x - LABEL_PADDING - width), 2)
        bar.extent = (bar.label_x - LANE_SPACING, right)
        return
    bar.extent = (bar.x, round(right, 2))


# Axis ---------------------------------------------------------------------------------------


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _steps(scale: DayScale) -> Iterable[tuple[str, int]]:
    """Candidate tick steps, finest first."""
    yield from (("day", 1), ("day", 2), ("day", 7), ("month", 1), ("month", 3), ("month", 6))
    yield from (("year", 1), ("year", 2), ("year", 5), ("year", 10), ("year", 25), ("year", 50))
    yield ("year", max(100, scale.days // 365 // 8))


def _tick_days(scale: DayScale, unit: str, step: int) -> list[datetime.date]:
    days = []
    if unit == "day":
        day = scale.first
        while day <= scale.last:
            days.append(day)
            day += DAY * step
    elif unit == "month":
        day = scale.first.replace(day=1)
        if day < scale.first:
            day = _add_months(day, 1)
        while (day.month - 1) % step:
            day = _add_months(day, 1)
        while day <= scale.last:
            days.append(day)
            day = _add_months(day, step)
    else:
        year = scale.first.year + (0 if scale.first == datetime.date(scale.first.year, 1, 1) else 1)
        year += (-year) % step
        while year <= scale.last.year:
            days.append(datetime.date(year, 1, 1))
            year += step
    return days


def _tick_label(day: datetime.date, unit: str) -> str:
    if unit == "day":
        return formats.date_format(day, "MONTH_DAY_FORMAT")
    if unit == "month":
        return formats.date_format(day, "YEAR_MONTH_FORMAT")
    return str(day.year)


def axis_ticks(scale: DayScale) -> list[Tick]:
    """Ticks on day, month or year boundaries, as many as fit without their labels
    touching."""
    width = scale.right - scale.left
    for unit, step in _steps(scale):
        approximate = scale.days / (step * {"day": 1, "month": 30.4, "year": 365.25}[unit])
        if approximate > width / 20:  # far too many to fit: not worth listing
            continue
        days = _tick_days(scale, unit, step)
        if not days:
            continue
        labels = [_tick_label(day, unit) for day in days]
        room = width / len(days)
        if max(text_width(label) for label in labels) + 12 <= room:
            return [Tick(scale.x(day), day, label) for day, label in zip(days, labels, strict=True)]
    return []


def axis_bands(scale: DayScale) -> list[Band]:
    """Clickable stretches of the axis, each standing for its first day: days over three
    months or less, months over ten years or less, else years."""
    if scale.days <= 92:
        starts = [scale.first + DAY * offset for offset in range(scale.days)]
        unit = "DATE_FORMAT"
    elif scale.days <= 3653:
        unit = "YEAR_MONTH_FORMAT"
        starts = _tick_days(scale, "month", 1)
    else:
        # A year each, or a few years each over centuries (at most MAX_BANDS links).
        unit = "Y"
        step = -(-(scale.last.year - scale.first.year + 1) // MAX_BANDS)
        starts = _tick_days(scale, "year", step)
    if scale.days > 92 and (not starts or starts[0] > scale.first):
        starts.insert(0, scale.first)
    bands = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else scale.last + DAY
        width = round(scale.x(end) - scale.x(start), 2)
        bands.append(Band(scale.x(start), width, start, formats.date_format(start, unit)))
    return bands


# Layout -------------------------------------------------------------------------------------


def lay_out(timeline: Timeline) -> Timeline:
    """Give rows and bars their y, and the drawing its height."""
    y = timeline.plot_top + 6
    fade_id = 0
    for row in timeline.rows:
        row.lanes = assign_lanes(row.bars)
        row.y = y
        row.header_y = y + 13
        row.height = ROW_HEADER + row.lanes * LANE_HEIGHT
        row.rule_y = y + row.height + ROW_GAP / 2
        for bar in row.bars:
            bar.y = y + ROW_HEADER + bar.lane * LANE_HEIGHT
            bar.label_y = bar.y + 14
            for segment in bar.segments:
                if segment.is_faded:
                    fade_id += 1
                    segment.fade_id = fade_id
        y += row.height + ROW_GAP
    if not timeline.rows:
        y += 2 * LANE_HEIGHT
    timeline.plot_bottom = y
    timeline.credit_y = y + 14
    timeline.back_y = y + 14 + FOOTER_LINE
    timeline.height = y + 3 * FOOTER_LINE
    if timeline.as_of is not None:
        timeline.as_of_label = formats.date_format(timeline.as_of, "DATE_FORMAT")
        room = timeline.scale.right - timeline.as_of_x
        if text_width(timeline.as_of_label) + 8 > room:
            timeline.as_of_anchor = "end"
            timeline.as_of_label_x = round(timeline.as_of_x - 4, 2)
        else:
            timeline.as_of_label_x = round(timeline.as_of_x + 4, 2)
    return timeline


def build_timeline(
    rows: list[Row],
    *,
    scale: DayScale,
    as_of: datetime.date | None,
    sources: Sequence[str],
) -> Timeline:
    timeline = Timeline(
        scale=scale,
        rows=[row for row in rows if row.bars],
        ticks=axis_ticks(scale),
        bands=axis_bands(scale),
        as_of=as_of if as_of and scale.contains(as_of) else None,
        as_of_x=scale.middle(as_of) if as_of and scale.contains(as_of) else None,
        sources=list(sources),
    )
    return lay_out(timeline)


def rows_from_tenures(
    tenures: Iterable[Tenure],
    *,
    scale: DayScale,
    floor: datetime.date,
    ceiling: datetime.date,
    row_of: Callable[[Tenure], tuple[tuple, str, str]],
    label_of: Callable[[Bar], str],
    span_of: Callable[[Tenure], str],
) -> list[Row]:
    """Bars for ``tenures`` grouped into rows by ``row_of`` (key, title, subtitle), in the
    order the rows first appear."""
    rows: dict[tuple, Row] = {}
    for tenure in tenures:
        bar = tenure_bar(tenure, scale=scale, floor=floor, ceiling=ceiling, span=span_of(tenure))
        if bar is None:
            continue
        key, title, subtitle = row_of(tenure)
        row = rows.setdefault(key, Row(key=key, title=title, subtitle=subtitle))
        place_label(bar, label_of(bar), scale=scale)
        bar.description = describe_bar(bar)
        bar.notes = bar_notes(bar)
        row.bars.append(bar)
    return list(rows.values())


def describe_bar(bar: Bar) -> str:
    """What a bar says, in words (its tooltip and accessible name)."""
    if bar.is_interim:
        text = _("%(person)s, interim %(title)s, %(span)s") % {
            "person": bar.person_name,
            "title": bar.title,
            "span": bar.span,
        }
    else:
        text = _("%(person)s, %(title)s, %(span)s") % {
            "person": bar.person_name,
            "title": bar.title,
            "span": bar.span,
        }
    if not bar.certainly_held:
        text = _("%(bar)s (uncertain on every day shown: the recorded dates are too coarse)") % {
            "bar": text
        }
    return text


def bar_notes(bar: Bar) -> list[str]:
    """How the bar is drawn, said in words for the table beside the picture."""
    notes = []
    if bar.is_interim:
        notes.append(_("interim (hatched)"))
    kinds = {segment.kind for segment in bar.segments}
    if SegmentKind.FADE_IN in kinds and bar.start is not None:
        notes.append(
            _("start known only to the %(precision)s (faded across it)")
            % {"precision": bar.start.precision.label}
        )
    if SegmentKind.UNKNOWN_START in kinds:
        notes.append(_("start unknown: on record in the post from this date (faded before it)"))
    if SegmentKind.FADE_OUT in kinds and bar.end is not None:
        notes.append(
            _("end known only to the %(precision)s (faded across it)")
            % {"precision": bar.end.precision.label}
        )
    if not bar.certainly_held:
        notes.append(_("uncertain on every day: the dates are too coarse (dashed, pale)"))
    return notes


def credit_line(sources: Sequence[str], *, width: float = PLOT_RIGHT - PLOT_LEFT) -> str:
    """ "Sources: Wikipedia, X" for the foot of a picture, as many names as fit."""
    if not sources:
        return _("Sources: none confirmed for what is shown.")
    shown = list(sources)
    while True:
        rest = len(sources) - len(shown)
        names = ", ".join(shown)
        if rest:
            text = _("Sources: %(names)s and %(count)d more") % {"names": names, "count": rest}
        else:
            text = _("Sources: %(names)s") % {"names": names}
        if text_width(text) <= width or len(shown) == 1:
            return text
        shown.pop()
