"""Data migrations, run forward from the state before them on the test database."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

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
