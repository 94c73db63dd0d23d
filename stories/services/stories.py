"""Writes on stories: drafting, review, publishing, corrections (rules 4 and 6).

- Every save keeps a revision, and a save made from a stale copy raises
  :class:`StoryConflict` instead of overwriting what someone else saved.
- Rule 4: :func:`story_publish` refuses while any citation of the story is not verified,
  naming each one.
- Rule 6: :func:`stories_flag_for_correction` flags every public story relying on a citation
  that was disputed or rejected; :func:`story_add_correction` resolves the flags the
  correction addresses, and only those.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from newsroom.audit import audit_record
from newsroom.models import AuditAction
from newsroom.slugs import unique_slug
from people.models import Organization, Person, RoleChange
from stories.models import (
    Citation,
    CitationState,
    Correction,
    CorrectionFlag,
    FlagResolution,
    Story,
    StoryLanguage,
    StoryRevision,
    StoryStatus,
)
from stories.rendering import render_body

EDITABLE_BY_AUTHORS = {StoryStatus.DRAFT, StoryStatus.IN_REVIEW}


class StoryConflict(Exception):
    """Someone saved the story after the copy being saved was loaded."""

    def __init__(self, current: Story, saved_by: str, saved_at) -> None:
        self.current = current
        self.saved_by = saved_by
        self.saved_at = saved_at
        super().__init__(
            f"{saved_by} saved this story at {timezone.localtime(saved_at):%Y-%m-%d %H:%M} "
            "while you were editing. Your text is kept below, beside theirs: merge the two "
            "and save again."
        )


class StoryNotPublishable(ValidationError):
    """Rule 4 (or a broken marker) stands in the way; ``blocking`` lists the citations."""

    def __init__(self, messages: list[str], blocking: list[Citation]) -> None:
        super().__init__(messages)
        self.blocking = blocking


def can_edit(story: Story, user: AbstractBaseUser, *, author_ids: Iterable[int]) -> bool:
    if story.status == StoryStatus.WITHDRAWN:
        return False
    if user.has_perm("stories.publish_story"):
        return True
    return user.pk in set(author_ids) and story.status in EDITABLE_BY_AUTHORS


def _require(user: AbstractBaseUser, permission: str, message: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(message)


def _require_edit(story: Story, user: AbstractBaseUser) -> None:
    author_ids = story.authors.values_list("pk", flat=True)
    if not can_edit(story, user, author_ids=author_ids):
        if story.status == StoryStatus.WITHDRAWN:
            raise PermissionDenied("A withdrawn story cannot be edited.")
        if story.status in EDITABLE_BY_AUTHORS:
            raise PermissionDenied("Only the story's authors and editors can edit it.")
        raise PermissionDenied(
            "A published story is changed by an editor, through an edit or a correction."
        )


# Markers ------------------------------------------------------------------------------------


def marker_errors(body: str, attached_ids: Iterable[int]) -> list[str]:
    """Messages for markers naming no citation, or one not attached to the story, and for
    text that tries to be a marker but is not one (it would be published as plain text)."""
    rendered = render_body(body)
    cited = rendered.citation_ids
    attached = set(attached_ids)
    existing = set(Citation.objects.filter(pk__in=cited).values_list("pk", flat=True))
    errors = []
    for citation_id in cited:
        if citation_id not in existing:
            errors.append(f"[^c{citation_id}] names no citation: check the number.")
        elif citation_id not in attached:
            errors.append(
                f"[^c{citation_id}] is not attached to this story: attach citation "
                f"{citation_id} first, from the citation picker."
            )
    for text in rendered.malformed_markers:
        errors.append(
            f"{text} is not a citation marker: write [^c and the citation's number, "
            "with a lowercase c and no space, like [^c12] (the citation picker inserts it)."
        )
    return errors + timeline_marker_errors(rendered)


def timeline_marker_errors(rendered) -> list[str]:
    """Messages for timeline markers (``[timeline:openai]``, people/embeds.py) that name no
    organization or cannot be read."""
    errors = [
        f"{text} cannot be drawn: {problem}." for text, problem in rendered.malformed_timelines
    ]
    slugs = {marker.slug for marker in rendered.timelines}
    if slugs:
        known = set(Organization.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        errors += [
            f"{marker.text} names no organization: use the end of the organization page's "
            f"address (/organizations/openai/ is [timeline:openai])."
            for marker in rendered.timelines
            if marker.slug not in known
        ]
    return errors


def _unverified(citations: Iterable[Citation]) -> list[Citation]:
    return [citation for citation in citations if citation.state != CitationState.VERIFIED]


def _blocking_message(citation: Citation) -> str:
    claim = ""
    if citation.role_change_id:
        move = citation.role_change
        claim = f" ({move.person.name}, {move.post.title})"
    return f"Citation {citation.pk}{claim} is {citation.get_state_display()}, not verified."


def _story_citations(story: Story) -> list[Citation]:
    return list(
        story.citations.select_related(
            "role_change__person", "role_change__post", "role_change__organization"
        ).order_by("pk")
    )


# Drafting -----------------------------------------------------------------------------------


def story_create(
    *,
    author: AbstractBaseUser,
    title: str,
    dek: str = "",
    body: str = "",
    language: str = StoryLanguage.ENGLISH,
) -> Story:
    """Start a draft. Markers must name citations attached later, so a new body has none."""
    _require(author, "stories.add_story", "Only journalists and editors write stories.")
    if not title.strip():
        raise ValidationError({"title": ["Give the story a title."]})
    errors = marker_errors(body, attached_ids=())
    if errors:
        raise ValidationError({"body": errors})
    with transaction.atomic():
        story = Story(
            title=title.strip(),
            dek=dek.strip(),
            body=body,
            language=language,
            created_by=author,
        )
        story.slug = unique_slug(story, story.title)
        _render(story)
        story.full_clean(exclude=["created_by"])
        story.save()
        story.authors.add(author)
        _keep_revision(story, author)
    return story


def story_save(
    *,
    story: Story,
    editor: AbstractBaseUser,
    base_version: int,
    title: str,
    dek: str,
    body: str,
    language: str,
) -> Story:
    """Save new text, keeping a revision. A stale ``base_version`` raises StoryConflict."""
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        _require_edit(locked, editor)
        if locked.version != base_version:
            latest = locked.revisions.select_related("saved_by").order_by("-number").first()
            who = latest.saved_by.get_username() if latest and latest.saved_by else "Someone"
            raise StoryConflict(locked, who, latest.saved_at if latest else locked.updated_at)
        errors: dict[str, list[str]] = {}
        if not title.strip():
            errors["title"] = ["Give the story a title."]
        attached = list(locked.citations.values_list("pk", flat=True))
        if body_errors := marker_errors(body, attached):
            errors["body"] = body_errors
        if errors:
            raise ValidationError(errors)
        if (locked.title, locked.dek, locked.body, locked.language) == (
            title.strip(),
            dek.strip(),
            body,
            language,
        ):
            return locked
        locked.title = title.strip()
        locked.dek = dek.strip()
        locked.body = body
        locked.language = language
        _render(locked)
        locked.version += 1
        if locked.is_public:
            locked.last_updated_at = timezone.now()
        locked.full_clean(exclude=["created_by"])
        locked.save()
        _keep_revision(locked, editor)
    return locked


def _render(story: Story) -> None:
    """Render once per save: readers get the stored HTML, never a per-request rebuild."""
    rendered = render_body(story.body)
    story.body_html = rendered.html
    story.cited_ids = rendered.citation_ids


def _keep_revision(story: Story, user: AbstractBaseUser) -> StoryRevision:
    return StoryRevision.objects.create(
        story=story,
        number=story.version,
        title=story.title,
        dek=story.dek,
        body=story.body,
        saved_by=user,
        saved_at=timezone.now(),
    )


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
    _require_edit(story, user)
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
    if story.is_public and (unverified := _unverified(citations)):
        # Rule 4 holds after publication too: nothing unverified joins a public story.
        raise ValidationError(
            {"citations": [_blocking_message(citation) for citation in unverified]}
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


def story_detach_citation(*, story: Story, user: AbstractBaseUser, citation: Citation) -> None:
    """Detach a citation the body no longer cites."""
    _require_edit(story, user)
    if citation.pk in render_body(story.body).citation_ids:
        raise ValidationError(
            {"citations": [f"The body still cites [^c{citation.pk}]: remove the marker first."]}
        )
    story.citations.remove(citation)


def story_detach_role_change(
    *, story: Story, user: AbstractBaseUser, role_change: RoleChange
) -> None:
    """Stop covering a move, and detach its citations; refused while the body cites one."""
    _require_edit(story, user)
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


def story_submit(*, story: Story, user: AbstractBaseUser) -> Story:
    """Send a draft to the editors' review queue."""
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        _require_edit(locked, user)
        if locked.status != StoryStatus.DRAFT:
            raise ValidationError(
                f"Only a draft can be submitted; this story is {locked.get_status_display()}."
            )
        errors = marker_errors(locked.body, locked.citations.values_list("pk", flat=True))
        if errors:
            raise ValidationError({"body": errors})
        locked.status = StoryStatus.IN_REVIEW
        locked.review_note = ""
        locked.save(update_fields=["status", "review_note", "updated_at"])
    return locked


