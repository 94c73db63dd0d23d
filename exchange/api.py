"""The public JSON API: read-only, verified data only (rule 3), no sign-in.

Built with django-ninja, which generates the OpenAPI 3 document (``/api/openapi.json``)
from the typed endpoints below. Reads go through people.queries and the public scope
(``Tenure.objects.public()``, ``RoleChange.objects.public()``, verified citations), so the
API can only ever show what reader pages show. People and organizations appear only once
at least one of their role changes is public.

Every answer is JSON: ``{"error": "…"}`` naming the parameter on a 400, and on a 404.
Answers carry an ETag (a conditional GET with ``If-None-Match`` answers 304) and
``Access-Control-Allow-Origin: *``: graphics desks read them from any page.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Annotated, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import Field, WithJsonSchema

from newsroom.cache import data_version, versioned_cache
from newsroom.dates import InvalidPartialDate, PartialDate, parse_iso_day
from people.models import Organization, Person, Tenure
from people.queries import changes_between, leadership_on, months_before
from stories.models import Citation

MAX_AGE = 60  # seconds a client or proxy may reuse an answer without asking again
# Answers cached here are keyed on the data version (newsroom/cache.py), so never stale; this
# bounds how long an unused one takes memory.
CACHE_SECONDS = 60 * 60
SEARCH_LIMIT = 50
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]{1,220}")

# The OpenAPI document declares exactly what the API accepts, so that every request it
# allows is answered (a property-based test holds it, exchange/tests/test_api.py).
# A day of the years 1 to 9999, written YYYY-MM-DD: the months' lengths and leap years in
# the pattern itself, so that a value the pattern allows is a day Python can hold.
_YEAR = "([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
_LEAP_YEAR = "([0-9]{2}(0[48]|[2468][048]|[13579][26])|([2468][048]|[13579][26]|0[48])00)"
_MONTH_DAY = (
    "((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])"
    "|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
    "|02-(0[1-9]|1[0-9]|2[0-8]))"
)
DAY_PATTERN = f"^({_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)$"
Day = Annotated[str, WithJsonSchema({"type": "string", "format": "date", "pattern": DAY_PATTERN})]
# Searchable text: at least one character that is neither white space nor a control
# character (nor a byte-order mark), which the search ignores (see _search_text).
_IGNORED = r"\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
IGNORED_IN_SEARCH = re.compile(f"[{_IGNORED}]")
SEARCH_MAX_LENGTH = 200
SearchText = Annotated[
    str,
    WithJsonSchema(
        {
            "type": "string",
            "minLength": 1,
            "maxLength": SEARCH_MAX_LENGTH,
            "pattern": f"[^{_IGNORED}]",
        }
    ),
]

api = NinjaAPI(
    title="Newsroom public API",
    version="1",
    description=(
        "Who led which organization on a date, who arrived and who left, and each person's "
        "career: verified facts only, each with the sources an editor checked. Dates are "
        "written at their precision: 2018, 2017-01 or 2024-09-25."
    ),
    openapi_url="/openapi.json",
    docs_url=None,  # the interactive docs load scripts from a CDN, which our CSP forbids
    urls_namespace="api",
)


# Shapes -------------------------------------------------------------------------------------


class Ref(Schema):
    slug: str
    name: str


class Leader(Schema):
    person: Ref
    title: str
    since: str | None = Field(
        description="The tenure's start at its precision (2019-03, 2023-11-22); null when unknown."
    )
    held_on: str | None = Field(
        None,
        description="When the start is unknown: a date the person is on record in the post "
        "(held for certain from it), at its precision; else null.",
    )
    certainty: Literal["certain", "uncertain"] = Field(
        description="uncertain when a date known only to the month or year leaves the day open."
    )
    sources: list[str] = Field(description="Canonical URLs of the verified citations.")


class Leadership(Schema):
    organization: Ref
    as_of: str
    leaders: list[Leader]


class Change(Schema):
    date: str = Field(description="The effective date at its precision.")
    person: Ref
    change: Literal["joined", "appointed", "promoted", "left"]
    title: str
    sources: list[str]


class Changes(Schema):
    changes: list[Change]


class SearchResults(Schema):
    results: list[Ref]


class OtherName(Schema):
    name: str
    language: str


class PersonTenure(Schema):
    organization: Ref
    title: str
    start: str | None = Field(description="At its precision; null when unknown.")
    held_on: str | None = Field(
        None,
        description="When the start is unknown: a date the person is on record in the post, "
        "at its precision; else null.",
    )
    end: str | None = Field(description="At its precision; null when still held or unknown.")
    end_by: str | None = Field(
        None,
        description="When a later title ended the tenure, its end unknown: the date it ended "
        "no later than, at its precision (``end`` is then null); else null.",
    )


class PersonDetail(Schema):
    slug: str
    name: str
    names: list[OtherName]
    tenures: list[PersonTenure]


class Error(Schema):
    error: str


ERRORS = {400: Error, 404: Error}


# Parameters ---------------------------------------------------------------------------------

AS_OF = Query(None, description="A day, YYYY-MM-DD; today by default.")
FROM = Query(
    None,
    alias="from",
    description="First day, YYYY-MM-DD; a year before `to` by default. A first day after the "
    "last one leaves no day in the range: no changes.",
)
TO = Query(None, description="Last day, YYYY-MM-DD; today by default.")
Q = Query(
    ...,
    description="Part of a name or other name, in any script (ミラ finds Mira Murati); white "
    "space and control characters are ignored.",
    min_length=1,
    max_length=SEARCH_MAX_LENGTH,
)


# Answers ------------------------------------------------------------------------------------


def _answer(request: HttpRequest, data: Schema, status: int = 200) -> HttpResponse:
    """JSON with an ETag of its bytes; a matching If-None-Match gets 304 Not Modified."""
    body = data.model_dump_json().encode()
    response = HttpResponse(body, status=status, content_type="application/json")
    if status != 200:
        return response
    response["ETag"] = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return get_conditional_response(request, etag=response["ETag"], response=response)


def _error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return _answer(request, Error(error=message), status=status)


class BadParameter(Exception):
    def __init__(self, message: str) -> None:
        self.message = message


@api.exception_handler(BadParameter)
def _bad_parameter(request: HttpRequest, exc: BadParameter) -> HttpResponse:
    return _error(request, exc.message, 400)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    name = str(first.get("loc", ["", "parameter"])[-1])
    return _error(request, f"{name}: {first.get('msg', 'invalid value')}.", 400)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, str(exc) or "Not found.", 404)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, str(exc), exc.status_code)


def _day(text: str | None, parameter: str, default: datetime.date) -> datetime.date:
    if text is None:
        return default
    try:
        return parse_iso_day(text, what=f"{parameter} parameter")
    except InvalidPartialDate as invalid:
        raise BadParameter(str(invalid)) from None  # "The as_of parameter “…” is not…"


def _search_text(q: str) -> str:
    """``q`` as searched: runs of white space as one space, control characters (which no
    name holds, and PostgreSQL refuses NUL in text) and byte-order marks dropped. Empty
    exactly when ``q`` has no character outside IGNORED_IN_SEARCH, as the document says."""
    kept = (
        " " if char.isspace() else char
        for char in q
        if char.isspace() or not IGNORED_IN_SEARCH.match(char)
    )
    return " ".join("".join(kept).split())


def _slug(slug: str) -> str:
    if not SLUG_RE.fullmatch(slug):
        raise Http404(f"Nothing is published under “{slug[:60]}”.")
    return slug


def _public_organization(slug: str) -> Organization:
    organization = Organization.objects.public().filter(slug=_slug(slug)).first()
    if organization is None:
        raise Http404(f"No published organization has the slug “{slug}”.")
    return organization


def _at_precision(value: PartialDate | None) -> str | None:
    return value.isoformat() if value else None


def _ref(instance: Person | Organization) -> Ref:
    return Ref(slug=instance.slug, name=instance.name)


# Endpoints ----------------------------------------------------------------------------------


@api.get(
    "/organizations/{slug}/leadership",
    response={200: Leadership, **ERRORS},
    summary="Who led an organization on a day",
)
def organization_leadership(
    request: HttpRequest,
    slug: str,
    as_of: Day = AS_OF,
):
    """Its leadership on ``as_of``: seniority order, then by name; each leader certain or
    uncertain (a partial date can leave the day open), with the sources of the tenure."""
    try:
        day = _day(as_of, "as_of", timezone.localdate())
    except BadParameter:
        return _answer(request, _leadership(slug, as_of))  # refused with the usual error
    key = f"api-leadership:{_slug(slug)}:{day.isoformat()}:{data_version()}"
    store = versioned_cache()
    if (data := store.get(key)) is None:
        data = _leadership(slug, as_of)
        store.set(key, data, CACHE_SECONDS)
    return _answer(request, data)


def _leadership(slug: str, as_of: str | None) -> Leadership:
    """The answer of :func:`organization_leadership`, read from the database."""
    organization = _public_organization(slug)
    day = _day(as_of, "as_of", timezone.localdate())
    tenures = leadership_on(organization, day, staff=False)
    sources = Citation.objects.verified().source_urls_by_move(
        pk for tenure in tenures for pk in (tenure.started_by_id, tenure.ended_by_id)
    )
    leaders = [
        Leader(
            person=_ref(tenure.person),
            title=tenure.post.title,
            since=_at_precision(tenure.start),
            held_on=_at_precision(tenure.seen),
            certainty=tenure.certainty,
            sources=sorted(
                set(sources.get(tenure.started_by_id, []) + sources.get(tenure.ended_by_id, []))
            ),
        )
        for tenure in tenures
    ]
    return Leadership(organization=_ref(organization), as_of=day.isoformat(), leaders=leaders)


@api.get(
    "/organizations/{slug}/changes",
    response={200: Changes, **ERRORS},
    summary="Arrivals, departures and promotions between two days",
)
def organization_changes(
    request: HttpRequest,
    slug: str,
    from_: Day = FROM,
    to: Day = TO,
):
    """Moves that may have taken effect between ``from`` and ``to`` (both included), in
    date order. A move known only to the month or year is listed when any day it can
    stand for falls in the range."""
    organization = _public_organization(slug)
    last_day = _day(to, "to", timezone.localdate())
    first_day = _day(from_, "from", months_before(last_day, 12))
    changes = []
    if first_day <= last_day:
        changes = changes_between(organization, first_day, last_day, staff=False)
    sources = Citation.objects.verified().source_urls_by_move(change.pk for change in changes)
    data = Changes(
        changes=[
            Change(
                date=change.effective.isoformat(),
                person=_ref(change.person),
                change=change.kind,
                title=change.post.title,
                sources=sources.get(change.pk, []),
            )
            for change in changes
        ]
    )
    return _answer(request, data)


@api.get("/people", response={200: SearchResults, **ERRORS}, summary="Find people by name")
def people_search(
    request: HttpRequest,
    q: SearchText = Q,
):
    """People whose name or any other name contains ``q`` (ignoring case), at most 50."""
    text = _search_text(q)
    if not text:
        raise BadParameter("q: give part of a name to search for, e.g. ?q=Murati.")
    people = (
        Person.objects.public()
        .matching(text)
        .order_by("sort_name", "name", "pk")
        .only("slug", "name")[:SEARCH_LIMIT]
    )
    return _answer(request, SearchResults(results=[_ref(person) for person in people]))


@api.get("/people/{slug}", response={200: PersonDetail, **ERRORS}, summary="A person's career")
def person_detail(request: HttpRequest, slug: str):
    """A person's names and public tenures, in date order, dates at their precision."""
    person = (
        Person.objects.public().filter(slug=_slug(slug)).prefetch_related("other_names").first()
    )
    if person is None:
        raise Http404(f"No person with published moves has the slug “{slug}”.")
    tenures = (
        Tenure.objects.public()
        .filter(person=person)
        .select_related("organization", "post")
        .chronological()
    )
    data = PersonDetail(
        slug=person.slug,
        name=person.name,
        names=[
            OtherName(name=other.name, language=other.language)
            for other in person.other_names.all()
        ],
        tenures=[
            PersonTenure(
                organization=_ref(tenure.organization),
                title=tenure.post.title,
                start=_at_precision(tenure.start),
                held_on=_at_precision(tenure.seen),
                end=None if tenure.end_is_bound else _at_precision(tenure.end),
                end_by=_at_precision(tenure.end) if tenure.end_is_bound else None,
            )
            for tenure in tenures
        ],
    )
    return _answer(request, data)


# CORS and URLs ------------------------------------------------------------------------------

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match",
    "Access-Control-Max-Age": "86400",
}


def with_cors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Any origin may read the API (it is public and needs no cookies): answer preflight
    requests and mark every answer, errors included, as readable cross-origin."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            response = HttpResponse(status=204)
            for header, value in PREFLIGHT_HEADERS.items():
                response[header] = value
        else:
            response = view(request, *args, **kwargs)
        for header, value in CORS_HEADERS.items():
            response[header] = value
        return response

    return wrapped


def _urls():
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = with_cors(pattern.callback)
    return patterns, app_name, namespace


urls = _urls()
