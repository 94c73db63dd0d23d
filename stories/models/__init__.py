"""Sources, statements and citations (and, with the stories issue, stories)."""

from stories.models.citations import Citation, CitationDecision, CitationState
from stories.models.sources import LinkStatus, Source, SourceKind, Statement

__all__ = [
    "Citation",
    "CitationDecision",
    "CitationState",
    "LinkStatus",
    "Source",
    "SourceKind",
    "Statement",
]
