"""Sources, statements and citations (and, with the stories issue, stories)."""

from stories.models.citations import Citation, CitationDecision, CitationState
from stories.models.snapshots import SourceSnapshot
from stories.models.sources import (
    QUOTE_MAX_LENGTH,
    TRANSLATION_MAX_LENGTH,
    LinkStatus,
    Source,
    SourceKind,
    Statement,
)
from stories.models.stories import (
    PUBLIC_STATUSES,
    ClaimCheck,
    Correction,
    CorrectionFlag,
    FlagResolution,
    PublishedChange,
    Story,
    StoryLanguage,
    StoryRevision,
    StoryStatus,
)

__all__ = [
    "PUBLIC_STATUSES",
    "QUOTE_MAX_LENGTH",
    "TRANSLATION_MAX_LENGTH",
    "Citation",
    "CitationDecision",
    "CitationState",
    "ClaimCheck",
    "Correction",
    "CorrectionFlag",
    "FlagResolution",
    "LinkStatus",
    "PublishedChange",
    "Source",
    "SourceKind",
    "SourceSnapshot",
    "Statement",
    "Story",
    "StoryLanguage",
    "StoryRevision",
    "StoryStatus",
]
