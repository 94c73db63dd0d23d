"""Sources, statements and citations (and, with the stories issue, stories)."""

from stories.models.citations import Citation, CitationDecision, CitationState
from stories.models.sources import LinkStatus, Source, SourceKind, Statement
from stories.models.stories import (
    PUBLIC_STATUSES,
    Correction,
    CorrectionFlag,
    FlagResolution,
    Story,
    StoryLanguage,
    StoryRevision,
    StoryStatus,
)

__all__ = [
    "PUBLIC_STATUSES",
    "Citation",
    "CitationDecision",
    "CitationState",
    "Correction",
    "CorrectionFlag",
    "FlagResolution",
    "LinkStatus",
    "Source",
    "SourceKind",
    "Statement",
    "Story",
    "StoryLanguage",
    "StoryRevision",
    "StoryStatus",
]
