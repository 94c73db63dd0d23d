"""A lower bound for tenures whose start is unknown, and the range index that reads it.

A departure recorded with no start ("left as CRO on September 25, 2024") used to stand for
every day back to year 1. ``start_after`` keeps what the record does say: the tenure began
no earlier than the person's last arrival at (or departure from) the organization. On PostgreSQL the range index of 0007 is rebuilt over the same
span ``Tenure.objects.held_on`` now searches (``PossibleSpan``).

Tenures are derived data: rows written before this migration keep an open lower bound until
their person's role changes are next replayed (any edit, or ``rebuild_tenures``).
"""

from django.db import migrations, models

INDEX = """
DROP INDEX IF EXISTS people_tenure_held_on;
CREATE INDEX people_tenure_held_on ON people_tenure
    USING gist (organization_id, DATERANGE(COALESCE(start_date, start_after), end_latest, '[)'));
"""
OLD_INDEX = """
DROP INDEX IF EXISTS people_tenure_held_on;
CREATE INDEX people_tenure_held_on ON people_tenure
    USING gist (organization_id, DATERANGE(start_date, end_latest, '[)'));
"""


def range_index(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("people", "0007_tenure_held_on_range_index")]

    operations = [
        migrations.AddField(
            model_name="tenure",
            name="start_after",
            field=models.DateField(
                blank=True,
                help_text=(
                    "When the start is unknown: the earliest day it can have been (the "
                    "person's last arrival at, or departure from, the organization)."
                ),
                null=True,
            ),
        ),
        migrations.AddConstraint(
            model_name="tenure",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("start_after__isnull", True), ("start_date__isnull", True), _connector="OR"
                ),
                name="tenure_start_after_only_when_start_unknown",
            ),
        ),
        migrations.RunPython(range_index(INDEX), range_index(OLD_INDEX)),
    ]
