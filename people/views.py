"""Reader pages: people, their careers, organizations and their leadership on any date."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from newsroom.cache import CACHE_SECONDS, cached, data_version, versioned_cache
from newsroom.dates import InvalidPartialDate, parse_iso_day
from newsroom.permissions import can_see_unconfirmed
from people.models import Organization, Person, Tenure
from people.queries import organization_overview, person_career
from people.structured_data import person_data, public_tenures

PAGE_SIZE = 50


@require_GET
@vary_on_headers("HX-Request")
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
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A profile. The career is read only when its cached fragment is missing (the fragment
    and the structured data are keyed on the data version, see newsroom/cache.py)."""
    staff = can_see_unconfirmed(request.user)
    version = data_version()
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
    career = SimpleLazyObject(lambda: person_career(person, staff=staff))

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
            "staff": staff,
            "data_version": version,
            "structured_data": versioned_cache().get_or_set(
                f"person-data:{person.pk}:{request.scheme}:{request.get_host()}:{version}",
                structured_data,
                CACHE_SECONDS,
            ),
        },
    )


@require_GET
def organization_list(request: HttpRequest) -> HttpResponse:
    organizations = (
        Organization.objects.visible_to(staff=can_see_unconfirmed(request.user))
        .order_by("name", "pk")
        .prefetch_related("other_names")
    )
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/organization_list.html", {"page": page})


@require_GET
@vary_on_headers("HX-Request")
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Leadership on ``?as_of=YYYY-MM-DD`` (today by default), with moves around that day."""
    staff = can_see_unconfirmed(request.user)
    version = data_version()
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
    today = timezone.localdate()
    raw_as_of = request.GET.get("as_of", "").strip()
    error = ""
    as_of = today
    if raw_as_of:
        try:
            as_of = parse_iso_day(raw_as_of, what="date in “as_of”")
        except InvalidPartialDate as invalid:
            error = str(invalid)
        else:
            # The page reads a year before and 90 days after the day: keep clear of year 1
            # and 9999, where that arithmetic leaves the calendar.
            if not 2 <= as_of.year <= 9998:
                as_of = today
                error = (
                    f"The date in “as_of” ({raw_as_of}) is outside the years this page can "
                    "show (2 to 9998)."
                )
    context = {
        "organization": organization,
        "as_of": as_of,
        "as_of_input": raw_as_of if error else as_of.isoformat(),
        "is_today": as_of == today,
        "error": error,
        "staff": staff,
    }
    if not error:
        # Read only when the cached fragment is missing (keyed on the data version).
        context["overview"] = SimpleLazyObject(
            lambda: organization_overview(organization, as_of, staff=staff)
        )
        context["data_version"] = version
    template = "people/organization_detail.html"
    if request.htmx:
        template += "#leadership"
    return render(request, template, context, status=400 if error else 200)
