"""Merge duplicate statements before 0009 makes them impossible.

The same words from the same speaker in the same source are one statement. Two journalists
submitting one new quote at the same moment could record it twice; each group of copies is
merged into its oldest statement here:

- every citation of a copy is repointed to the oldest statement;
- a move that cited two copies would then cite one statement twice: its two citations are
  merged into the older one, which takes the other's history, stories, correction flags and
  story markers (``[^c12]``), with a history entry saying so. A verified state is never undone
  by the merge (the move stays as public as it was); otherwise the latest decision stands;
- context, language and translation the oldest statement lacks are taken from a copy;
- the copies are deleted.
"""

from django.db import migrations
from django.db.models import Count
from django.utils import timezone

FILLED_FROM_COPIES = ["context_before", "context_after", "language", "translation"]


def merge_duplicate_statements(apps, schema_editor):
    Statement = apps.get_model("stories", "Statement")
    groups = (
        Statement.objects.values("source_id", "speaker_id", "quote")
        .annotate(copies=Count("pk"))
        .filter(copies__gt=1)
        .order_by()
    )
    for group in list(groups):
        same = Statement.objects.filter(source_id=group["source_id"], quote=group["quote"])
        if group["speaker_id"] is None:
            same = same.filter(speaker__isnull=True)
        else:
            same = same.filter(speaker_id=group["speaker_id"])
        kept, *copies = same.order_by("created_at", "pk")
        for copy in copies:
            _merge_statement(apps, kept, copy)


def _merge_statement(apps, kept, copy) -> None:
    Citation = apps.get_model("stories", "Citation")
    filled = []
    for field in FILLED_FROM_COPIES:
        if not getattr(kept, field) and getattr(copy, field):
            setattr(kept, field, getattr(copy, field))
            filled.append(field)
    if filled:
        kept.save(update_fields=filled)
    for citation in Citation.objects.filter(statement=copy).order_by("pk"):
        twin = None
        if citation.role_change_id is not None:
            twin = Citation.objects.filter(
                statement=kept, role_change_id=citation.role_change_id
            ).first()
        if twin is None:
            citation.statement = kept
            citation.save(update_fields=["statement"])
        else:
            _merge_citation(apps, twin, citation)
    copy.delete()


def _merge_citation(apps, kept, copy) -> None:
    """``copy`` cites the same quote for the same move as ``kept``: one citation remains."""
    CitationDecision = apps.get_model("stories", "CitationDecision")
    CorrectionFlag = apps.get_model("stories", "CorrectionFlag")
    Story = apps.get_model("stories", "Story")
    StoryRevision = apps.get_model("stories", "StoryRevision")

    CitationDecision.objects.filter(citation=copy).update(citation=kept)
    before = kept.state
    if _takes_state_of(kept, copy):
        for field in ("state", "decided_by_id", "decided_at", "decision_note"):
            setattr(kept, field, getattr(copy, field))
        kept.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    CitationDecision.objects.create(
        citation=kept,
        actor=None,
        at=timezone.now(),
        from_state=before,
        to_state=kept.state,
        note=(
            f"Merged with citation {copy.pk} ({copy.state}), which cited the same quote "
            "for this move: its history is above."
        ),
    )

    for flag in CorrectionFlag.objects.filter(citation=copy).order_by("pk"):
        open_twin = (
            CorrectionFlag.objects.filter(citation=kept, story_id=flag.story_id)
            .filter(resolved_at__isnull=True)
            .first()
            if flag.resolved_at is None
            else None
        )
        if open_twin is None:
            flag.citation = kept
            flag.save(update_fields=["citation"])
        else:
            open_twin.reason = f"{open_twin.reason}\n{flag.reason}"
            open_twin.save(update_fields=["reason"])
            flag.delete()

    links = Story.citations.through.objects
    already = set(links.filter(citation_id=kept.pk).values_list("story_id", flat=True))
    links.filter(citation_id=copy.pk, story_id__in=already).delete()
    links.filter(citation_id=copy.pk).update(citation_id=kept.pk)

    old, new = f"[^c{copy.pk}]", f"[^c{kept.pk}]"
    from stories.rendering import render_body

    for story in Story.objects.filter(body__contains=old):
        story.body = story.body.replace(old, new)
        rendered = render_body(story.body)
        story.body_html = rendered.html
        story.cited_ids = rendered.citation_ids
        story.save(update_fields=["body", "body_html", "cited_ids"])
    for revision in StoryRevision.objects.filter(body__contains=old):
        revision.body = revision.body.replace(old, new)
        revision.save(update_fields=["body"])
    copy.delete()


def _takes_state_of(kept, copy) -> bool:
    if kept.state == copy.state:
        return False
    if "verified" in (kept.state, copy.state):
        return copy.state == "verified"
    if copy.decided_at is None:
        return False
    return kept.decided_at is None or copy.decided_at > kept.decided_at


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0007_flag_resolved_says_how"),
    ]

    operations = [
        migrations.RunPython(merge_duplicate_statements, migrations.RunPython.noop),
    ]