def story_send_back(*, story: Story, editor: AbstractBaseUser, note: str) -> Story:
    """Return a story in review to its authors, with a note saying what to fix."""
    _require(editor, "stories.publish_story", "Only editors send stories back.")
    if not note.strip():
        raise ValidationError({"note": ["Tell the authors what to fix."]})
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        if locked.status != StoryStatus.IN_REVIEW:
            raise ValidationError(
                "Only a story in review can be sent back; "
                f"this one is {locked.get_status_display()}."
            )
        locked.status = StoryStatus.DRAFT
        locked.review_note = note.strip()
        locked.save(update_fields=["status", "review_note", "updated_at"])
        audit_record(
            action=AuditAction.STORY_SENT_BACK, obj=locked, actor=editor, detail=note.strip()
        )
    return locked


def publication_blockers(story: Story) -> StoryNotPublishable | None:
    """Why the story cannot go out now (rule 4 and broken markers), or None."""
    citations = _story_citations(story)
    blocking = _unverified(citations)
    messages = [_blocking_message(citation) for citation in blocking]
    messages += marker_errors(story.body, [citation.pk for citation in citations])
    if not messages:
        return None
    return StoryNotPublishable(messages, blocking)


def story_publish(*, story: Story, editor: AbstractBaseUser) -> Story:
    """Publish a story in review; refused, naming each blocker, unless all are verified."""
    _require(editor, "stories.publish_story", "Only editors publish stories.")
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        if locked.status != StoryStatus.IN_REVIEW:
            raise ValidationError(
                "Only a story in review can be published; "
                f"this one is {locked.get_status_display()}."
            )
        if blockers := publication_blockers(locked):
            raise blockers
        now = timezone.now()
        locked.status = StoryStatus.PUBLISHED
        locked.first_published_at = locked.first_published_at or now
        locked.last_updated_at = now
        locked.review_note = ""
        locked.save()
        audit_record(action=AuditAction.STORY_PUBLISHED, obj=locked, actor=editor)
    return locked


