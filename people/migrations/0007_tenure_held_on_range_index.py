"""On PostgreSQL, a range index for leadership on a date (``Tenure.objects.held_on``).

GiST over (organization, the span a tenure was or may have been held): who held which post
at an organization on a day is one index search for the tenures whose span contains the
day, however long the organization's history. The expression is the one
``people.models.tenures.PossibleSpan`` writes. SQLite has no GiST; there ``held_on`` reads
the organization's tenures through the B-tree index and filters them.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE INDEX IF NOT EXISTS people_tenure_held_on ON people_tenure
    USING gist (organization_id, DATERANGE(start_date, end_latest, '[)'));
"""
DROP = "DROP INDEX IF EXISTS people_tenure_held_on;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("people", "0006_name_trigram_indexes")]

    operations = [migrations.RunPython(create, drop)]
