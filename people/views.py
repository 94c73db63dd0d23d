"""Reader pages: people, their careers, organizations and their leadership on any date."""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from newsroom.cache import CACHE_SECONDS, cached, data_version, versioned_cache
from newsroom.dates import InvalidPartialDate, parse_iso_day
from newsroom.page_cache import depends_on, reader_page
from newsroom.permissions import can_see_unconfirmed
from people.models import Organization, Person, Tenure
from people.pictures import (
    OrganizationPictures,
    career_picture_context,
    career_sources,
    career_timeline,
    link_leadership,
    organization_picture_context,
    organization_pictures,
)
from people.queries import organization_overview, person_career
from people.structured_data import person_data, public_tenures

PAGE_SIZE = 50


@require_GET
@vary_on_headers("HX-Request")
@reader_page("people")
def person_list(request: HttpRequest) -> HttpResponse:
    """Everyone, or those whose name or other name matches ``q`` (any script)."""
    query = " ".join(request.GET.get("q", "").split())[:200]
    staff = can_see_unconfirmed(request.user)
    page_number = request.GET.get("page", "")[:20]

    def results_page():
        people = Person.objects.visible_to(staff=staff)
        people = people.matching(query) if query else people
        people = people.order_by("sort_name", "name", "pk").prefetch_related(
            "other_names",
            Prefetch(
                "tenures",
                queryset=Tenure.objects.for_audience(staff=staff)
                .current()
                # The move behind each role: staff see which are still pending.
                .select_related("post", "organization", "started_by")
                .by_seniority(),
                to_attr="current_tenures",
            ),
        )
        return Paginator(people, PAGE_SIZE).get_page(page_number)

    # Built and read only when the cached results are missing (keyed on the data version):
    # building the search's queryset alone costs more than serving the cached fragment.
    page = SimpleLazyObject(results_page)
    template = "people/person_list.html"
    if request.htmx:
        template += "#results"
    context = {
        "query": query,
        "page": page,
        "page_number": page_number,
        # Page links carry the search only: the cached results are keyed on nothing else.
        "page_params": {"q": query} if query else {},
        "staff": staff,
        "data_version": data_version(),
    }
    return render(request, template, context)


@require_GET
@reader_page()
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A profile. The career is read only when its cached fragment is missing (the fragment
    and the structured data are keyed on the data version, see newsroom/cache.py)."""
    depends_on(request, f"person:{slug}")
    staff = can_see_unconfirmed(request.user)
    version = data_version()
    person = _person(slug, staff=staff, version=version)
    career = SimpleLazyObject(lambda: person_career(person, staff=staff))
    page_url = request.build_absolute_uri(person.get_absolute_url())

    def career_picture() -> dict:
        # Confirmed roles only (rule 3), even on a page staff read with pending ones.
        tenures = public_tenures(person) if staff else career["tenures"]
        timeline = career_timeline(
            person,
            tenures,
            today=timezone.localdate(),
            sources=career_sources(career["moves"]),
        )
        return career_picture_context(person, timeline, page_url=page_url)

    def structured_data() -> dict:
        # Confirmed roles only, even on a page staff read with pending ones.
        tenures = public_tenures(person) if staff else career["tenures"]
        return person_data(person, request=request, tenures=tenures)

    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "career": career,
            "career_picture": SimpleLazyObject(career_picture),
            "today": timezone.localdate(),
            # The pictures link back to the page by its absolute address: the cached
            # fragments are keyed on it.
            "page_url": page_url,
            "staff": staff,
            "data_version": version,
            "structured_data": versioned_cache().get_or_set(
                f"person-data:{person.pk}:{request.scheme}:{request.get_host()}:{version}",
                structured_data,
                CACHE_SECONDS,
            ),
        },
    )


def _person(slug: str, *, staff: bool, version: int) -> Person:
    """The person this audience may see (cached on the data version), else 404."""
    person = cached(
        f"person:{slug}:{'desk' if staff else 'public'}:{version}",
        lambda: (
            Person.objects.visible_to(staff=staff)
            .prefetch_related("other_names")
            .filter(slug=slug)
            .first()
        ),
    )
    if person is None:
        raise Http404("No such person.")
    return person


@require_GET
@reader_page("organizations")
def organization_list(request: HttpRequest) -> HttpResponse:
    organizations = (
        Organization.objects.visible_to(staff=can_see_unconfirmed(request.user))
        .order_by("name", "pk")
        .prefetch_related("other_names")
    )
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/organization_list.html", {"page": page})


def _day_parameter(request: HttpRequest, name: str) -> datetime.date | None:
    """A ``YYYY-MM-DD`` query parameter, ``None`` when absent; ``InvalidPartialDate`` with
    a message naming the parameter when it is not a day the pages can show."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    day = parse_iso_day(raw, what=f"date in “{name}”")
    # The pages read a year before and 90 days after a day: keep clear of year 1 and 9999,
    # where that arithmetic leaves the calendar.
    if not 2 <= day.year <= 9998:
        raise InvalidPartialDate(
            f"The date in “{name}” ({raw}) is outside the years this page can show (2 to 9998)."
        )
    return day


def _zoom(request: HttpRequest) -> tuple[datetime.date | None, datetime.date | None, str]:
    """The pictures' range (``from``, ``to``), and a message when either is not a day."""
    try:
        return _day_parameter(request, "from"), _day_parameter(request, "to"), ""
    except InvalidPartialDate as invalid:
        return None, None, str(invalid)


