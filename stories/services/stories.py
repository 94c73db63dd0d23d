"""Writes on stories: drafting and review; publishing is stories/services/publishing.py.

- Every save keeps a revision, and a save made from a stale copy raises
  :class:`StoryConflict` instead of overwriting what someone else saved; the conflict says
  which fields each side changed, so nobody's change is put back unnoticed.
- An editor's edit of published text is either an update (the article says when) or a
  correction (shown on the article, dated); both keep the revision and go in the audit log
  with the difference.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.audit import audit_record
from newsroom.cache import touches
from newsroom.models import AuditAction
from newsroom.notifications import notify
from newsroom.slugs import unique_slug
from people.models import Organization, Person, RoleChange
from stories.cache_tags import of_story
from stories.models import (
    Citation,
    CitationState,
    PublishedChange,
    Story,
    StoryLanguage,
    StoryRevision,
    StoryStatus,
)
from stories.rendering import render_body
from stories.revisions import diff_text
from stories.services.publishing import correction_add, correction_check
from stories.services.rules import (
    blocking_message,
    marker_errors,
    require,
    require_edit,
    unverified,
)

STORY_FIELDS = ("title", "dek", "body", "language")


class StoryConflict(Exception):
    """Someone saved the story after the copy being saved was loaded.

    ``base`` is the revision the writer started from, ``current`` the story as saved now:
    :meth:`fields` tells, field by field, who changed what since.
    """

    def __init__(
        self, current: Story, saved_by: str, saved_at, base: StoryRevision | None = None
    ) -> None:
        self.current = current
        self.saved_by = saved_by
        self.saved_at = saved_at
        self.base = base
        super().__init__(
            f"{saved_by} saved this story at {timezone.localtime(saved_at):%Y-%m-%d %H:%M} "
            "while you were editing. Your text is kept below, beside theirs: merge the two "
            "and save again."
        )

    def fields(self, mine: dict[str, str]) -> dict[str, str]:
        """For each field: "same" (nobody's versions differ), "theirs" (only the other writer
        changed it since the writer's copy), "mine" (only the writer did) or "both"."""
        answer = {}
        for field in STORY_FIELDS:
            theirs = str(getattr(self.current, field))
            base = str(getattr(self.base, field)) if self.base is not None else None
            if field == "language" and not base:
                base = None  # a revision kept before revisions had their language
            yours = mine.get(field, theirs)
            if yours == theirs:
                answer[field] = "same"
            elif base is not None and yours == base:
                answer[field] = "theirs"
            elif base is not None and theirs == base:
                answer[field] = "mine"
            else:
                answer[field] = "both"
        return answer

    def merged(self, mine: dict[str, str]) -> dict[str, str]:
        """What the writer's form holds next: their own text, except in the fields only the
        other writer changed, which keep the other writer's change."""
        fields = self.fields(mine)
        return {
            field: str(getattr(self.current, field))
            if fields[field] == "theirs"
            else mine.get(field, "")
            for field in STORY_FIELDS
        }


# Drafting -----------------------------------------------------------------------------------


@touches(of_story)
def story_create(
    *,
    author: AbstractBaseUser,
    title: str,
    dek: str = "",
    body: str = "",
    language: str = StoryLanguage.ENGLISH,
    citations: Iterable[Citation] = (),
    translation_of: Story | None = None,
) -> Story:
    """Start a draft with the citations picked for it (the new-story page's picker); its
    markers must name those. Nothing is written when anything is refused.

    ``translation_of``: the story this one translates (a translation of a translation names
    the original), in another language; the two are linked both ways.
    """
    require(author, "stories.add_story", "Only journalists and editors write stories.")
    if not title.strip():
        raise ValidationError({"title": [_("Give the story a title.")]})
    if translation_of is not None:
        if translation_of.translation_of_id:
            translation_of = Story.objects.get(pk=translation_of.translation_of_id)
        if translation_of.language == language:
            raise ValidationError(
                {"translation_of": [_("A translation is in another language than its original.")]}
            )
    citations = list(citations)
    errors = marker_errors(body, attached_ids=[citation.pk for citation in citations])
    if errors:
        raise ValidationError({"body": errors})
    with transaction.atomic():
        story = Story(
            title=title.strip(),
            dek=dek.strip(),
            body=body,
            language=language,
            translation_of=translation_of,
            created_by=author,
        )
        story.slug = unique_slug(story, story.title)
        _render(story)
        story.full_clean(exclude=["created_by"])
        story.save()
        story.authors.add(author)
        if citations:
            story_attach(story=story, user=author, citations=citations)
        _keep_revision(story, author)
    return story


@touches(of_story)
def story_save(
    *,
    story: Story,
    editor: AbstractBaseUser,
    base_version: int,
    title: str,
    dek: str,
    body: str,
    language: str,
    change: PublishedChange | str = "",
    correction: str = "",
    resolved_flag_ids: Iterable[int] = (),
) -> Story:
    """Save new text, keeping a revision. A stale ``base_version`` raises StoryConflict.

    Published text changes only as an editor's ``change``: an update (the article says
    "Updated" with the date) or a correction (``correction`` is the dated text readers see;
    it resolves the flags named in ``resolved_flag_ids``). Either way the revision is kept
    and the audit log records the change with the difference.
    """
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        require_edit(locked, editor)
        if locked.version != base_version:
            _conflict(locked, base_version)
        wanted = {"title": title.strip(), "dek": dek.strip(), "body": body, "language": language}
        if all(getattr(locked, field) == value for field, value in wanted.items()):
            return locked
        _check_text(locked, wanted, change=change, correction=correction, flags=resolved_flag_ids)
        before = StoryRevision(title=locked.title, dek=locked.dek, body=locked.body)
        for field, value in wanted.items():
            setattr(locked, field, value)
        _render(locked)
        locked.version += 1
        if locked.is_public:
            locked.last_updated_at = timezone.now()
        locked.full_clean(exclude=["created_by"])
        locked.save()
        revision = _keep_revision(locked, editor, change=change if locked.is_public else "")
        if locked.is_public:
            _record_published_change(
                locked, editor, before, revision, correction=correction, flags=resolved_flag_ids
            )
    return locked


def _conflict(locked: Story, base_version: int) -> None:
    revisions = {
        revision.number: revision
        for revision in locked.revisions.select_related("saved_by").filter(
            number__in=[base_version, locked.version]
        )
    }
    latest = revisions.get(locked.version)
    who = latest.saved_by.get_username() if latest and latest.saved_by else "Someone"
    raise StoryConflict(
        locked,
        who,
        latest.saved_at if latest else locked.updated_at,
        base=revisions.get(base_version),
    )


def _check_text(
    locked: Story, wanted: dict[str, str], *, change: str, correction: str, flags
) -> None:
    errors: dict[str, list[str]] = {}
    if not wanted["title"]:
        errors["title"] = ["Give the story a title."]
    attached = list(locked.citations.values_list("pk", flat=True))
    if body_errors := marker_errors(wanted["body"], attached):
        errors["body"] = body_errors
    if locked.is_public:
        if change not in PublishedChange.values:
            errors["change"] = [
                _(
                    "This story is published: say whether your edit is an update (the "
                    "article says when it was updated) or a correction (readers see its text)."
                )
            ]
        elif change == PublishedChange.CORRECTION:
            try:
                correction_check(story=locked, text=correction, resolved_flag_ids=flags)
            except ValidationError as refused:
                for field, messages in refused.message_dict.items():
                    key = "correction" if field == "text" else field
                    errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _record_published_change(
    story: Story,
    editor: AbstractBaseUser,
    before: StoryRevision,
    revision: StoryRevision,
    *,
    correction: str,
    flags: Iterable[int],
) -> None:
    """The audit entry of an edit of published text, with the difference; a correction is
    also written for readers."""
    diff = diff_text(before, revision)
    if revision.change == PublishedChange.CORRECTION:
        correction_add(
            story=story, editor=editor, text=correction, resolved_flag_ids=flags, diff=diff
        )
    else:
        audit_record(
            action=AuditAction.STORY_UPDATED,
            obj=story,
            actor=editor,
            detail=f"Updated (revision {revision.number}).",
            diff=diff,
        )


def _render(story: Story) -> None:
    """Render once per save: readers get the stored HTML, never a per-request rebuild."""
    rendered = render_body(story.body)
    story.body_html = rendered.html
    story.cited_ids = rendered.citation_ids


def _keep_revision(story: Story, user: AbstractBaseUser, *, change: str = "") -> StoryRevision:
    return StoryRevision.objects.create(
        story=story,
        number=story.version,
        title=story.title,
        dek=story.dek,
        body=story.body,
        language=story.language,
        change=change,
        saved_by=user,
        saved_at=timezone.now(),
    )


@touches(of_story)
def story_attach(
    *,
    story: Story,
    user: AbstractBaseUser,
    role_changes: Iterable[RoleChange] = (),
    citations: Iterable[Citation] = (),
    organizations: Iterable[Organization] = (),
    people: Iterable[Person] = (),
) -> None:
    """Cover role changes, people and organizations, and attach citations to the story.

    Attaching a role change also attaches its citations (verified ones only once the story
    is public) and covers its person and organization; attaching a citation covers the move
    it supports, not the move's other citations.
    """
    require_edit(story, user)
    role_changes = list(role_changes)
    citations = list(
        Citation.objects.filter(pk__in=[citation.pk for citation in citations]).select_related(
            "role_change__person", "role_change__post"
        )
    )
    rejected = [c for c in citations if c.state == CitationState.REJECTED]
    if rejected:
        raise ValidationError(
            {"citations": [f"Citation {c.pk} was rejected by an editor." for c in rejected]}
        )
    if story.is_public and (not_verified := unverified(citations)):
        # Rule 4 holds after publication too: nothing unverified joins a public story.
        raise ValidationError(
            {"citations": [blocking_message(citation) for citation in not_verified]}
        )
    supported = [c.role_change for c in citations if c.role_change_id]
    moves = {move.pk: move for move in [*role_changes, *supported]}
    extra_citations = Citation.objects.filter(role_change__in=role_changes).exclude(
        state=CitationState.REJECTED
    )
    if story.is_public:
        extra_citations = extra_citations.filter(state=CitationState.VERIFIED)
    with transaction.atomic():
        story.role_changes.add(*moves.values())
        story.citations.add(*citations, *extra_citations)
        story.organizations.add(*organizations, *{move.organization_id for move in moves.values()})
        story.people.add(*people, *{move.person_id for move in moves.values()})


@touches(of_story)
def story_detach_citation(*, story: Story, user: AbstractBaseUser, citation: Citation) -> None:
    """Detach a citation the body no longer cites."""
    require_edit(story, user)
    if citation.pk in render_body(story.body).citation_ids:
        raise ValidationError(
            {"citations": [f"The body still cites [^c{citation.pk}]: remove the marker first."]}
        )
    story.citations.remove(citation)


@touches(of_story)
def story_detach_role_change(
    *, story: Story, user: AbstractBaseUser, role_change: RoleChange
) -> None:
    """Stop covering a move, and detach its citations; refused while the body cites one."""
    require_edit(story, user)
    its_citations = list(
        story.citations.filter(role_change=role_change).values_list("pk", flat=True)
    )
    still_cited = [pk for pk in render_body(story.body).citation_ids if pk in its_citations]
    if still_cited:
        markers = ", ".join(f"[^c{pk}]" for pk in still_cited)
        raise ValidationError(
            {
                "role_changes": [
                    f"The body still cites {markers}, which supports this move: "
                    "remove the marker first."
                ]
            }
        )
    with transaction.atomic():
        story.role_changes.remove(role_change)
        story.citations.remove(*its_citations)


# Workflow -----------------------------------------------------------------------------------


@touches(of_story)
def story_submit(*, story: Story, user: AbstractBaseUser) -> Story:
    """Send a draft to the editors' review queue."""
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        require_edit(locked, user)
        if locked.status != StoryStatus.DRAFT:
            raise ValidationError(
                _("Only a draft can be submitted; this story is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        errors = marker_errors(locked.body, locked.citations.values_list("pk", flat=True))
        if errors:
            raise ValidationError({"body": errors})
        locked.status = StoryStatus.IN_REVIEW
        locked.review_note = ""
        locked.save(update_fields=["status", "review_note", "updated_at"])
    return locked


@touches(of_story)
def story_send_back(*, story: Story, editor: AbstractBaseUser, note: str) -> Story:
    """Return a story in review to its authors, with a note saying what to fix."""
    require(editor, "stories.publish_story", "Only editors send stories back.")
    if not note.strip():
        raise ValidationError({"note": [_("Tell the authors what to fix.")]})
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        if locked.status != StoryStatus.IN_REVIEW:
            raise ValidationError(
                _("Only a story in review can be sent back; this one is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        locked.status = StoryStatus.DRAFT
        locked.review_note = note.strip()
        locked.save(update_fields=["status", "review_note", "updated_at"])
        audit_record(
            action=AuditAction.STORY_SENT_BACK, obj=locked, actor=editor, detail=note.strip()
        )
        notify(
            recipients=locked.authors.all(),
            kind="story.returned",
            message=_("Your story “%(title)s” was sent back: %(note)s")
            % {"title": locked.title, "note": note.strip()},
            url=reverse("stories:story-edit", args=[locked.pk]),
        )
    return locked
