"""Dates with a precision (rule 1 of the design).

A fact is often known only to the month or the year: "joined in January 2017", "promoted
in 2018". A :class:`PartialDate` keeps one normalized date (the first day it can stand for)
and its precision, and never invents a day: ``2017-01`` stands for every day from
2017-01-01 to 2017-01-31.

Models store a partial date in three columns that share a prefix (see
:class:`PartialDateFields`): ``<prefix>_date`` (the earliest day), ``<prefix>_precision``
and ``<prefix>_latest`` (the last day), so that the database can compare ranges of days
instead of comparing text.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import total_ordering

from django.db import models
from django.utils import formats
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _


class Precision(models.TextChoices):
    YEAR = "year", _("year")
    MONTH = "month", _("month")
    DAY = "day", _("day")


class InvalidPartialDate(ValueError):
    """Raised with a message written for the person who typed the date."""


_PATTERN = re.compile(r"^(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?$")
_FORMAT_HELP = _(
    "Write a date as YYYY, YYYY-MM or YYYY-MM-DD (for example 2018, 2017-01 or 2024-09-25)."
)
# For parameters that take a single day (as_of, from, to).
_DAY_HELP = _("Write a single day as YYYY-MM-DD (for example 2024-09-25).")


@total_ordering
@dataclass(frozen=True, slots=True)
class PartialDate:
    """A day, a month or a year. ``date`` is always the first day it stands for."""

    date: datetime.date
    precision: Precision

    def __post_init__(self) -> None:
        precision = Precision(self.precision)
        object.__setattr__(self, "precision", precision)
        if precision == Precision.YEAR and (self.date.month, self.date.day) != (1, 1):
            raise ValueError("A year-precision date must be stored as January 1 of its year.")
        if precision == Precision.MONTH and self.date.day != 1:
            raise ValueError("A month-precision date must be stored as the first of its month.")

    # Construction -------------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; anything else is refused."""
        if not isinstance(text, str):
            raise InvalidPartialDate(
                gettext("Expected a date written as text, got %(type)s.")
                % {"type": type(text).__name__}
            )
        value = text.strip()
        match = _PATTERN.match(value)
        if not match:
            shown = value if len(value) <= 40 else value[:37] + "..."
            raise InvalidPartialDate(
                gettext("“%(value)s” is not a date.") % {"value": shown} + f" {_FORMAT_HELP}"
            )
        year = int(match["year"])
        if year < 1:
            raise InvalidPartialDate(
                gettext("“%(value)s” is not a date: there is no year 0000.") % {"value": value}
            )
        if match["month"] is None:
            return cls(datetime.date(year, 1, 1), Precision.YEAR)
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise InvalidPartialDate(
                gettext(
                    "“%(value)s” is not a date: the month must be between 01 and 12, not %(month)s."
                )
                % {"value": value, "month": f"{month:02d}"}
            )
        if match["day"] is None:
            return cls(datetime.date(year, month, 1), Precision.MONTH)
        day = int(match["day"])
        days_in_month = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days_in_month:
            raise InvalidPartialDate(
                gettext(
                    "“%(value)s” is not a date: %(month)s has %(days)s days, "
                    "so the day must be between 01 and %(days)s."
                )
                % {
                    "value": value,
                    "month": formats.date_format(
                        datetime.date(year, month, 1), "YEAR_MONTH_FORMAT"
                    ),
                    "days": days_in_month,
                }
            )
        return cls(datetime.date(year, month, day), Precision.DAY)

    @classmethod
    def from_day(cls, day: datetime.date) -> PartialDate:
        return cls(day, Precision.DAY)

    @classmethod
    def from_parts(cls, date: datetime.date | None, precision: str | None) -> PartialDate | None:
        """Rebuild from stored columns; ``None`` when no date is stored."""
        if date is None:
            return None
        return cls(date, Precision(precision or Precision.DAY))

    # Reading ------------------------------------------------------------------------------

    @property
    def earliest(self) -> datetime.date:
        """The first day this date can stand for."""
        return self.date

    @property
    def latest(self) -> datetime.date:
        """The last day this date can stand for."""
        if self.precision == Precision.DAY:
            return self.date
        if self.precision == Precision.MONTH:
            last = calendar.monthrange(self.date.year, self.date.month)[1]
            return self.date.replace(day=last)
        return self.date.replace(month=12, day=31)

    def contains(self, day: datetime.date) -> bool:
        return self.earliest <= day <= self.latest

    def isoformat(self) -> str:
        """``2018``, ``2017-01`` or ``2024-09-25``: the date written at its precision."""
        if self.precision == Precision.YEAR:
            return f"{self.date.year:04d}"
        if self.precision == Precision.MONTH:
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()

    def display(self) -> str:
        """The date at its precision in the active locale: "January 2017", "2018"; in
        Japanese "2017年1月", "2018年", "2024年9月25日" (never a day the fact does not know)."""
        if self.precision == Precision.YEAR:
            return pgettext("a year alone, as in 'joined in 2018'", "%(year)d") % {
                "year": self.date.year
            }
        if self.precision == Precision.MONTH:
            return formats.date_format(self.date, "YEAR_MONTH_FORMAT")
        return formats.date_format(self.date, "DATE_FORMAT")

    def __str__(self) -> str:
        return self.isoformat()

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return (self.earliest, self.latest) < (other.earliest, other.latest)


