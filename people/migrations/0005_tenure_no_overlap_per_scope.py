"""Rule 2's database backstop, per scope: the same exclusion, without text in the GiST key.

0002 made one exclusion constraint over (scope, person, post, range). With the scope (a
varchar of two values) as its first key, every insert into the GiST index compares text and
searches a tree that the scope barely splits; a bulk import of 100,000 moves spent about 12 of
its seconds there. Two partial constraints, one per scope, over (person, post, range) refuse
exactly the same rows (the scope is equal within each) at about a third of the cost.
"""

from django.db import migrations

RANGE = """daterange(
        COALESCE(start_latest, end_date),
        GREATEST(COALESCE(start_latest, end_date), COALESCE(end_date, 'infinity'::date)),
        '[)'
    )"""

PER_SCOPE = "".join(
    f"""
ALTER TABLE people_tenure ADD CONSTRAINT tenure_no_overlap_same_post_{scope} EXCLUDE USING gist (
    person_id WITH =,
    post_id WITH =,
    {RANGE} WITH &&
) WHERE (scope = '{scope}');"""
    for scope in ("desk", "public")
)

ONE = f"""
ALTER TABLE people_tenure ADD CONSTRAINT tenure_no_overlap_same_post EXCLUDE USING gist (
    scope WITH =,
    person_id WITH =,
    post_id WITH =,
    {RANGE} WITH &&
);"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE people_tenure DROP CONSTRAINT IF EXISTS tenure_no_overlap_same_post;"
            + PER_SCOPE
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE people_tenure DROP CONSTRAINT IF EXISTS tenure_no_overlap_same_post_desk;"
            "ALTER TABLE people_tenure DROP CONSTRAINT IF EXISTS "
            "tenure_no_overlap_same_post_public;" + ONE
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0004_sources_statements_citations")]

    operations = [migrations.RunPython(forwards, backwards)]
