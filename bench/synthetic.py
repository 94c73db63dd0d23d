"""The synthetic desk: a desk that has covered the industry for decades, for the benchmark.

:func:`desk_generate` fills an empty database with people (a share of them with names in
other scripts), organizations, posts, role changes and the tenures they produce, sources,
quotes, citations with their verification history, and stories that cite them. Everything
goes in through the same tables and constraints as the desk's own writes:

- role changes come from a simulation of each organization's posts over time (successions,
  promotions that end the previous title on the same day, interim appointments, departures
  that leave the organization), so they make sense as a career would;
- tenures are not made up beside them: each person's changes at each organization are
  replayed by ``people.tenures`` (rule 2, the code every form and import goes through), for
  the desk and for the public scope. A partial date (month, year) that the replay refuses is
  written at day precision instead;
- a role change is public exactly when one of its citations is verified (rule 3), and a
  published story cites verified citations only (rule 4);
- rows are written with the CSV import's bulk writer (``exchange.bulk.BulkRows``: COPY on
  PostgreSQL, in a background thread while the next table's rows are built), in one
  transaction: a failure leaves nothing behind.

The same seed gives the same desk. Dates end on :data:`REFERENCE_DAY` whatever the day the
desk is generated, so the benchmark's ``as_of`` dates mean the same thing on every run.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.utils import timezone

from bench.names import (
    FAMILY_NAMES,
    GIVEN_NAMES,
    KATAKANA,
    ORGANIZATION_NOUNS,
    ORGANIZATION_SUFFIXES,
    ORGANIZATION_WORDS,
    SCRIPTS,
    TITLES,
)
from bench.records import Move, Org, SimulatedPost
from bench.simulation import OrganizationHistory
from bench.synthetic_citations import CitationSteps
from bench.synthetic_stories import StorySteps
from exchange.bulk import BulkRows
from newsroom.progress import Stream, progress
from newsroom.slugs import unique_slugs
from people.models import (
    Organization,
    OrganizationKind,
    OrganizationName,
    Person,
    PersonName,
    Post,
    Rank,
    RoleChange,
    Tenure,
)
from people.models.people import default_sort_name
from stories.models import (
    Citation,
    CitationDecision,
    Source,
    Statement,
    Story,
)

FIRST_FOUNDED = datetime.date(1985, 1, 1)
LAST_FOUNDED = datetime.date(2016, 12, 31)
NON_LATIN_SHARE = 0.2  # of people, half shown in their script, half with it as an other name
JOURNALISTS = 20
EDITORS = 5


@dataclass(frozen=True)
class Scale:
    people: int
    organizations: int
    posts: int
    role_changes: int
    stories: int
    citations: int

    @property
    def sources(self) -> int:
        return self.citations // 2

    def divided(self, by: int) -> Scale:
        return Scale(**{name: value // by for name, value in dataclasses.asdict(self).items()})


FULL = Scale(
    people=100_000,
    organizations=10_000,
    posts=50_000,
    role_changes=1_000_000,
    stories=50_000,
    citations=500_000,
)
# "tiny" is for the test suite: every kind of row, in seconds, on SQLite too.
SCALES = {"full": FULL, "small": FULL.divided(100), "tiny": FULL.divided(2000)}


class DeskNotEmpty(Exception):
    """The synthetic desk is generated into an empty database only."""


def desk_counts() -> dict[str, int]:
    """How many rows of each kind the desk holds (the benchmark reports these)."""
    return {
        "people": Person.objects.count(),
        "organizations": Organization.objects.count(),
        "posts": Post.objects.count(),
        "role_changes": RoleChange.objects.count(),
        "tenures": Tenure.objects.count(),
        "stories": Story.objects.count(),
        "citations": Citation.objects.count(),
        "sources": Source.objects.count(),
    }


def desk_matches(scale: Scale) -> bool:
    """Whether the database holds a desk generated at ``scale`` (for reusing it)."""
    counts = desk_counts()
    return (
        counts["people"] == scale.people
        and counts["organizations"] == scale.organizations
        and counts["posts"] == scale.posts
        and counts["stories"] == scale.stories
        and counts["citations"] == scale.citations
        and scale.role_changes * 0.99 <= counts["role_changes"] <= scale.role_changes
    )


@dataclass
class GeneratedDesk:
    counts: dict[str, int]
    rows: int  # every row written, in every table
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def desk_generate(*, scale: Scale, seed: int = 2026, stream: Stream | None = None) -> GeneratedDesk:
    """Fill an empty database with a synthetic desk at ``scale``; see the module docstring.

    Raises :class:`DeskNotEmpty` when the database already holds people, organizations,
    sources or stories: generated rows never mix with real ones.
    """
    for model in (Person, Organization, Source, Story):
        if model.objects.exists():
            raise DeskNotEmpty(
                f"The database already holds {model._meta.verbose_name_plural}. The synthetic "
                "desk is generated into an empty database only: use a new database (or drop "
                "this one and migrate again)."
            )
    started = time.monotonic()
    with transaction.atomic():
        generator = _Generator(scale, random.Random(seed), stream)  # noqa: S311 - a reproducible desk, no secret
        generator.run()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Fresh statistics, or the first plans are guesses; and, outside a transaction,
            # the visibility map that index-only scans (counts) need, as autovacuum would.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    seconds = time.monotonic() - started
    return GeneratedDesk(counts=desk_counts(), rows=generator.rows_written, seconds=seconds)


class _Generator(CitationSteps, StorySteps):
    def __init__(self, scale: Scale, rng: random.Random, stream: Stream | None) -> None:
        self.scale = scale
        self.rng = rng
        self.stream = stream
        self.now = timezone.now()
        self.writer = BulkRows(self.now)
        self.rows_written = 0

    def steps[T](self, items: Iterable[T], total: int, label: str) -> Iterable[T]:
        if self.stream is None:
            return items
        return progress(items, total=total, stream=self.stream, label=label)

    def insert(self, model, rows: list[dict]) -> None:
        self.rows_written += len(rows)
        self.writer.insert(model, rows, background=True)

    def with_ids(self, model, rows: list[dict]) -> list[dict]:
        for row, pk in zip(rows, self.writer.ids(model, len(rows)), strict=True):
            row["id"] = pk
        return rows

    def run(self) -> None:
        scale = self.scale
        self.desk_users()
        self.writer.reserve(
            {
                RoleChange: scale.role_changes,
                Tenure: 2 * scale.role_changes,
                Citation: scale.citations,
                CitationDecision: scale.citations,
                Statement: scale.citations,
            }
        )
        if self.writer.postgresql:
            with connection.cursor() as cursor:
                # Foreign keys checked as each table is written (by the database, on the
                # other core), not all at once at commit.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        try:
            self.people()
            self.organizations()
            self.moves()
            self.tenures_and_citations()
            self.stories()
        finally:
            self.writer.close()
        if self.writer.postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    # Accounts ---------------------------------------------------------------------------

    def desk_users(self) -> None:
        """A few journalists and editors (no usable password: nobody signs in as them)."""
        journalists = Group.objects.get(name="Journalists")
        editors = Group.objects.get(name="Editors")
        self.journalist_ids, self.editor_ids = [], []
        for count, prefix, group, ids in (
            (JOURNALISTS, "journalist", journalists, self.journalist_ids),
            (EDITORS, "editor", editors, self.editor_ids),
        ):
            for number in range(1, count + 1):
                user, created = User.objects.get_or_create(
                    username=f"synthetic-{prefix}-{number:02d}",
                    defaults={"first_name": prefix.title(), "last_name": f"{number:02d}"},
                )
                if created:
                    user.set_unusable_password()
                    user.save(update_fields=["password"])
                user.groups.add(group)
                ids.append(user.pk)

    # People and organizations -----------------------------------------------------------

    def person_name(self) -> tuple[str, tuple[str, str, str] | None]:
        """A display name and maybe an other name (name, language, note)."""
        rng = self.rng
        if rng.random() >= NON_LATIN_SHARE:
            return f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}", None
        language, note, given, family, family_first, separator = SCRIPTS[rng.choice(list(SCRIPTS))]
        (given_native, given_latin), (family_native, family_latin) = (
            rng.choice(given),
            rng.choice(family),
        )
        native = (
            f"{family_native}{separator}{given_native}"
            if family_first
            else f"{given_native}{separator}{family_native}"
        )
        latin = f"{given_latin} {family_latin}"
        if rng.random() < 0.5:
            return native, (latin, "en", "Latin transcription")
        return latin, (native, language, note)

    def people(self) -> None:
        count = self.scale.people
        names, others = [], []
        for _ in range(count):
            name, other = self.person_name()
            names.append(name)
            others.append(other)
        slugs = unique_slugs(Person, names)
        rng = self.rng
        rows = self.with_ids(
            Person,
            [
                {
                    "name": name,
                    "sort_name": default_sort_name(name),
                    "slug": slug,
                    "wikidata_id": f"Q{rng.randrange(1, 130_000_000)}"
                    if rng.random() < 0.1
                    else "",
                    "x_handle": slug.replace("-", "_")[:15] if rng.random() < 0.2 else "",
                }
                for name, slug in zip(names, slugs, strict=True)
            ],
        )
        self.person_ids = [row["id"] for row in rows]
        self.person_names = names
        self.insert(Person, rows)
        other_rows = [
            {"person_id": row["id"], "name": other[0], "language": other[1], "note": other[2]}
            for row, other in zip(rows, others, strict=True)
            if other is not None
        ]
        self.insert(PersonName, self.with_ids(PersonName, other_rows))

    def organizations(self) -> None:
        rng = self.rng
        count = self.scale.organizations
        names: list[str] = []
        taken: set[str] = set()
        while len(names) < count:
            words = [rng.choice(ORGANIZATION_WORDS), rng.choice(ORGANIZATION_NOUNS)]
            if suffix := rng.choice(ORGANIZATION_SUFFIXES):
                words.append(suffix)
            name = " ".join(words)
            if name in taken:
                name = f"{name} {len(names)}"
            taken.add(name)
            names.append(name)
        slugs = unique_slugs(Organization, names)
        ids = self.writer.ids(Organization, count)
        first, last = FIRST_FOUNDED.toordinal(), LAST_FOUNDED.toordinal()
        rows, other_rows = [], []
        kinds = [OrganizationKind.COMPANY] * 16 + [
            OrganizationKind.NONPROFIT,
            OrganizationKind.RESEARCH_LAB,
            OrganizationKind.UNIVERSITY,
            OrganizationKind.GOVERNMENT,
        ]
        self.orgs: list[Org] = []
        for index, (pk, name, slug) in enumerate(zip(ids, names, slugs, strict=True)):
            parent = ids[rng.randrange(index)] if index and rng.random() < 0.05 else None
            rows.append(
                {
                    "id": pk,
                    "name": name,
                    "slug": slug,
                    "kind": rng.choice(kinds).value,
                    "description": f"{name} works on {name.split()[1].lower()}.",
                    "homepage": f"https://{slug}.example/",
                    "parent_id": parent,
                }
            )
            first_word = name.split()[0]
            if first_word in KATAKANA and rng.random() < 0.5:
                other_rows.append(
                    {"organization_id": pk, "name": KATAKANA[first_word] + "社", "language": "ja"}
                )
            elif rng.random() < 0.1:
                initials = "".join(word[0] for word in name.split()).upper()
                other_rows.append({"organization_id": pk, "name": initials, "language": ""})
            self.orgs.append(Org(pk, name, rng.randint(first, last), []))
        self.insert(Organization, rows)
        self.insert(OrganizationName, self.with_ids(OrganizationName, other_rows))
        self.posts()

    def posts(self) -> None:
        """Every organization has a chief executive; the other titles are spread at random."""
        rng = self.rng
        titles_by_org = [[0] for _ in self.orgs]
        extra = self.scale.posts - len(self.orgs)
        while extra > 0:
            titles = titles_by_org[rng.randrange(len(self.orgs))]
            if len(titles) < len(TITLES):
                titles.append(rng.choice([i for i in range(1, len(TITLES)) if i not in titles]))
                extra -= 1
        rows = []
        ids = iter(self.writer.ids(Post, self.scale.posts))
        for org, titles in zip(self.orgs, titles_by_org, strict=True):
            for title_index in sorted(titles):
                title, leadership = TITLES[title_index]
                post = SimulatedPost(next(ids), title, Rank.guess(title).value)
                org.posts.append(post)
                rows.append(
                    {
                        "id": post.pk,
                        "organization_id": org.pk,
                        "title": title,
                        "rank": post.rank,
                        "is_leadership": leadership,
                    }
                )
        self.insert(Post, rows)

    # Role changes -----------------------------------------------------------------------

    def moves(self) -> None:
        """Each organization's posts over time, until the role changes budget is spent."""
        budget_per_post = self.scale.role_changes / self.scale.posts
        spent = 0
        self.groups: dict[tuple[int, int], list[Move]] = defaultdict(list)
        move_ids = iter(self.writer.ids(RoleChange, self.scale.role_changes))

        def add(move: Move) -> None:
            self.groups[(move.person_id, move.organization_id)].append(move)

        posts_seen = 0
        for org in self.steps(self.orgs, len(self.orgs), "Role changes"):
            posts_seen += len(org.posts)
            budget = round(posts_seen * budget_per_post) - spent
            spent += OrganizationHistory(
                org,
                budget,
                rng=self.rng,
                person_ids=self.person_ids,
                person_names=self.person_names,
                move_ids=move_ids,
                add=add,
            ).run()
