"""Held records: a tenure whose start is unknown, held on a recorded date (``seen``).

"Jason Kwon, Chief Strategy Officer, posted…" says he held the post that day, not when he took
it up. A role change of kind "held" records that; the tenure it opens when none is open keeps
the date in ``seen_*`` (held for certain from its latest day, possibly before). On PostgreSQL,
rule 2's exclusion constraints (0005) give such a tenure the span from that day: with no start
and no end it would otherwise span every day, and overlap the person's earlier tenure of the
same post.
"""

from django.db import migrations, models

import django.db.models.deletion


def _per_scope(lower: str) -> str:
    span = f"""daterange(
        {lower},
        GREATEST({lower}, COALESCE(end_date, 'infinity'::date)),
        '[)'
    )"""
    return "".join(
        f"""
ALTER TABLE people_tenure DROP CONSTRAINT IF EXISTS tenure_no_overlap_same_post_{scope};
ALTER TABLE people_tenure ADD CONSTRAINT tenure_no_overlap_same_post_{scope} EXCLUDE USING gist (
    person_id WITH =,
    post_id WITH =,
    {span} WITH &&
) WHERE (scope = '{scope}');"""
        for scope in ("desk", "public")
    )


def no_overlap(lower: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(_per_scope(lower))

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0009_fk_indexes_covered_by_composite_ones"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="rolechange",
            name="role_change_departures_have_no_previous_title",
        ),
        migrations.RemoveConstraint(
            model_name="tenure",
            name="tenure_has_start_or_end",
        ),
        migrations.AddField(
            model_name="tenure",
            name="seen_date",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="tenure",
            name="seen_latest",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="tenure",
            name="seen_precision",
            field=models.CharField(
                blank=True,
                choices=[("year", "year"), ("month", "month"), ("day", "day")],
                max_length=5,
            ),
        ),
        migrations.AlterField(
            model_name="rolechange",
            name="kind",
            field=models.CharField(
                choices=[
                    ("joined", "joined"),
                    ("appointed", "appointed"),
                    ("promoted", "promoted"),
                    ("left", "left"),
                    ("held", "was"),
                ],
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="rolechange",
            name="previous_post",
            field=models.ForeignKey(
                blank=True,
                help_text="For joined, appointed or promoted: the title it ends on the same day.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.post",
            ),
        ),
        migrations.AddConstraint(
            model_name="rolechange",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind__in", ["left", "held"]), _negated=True),
                    ("previous_post__isnull", True),
                    _connector="OR",
                ),
                name="role_change_only_starts_end_a_previous_title",
            ),
        ),
        migrations.AddConstraint(
            model_name="tenure",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("start_date__isnull", False),
                    ("seen_date__isnull", False),
                    ("end_date__isnull", False),
                    _connector="OR",
                ),
                name="tenure_has_start_seen_or_end",
            ),
        ),
        migrations.AddConstraint(
            model_name="tenure",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("seen_date__isnull", True), ("start_date__isnull", True), _connector="OR"
                ),
                name="tenure_seen_only_when_start_unknown",
            ),
        ),
        migrations.AddConstraint(
            model_name="tenure",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("seen_date__isnull", True),
                    ("end_latest__isnull", True),
                    ("end_latest__gte", models.F("seen_date")),
                    _connector="OR",
                ),
                name="tenure_end_not_before_seen",
            ),
        ),
        migrations.RunPython(
            no_overlap("COALESCE(start_latest, seen_latest, end_date)"),
            no_overlap("COALESCE(start_latest, end_date)"),
        ),
    ]