def parse_iso_day(text: str, *, what: str = "date") -> datetime.date:
    """Read a full ``YYYY-MM-DD`` day (for ``?as_of=`` and API parameters)."""
    try:
        value = PartialDate.parse(text)
    except InvalidPartialDate as error:
        # Only a day will do here: the general hint (a year or a month is a date too)
        # would lead to a second refusal.
        message = str(error).replace(str(_FORMAT_HELP), str(_DAY_HELP))
        raise InvalidPartialDate(
            gettext("The %(what)s %(message)s") % {"what": what, "message": message}
        ) from None
    if value.precision != Precision.DAY:
        raise InvalidPartialDate(
            gettext(
                "The %(what)s “%(text)s” names a whole %(precision)s; "
                "give a single day as YYYY-MM-DD."
            )
            % {"what": what, "text": text.strip(), "precision": value.precision.label}
        )
    return value.date


def count_within(
    dates: Iterable[PartialDate], first: datetime.date, last: datetime.date
) -> tuple[int, int]:
    """How many of ``dates`` fall between two days, both included, as (certain, possible):
    "May 2024" in a window that starts on May 20 may or may not be inside it."""
    certain = possible = 0
    for day in dates:
        if day.latest < first or day.earliest > last:
            continue
        if first <= day.earliest and day.latest <= last:
            certain += 1
        else:
            possible += 1
    return certain, possible


class PartialDateFields:
    """A descriptor that reads and writes the three columns behind a partial date.

    ``effective = PartialDateFields("effective")`` on a model gives ``obj.effective`` as a
    :class:`PartialDate` (or ``None``) backed by ``effective_date``, ``effective_precision``
    and ``effective_latest``. Assigning sets all three, so they never disagree.
    """

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type | None = None) -> PartialDate | None:
        if instance is None:
            return self  # type: ignore[return-value]
        return PartialDate.from_parts(
            getattr(instance, f"{self.prefix}_date"),
            getattr(instance, f"{self.prefix}_precision"),
        )

    def __set__(self, instance: object, value: PartialDate | None) -> None:
        setattr(instance, f"{self.prefix}_date", value.earliest if value else None)
        setattr(instance, f"{self.prefix}_precision", value.precision if value else "")
        setattr(instance, f"{self.prefix}_latest", value.latest if value else None)


def partial_date_columns(prefix: str, value: PartialDate | None) -> dict[str, object]:
    """The three columns of a partial date, for writers that insert rows without a model
    instance (see :class:`PartialDateFields`)."""
    return {
        f"{prefix}_date": value.earliest if value else None,
        f"{prefix}_precision": value.precision.value if value else "",
        f"{prefix}_latest": value.latest if value else None,
    }
