"""Data migrations, run forward from the state before them on the test database."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from people.tests.factories import OrganizationFactory, PersonFactory, record

BEFORE = [("stories", "0005_story_published_newest_first_index")]
AFTER = [("stories", "0007_flag_resolved_says_how")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_flags_say_how_they_were_resolved_and_withdrawn_stories_leave_the_desk():
    apps = migrate(BEFORE)
    try:
        Story = apps.get_model("stories", "Story")
        Source = apps.get_model("stories", "Source")
        Citation = apps.get_model("stories", "Citation")
        Correction = apps.get_model("stories", "Correction")
        CorrectionFlag = apps.get_model("stories", "CorrectionFlag")
        now = timezone.now()
        source = Source.objects.create(canonical_url="https://example.com/a", url_as_entered="x")
        citation = Citation.objects.create(source=source, state="disputed")
        corrected = Story.objects.create(title="Corrected", slug="corrected", status="corrected")
        withdrawn = Story.objects.create(title="Withdrawn", slug="withdrawn", status="withdrawn")
        published = Story.objects.create(title="Published", slug="published", status="published")
        correction = Correction.objects.create(story=corrected, text="Fixed.", created_at=now)
        flag = {
            story.slug: CorrectionFlag.objects.create(
                story=story, citation=citation, reason="Disputed.", created_at=now
            )
            for story in (corrected, withdrawn, published)
        }
        CorrectionFlag.objects.filter(pk=flag["corrected"].pk).update(
            resolved_at=now, correction=correction
        )

        apps = migrate(AFTER)
        CorrectionFlag = apps.get_model("stories", "CorrectionFlag")
        after = {
            story_slug: CorrectionFlag.objects.values("resolution", "resolved_at").get(pk=f.pk)
            for story_slug, f in flag.items()
        }
        assert after["corrected"] == {"resolution": "correction", "resolved_at": now}
        assert after["withdrawn"]["resolution"] == "withdrawal"
        assert after["withdrawn"]["resolved_at"] is not None
        assert after["published"] == {"resolution": "", "resolved_at": None}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_duplicate_statements_are_merged_into_the_oldest_and_keep_every_citation():
    """Before the unique constraint, the same quote could be recorded twice at once: the
    copies are merged, their citations repointed, and a move that cited both keeps one
    citation, still verified, with both histories and the story marker that named the other."""
    apps = migrate([("stories", "0007_flag_resolved_says_how")])
    try:
        Source = apps.get_model("stories", "Source")
        Statement = apps.get_model("stories", "Statement")
        Citation = apps.get_model("stories", "Citation")
        CitationDecision = apps.get_model("stories", "CitationDecision")
        Story = apps.get_model("stories", "Story")
        now = timezone.now()
        speaker = PersonFactory(name="Mira Murati")
        openai = OrganizationFactory(name="OpenAI")
        first_move = record(speaker, openai, "left", "CTO", "2024-09-25", public=True)
        second_move = record(speaker, openai, "appointed", "CEO", "2023-11-17", public=False)
        source = Source.objects.create(
            canonical_url="https://x.com/miramurati/1", url_as_entered="x"
        )
        other_source = Source.objects.create(
            canonical_url="https://example.com/b", url_as_entered="x"
        )
        words = "I am stepping away " + "after six and a half years " * 150  # over 2,700 bytes
        kept = Statement.objects.create(source=source, quote=words, speaker_id=speaker.pk)
        copy = Statement.objects.create(
            source=source, quote=words, speaker_id=speaker.pk, translation="In English."
        )
        unnamed = Statement.objects.create(source=source, quote=words)
        unnamed_copy = Statement.objects.create(source=source, quote=words)
        distinct = [
            Statement.objects.create(source=other_source, quote=words, speaker_id=speaker.pk),
            Statement.objects.create(source=source, quote="Other words.", speaker_id=speaker.pk),
        ]

        def cite(statement, move, state="pending"):
            citation = Citation.objects.create(
                source=source, statement=statement, role_change_id=move and move.pk, state=state
            )
            CitationDecision.objects.create(
                citation=citation, at=now, from_state="", to_state="pending", note="Recorded."
            )
            return citation

        verified = cite(kept, first_move, "verified")
        twin = cite(copy, first_move)  # the same move cites the copy too
        repointed = cite(copy, second_move)
        bare = cite(unnamed_copy, None)
        story = Story.objects.create(
            title="Murati leaves", slug="murati-leaves", body=f"She left.[^c{twin.pk}]"
        )
        story.citations.add(twin)

        apps = migrate([("stories", "0009_statement_once_per_source_and_speaker")])
        Statement = apps.get_model("stories", "Statement")
        Citation = apps.get_model("stories", "Citation")
        CitationDecision = apps.get_model("stories", "CitationDecision")
        Story = apps.get_model("stories", "Story")
        remaining = set(Statement.objects.values_list("pk", flat=True))
        assert remaining == {kept.pk, unnamed.pk} | {statement.pk for statement in distinct}
        assert Statement.objects.get(pk=kept.pk).translation == "In English."
        assert not Citation.objects.filter(pk=twin.pk).exists()
        merged = Citation.objects.get(pk=verified.pk)
        assert (merged.statement_id, merged.state) == (kept.pk, "verified")
        history = list(
            CitationDecision.objects.filter(citation=merged).values_list("to_state", "note")
        )
        assert len(history) == 3
        assert history[-1][1].startswith(f"Merged with citation {twin.pk} (pending)")
        assert Citation.objects.get(pk=repointed.pk).statement_id == kept.pk
        assert Citation.objects.get(pk=bare.pk).statement_id == unnamed.pk
        story = Story.objects.get(pk=story.pk)
        assert story.body == f"She left.[^c{verified.pk}]"
        assert story.cited_ids == [verified.pk]
        assert list(story.citations.values_list("pk", flat=True)) == [verified.pk]

        with pytest.raises(IntegrityError), transaction.atomic():
            Statement.objects.create(source_id=source.pk, quote=words)
    finally:
        latest()