@require_GET
@vary_on_headers("HX-Request")
@reader_page()
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Leadership on ``?as_of=YYYY-MM-DD`` (today by default), with moves around that day,
    and the pictures: the leadership timeline (zoomed with ``from`` and ``to``) and the
    turnover."""
    depends_on(request, f"org:{slug}")
    staff = can_see_unconfirmed(request.user)
    version = data_version()
    organization = _organization(slug, staff=staff, version=version)
    today = timezone.localdate()
    raw_as_of = request.GET.get("as_of", "").strip()
    try:
        as_of, error = _day_parameter(request, "as_of") or today, ""
    except InvalidPartialDate as invalid:
        as_of, error = today, str(invalid)
    first, last, zoom_error = _zoom(request)
    error = error or zoom_error
    zoom = {"from": first.isoformat() if first else "", "to": last.isoformat() if last else ""}
    context = {
        "organization": organization,
        "as_of": as_of,
        "as_of_input": raw_as_of if error else as_of.isoformat(),
        "is_today": as_of == today,
        "today": today,
        "error": error,
        "staff": staff,
        "zoom": zoom,
        "is_zoomed": bool(first or last),
        "around_from": (as_of - datetime.timedelta(days=14)).isoformat(),
        "around_to": (as_of + datetime.timedelta(days=14)).isoformat(),
    }
    if not error:
        # Read only when the cached fragments are missing (keyed on the data version).
        context["overview"] = SimpleLazyObject(
            lambda: organization_overview(organization, as_of, staff=staff)
        )
        page_url = request.build_absolute_uri(organization.get_absolute_url())
        context["page_url"] = page_url
        context["pictures"] = SimpleLazyObject(
            lambda: _linked_pictures(
                organization, today=today, as_of=as_of, zoom=zoom, page_url=page_url
            )
        )
        context["data_version"] = version
    template = "people/organization_detail.html"
    if request.htmx:
        template += "#leadership"
    return render(request, template, context, status=400 if error else 200)


def _organization(slug: str, *, staff: bool, version: int) -> Organization:
    organization = cached(
        f"organization:{slug}:{'desk' if staff else 'public'}:{version}",
        lambda: (
            Organization.objects.visible_to(staff=staff)
            .select_related("parent")
            .prefetch_related("other_names")
            .filter(slug=slug)
            .first()
        ),
    )
    if organization is None:
        raise Http404("No such organization.")
    return organization


def _linked_pictures(
    organization: Organization,
    *,
    today: datetime.date,
    as_of: datetime.date | None,
    zoom: dict[str, str],
    page_url: str,
    path: str = "",
) -> OrganizationPictures:
    pictures = organization_pictures(
        organization,
        today=today,
        as_of=as_of,
        first=datetime.date.fromisoformat(zoom["from"]) if zoom["from"] else None,
        last=datetime.date.fromisoformat(zoom["to"]) if zoom["to"] else None,
    )
    link_leadership(pictures.timeline, path or organization.get_absolute_url(), **zoom)
    pictures.page_context = organization_picture_context(organization, pictures, page_url=page_url)
    return pictures


def _svg_response(svg: str) -> HttpResponse:
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


def _bad_parameter(message: str) -> HttpResponse:
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


@require_GET
def organization_timeline_svg(request: HttpRequest, slug: str) -> HttpResponse:
    """The leadership timeline alone, as SVG (for a story, a slide, a social post): public
    data only, whoever asks, with its sources and a link back to the page."""
    return _organization_picture(request, slug, picture="timeline")


@require_GET
def organization_turnover_svg(request: HttpRequest, slug: str) -> HttpResponse:
    """Departures per quarter alone, as SVG; see :func:`organization_timeline_svg`."""
    return _organization_picture(request, slug, picture="turnover")


def _organization_picture(request: HttpRequest, slug: str, *, picture: str) -> HttpResponse:
    version = data_version()
    organization = _organization(slug, staff=False, version=version)
    today = timezone.localdate()
    try:
        as_of = _day_parameter(request, "as_of")
    except InvalidPartialDate as invalid:
        return _bad_parameter(str(invalid))
    first, last, error = _zoom(request)
    if error:
        return _bad_parameter(error)
    zoom = {"from": first.isoformat() if first else "", "to": last.isoformat() if last else ""}
    page_url = request.build_absolute_uri(organization.get_absolute_url())

    def build() -> str:
        pictures = _linked_pictures(
            organization, today=today, as_of=as_of, zoom=zoom, page_url=page_url, path=page_url
        )
        return render_to_string(f"people/{picture}.svg", pictures.page_context)

    key = (
        f"{picture}-svg:{organization.pk}:{as_of}:{zoom['from']}:{zoom['to']}:{today}:"
        f"{get_language()}:{page_url}:{version}"
    )
    return _svg_response(cached(key, build))


@require_GET
def person_career_svg(request: HttpRequest, slug: str) -> HttpResponse:
    """A person's career timeline alone, as SVG: public data only, whoever asks."""
    version = data_version()
    person = _person(slug, staff=False, version=version)
    today = timezone.localdate()
    page_url = request.build_absolute_uri(person.get_absolute_url())

    def build() -> str:
        career = person_career(person, staff=False)
        timeline = career_timeline(
            person, career["tenures"], today=today, sources=career_sources(career["moves"])
        )
        context = career_picture_context(person, timeline, page_url=page_url)
        return render_to_string("people/career.svg", context)

    key = f"career-svg:{person.pk}:{today}:{get_language()}:{page_url}:{version}"
    return _svg_response(cached(key, build))
