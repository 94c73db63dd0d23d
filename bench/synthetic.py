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
- rows are written with the CSV import's bulk writer (``exchange.imports.BulkRows``: COPY on
  PostgreSQL, in a background thread while the next table's rows are built), in one
  transaction: a failure leaves nothing behind.

The same seed gives the same desk. Dates end on :data:`REFERENCE_DAY` whatever the day the
desk is generated, so the benchmark's ``as_of`` dates mean the same thing on every run.
"""

from __future__ import annotations

import dataclasses
import datetime
import heapq
import json
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
    PUBLISHERS,
    SCRIPTS,
    TITLES,
)
from exchange.imports import BulkRows
from newsroom.dates import PartialDate, Precision, partial_date_columns
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
    RoleChangeKind,
    Tenure,
)
from people.models.people import default_sort_name
from people.tenures import TenureConflict, tenure_drafts
from stories.models import (
    Citation,
    CitationDecision,
    CitationState,
    Correction,
    Source,
    Statement,
    Story,
    StoryRevision,
    StoryStatus,
)
from stories.rendering import render_body

REFERENCE_DAY = datetime.date(2026, 10, 31)
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


# The simulation's records -------------------------------------------------------------------


@dataclass(eq=False, slots=True)
class _Org:
    pk: int
    name: str
    founded: int  # date ordinal
    posts: list[_Post]


@dataclass(eq=False, slots=True)
class _Post:
    pk: int
    title: str
    rank: int


@dataclass(eq=False, slots=True)
class _Move:
    """A role change as the tenure replay (people.tenures) reads one, without a model."""

    pk: int
    person_id: int
    organization_id: int
    post: _Post
    kind_enum: RoleChangeKind
    day: int  # the true day (ordinal); ``effective`` may be coarser
    effective: PartialDate
    previous_post: _Post | None = None
    is_interim: bool = False
    leaves_organization: bool = False
    is_public: bool = False
    person: str = ""  # names, for the replay's messages
    organization: str = ""

    @property
    def post_id(self) -> int:
        return self.post.pk

    @property
    def previous_post_id(self) -> int | None:
        return self.previous_post.pk if self.previous_post else None


def _coarse(day: datetime.date, rng: random.Random) -> PartialDate:
    """Most moves are known to the day; some only to the month or the year (rule 1)."""
    draw = rng.random()
    if draw < 0.85:
        return PartialDate(day, Precision.DAY)
    if draw < 0.95:
        return PartialDate(day.replace(day=1), Precision.MONTH)
    return PartialDate(datetime.date(day.year, 1, 1), Precision.YEAR)


class _Generator:
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
        self.orgs: list[_Org] = []
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
            self.orgs.append(_Org(pk, name, rng.randint(first, last), []))
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
                post = _Post(next(ids), title, Rank.guess(title).value)
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
        self.groups: dict[tuple[int, int], list[_Move]] = defaultdict(list)
        self.move_ids = iter(self.writer.ids(RoleChange, self.scale.role_changes))
        posts_seen = 0
        for org in self.steps(self.orgs, len(self.orgs), "Role changes"):
            posts_seen += len(org.posts)
            budget = round(posts_seen * budget_per_post) - spent
            spent += self.simulate(org, budget)

    def simulate(self, org: _Org, budget: int) -> int:
        rng = self.rng
        posts = org.posts
        end = REFERENCE_DAY.toordinal()
        held: list[tuple[int, int] | None] = [None] * len(posts)  # (person index, since)
        version = [0] * len(posts)
        holdings: dict[int, set[int]] = defaultdict(set)
        last_day: dict[int, int] = {}
        events = [(org.founded + rng.randrange(720), index, 0) for index in range(len(posts))]
        heapq.heapify(events)
        remaining = budget

        def schedule(day: int, index: int) -> None:
            version[index] += 1
            heapq.heappush(events, (day, index, version[index]))

        def tenure_length(day: int) -> int:
            # Spread the remaining budget over the remaining years, leaving some slack.
            tenures_left = max(1.0, remaining / (2 * len(posts)))
            mean = (end - day) / tenures_left * 0.8
            return max(45, int(mean * rng.uniform(0.4, 1.6)))

        def gap() -> int:
            return 0 if rng.random() < 0.5 else rng.randint(1, 120)

        def record(person: int, post: _Post, kind: RoleChangeKind, day: int, **extra) -> None:
            nonlocal remaining
            person_id = self.person_ids[person]
            move = _Move(
                pk=next(self.move_ids),
                person_id=person_id,
                organization_id=org.pk,
                post=post,
                kind_enum=kind,
                day=day,
                effective=_coarse(datetime.date.fromordinal(day), rng),
                person=self.person_names[person],
                organization=org.name,
                **extra,
            )
            self.groups[(person_id, org.pk)].append(move)
            last_day[person] = day
            remaining -= 1

        while remaining > 0 and events:
            day, index, event_version = heapq.heappop(events)
            if event_version != version[index] or day >= end:
                continue
            post = posts[index]
            holder = held[index]
            if holder is not None:
                person = holder[0]
                if last_day.get(person) == day:
                    schedule(day + 1, index)  # one change per person and day here
                    continue
                others = holdings[person] - {index}
                leaves = bool(others) and rng.random() < 0.3
                record(person, post, RoleChangeKind.LEFT, day, leaves_organization=leaves)
                for ended in [index, *others] if leaves else [index]:
                    held[ended] = None
                    holdings[person].discard(ended)
                    schedule(day + gap(), ended)
                continue
            draw = rng.random()
            promotable = [
                other
                for other, tenure in enumerate(held)
                if tenure is not None
                and posts[other].rank > post.rank
                and tenure[1] < day - 30
                and last_day.get(tenure[0]) != day
            ]
            if draw < 0.25 and promotable:
                previous = rng.choice(promotable)
                person = held[previous][0]
                record(person, post, RoleChangeKind.PROMOTED, day, previous_post=posts[previous])
                held[previous] = None
                holdings[person].discard(previous)
                schedule(day + gap(), previous)
                length = tenure_length(day)
            elif draw < 0.3 and (
                insiders := [t[0] for t in held if t and last_day.get(t[0]) != day]
            ):
                person = rng.choice(insiders)
                record(person, post, RoleChangeKind.APPOINTED, day, is_interim=True)
                length = rng.randint(90, 400)
            else:
                person = rng.randrange(len(self.person_ids))
                while last_day.get(person) == day:
                    person = rng.randrange(len(self.person_ids))
                kind = RoleChangeKind.APPOINTED if holdings.get(person) else RoleChangeKind.JOINED
                record(person, post, kind, day)
                length = tenure_length(day)
            held[index] = (person, day)
            holdings[person].add(index)
            schedule(day + length, index)
        return budget - remaining

    # Tenures, sources, quotes, citations ----------------------------------------------

    def tenures_and_citations(self) -> None:
        """Which moves are covered by a citation, then both scopes' tenures by replay."""
        rng = self.rng
        groups = list(self.groups.values())
        order = list(range(len(groups)))
        rng.shuffle(order)
        covered: list[_Move] = []
        for index in order:
            if len(covered) + len(groups[index]) <= self.scale.citations:
                covered += groups[index]
        covered.sort(key=lambda move: move.pk)
        states = rng.choices(
            [
                CitationState.VERIFIED,
                CitationState.PENDING,
                CitationState.DISPUTED,
                CitationState.REJECTED,
            ],
            weights=[93, 5, 1, 1],
            k=len(covered),
        )
        # The rest of the budget: a second, bare source (verified) for some covered moves.
        seconds = rng.sample(covered, self.scale.citations - len(covered))
        for move, state in zip(covered, states, strict=True):
            move.is_public = state == CitationState.VERIFIED
        for move in seconds:
            move.is_public = True
        self.replay(groups)
        self.write_moves(groups)
        self.citations(covered, states, seconds)

    def replay(self, groups: list[list[_Move]]) -> None:
        rows: list[dict] = []
        for changes in self.steps(groups, len(groups), "Tenures"):
            try:
                drafts = tenure_drafts(changes)
            except TenureConflict:
                # A partial date made the order ambiguous: the true days never do.
                for change in changes:
                    change.effective = PartialDate(
                        datetime.date.fromordinal(change.day), Precision.DAY
                    )
                drafts = tenure_drafts(changes)
            first = changes[0]
            for scope, scope_drafts in drafts.items():
                rows += [
                    draft.columns(
                        scope=scope,
                        person_id=first.person_id,
                        organization_id=first.organization_id,
                    )
                    for draft in scope_drafts
                ]
        self.tenure_rows = self.with_ids(Tenure, rows)

    def write_moves(self, groups: list[list[_Move]]) -> None:
        rng = self.rng
        recorders = self.journalist_ids
        rows = []
        for move in sorted((move for changes in groups for move in changes), key=lambda m: m.pk):
            announced = None
            if rng.random() < 0.3:
                announced = PartialDate(
                    datetime.date.fromordinal(move.day - rng.randrange(45)), Precision.DAY
                )
            rows.append(
                {
                    "id": move.pk,
                    "person_id": move.person_id,
                    "organization_id": move.organization_id,
                    "post_id": move.post.pk,
                    "previous_post_id": move.previous_post.pk if move.previous_post else None,
                    "kind": move.kind_enum.value,
                    **partial_date_columns("effective", move.effective),
                    **partial_date_columns("announced", announced),
                    "is_interim": move.is_interim,
                    "leaves_organization": move.leaves_organization,
                    "is_public": move.is_public,
                    "reason": "Left to start a company."
                    if move.kind_enum == RoleChangeKind.LEFT and rng.random() < 0.1
                    else "",
                    "recorded_by_id": rng.choice(recorders),
                }
            )
        self.moves_by_pk = {move.pk: move for changes in groups for move in changes}
        self.insert(RoleChange, rows)
        # Tenures point at role changes: written after them, in the same background queue.
        self.insert(Tenure, self.tenure_rows)
        del self.tenure_rows

    def citations(
        self, covered: list[_Move], states: list[CitationState], seconds: list[_Move]
    ) -> None:
        rng = self.rng
        source_count = self.scale.sources
        source_ids = self.writer.ids(Source, source_count)
        # Neighbouring moves (same organization, same days) share a source: one press
        # release announces a succession.
        source_of = [min(index // 2, source_count - 1) for index in range(len(covered))]
        first_use: dict[int, _Move] = {}
        for index, move in enumerate(covered):
            first_use.setdefault(source_of[index], move)
        sources = []
        for index, pk in enumerate(source_ids):
            move = first_use.get(index)
            domain, publisher = PUBLISHERS[index % len(PUBLISHERS)]
            day = datetime.date.fromordinal(move.day) if move else REFERENCE_DAY
            if move:
                title = (
                    f"{move.organization}: {move.person} {move.kind_enum.label} {move.post.title}"
                )
            else:
                title = f"Industry moves roundup #{index}"
            sources.append(
                {
                    "id": pk,
                    "canonical_url": f"https://{domain}/{day:%Y/%m}/story-{index}",
                    "url_as_entered": f"https://{domain}/{day:%Y/%m}/story-{index}",
                    "title": title[:300],
                    "publisher": publisher,
                    "kind": "press_release" if domain.startswith("newswire") else "article",
                    **partial_date_columns("published", PartialDate(day, Precision.DAY)),
                    "language": "ja" if domain.startswith("nikkei") else "en",
                    "link_status": "live" if index % 10 else "unchecked",
                }
            )
        self.insert(Source, sources)

        statements, citations, decisions = [], [], []
        statement_ids = iter(self.writer.ids(Statement, len(covered)))
        citation_ids = self.writer.ids(Citation, self.scale.citations)
        self.verified_citations: list[tuple[int, _Move]] = []
        for citation_id, move, state, source_index in zip(
            citation_ids, covered, states, source_of, strict=False
        ):
            statement_id = None
            if rng.random() < 0.6:
                statement_id = next(statement_ids)
                statements.append(
                    {
                        "id": statement_id,
                        "source_id": source_ids[source_index],
                        "quote": _quote(move),
                        "context_before": "In a statement on Monday,",
                        "context_after": "the company said.",
                        "speaker_id": move.person_id if rng.random() < 0.5 else None,
                        "language": "en",
                    }
                )
            citations.append(
                self.citation(citation_id, move, source_ids[source_index], statement_id, state)
            )
            if state == CitationState.VERIFIED:
                self.verified_citations.append((citation_id, move))
        second_ids = citation_ids[len(covered) :]
        position = {move.pk: index for index, move in enumerate(covered)}
        for citation_id, move in zip(second_ids, seconds, strict=True):
            other = (source_of[position[move.pk]] + source_count // 2) % source_count
            citations.append(
                self.citation(citation_id, move, source_ids[other], None, CitationState.VERIFIED)
            )
        for citation in citations:
            decisions.append(
                {
                    "citation_id": citation["id"],
                    "actor_id": citation["decided_by_id"] or citation["created_by_id"],
                    "at": self.now,
                    "from_state": "",
                    "to_state": citation["state"],
                    "note": citation["decision_note"] or "Recorded; waiting for an editor's check.",
                }
            )
        self.insert(Statement, statements)
        self.insert(Citation, citations)
        self.insert(CitationDecision, self.with_ids(CitationDecision, decisions))

    def citation(self, pk, move: _Move, source_id, statement_id, state: CitationState) -> dict:
        decided = state != CitationState.PENDING
        return {
            "id": pk,
            "role_change_id": move.pk,
            "source_id": source_id,
            "statement_id": statement_id,
            "state": state.value,
            "decided_by_id": self.rng.choice(self.editor_ids) if decided else None,
            "decided_at": self.now if decided else None,
            "decision_note": f"Checked against the source: {state.label}." if decided else "",
            "created_by_id": self.rng.choice(self.journalist_ids),
        }

    # Stories ----------------------------------------------------------------------------

    def stories(self) -> None:
        """Stories about runs of neighbouring moves, citing only verified citations."""
        rng = self.rng
        verified = self.verified_citations
        statuses = rng.choices(
            [
                StoryStatus.PUBLISHED,
                StoryStatus.CORRECTED,
                StoryStatus.IN_REVIEW,
                StoryStatus.DRAFT,
                StoryStatus.WITHDRAWN,
            ],
            weights=[80, 3, 5, 10, 2],
            k=self.scale.stories,
        )
        picks = []
        for _ in range(self.scale.stories):
            start = rng.randrange(len(verified))
            organization_id = verified[start][1].organization_id
            run = [
                pair
                for pair in verified[start : start + rng.choice((1, 1, 2, 2, 3, 4))]
                if pair[1].organization_id == organization_id
            ]
            picks.append(run)
        titles = [_headline(run[0][1]) for run in picks]
        slugs = unique_slugs(Story, titles)
        story_ids = self.writer.ids(Story, len(picks))
        stories, revisions, corrections = [], [], []
        links: dict[str, list[dict]] = defaultdict(list)
        for pk, run, status, title, slug in self.steps(
            zip(story_ids, picks, statuses, titles, slugs, strict=True), len(picks), "Stories"
        ):
            author = rng.choice(self.journalist_ids)
            body = _body(run)
            rendered = render_body(body)
            last_day = max(move.day for _, move in run)
            published_at = None
            if status in (StoryStatus.PUBLISHED, StoryStatus.CORRECTED, StoryStatus.WITHDRAWN):
                published_at = datetime.datetime.combine(
                    datetime.date.fromordinal(last_day + rng.randrange(3)),
                    datetime.time(rng.randrange(7, 20), rng.randrange(60)),
                    tzinfo=datetime.UTC,
                )
            first = run[0][1]
            stories.append(
                {
                    "id": pk,
                    "title": title,
                    "slug": slug,
                    "dek": f"{first.organization} reshapes its leadership.",
                    "body": body,
                    "body_html": rendered.html,
                    "cited_ids": json.dumps(rendered.citation_ids),
                    "status": status.value,
                    "version": 2 if status == StoryStatus.CORRECTED else 1,
                    "withdrawal_note": "Withdrawn at the subject's request pending review."
                    if status == StoryStatus.WITHDRAWN
                    else "",
                    "first_published_at": published_at,
                    "last_updated_at": published_at,
                    "created_by_id": author,
                }
            )
            revisions.append(
                {
                    "story_id": pk,
                    "number": 1,
                    "title": title,
                    "dek": stories[-1]["dek"],
                    "body": body,
                    "saved_by_id": author,
                    "saved_at": published_at or self.now,
                }
            )
            if status == StoryStatus.CORRECTED:
                corrections.append(
                    {
                        "story_id": pk,
                        "text": "An earlier version misstated the effective date.",
                        "created_by_id": rng.choice(self.editor_ids),
                        "created_at": published_at + datetime.timedelta(days=1),
                    }
                )
            links["authors"].append({"story_id": pk, "user_id": author})
            links["organizations"].append(
                {"story_id": pk, "organization_id": first.organization_id}
            )
            for person_id in dict.fromkeys(move.person_id for _, move in run):
                links["people"].append({"story_id": pk, "person_id": person_id})
            for citation_id, move in run:
                links["role_changes"].append({"story_id": pk, "rolechange_id": move.pk})
                links["citations"].append({"story_id": pk, "citation_id": citation_id})
        self.insert(Story, stories)
        self.insert(StoryRevision, self.with_ids(StoryRevision, revisions))
        self.insert(Correction, self.with_ids(Correction, corrections))
        for field, rows in links.items():
            through = Story._meta.get_field(field).remote_field.through
            unique = list({tuple(row.items()): row for row in rows}.values())
            self.insert(through, self.with_ids(through, unique))


_VERBS = {
    RoleChangeKind.JOINED: "joins",
    RoleChangeKind.APPOINTED: "is appointed",
    RoleChangeKind.PROMOTED: "is promoted to",
    RoleChangeKind.LEFT: "leaves",
}


def _headline(move: _Move) -> str:
    if move.kind_enum == RoleChangeKind.LEFT:
        return f"{move.person} leaves {move.organization} ({move.post.title})"
    if move.kind_enum == RoleChangeKind.JOINED:
        return f"{move.person} joins {move.organization} as {move.post.title}"
    return f"{move.organization} names {move.person} {move.post.title}"


def _quote(move: _Move) -> str:
    if move.kind_enum == RoleChangeKind.LEFT:
        return f"It has been a privilege to serve as {move.post.title} of {move.organization}."
    return f"{move.person} will lead us forward as {move.post.title}."


def _body(run: list[tuple[int, _Move]]) -> str:
    paragraphs = []
    for citation_id, move in run:
        day = datetime.date.fromordinal(move.day)
        paragraphs.append(
            f"{move.person} {_VERBS[move.kind_enum]} {move.post.title} at "
            f"**{move.organization}**, effective {day:%B} {day.day}, {day.year}.[^c{citation_id}]"
        )
    paragraphs.append(
        f"> “{_quote(run[0][1])}”[^c{run[0][0]}]\n\n"
        "The desk will follow the story as the leadership settles."
    )
    return "\n\n".join(paragraphs)
