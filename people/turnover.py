"""Turnover: an organization's departures per quarter, drawn at their precision.

A departure on a known day, or in a known month, falls in one quarter and counts there. One
known only to the year (or to any span that crosses quarters) may have happened in any of
them: it is spread over the quarters it overlaps, in proportion to its days there, and
drawn lighter, so the chart never claims a quarter it cannot know.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from people.models import RoleChange
from people.timelines import DAY, FOOTER_LINE, PLOT_LEFT, PLOT_RIGHT, WIDTH, text_width

CHART_HEIGHT = 160
Y_AXIS_WIDTH = 28
TOP = 16
MAX_BAR_WIDTH = 40


def quarter_of(day: datetime.date) -> datetime.date:
    """The first day of ``day``'s quarter."""
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def next_quarter(quarter: datetime.date) -> datetime.date:
    month = quarter.month + 3
    return datetime.date(quarter.year + (month > 12), (month - 1) % 12 + 1, 1)


def quarter_label(quarter: datetime.date) -> str:
    return _("Q%(number)d %(year)d") % {
        "number": (quarter.month - 1) // 3 + 1,
        "year": quarter.year,
    }


@dataclass
class Quarter:
    first: datetime.date
    label: str
    # Departures that certainly fall in this quarter.
    certain: list[RoleChange] = field(default_factory=list)
    # Departures that may fall in it, each with the share of its days here.
    possible: list[tuple[RoleChange, float]] = field(default_factory=list)
    x: float = 0.0
    width: float = 0.0
    certain_y: float = 0.0
    certain_height: float = 0.0
    possible_y: float = 0.0
    possible_height: float = 0.0

    @property
    def certain_count(self) -> int:
        return len(self.certain)

    @property
    def possible_share(self) -> float:
        return round(sum(share for _, share in self.possible), 2)

    @property
    def total(self) -> float:
        return self.certain_count + self.possible_share

    @property
    def description(self) -> str:
        counts = {
            "quarter": self.label,
            "certain": self.certain_count,
            "possible": len(self.possible),
        }
        known = ngettext(
            "%(quarter)s: %(certain)d departure",
            "%(quarter)s: %(certain)d departures",
            self.certain_count,
        )
        if not self.possible:
            return known % counts
        return ngettext(
            "%(known)s, and up to %(possible)d more whose date is known only to the year",
            "%(known)s, and up to %(possible)d more whose dates are known only to the year",
            len(self.possible),
        ) % {**counts, "known": known % counts}


@dataclass(frozen=True)
class YTick:
    y: float
    label: str


@dataclass
class Turnover:
    quarters: list[Quarter]
    y_ticks: list[YTick]
    x_labels: list[tuple[float, str]]
    sources: list[str]
    most: float
    width: int = WIDTH
    margin: int = PLOT_LEFT
    plot_left: float = PLOT_LEFT + Y_AXIS_WIDTH
    plot_right: float = PLOT_RIGHT
    plot_top: float = TOP
    plot_bottom: float = TOP + CHART_HEIGHT
    x_label_y: float = TOP + CHART_HEIGHT + 16
    key_y: float = TOP + CHART_HEIGHT + 16 + FOOTER_LINE + 4
    credit_y: float = TOP + CHART_HEIGHT + 16 + 2 * FOOTER_LINE + 4
    back_y: float = TOP + CHART_HEIGHT + 16 + 3 * FOOTER_LINE + 4
    height: float = TOP + CHART_HEIGHT + 16 + 3 * FOOTER_LINE + 12

    @property
    def with_departures(self) -> list[Quarter]:
        return [quarter for quarter in self.quarters if quarter.certain or quarter.possible]


def spread(departure: RoleChange) -> list[tuple[datetime.date, float]]:
    """The quarters ``departure`` may fall in, each with its share of the departure's days."""
    first, last = departure.effective.earliest, departure.effective.latest
    days = (last - first).days + 1
    shares = []
    quarter = quarter_of(first)
    while quarter <= last:
        overlap_first = max(first, quarter)
        overlap_last = min(last, next_quarter(quarter) - DAY)
        shares.append((quarter, ((overlap_last - overlap_first).days + 1) / days))
        quarter = next_quarter(quarter)
    return shares


def build_turnover(
    departures: Sequence[RoleChange],
    *,
    first: datetime.date,
    last: datetime.date,
    sources: Sequence[str],
) -> Turnover:
    """Departures per quarter from ``first``'s quarter to ``last``'s."""
    quarters: dict[datetime.date, Quarter] = {}
    quarter = quarter_of(first)
    while quarter <= last:
        quarters[quarter] = Quarter(quarter, quarter_label(quarter))
        quarter = next_quarter(quarter)
    for departure in departures:
        shares = spread(departure)
        if len(shares) == 1:
            if shares[0][0] in quarters:
                quarters[shares[0][0]].certain.append(departure)
            continue
        for quarter, share in shares:
            if quarter in quarters:
                quarters[quarter].possible.append((departure, round(share, 3)))
    turnover = Turnover(
        quarters=list(quarters.values()),
        y_ticks=[],
        x_labels=[],
        sources=list(sources),
        most=0,
    )
    return _lay_out(turnover)


def _lay_out(turnover: Turnover) -> Turnover:
    quarters = turnover.quarters
    most = max([quarter.total for quarter in quarters] + [1])
    top = max(1, math.ceil(most))
    turnover.most = top
    left = PLOT_LEFT + Y_AXIS_WIDTH
    step = (PLOT_RIGHT - left) / max(len(quarters), 1)
    bottom = turnover.plot_bottom

    def height(value: float) -> float:
        return round(CHART_HEIGHT * value / top, 2)

    for index, quarter in enumerate(quarters):
        quarter.x = round(left + index * step + step * 0.1, 2)
        quarter.width = round(min(max(step * 0.8, 1.0), MAX_BAR_WIDTH), 2)
        quarter.certain_height = height(quarter.certain_count)
        quarter.certain_y = round(bottom - quarter.certain_height, 2)
        quarter.possible_height = height(quarter.possible_share)
        quarter.possible_y = round(quarter.certain_y - quarter.possible_height, 2)
    tick_step = max(1, math.ceil(top / 4))
    turnover.y_ticks = [
        YTick(round(bottom - height(value), 2), str(value))
        for value in range(0, top + 1, tick_step)
    ]
    # Year labels under the first quarter of each year, as many as fit.
    years = [quarter for quarter in quarters if quarter.first.month == 1] or quarters[:1]
    room = (PLOT_RIGHT - left) / max(len(years), 1)
    every = max(1, math.ceil((text_width("0000") + 10) / room)) if room else 1
    if len(quarters) <= 8:
        turnover.x_labels = [
            (quarter.x, quarter.label)
            for quarter in quarters
            if text_width(quarter.label) + 6 <= step or len(quarters) == 1
        ]
    else:
        turnover.x_labels = [
            (quarter.x, str(quarter.first.year))
            for index, quarter in enumerate(years)
            if index % every == 0
        ]
    return turnover
