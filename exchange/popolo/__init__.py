"""Popolo JSON: export the public (verified) data, and import it back, or import files
others write.

The export (export.py) has four lists:

- ``persons``: ``id`` (``person/<slug>``), ``name``, ``sort_name``, ``other_names`` (each
  ``name``, ``lang``, ``note``), ``identifiers`` (other publishers' ids and the Wikidata QID);
- ``organizations``: ``id`` (``organization/<slug>``), ``name``, ``classification`` (a
  source's own, else the kind), ``founding_date``, ``other_names`` (``name``, ``lang``),
  ``identifiers``;
- ``posts``: ``id``, ``label``, ``organization_id``, and two extensions, ``seniority`` (the
  rank that orders leadership) and ``leadership``;
- ``memberships``: one per public tenure: ``person_id``, ``organization_id``, ``post_id``,
  ``role``, ``start_date`` and ``end_date`` written at their precision (``2018``,
  ``2017-01``, ``2024-09-25``; left out when unknown or still held), ``sources`` (the
  canonical URLs of the verified citations behind it), and two extensions, ``start`` and
  ``end``, naming the role change at each end (``change``; for the end also the ``post_id``
  it names and ``leaves_organization``) with its own sources, and a third, ``held_on``: the
  dates the person is recorded in the post ("held" role changes, each ``date`` with its
  ``sources``; a tenure opened by one has no ``start_date``), so that an import recreates the
  same role changes, and from them the same tenures.

The export is deterministic (sorted, ids from slugs), so export → import into an empty
database → export gives the same document. The import (imports.py) also reads documents as
others write them: any id scheme, memberships with or without posts and with dates alone
(entities.py, memberships.py). It goes through the CSV import's bulk path
(exchange/documents.py): the same checks, and all or nothing.
"""

from exchange.popolo.export import popolo_export, popolo_json
from exchange.popolo.imports import popolo_import

__all__ = ["popolo_export", "popolo_import", "popolo_json"]