def story_withdraw(*, story: Story, editor: AbstractBaseUser, note: str) -> Story:
    """Take a published story down. Readers then get a 404.

    Its open correction flags are closed as resolved by the withdrawal: no correction can
    follow on a story readers no longer see, and the flag keeps who closed it, when and how.
    """
    _require(editor, "stories.publish_story", "Only editors withdraw stories.")
    if not note.strip():
        raise ValidationError({"note": ["Say why the story is withdrawn."]})
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        if not locked.is_public:
            raise ValidationError("Only a published story can be withdrawn.")
        locked.status = StoryStatus.WITHDRAWN
        locked.withdrawal_note = note.strip()
        locked.save(update_fields=["status", "withdrawal_note", "updated_at"])
        audit_record(
            action=AuditAction.STORY_WITHDRAWN, obj=locked, actor=editor, detail=note.strip()
        )
        open_flags = CorrectionFlag.objects.select_for_update().filter(
            story=locked, resolved_at__isnull=True
        )
        _resolve_flags(
            open_flags.order_by("pk"),
            story=locked,
            editor=editor,
            at=timezone.now(),
            resolution=FlagResolution.WITHDRAWAL,
            detail=f"By withdrawing the story: {note.strip()}",
        )
    return locked


def _resolve_flags(
    flags: Iterable[CorrectionFlag],
    *,
    story: Story,
    editor: AbstractBaseUser,
    at: datetime.datetime,
    resolution: FlagResolution,
    detail: str,
    correction: Correction | None = None,
) -> None:
    """Close ``flags`` (locked, of ``story``), each with an audit entry saying how."""
    for flag in flags:
        flag.story = story  # named in the audit entry; already loaded and locked
        flag.resolved_at = at
        flag.resolved_by = editor
        flag.resolution = resolution
        flag.correction = correction
        flag.save(update_fields=["resolved_at", "resolved_by", "resolution", "correction"])
        audit_record(
            action=AuditAction.CORRECTION_FLAG_RESOLVED, obj=flag, actor=editor, detail=detail
        )


