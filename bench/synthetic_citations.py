"""The synthetic desk's tenures, sources, quotes and citations (steps of bench/synthetic.py)."""

from __future__ import annotations

import datetime

from bench.names import PUBLISHERS
from bench.records import REFERENCE_DAY, Move, move_quote
from newsroom.dates import PartialDate, Precision, partial_date_columns
from people.models import RoleChange, RoleChangeKind, Tenure
from people.tenures import TenureConflict, tenure_drafts
from stories.models import Citation, CitationDecision, CitationState, Source, Statement
from stories.services import public_role_changes
from stories.services.verification import citation_history_fields


class CitationSteps:
    """Steps of the generator (bench.synthetic._Generator): its rng, scale, writer, users and
    the moves it simulated."""

    def tenures_and_citations(self) -> None:
        """Which moves are covered by a citation, then both scopes' tenures by replay."""
        rng = self.rng
        groups = list(self.groups.values())
        order = list(range(len(groups)))
        rng.shuffle(order)
        covered: list[Move] = []
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
        # Rule 3, asked as the imports ask it: the moves given a verified citation are public.
        verified_now = {
            move.pk
            for move, state in zip(covered, states, strict=True)
            if state == CitationState.VERIFIED
        } | {move.pk for move in seconds}
        every_move = {move.pk for changes in groups for move in changes}
        public = public_role_changes(
            role_change_ids=every_move, verified_now=verified_now, uncited=every_move
        )
        for changes in groups:
            for move in changes:
                move.is_public = move.pk in public
        self.replay(groups)
        self.write_moves(groups)
        self.citations(covered, states, seconds)

    def replay(self, groups: list[list[Move]]) -> None:
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

    def write_moves(self, groups: list[list[Move]]) -> None:
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
        self.insert(RoleChange, rows)
        # Tenures point at role changes: written after them, in the same background queue.
        self.insert(Tenure, self.tenure_rows)
        del self.tenure_rows

    def sources(self, covered: list[Move]) -> tuple[list[int], list[int]]:
        """The sources: neighbouring moves (same organization, same days) share one, as one
        press release announces a succession. Returns the source ids and each covered
        move's index among them."""
        source_count = self.scale.sources
        source_ids = self.writer.ids(Source, source_count)
        source_of = [min(index // 2, source_count - 1) for index in range(len(covered))]
        first_use: dict[int, Move] = {}
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
        return source_ids, source_of

    def citations(
        self, covered: list[Move], states: list[CitationState], seconds: list[Move]
    ) -> None:
        rng = self.rng
        source_count = self.scale.sources
        source_ids, source_of = self.sources(covered)
        statements, citations, decisions = [], [], []
        statement_ids = iter(self.writer.ids(Statement, len(covered)))
        citation_ids = self.writer.ids(Citation, self.scale.citations)
        self.verified_citations: list[tuple[int, Move]] = []
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
                        "quote": move_quote(move),
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
                citation_history_fields(
                    citation_id=citation["id"],
                    from_state="",
                    to_state=citation["state"],
                    actor_id=citation["decided_by_id"] or citation["created_by_id"],
                    at=self.now,
                    note=citation["decision_note"] or "Recorded; waiting for an editor's check.",
                )
            )
        self.insert(Statement, statements)
        self.insert(Citation, citations)
        self.insert(CitationDecision, self.with_ids(CitationDecision, decisions))

    def citation(self, pk, move: Move, source_id, statement_id, state: CitationState) -> dict:
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
