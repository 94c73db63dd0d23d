"""Before the load: each endpoint's spread of paths, its queries per request, and the
leadership-on-a-date query's own time. Run by bench/run.py with the benchmark's settings:

    DJANGO_SETTINGS_MODULE=bench.settings python -m bench.prepare OUTPUT_DIR

Writes ``OUTPUT_DIR/<endpoint>.txt`` (one path a line, for wrk) and ``OUTPUT_DIR/prepare.json``.
"""

from __future__ import annotations

import datetime
import json
import random
import statistics
import sys
import time
from pathlib import Path

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.synthetic import desk_counts  # noqa: E402
from people.models import Organization, Person, PersonName, Tenure  # noqa: E402
from people.queries import leadership_on, leadership_query  # noqa: E402
from stories.models import Story  # noqa: E402
from stories.services.claims import story_claims  # noqa: E402

SPREAD = 200  # different objects per endpoint
QUERY_SAMPLES = 20  # requests per endpoint whose queries are counted (the largest is kept)
AS_OF_SAMPLES = 200


def _random_ids(queryset, count: int, rng: random.Random) -> list[int]:
    """Up to ``count`` primary keys spread over the whole table, not its first rows."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    return rng.sample(ids, min(count, len(ids)))


def _days(rng: random.Random, count: int) -> list[datetime.date]:
    first = datetime.date(2000, 1, 1).toordinal()
    last = datetime.date(2026, 10, 31).toordinal()
    return [datetime.date.fromordinal(rng.randint(first, last)) for _ in range(count)]


def endpoint_paths(rng: random.Random) -> dict[str, list[str]]:
    stories = list(
        Story.objects.published()
        .filter(pk__in=_random_ids(Story.objects.published(), SPREAD, rng))
        .values_list("slug", flat=True)
    )
    public_people = Tenure.objects.public().values("person_id")
    people = list(
        Person.objects.filter(
            pk__in=_random_ids(Person.objects.filter(pk__in=public_people), SPREAD, rng)
        ).values_list("slug", flat=True)
    )
    public_orgs = Tenure.objects.public().values("organization_id")
    organizations = list(
        Organization.objects.filter(
            pk__in=_random_ids(Organization.objects.filter(pk__in=public_orgs), SPREAD, rng)
        ).values_list("slug", flat=True)
    )
    days = _days(rng, SPREAD)
    largest = list(
        Organization.objects.filter(
            pk__in=Tenure.objects.public()
            .filter(post__is_leadership=True)
            .values("organization_id")
            .annotate(tenures=Count("pk"))
            .order_by("-tenures")
            .values("organization_id")[:SPREAD]
        ).values_list("slug", flat=True)
    )
    story_pages = max(1, Story.objects.published().count() // 20)
    # Searches as readers type them: part of a family name, a given name, a name in another
    # script (from other names), a whole display name.
    names = list(
        Person.objects.filter(
            pk__in=_random_ids(Person.objects.all(), SPREAD // 2, rng)
        ).values_list("name", flat=True)
    ) + list(
        PersonName.objects.filter(
            pk__in=_random_ids(PersonName.objects.all(), SPREAD // 2, rng)
        ).values_list("name", flat=True)
    )
    queries = []
    for name in names:
        words = name.split()
        pick = rng.random()
        if pick < 0.4 and words:
            queries.append(words[-1][: max(3, len(words[-1]) - 1)])
        elif pick < 0.6 and words:
            queries.append(words[0])
        else:
            queries.append(name)
    from urllib.parse import quote

    return {
        "article page": [f"/stories/{slug}/" for slug in stories],
        "person profile": [f"/people/{slug}/" for slug in people],
        "organization as_of": [
            f"/organizations/{slug}/?as_of={day.isoformat()}"
            for slug, day in zip(organizations, days, strict=False)
        ],
        "/stories/": [
            f"/stories/?page={rng.randint(1, min(story_pages, 50))}" for _ in range(SPREAD)
        ],
        "people search": [f"/people/?q={quote(text)}" for text in queries],
        "leadership API": [
            f"/api/organizations/{slug}/leadership?as_of={day.isoformat()}"
            for slug, day in zip(organizations, reversed(days), strict=False)
        ],
        "moves feed": [f"/feeds/organizations/{slug}/moves/" for slug in organizations],
        # The organizations with the longest leadership history: the page with its timeline
        # and turnover drawn over decades, and the timeline alone as SVG.
        "organization timeline (largest)": [f"/organizations/{slug}/" for slug in largest],
        "timeline SVG (largest)": [f"/organizations/{slug}/timeline.svg" for slug in largest],
    }


def queries_per_request(paths: list[str]) -> tuple[int, int]:
    """The most queries any of the first requests issued: on its first visit (nothing
    cached yet: the budget) and on its second (what the warm site issues under load)."""
    client = Client(HTTP_HOST="127.0.0.1")
    cold, warm = [], []
    for path in paths[:QUERY_SAMPLES]:
        for counts in (cold, warm):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(
                    f"{path} answered {response.status_code}; the benchmark needs 200."
                )
            counts.append(len(captured))
    return max(cold), max(warm)


def as_of_query(rng: random.Random) -> dict[str, object]:
    """Median time of the leadership-on-a-date query, and one plan for the note.

    ``median_ms`` is the SQL alone, as the database answers it over the connection
    (``leadership_query``'s SQL, executed and fetched); ``orm_median_ms`` is the whole of
    ``leadership_on()``, with Django building the query and the model instances.
    """
    organizations = list(
        Organization.objects.filter(
            pk__in=_random_ids(Organization.objects.all(), AS_OF_SAMPLES, rng)
        )
    )
    days = _days(rng, len(organizations))
    pairs = list(zip(organizations, days, strict=True))
    for organization, day in pairs[:20]:
        leadership_on(organization, day)  # warm the buffers like a running site's
    sql_timings, orm_timings = [], []
    with connection.cursor() as cursor:
        for organization, day in pairs:
            sql, params = leadership_query(organization, day).query.sql_with_params()
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            sql_timings.append((time.perf_counter() - started) * 1000)
    for organization, day in pairs:
        started = time.perf_counter()
        leadership_on(organization, day)
        orm_timings.append((time.perf_counter() - started) * 1000)
    organization, day = pairs[0]
    plan = ""
    if connection.vendor == "postgresql":
        plan = leadership_query(organization, day).explain(analyze=True, buffers=True)
    return {
        "median_ms": round(statistics.median(sql_timings), 3),
        "orm_median_ms": round(statistics.median(orm_timings), 3),
        "plan": f"leadership_query({organization.slug!r}, {day})\n{plan}\n",
    }


CLAIM_SAMPLES = 40


def claim_checks(rng: random.Random) -> dict[str, object]:
    """The claim checks of the editor's live preview (stories/claims.py), timed on stories of
    the synthetic desk: what each keystroke's preview adds, with its queries."""
    ids = _random_ids(Story.objects.all(), CLAIM_SAMPLES, rng)
    stories = list(Story.objects.filter(pk__in=ids))
    timings = []
    for story in stories[:5]:
        story_claims(story)  # warm the buffers like a running site's
    for story in stories:
        text = "\n".join([story.title, story.dek, story.body])
        started = time.perf_counter()
        story_claims(story, text=text)
        timings.append((time.perf_counter() - started) * 1000)
    if not timings:
        return {"median_ms": None, "max_ms": None, "queries": None}
    with CaptureQueriesContext(connection) as queries:
        story_claims(stories[0], text=stories[0].body)
    return {
        "median_ms": round(statistics.median(timings), 2),
        "max_ms": round(max(timings), 2),
        "queries": len(queries),
    }


def main(output: Path) -> None:
    rng = random.Random(6)  # noqa: S311 - the same spread on every run, no secret
    output.mkdir(parents=True, exist_ok=True)
    paths = endpoint_paths(rng)
    report: dict[str, object] = {
        "scale": desk_counts(),
        "queries": {},
        "warm_queries": {},
        "paths": {},
    }
    for name, endpoint in [("baseline", ["/bench/baseline/"]), *paths.items()]:
        rng.shuffle(endpoint)
        (output / f"{name.replace('/', '_').replace(' ', '_')}.txt").write_text(
            "\n".join(endpoint) + "\n"
        )
        report["paths"][name] = endpoint[0]
        cold, warm = queries_per_request(endpoint)
        report["queries"][name] = cold
        report["warm_queries"][name] = warm
        print(f"  {name}: {len(endpoint)} paths, at most {cold} queries ({warm} once cached)")
    report["as_of"] = as_of = as_of_query(rng)
    print(
        f"  leadership on a date: {as_of['median_ms']} ms median (the SQL), "
        f"{as_of['orm_median_ms']} ms (leadership_on, with Django's share)"
    )
    report["claims"] = claims = claim_checks(rng)
    print(
        f"  claim checks of the live preview: {claims['median_ms']} ms median, "
        f"{claims['max_ms']} ms at most, {claims['queries']} queries"
    )
    (output / "prepare.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
