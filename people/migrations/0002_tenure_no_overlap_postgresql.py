"""On PostgreSQL, an exclusion constraint backs rule 2: nobody holds the same post twice at once.

The range is the span a tenure is *certainly* held, ``[latest possible start, earliest
possible end)``; an unknown start makes it empty. SQLite has no exclusion constraints;
there the service's check (people/tenures.py) is the only guard.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE people_tenure ADD CONSTRAINT tenure_no_overlap_same_post EXCLUDE USING gist (
    scope WITH =,
    person_id WITH =,
    post_id WITH =,
    daterange(
        COALESCE(start_latest, end_date),
        GREATEST(COALESCE(start_latest, end_date), COALESCE(end_date, 'infinity'::date)),
        '[)'
    ) WITH &&
);
"""

DROP = "ALTER TABLE people_tenure DROP CONSTRAINT IF EXISTS tenure_no_overlap_same_post;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
