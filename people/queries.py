"""Reads that combine several querysets for a page: leadership, changes, careers.

Every function takes ``staff``: readers see confirmed facts only (rule 3); journalists and
editors also see what is pending, marked as such by the templates.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from newsroom.dates import count_within
from people.models import Organization, Person, RoleChange, Tenure
from people.models.tenures import TenureQuerySet
from people.succession import with_succession


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` earlier, clamped to the month's end (March 31 → February 28),
    and to the first day a date can hold (a year before 0001-06-01 is 0001-01-01)."""
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    if year < datetime.MINYEAR:
        return datetime.date.min
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def leadership_query(
    organization: Organization, day: datetime.date, *, staff: bool = False
) -> TenureQuerySet:
    """The query behind :func:`leadership_on` (the benchmark times it on its own).

    Before the organization's founding (its earliest possible day) nobody led it: empty,
    rather than the "uncertain" holders whose unknown start is unbounded.
    """
    founded = organization.founded
    if founded is not None and day < founded.earliest:
        return Tenure.objects.none()
    return (
        Tenure.objects.for_audience(staff=staff)
        .at(organization)
        .leadership()
        .held_on(day)
        .select_related("person", "post", "started_by")
        .by_seniority()
    )


def leadership_on(
    organization: Organization, day: datetime.date, *, staff: bool = False
) -> list[Tenure]:
    """Who led ``organization`` on ``day``: seniority order, each marked certain or uncertain."""
    return list(leadership_query(organization, day, staff=staff))


def changes_between(
    organization: Organization,
    first_day: datetime.date,
    last_day: datetime.date,
    *,
    staff: bool = False,
) -> list[RoleChange]:
    """Arrivals, departures and promotions that may have taken effect in the range."""
    changes = RoleChange.objects.at(organization).moves().between(first_day, last_day)
    if not staff:
        changes = changes.public()
    return list(changes.for_display().chronological())


AROUND_DAYS = 90


@dataclass(frozen=True)
class WindowCount:
    """How many changes fell in a window, at their precision: ``certain`` ones wholly inside
    it, ``possible`` ones (known only to the month or year) whose range straddles an edge."""

    certain: int
    possible: int

    @property
    def low(self) -> int:
        return self.certain

    @property
    def high(self) -> int:
        return self.certain + self.possible

    def __str__(self) -> str:
        if not self.possible:
            return str(self.certain)
        return _("%(low)d–%(high)d") % {"low": self.low, "high": self.high}


def count_in_window(
    changes: list[RoleChange], first_day: datetime.date, last_day: datetime.date
) -> WindowCount:
    """Count ``changes`` between two days (both included) at their precision: "May 2024" in
    a window that starts on May 20 may or may not be inside it."""
    certain, possible = count_within((change.effective for change in changes), first_day, last_day)
    return WindowCount(certain=certain, possible=possible)


def organization_overview(
    organization: Organization, day: datetime.date, *, staff: bool = False
) -> dict[str, object]:
    """Everything the organization page shows for ``day``: a query each for the leadership,
    the moves around the day and the departures before it, and one for the leaders'
    succession (people/succession.py)."""
    around_from = day - datetime.timedelta(days=AROUND_DAYS)
    around_to = day + datetime.timedelta(days=AROUND_DAYS)
    year_ago = months_before(day, 12)
    half_year_ago = months_before(day, 6)
    departures = (
        RoleChange.objects.at(organization)
        .departures()
        .between(year_ago, day - datetime.timedelta(days=1))
    )
    if not staff:
        departures = departures.public()
    departures_12 = list(departures.for_display().newest_first())
    departures_6 = [change for change in departures_12 if change.effective_latest >= half_year_ago]
    day_before = day - datetime.timedelta(days=1)
    return {
        "leadership": with_succession(leadership_on(organization, day, staff=staff)),
        "around": changes_between(organization, around_from, around_to, staff=staff),
        "around_from": around_from,
        "around_to": around_to,
        "half_year_ago": half_year_ago,
        "year_ago": year_ago,
        "departures_6_months": departures_6,
        "departures_12_months": departures_12,
        "departures_6_count": count_in_window(departures_6, half_year_ago, day_before),
        "departures_12_count": count_in_window(departures_12, year_ago, day_before),
    }


def person_career(person: Person, *, staff: bool = False) -> dict[str, object]:
    """A person's tenures (current first, then the whole career in order, each with its
    succession: people/succession.py) and their moves."""
    tenures = with_succession(
        list(
            Tenure.objects.for_audience(staff=staff)
            .filter(person=person)
            .select_related("organization", "post", "started_by", "ended_by")
            .chronological()
        )
    )
    changes = RoleChange.objects.filter(person=person)
    if not staff:
        changes = changes.public()
    changes = changes.for_display().chronological().prefetch_related(citations_shown(staff=staff))
    return {
        "current": [tenure for tenure in tenures if tenure.is_current],
        "tenures": tenures,
        "moves": list(changes),
    }


def citations_shown(*, staff: bool, to_attr: str = "shown_citations") -> Prefetch:
    """What each role change rests on: verified citations for readers, all of them for staff.

    The people app never imports stories (see DESIGN.md); it reaches citations through the
    reverse relation ``RoleChange.citations``.
    """
    citation_model = RoleChange._meta.get_field("citations").related_model
    citations = citation_model.objects.select_related(
        "source", "statement", "statement__speaker", "decided_by"
    ).order_by("created_at", "pk")
    if not staff:
        citations = citations.filter(state="verified")
    return Prefetch("citations", queryset=citations, to_attr=to_attr)


@dataclass
class SidebarEntry:
    organization: Organization
    leadership: list[Tenure] = field(default_factory=list)
    since: list[RoleChange] = field(default_factory=list)


def leadership_sidebar(
    organizations: list[Organization],
    *,
    as_of: datetime.date,
    changes_since: datetime.date,
    reported=(),
) -> list[SidebarEntry]:
    """For each organization: who leads it on ``as_of``, and every confirmed arrival,
    departure and promotion dated on or after ``changes_since`` (a story's publication day:
    certainly then or later, so a month or a year that starts before it is left out), newest
    first, whether it has taken effect yet or not, except the moves in ``reported`` (ids, or
    a queryset of them: what the story itself reports).

    Confirmed facts only, whoever is reading (the sidebar sits on public articles). Two
    queries however many organizations a story covers.
    """
    entries = {organization.pk: SidebarEntry(organization) for organization in organizations}
    if not entries:
        return []
    leaders = (
        Tenure.objects.public()
        .filter(organization__in=list(entries))
        .leadership()
        .held_on(as_of)
        .select_related("person", "post")
        .by_seniority()
    )
    for tenure in leaders:
        entries[tenure.organization_id].leadership.append(tenure)
    moves = (
        RoleChange.objects.public()
        .moves()
        .filter(organization__in=list(entries), effective_date__gte=changes_since)
        .exclude(pk__in=reported)
        .select_related("person", "post")
        .newest_first()
    )
    for move in moves:
        entries[move.organization_id].since.append(move)
    return list(entries.values())
