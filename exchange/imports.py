"""CSV import of moves: the checked rows of a file written to the desk, all or nothing.

:func:`moves_import` resolves the names (exchange/names.py), writes everything in bulk inside
one transaction (exchange/bulk.py; sources, quotes and citations in
exchange/import_citations.py), and replays the tenures of every person whose tenures the file
can change with people.tenures (rule 2, the same code every form goes through). Any refusal,
from any row, rolls the whole transaction back and is reported with the line it comes from
(rule 8). The file itself is read and checked in exchange/csv_format.py.

Why a bulk path rather than calling ``move_record_with_citation`` once per row: that costs a
dozen queries per row, and the desk imports files of 100,000 rows. The rules are shared, not
copied: dates (``PartialDate``), URLs (``canonical_url``), post ranks (``Rank.guess``), the
same move (``same_move_key``), tenures (``tenure_drafts``), rule 3 (``public_role_changes``)
and a citation's change of state (``citations_set_state``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, User
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from exchange.bulk import BulkRows
from exchange.csv_format import MoveRow, ParsedFile, RowError, in_line_order
from exchange.import_checks import founding_refusals
from exchange.import_citations import CitationSteps
from exchange.names import FileNames, name_key
from newsroom.audit import audit_record
from newsroom.batches import BATCH, chunks
from newsroom.dates import PartialDate, partial_date_columns
from newsroom.models import AuditAction
from newsroom.permissions import EDITORS
from newsroom.progress import Stream, progress
from people.models import (
    Organization,
    Person,
    Post,
    Rank,
    RoleChange,
    RoleChangeKind,
    Tenure,
)
from people.models.moves import same_move_key
from people.tenures import ReplayedPosts, TenureConflict, tenure_drafts
from stories.models import Citation, CitationDecision, Source, Statement
from stories.services import public_role_changes

# One import at a time on PostgreSQL (pg_advisory_xact_lock): two imports naming the same
# new person must not both create them. SQLite serializes writers anyway.
ADVISORY_LOCK_KEY = 0x6D6F766573  # "moves"


# Who may verify -----------------------------------------------------------------------------


class ImportNotAllowed(Exception):
    """The user named to verify an import may not verify citations."""


def import_verifier(username: str) -> User:
    """The editor named by ``--verified-by``: an active member of the Editors group."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise ImportNotAllowed(
            f"There is no user “{username}”: --verified-by takes an editor's username."
        )
    if not user.is_active or not user.groups.filter(name=EDITORS).exists():
        raise ImportNotAllowed(
            f"“{username}” is not in the {EDITORS} group: only an editor can vouch for "
            "imported citations. Import without --verified-by (everything stays pending), "
            "or name an editor."
        )
    return user


# Writing ------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    filename: str
    rows: int
    dry_run: bool
    verified_by: str = ""
    errors: list[RowError] = field(default_factory=list)
    outcomes: dict[int, str] = field(default_factory=dict)
    people_created: int = 0
    organizations_created: int = 0
    posts_created: int = 0
    moves_created: int = 0
    moves_on_record: int = 0
    sources_created: int = 0
    statements_created: int = 0
    citations_created: int = 0
    citations_verified: int = 0
    moves_made_public: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        def count(number: int, one: str, many: str) -> str:
            return f"{number:,} {one if number == 1 else many}"

        verified = f", verified by {self.verified_by}" if self.verified_by else " (pending)"
        text = (
            f"{count(self.moves_created, 'new move', 'new moves')} "
            f"({count(self.moves_on_record, 'move', 'moves')} already on record), "
            f"{count(self.citations_created, 'new citation', 'new citations')}{verified}; "
            f"created {count(self.people_created, 'person', 'people')}, "
            f"{count(self.organizations_created, 'organization', 'organizations')}, "
            f"{count(self.posts_created, 'post', 'posts')}, "
            f"{count(self.sources_created, 'source', 'sources')}, "
            f"{count(self.statements_created, 'quote', 'quotes')}."
        )
        on_record = self.citations_verified - (self.citations_created if self.verified_by else 0)
        if on_record:
            text += (
                f" Verified {count(on_record, 'pending citation', 'pending citations')} "
                f"already on record; {count(self.moves_made_public, 'move', 'moves')} made "
                "public."
            )
        return text