def story_add_correction(
    *,
    story: Story,
    editor: AbstractBaseUser,
    text: str,
    resolved_flag_ids: Iterable[int] = (),
) -> Correction:
    """Add a dated correction to a published story, resolving the flags it addresses.

    Only the open flags named in ``resolved_flag_ids`` are resolved: a correction about a date
    says nothing about a disputed quote, so every other flag stays on the editors' desk. A flag
    that is not open on this story (resolved meanwhile, or another story's) refuses the whole
    correction, so the editor can look again before anything is written.
    """
    _require(editor, "stories.correct_story", "Only editors add corrections.")
    if not text.strip():
        raise ValidationError({"text": ["Write the correction readers will see."]})
    wanted = set(resolved_flag_ids)
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        if not locked.is_public:
            raise ValidationError("Corrections are added to published stories.")
        flags = list(
            CorrectionFlag.objects.select_for_update()
            .filter(story=locked, resolved_at__isnull=True, pk__in=wanted)
            .order_by("pk")
        )
        if missing := wanted - {flag.pk for flag in flags}:
            raise ValidationError(
                {
                    "resolved_flag_ids": [
                        f"Flag {pk} is not an open flag of this story (another editor may have "
                        "resolved it): reload the story and tick the flags again."
                        for pk in sorted(missing)
                    ]
                }
            )
        now = timezone.now()
        correction = Correction.objects.create(
            story=locked, text=text.strip(), created_by=editor, created_at=now
        )
        locked.status = StoryStatus.CORRECTED
        locked.last_updated_at = now
        locked.save(update_fields=["status", "last_updated_at", "updated_at"])
        audit_record(
            action=AuditAction.STORY_CORRECTED, obj=locked, actor=editor, detail=text.strip()
        )
        _resolve_flags(
            flags,
            story=locked,
            editor=editor,
            at=now,
            resolution=FlagResolution.CORRECTION,
            detail=f"By correction {correction.pk}: {correction.text}",
            correction=correction,
        )
    return correction


def stories_flag_for_correction(*, citation: Citation, note: str) -> int:
    """Rule 6: flag every public story relying on a citation just disputed or rejected, or
    reopened (back to pending after its quote or source was edited, rule 5)."""
    now = timezone.now()
    state = "reopened" if citation.state == CitationState.PENDING else citation.get_state_display()
    reason = f"Citation {citation.pk} was {state}: {note}"
    stories = Story.objects.published().filter(citations=citation)
    flagged = 0
    for story in stories:
        # An open flag says why as of the latest decision (disputed, then rejected).
        _, created = CorrectionFlag.objects.update_or_create(
            story=story,
            citation=citation,
            resolved_at=None,
            defaults={"reason": reason},
            create_defaults={"reason": reason, "created_at": now},
        )
        flagged += created
    return flagged
