"""Writes on the stories app, by domain: citations (sources and quotes), verification (rule 3
and every change of a citation's state), edits of verified material (rule 5) and stories."""

from stories.services.citations import (
    MoveWithCitation,
    citation_add,
    citation_record,
    is_held,
    move_record_with_citation,
    source_apply,
    source_get_or_create,
    source_update,
    statement_apply,
    statement_get_or_create,
    statement_update,
)
from stories.services.claims import claim_check, quote_claims, story_claims
from stories.services.edits import ProposedEditConflict, proposed_edit_decide
from stories.services.publishing import (
    stories_flag_for_correction,
    story_add_correction,
    story_publish,
    story_withdraw,
)
from stories.services.rules import (
    PublicationBlocker,
    StoryNotPublishable,
    can_edit,
    marker_errors,
    publication_blockers,
)
from stories.services.scheduling import scheduled_local, story_schedule, story_unschedule
from stories.services.stories import (
    STORY_FIELDS,
    StoryConflict,
    story_attach,
    story_create,
    story_detach_citation,
    story_detach_role_change,
    story_save,
    story_send_back,
    story_submit,
)
from stories.services.verification import (
    NOTE_REQUIRED,
    CitationConflict,
    citation_decide,
    citations_set_state,
    public_role_changes,
    role_change_sync_public,
)

__all__ = [
    "NOTE_REQUIRED",
    "STORY_FIELDS",
    "CitationConflict",
    "MoveWithCitation",
    "ProposedEditConflict",
    "PublicationBlocker",
    "StoryConflict",
    "StoryNotPublishable",
    "can_edit",
    "citation_add",
    "citation_decide",
    "citation_record",
    "citations_set_state",
    "claim_check",
    "is_held",
    "marker_errors",
    "move_record_with_citation",
    "proposed_edit_decide",
    "public_role_changes",
    "publication_blockers",
    "quote_claims",
    "role_change_sync_public",
    "scheduled_local",
    "source_apply",
    "source_get_or_create",
    "source_update",
    "statement_apply",
    "statement_get_or_create",
    "statement_update",
    "stories_flag_for_correction",
    "story_add_correction",
    "story_attach",
    "story_claims",
    "story_create",
    "story_detach_citation",
    "story_detach_role_change",
    "story_publish",
    "story_save",
    "story_schedule",
    "story_send_back",
    "story_submit",
    "story_unschedule",
    "story_withdraw",
]
