"""Wikidata entity files in (``Special:EntityData``, ``wbgetentities``): see imports.py,
statements.py and values.py."""

from exchange.wikidata.imports import wikidata_import

__all__ = ["wikidata_import"]