class _Refused(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors


class _DryRun(Exception):
    pass


OUTCOME_NEW = "new move"
OUTCOME_NOTHING = "already on record with this citation"


def moves_import(
    *,
    parsed: ParsedFile,
    verified_by: AbstractBaseUser | None = None,
    recorded_by: AbstractBaseUser | None = None,
    dry_run: bool = False,
    stream: Stream | None = None,
    audit_action: AuditAction = AuditAction.MOVES_IMPORTED,
) -> ImportResult:
    """Import checked rows, all or nothing; with ``dry_run`` check everything, write nothing.

    ``verified_by`` (from :func:`import_verifier`) records each row's citation as verified
    by that editor, with a history entry naming the file, so the moves become public;
    without it every imported citation is pending. ``recorded_by`` is who recorded the
    moves (the editor who uploads the file on the desk; nobody for the command, where the
    file is the record). Returns the counts, the outcome of each line, and every error:
    when there is any, nothing was written.
    """
    result = ImportResult(
        filename=parsed.filename,
        rows=len(parsed.rows),
        dry_run=dry_run,
        verified_by=verified_by.get_username() if verified_by else "",
    )
    if parsed.errors or not parsed.rows:
        # Every wrong row in one run: names several people go by are wrong whatever the
        # rest of the file says, so they are reported with the file's other errors. (Tenure
        # conflicts depend on every row, so they wait until the rows themselves are right.)
        result.errors = in_line_order(parsed.errors + _name_errors(parsed))
        return result
    too_early = founding_refusals(parsed)
    if too_early:
        result.errors = too_early
        return result
    try:
        with transaction.atomic():
            _Importer(parsed, result, verified_by, recorded_by, stream).run()
            if dry_run:
                raise _DryRun
            audit_record(
                action=audit_action,
                actor=recorded_by,
                detail=f"{parsed.filename}: {result.summary()}",
            )
    except _Refused as refused:
        result.errors = in_line_order(refused.errors)
        result.outcomes = {}
    except IntegrityError:
        # Only a write racing this import (the same new source entered on the desk at this
        # very moment) gets here; the transaction is rolled back whole.
        result.errors = [
            RowError(
                1,
                "someone saved the same data while this file was being imported, so nothing "
                "was imported; import the file again.",
                parsed.filename,
            )
        ]
        result.outcomes = {}
    except _DryRun:
        pass
    return result


def _name_errors(parsed: ParsedFile) -> list[RowError]:
    """The ambiguous names of a file that has other errors too (read only, nothing written)."""
    if not parsed.rows:
        return []
    result = ImportResult(filename=parsed.filename, rows=len(parsed.rows), dry_run=True)
    importer = _Importer(parsed, result, None, None, None)
    importer.names.resolve()
    return importer.errors


@dataclass(eq=False, slots=True)
class _NewMove(ReplayedPosts):
    """A role change this import creates, as the tenure replay reads one.

    The replay (people.tenures) reads these attributes of a RoleChange; a model instance
    per row would cost more than the rest of the import, which writes the rows itself.
    """

    pk: int
    person: Person
    organization: Organization
    post: Post
    previous_post: Post | None
    kind: RoleChangeKind
    effective: PartialDate
    announced: PartialDate | None
    verified_citation: bool  # the file gives it a verified citation
    lines: list[int]
    is_public: bool = False  # rule 3, set once every new move is known
    is_interim: bool = False
    leaves_organization: bool = False

    @property
    def person_id(self) -> int:
        return self.person.pk

    @property
    def organization_id(self) -> int:
        return self.organization.pk

    @property
    def kind_enum(self) -> RoleChangeKind:
        return self.kind

    def creation_order(self) -> tuple:
        """A total order that does not depend on the file's row order (so neither do the
        primary keys, which break ties in the tenure replay)."""
        return (
            self.effective.earliest,
            self.effective.latest,
            0 if self.kind.opens_tenure else 1,
            name_key(self.person.name),
            name_key(self.organization.name),
            self.post.title.lower(),
            self.kind.value,
        )


def _date_order(row: MoveRow) -> tuple:
    """Date order, whatever the file's order (ties by line, for stable messages); a row
    without a date (only ever checked, never imported) goes last."""
    if row.effective is None:
        return (datetime.date.max, datetime.date.max, row.line)
    return (row.effective.earliest, row.effective.latest, row.line)


class _Importer(CitationSteps):
    """One run of :func:`moves_import`, inside its transaction."""

    def __init__(
        self,
        parsed: ParsedFile,
        result: ImportResult,
        verified_by: AbstractBaseUser | None,
        recorded_by: AbstractBaseUser | None,
        stream: Stream | None,
    ) -> None:
        self.parsed = parsed
        self.filename = parsed.filename
        self.result = result
        self.verified_by = verified_by
        self.verifying = verified_by is not None
        self.recorded_by_id = recorded_by.pk if recorded_by else None
        self.stream = stream
        self.now = timezone.now()
        self.rows_writer = BulkRows(self.now)
        # Date order, whatever the file's order (ties by line, for stable messages).
        self.rows = sorted(parsed.rows, key=_date_order)
        self.errors: list[RowError] = []
        self.names = FileNames(self.rows, self.refuse)
        self.note = (
            f"Imported from {self.filename}, verified by editor {verified_by.get_username()}."
            if verified_by
            else ""
        )

    def refuse(self, line: int, message: str) -> None:
        self.errors.append(RowError(line, message, self.filename))

    def check(self) -> None:
        if self.errors:
            raise _Refused(self.errors)

    def run(self) -> None:
        if self.rows_writer.postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        self.names.resolve()
        self.check()
        self.names.create(self.rows_writer)
        self.result.people_created = self.names.created[Person]
        self.result.organizations_created = self.names.created[Organization]
        self.lock_people()
        self.posts = self.find_or_create_posts()
        # Everything this import reads, it reads now; then it only writes (in the background
        # on PostgreSQL, see BulkRows), building each table's rows while the last one is written.
        self.load_on_record()
        self.replayed = self.people_to_replay()
        self.delete_old_tenures()
        writer = self.rows_writer
        writer.reserve(
            {
                RoleChange: len(self.rows),
                Source: len({row.canonical_url for row in self.rows} - set(self.sources)),
                Statement: sum(1 for row in self.rows if row.quote),
                Citation: len(self.rows),
                CitationDecision: len(self.rows),
                Tenure: 2 * (len(self.rows) + len(self.on_record)),
            }
        )
        if writer.postgresql:
            # Foreign keys checked as each table is written, in parallel with the next one's
            # rows being built, rather than all at once at commit.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        try:
            moves_by_line = self.find_or_create_moves()
            self.find_or_create_citations(moves_by_line)
            self.publish()
            self.replay()
        finally:
            writer.close()
        if writer.postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django declares them
        self.check()

    def lock_people(self) -> None:
        """Row locks on everyone whose tenures this import rebuilds, as the desk's services
        take one, so a move recorded on the desk meanwhile waits instead of interleaving."""
        if not self.rows_writer.postgresql:
            return  # SQLite: the transaction already holds the database's write lock
        ids = sorted({self.names.person_of(row).pk for row in self.rows})
        for chunk in chunks(ids):
            list(
                Person.objects.select_for_update()
                .filter(pk__in=chunk)
                .order_by("pk")
                .values_list("pk", flat=True)
            )

    # Posts and moves ----------------------------------------------------------------------

    def find_or_create_posts(self) -> dict[tuple[int, str], Post]:
        wanted: dict[tuple[int, str], str] = {}
        for row in self.rows:
            organization_id = self.names.organization_of(row).pk
            for title in (row.title, row.previous_title):
                if title:
                    key = (organization_id, title.lower())
                    wanted[key] = min(wanted.get(key, title), title)
        organization_ids = {organization_id for organization_id, _ in wanted}
        posts = self.load_posts(organization_ids)
        new_posts = []
        for key in sorted(key for key in wanted if key not in posts):
            title = wanted[key]
            rank = Rank.guess(title)  # as post_get_or_create guesses it
            new_posts.append(
                Post(
                    organization_id=key[0],
                    title=title,
                    rank=rank,
                    is_leadership=rank != Rank.OTHER,
                )
            )
        if new_posts:
            # ignore_conflicts: a journalist may create the same post at this very moment.
            Post.objects.bulk_create(new_posts, batch_size=BATCH, ignore_conflicts=True)
            posts = self.load_posts(organization_ids)
            self.result.posts_created = len(new_posts)
        return posts

    def load_posts(self, organization_ids: set[int]) -> dict[tuple[int, str], Post]:
        posts: dict[tuple[int, str], Post] = {}
        for chunk in chunks(sorted(organization_ids)):
            for post in Post.objects.filter(organization_id__in=chunk).order_by("pk"):
                posts.setdefault((post.organization_id, post.title.lower()), post)
        return posts

    def post(self, row: MoveRow, title: str) -> Post:
        return self.posts[(self.names.organization_of(row).pk, title.lower())]

    def move_key(self, row: MoveRow, person_id: int) -> tuple:
        return same_move_key(
            person_id=person_id,
            post_id=self.post(row, row.title).pk,
            kind=row.kind,
            effective_date=row.effective.earliest,
            precision=row.effective.precision,
        )

    def load_on_record(self) -> None:
        """What is already recorded: every move of the people in the file (their tenures are
        replayed), the sources it names, and their quotes and citations."""
        person_ids = sorted({self.names.person_of(row).pk for row in self.rows})
        self.changes_by_person: dict[int, list[RoleChange | _NewMove]] = defaultdict(list)
        self.on_record: dict[tuple, RoleChange] = {}
        for chunk in chunks(person_ids):
            for change in (
                RoleChange.objects.filter(person_id__in=chunk)
                .select_related("person", "organization", "post", "previous_post")
                .order_by("pk")
            ):
                self.changes_by_person[change.person_id].append(change)
                self.on_record[change.move_key] = change
        self.sources = self.load_sources({row.canonical_url for row in self.rows} - {""})
        self.statements: dict[tuple, int] = {}
        for chunk in chunks(sorted(self.sources.values())):
            for pk, source_id, quote, speaker_id in (
                Statement.objects.filter(source_id__in=chunk)
                .order_by("pk")
                .values_list("pk", "source_id", "quote", "speaker_id")
            ):
                self.statements.setdefault((source_id, quote, speaker_id), pk)
        self.citations_on_record: dict[tuple, tuple[int, str]] = {}
        for chunk in chunks(sorted(change.pk for change in self.on_record.values())):
            for pk, role_change_id, source_id, statement_id, state in Citation.objects.filter(
                role_change_id__in=chunk
            ).values_list("pk", "role_change_id", "source_id", "statement_id", "state"):
                self.citations_on_record[(role_change_id, source_id, statement_id)] = (pk, state)

    def people_to_replay(self) -> set[int]:
        """Whose tenures this import can change: everyone with a move new to the database,
        and, with an editor's name, everyone with a move on record that is not public yet
        (verifying its citation makes it public, which changes the public tenures). The
        tenures of everyone else are left as they are: a new citation for a move on record
        changes none of them, so importing a file again rewrites nothing.
        """
        people: set[int] = set()
        for row in self.rows:
            person_id = self.names.person_of(row).pk
            if person_id in people:
                continue
            move = self.on_record.get(self.move_key(row, person_id))
            if move is None or (self.verifying and not move.is_public):
                people.add(person_id)
        return people

    def delete_old_tenures(self) -> None:
        """The tenures of everyone replayed are rebuilt whole by :meth:`replay`."""
        for chunk in chunks(sorted(set(self.changes_by_person) & self.replayed)):
            Tenure.objects.filter(person_id__in=chunk).delete()

    def find_or_create_moves(self) -> dict[int, RoleChange | _NewMove]:
        """The role change of every line: found on record, or new (inserted here)."""
        on_record = self.on_record
        self.lines_on_record: dict[int, list[int]] = defaultdict(list)
        new: dict[tuple, _NewMove] = {}
        moves_by_line: dict[int, RoleChange | _NewMove] = {}
        outcomes = self.result.outcomes
        for row in self.rows:
            person = self.names.person_of(row)
            post = self.post(row, row.title)
            key = self.move_key(row, person.pk)
            if key in on_record:
                move = on_record[key]
                self.lines_on_record[move.pk].append(row.line)
                outcomes[row.line] = OUTCOME_NOTHING
            elif key in new:
                move = new[key]
                outcomes[row.line] = f"same move as line {move.lines[0]}"
                move.lines.append(row.line)
                move.verified_citation |= self.verifying and bool(row.canonical_url)
                move.leaves_organization = move.leaves_organization or row.leaves_organization
                if row.previous_title and move.previous_post is None:
                    move.previous_post = self.post(row, row.previous_title)
            else:
                move = new[key] = _NewMove(
                    pk=0,
                    person=person,
                    organization=self.names.organization_of(row),
                    post=post,
                    previous_post=self.post(row, row.previous_title)
                    if row.previous_title
                    else None,
                    kind=row.kind,
                    effective=row.effective,
                    announced=row.announced,
                    # A new move's citations are all this file's: verified exactly when an
                    # editor vouches for the file.
                    verified_citation=self.verifying and bool(row.canonical_url),
                    lines=[row.line],
                    leaves_organization=row.leaves_organization,
                )
                outcomes[row.line] = OUTCOME_NEW
            moves_by_line[row.line] = move
        created = sorted(new.values(), key=_NewMove.creation_order)
        for move, pk in zip(created, self.rows_writer.ids(RoleChange, len(created)), strict=True):
            move.pk = pk
            self.changes_by_person[move.person_id].append(move)
        self.new_move_ids = {move.pk for move in created}
        public = public_role_changes(
            role_change_ids=self.new_move_ids,
            verified_now={move.pk for move in created if move.verified_citation},
            uncited=self.new_move_ids,
        )
        for move in created:
            move.is_public = move.pk in public
        self.rows_writer.insert(
            RoleChange,
            [
                {
                    "id": move.pk,
                    "person_id": move.person_id,
                    "organization_id": move.organization_id,
                    "post_id": move.post_id,
                    "previous_post_id": move.previous_post_id,
                    "kind": move.kind.value,
                    **partial_date_columns("effective", move.effective),
                    **partial_date_columns("announced", move.announced),
                    "is_public": move.is_public,
                    "leaves_organization": move.leaves_organization,
                    "recorded_by_id": self.recorded_by_id,
                }
                for move in created
            ],
            background=True,
        )
        self.result.moves_created = len(created)
        self.result.moves_on_record = len(self.lines_on_record)
        return moves_by_line

    def publish(self) -> None:
        """Rule 3 for moves on record: one that gains a verified citation becomes public.

        (An import only ever adds verified citations, so nothing here becomes private.)
        """
        gained = self.verified_move_ids - self.new_move_ids
        public = public_role_changes(role_change_ids=gained, verified_now=gained)
        newly_public = sorted(pk for pk in public if not self.on_record_by_pk(pk).is_public)
        for pk in newly_public:
            self.on_record_by_pk(pk).is_public = True
        if newly_public:
            self.rows_writer.flush()
        for chunk in chunks(newly_public):
            RoleChange.objects.filter(pk__in=chunk).update(is_public=True, updated_at=self.now)
        self.result.moves_made_public = len(newly_public)

    def on_record_by_pk(self, pk: int) -> RoleChange:
        if not hasattr(self, "_on_record_by_pk"):
            self._on_record_by_pk = {
                change.pk: change
                for changes in self.changes_by_person.values()
                for change in changes
                if isinstance(change, RoleChange)
            }
        return self._on_record_by_pk[pk]

    # Tenures ------------------------------------------------------------------------------

    def replay(self) -> None:
        """Rebuild both scopes' tenures of everyone touched; conflicts refuse their lines."""
        people = sorted(person for person in self.changes_by_person if person in self.replayed)
        rows: list[dict[str, object]] = []
        iterable: Iterable[int] = people
        if self.stream is not None:
            iterable = progress(
                people, total=len(people), stream=self.stream, label="Tenures", unit="people"
            )
        for person_id in iterable:
            by_organization: dict[int, list[RoleChange | _NewMove]] = defaultdict(list)
            for change in self.changes_by_person[person_id]:
                by_organization[change.organization_id].append(change)
            for organization_id, changes in by_organization.items():
                try:
                    drafts = tenure_drafts(changes)
                except TenureConflict as conflict:
                    for line in self.conflict_lines(conflict.role_change, changes):
                        self.refuse(line, conflict.message)
                    continue
                for scope, scope_drafts in drafts.items():
                    rows += [
                        draft.columns(
                            scope=scope, person_id=person_id, organization_id=organization_id
                        )
                        for draft in scope_drafts
                    ]
        self.check()
        for row, pk in zip(rows, self.rows_writer.ids(Tenure, len(rows)), strict=True):
            row["id"] = pk
        self.rows_writer.insert(Tenure, rows, background=True)

    def lines_of(self, change: RoleChange | _NewMove) -> list[int]:
        if isinstance(change, _NewMove):
            return change.lines
        return self.lines_on_record.get(change.pk, [])

    def conflict_lines(self, refused, changes: list) -> list[int]:
        """The lines to blame: the refused change's own, else this file's changes of the post."""
        if lines := self.lines_of(refused):
            return sorted(set(lines))
        posts = {refused.post_id, refused.previous_post_id} - {None}
        lines = [
            line
            for change in changes
            if change.post_id in posts or change.previous_post_id in posts
            for line in self.lines_of(change)
        ]
        if not lines:
            lines = [line for change in changes for line in self.lines_of(change)]
        return sorted(set(lines))
