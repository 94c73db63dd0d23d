"""No index that another one makes redundant on the tables the import writes most.

Every index costs each insert (the 100,000-row CSV import writes 100,000 role changes and
133,334 tenures), and a foreign key's own single-column index is useless when a composite
index starts with that column: it serves the same lookups.
"""

import pytest
from django.db import connection

from people.models import RoleChange, Tenure

pytestmark = pytest.mark.django_db


def _indexes(model) -> dict[str, tuple[list[str], bool]]:
    """Each index on plain columns: its columns, and whether it is unique."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {
        name: (info["columns"], bool(info["unique"]))
        for name, info in constraints.items()
        if info["index"] and not info["primary_key"] and all(info["columns"])
    }


@pytest.mark.parametrize("model", [RoleChange, Tenure])
def test_no_index_is_the_start_of_another(model):
    indexes = _indexes(model)
    redundant = sorted(
        (name, other)
        for name, (columns, unique) in indexes.items()
        for other, (longer, _) in indexes.items()
        if not unique and len(columns) < len(longer) and longer[: len(columns)] == columns
    )
    assert redundant == []
