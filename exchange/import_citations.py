"""The CSV import's sources, quotes and citations (a part of exchange/imports.py's importer).

Sources are found by canonical URL (rule 7) and quotes as ``statement_get_or_create`` finds
them (source, exact words, speaker); each line's citation is new, or on record. New ones are
written in bulk with their history rows; with an editor's name, pending ones on record that
the file names again are verified through the same function as the editor's own decision.
"""

from __future__ import annotations

from collections.abc import Iterable

from exchange.csv_format import MoveRow
from newsroom.batches import chunks
from people.models import RoleChange
from stories.models import Citation, CitationDecision, CitationState, Source, Statement
from stories.services import citations_set_state
from stories.services.verification import citation_history_fields

OUTCOME_NEW_CITATION = "already on record; adds a citation"


class CitationSteps:
    """Steps of the importer (exchange.imports._Importer) that write sources, quotes and
    citations; they read the importer's rows, names, writer and what it found on record."""

    def find_or_create_citations(self, moves_by_line: dict[int, RoleChange]) -> None:
        """Every line's citation: new ones created with their history, pending or verified.

        With an editor's name, a pending citation on record that the file names again is
        verified too (with its history entry); disputed and rejected ones are left alone.
        """
        sources = self.find_or_create_sources()
        statements = self.find_or_create_statements(sources)
        on_record = self.citations_on_record
        state = CitationState.VERIFIED if self.verifying else CitationState.PENDING
        new: dict[tuple, int] = {}  # citation key -> first line
        to_verify: dict[int, int] = {}  # pending citation on record -> its role change
        for row in self.rows:
            if not row.canonical_url:
                continue  # a move with no source (only other importers make those)
            move = moves_by_line[row.line]
            source_id = sources[row.canonical_url]
            statement_id = statements[self.statement_key(row, source_id)] if row.quote else None
            key = (move.pk, source_id, statement_id)
            if key in on_record:
                pk, current = on_record[key]
                if self.verifying and current == CitationState.PENDING:
                    to_verify[pk] = move.pk
                continue
            if move.pk not in self.new_move_ids:
                self.result.outcomes[row.line] = OUTCOME_NEW_CITATION
            new.setdefault(key, row.line)
        ids = self.rows_writer.ids(Citation, len(new))
        citations, decisions = [], []
        for pk, ((role_change_id, source_id, statement_id), line) in zip(
            ids, new.items(), strict=True
        ):
            citations.append(
                {
                    "id": pk,
                    "role_change_id": role_change_id,
                    "source_id": source_id,
                    "statement_id": statement_id,
                    "state": state.value,
                    "decided_by_id": self.verified_by.pk if self.verifying else None,
                    "decided_at": self.now if self.verifying else None,
                    "decision_note": self.note,
                    "created_by_id": self.recorded_by_id,
                }
            )
            # One history entry: recorded pending, or recorded verified by the editor who
            # vouches for the file (it never was pending).
            decisions.append(self.decision(pk, state, line))
        self.rows_writer.insert(Citation, citations, background=True)
        if to_verify:
            self.rows_writer.flush()
        for chunk in chunks(sorted(to_verify)):
            citations_set_state(
                citations=list(
                    Citation.objects.select_for_update()
                    .filter(pk__in=chunk, state=CitationState.PENDING)
                    .only("pk", "state")
                ),
                to_state=CitationState.VERIFIED,
                actor=self.verified_by,
                note=self.note,
                at=self.now,
            )
        decision_ids = self.rows_writer.ids(CitationDecision, len(decisions))
        for decision, pk in zip(decisions, decision_ids, strict=True):
            decision["id"] = pk
        self.rows_writer.insert(CitationDecision, decisions, background=True)
        self.result.citations_created = len(new)
        self.result.citations_verified = (len(new) if self.verifying else 0) + len(to_verify)
        self.verified_move_ids = (
            {role_change_id for role_change_id, _, _ in new} | set(to_verify.values())
            if self.verifying
            else set()
        )

    def decision(self, citation_id: int, state: CitationState, line: int) -> dict[str, object]:
        """The history row of a citation this import records: pending, or verified by the
        editor who vouches for the file (it never was pending)."""
        verifies = state == CitationState.VERIFIED
        where = f"Imported from {self.filename} (line {line})"
        return citation_history_fields(
            citation_id=citation_id,
            from_state="",
            to_state=state,
            actor_id=self.verified_by.pk if verifies else self.recorded_by_id,
            at=self.now,
            note=f"{where}, verified by editor {self.verified_by.get_username()}."
            if verifies
            else f"{where}; waiting for an editor's check.",
        )

    def find_or_create_sources(self) -> dict[str, int]:
        entered: dict[str, str] = {}
        for row in self.rows:
            if row.canonical_url:
                entered.setdefault(row.canonical_url, row.source_url)
        sources = dict(self.sources)
        missing = sorted(url for url in entered if url not in sources)
        ids = self.rows_writer.ids(Source, len(missing))
        self.rows_writer.insert(
            Source,
            [
                {
                    "id": pk,
                    "canonical_url": url,
                    "url_as_entered": entered[url][:2000],
                    "created_by_id": self.recorded_by_id,
                }
                for pk, url in zip(ids, missing, strict=True)
            ],
            background=True,
        )
        sources.update(zip(missing, ids, strict=True))
        self.result.sources_created = len(missing)
        self.result.new_source_ids = list(ids)
        return sources

    def load_sources(self, urls: Iterable[str]) -> dict[str, int]:
        sources = {}
        for chunk in chunks(sorted(urls)):
            sources.update(
                Source.objects.filter(canonical_url__in=chunk).values_list("canonical_url", "pk")
            )
        return sources

    def statement_key(self, row: MoveRow, source_id: int) -> tuple[int, str, int | None]:
        speaker = self.names.person(row.speaker).pk if row.speaker else None
        return (source_id, row.quote, speaker)

    def find_or_create_statements(self, sources: dict[str, int]) -> dict[tuple, int]:
        """Quotes by (source, exact words, speaker), as statement_get_or_create finds them."""
        wanted = {
            self.statement_key(row, sources[row.canonical_url]) for row in self.rows if row.quote
        }
        statements = dict(self.statements)
        missing = sorted(
            (key for key in wanted if key not in statements),
            key=lambda key: (key[0], key[1], key[2] or 0),
        )
        ids = self.rows_writer.ids(Statement, len(missing))
        self.rows_writer.insert(
            Statement,
            [
                {
                    "id": pk,
                    "source_id": source_id,
                    "quote": quote,
                    "speaker_id": speaker_id,
                    "created_by_id": self.recorded_by_id,
                }
                for pk, (source_id, quote, speaker_id) in zip(ids, missing, strict=True)
            ],
            background=True,
        )
        statements.update(zip(missing, ids, strict=True))
        self.result.statements_created = len(missing)
        return statements
