"""On PostgreSQL, trigram indexes for people search over every name and other name.

``Person.objects.matching`` filters with ``icontains``, which Django writes as
``UPPER(name::text) LIKE UPPER('%text%')``: a GIN index of pg_trgm's trigrams over exactly
that expression answers it, in any script, without reading every row. SQLite has no GIN
indexes; there the same query scans the (small) table and gives the same answer.
"""

from django.db import migrations

INDEXES = (
    ("people_person_name_trgm", "people_person"),
    ("people_personname_name_trgm", "people_personname"),
)

CREATE = "CREATE EXTENSION IF NOT EXISTS pg_trgm;" + "".join(
    f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ((UPPER(name::text)) gin_trgm_ops);"
    for index, table in INDEXES
)
DROP = "".join(f"DROP INDEX IF EXISTS {index};" for index, _ in INDEXES)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("people", "0005_tenure_no_overlap_per_scope")]

    operations = [migrations.RunPython(create, drop)]
