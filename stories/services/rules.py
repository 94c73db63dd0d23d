"""What the story services check before they write: who may change a story, whether its
citation markers hold, and what stands between a story and publication (rule 4).

:func:`publication_blockers` is the one list of what blocks publication: the editor's page
shows it and :func:`stories.services.publishing.story_publish` refuses with it. A new
check (the desk's open check flags, for one) adds its blockers there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from people.models import Organization
from stories.models import Citation, CitationState, Story, StoryStatus
from stories.rendering import render_body
from stories.services.claims import story_claims

EDITABLE_BY_AUTHORS = {StoryStatus.DRAFT, StoryStatus.IN_REVIEW}


# Who may change a story -----------------------------------------------------------------------


def can_edit(story: Story, user: AbstractBaseUser, *, author_ids: Iterable[int]) -> bool:
    if story.status == StoryStatus.WITHDRAWN:
        return False
    if user.has_perm("stories.publish_story"):
        return True
    return user.pk in set(author_ids) and story.status in EDITABLE_BY_AUTHORS


def require(user: AbstractBaseUser, permission: str, message: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(message)


def require_edit(story: Story, user: AbstractBaseUser) -> None:
    author_ids = story.authors.values_list("pk", flat=True)
    if not can_edit(story, user, author_ids=author_ids):
        if story.status == StoryStatus.WITHDRAWN:
            raise PermissionDenied(_("A withdrawn story cannot be edited."))
        if story.status in EDITABLE_BY_AUTHORS:
            raise PermissionDenied(_("Only the story's authors and editors can edit it."))
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
    # An attached citation exists: only the others are looked up (none, most of the time).
    others = [citation_id for citation_id in cited if citation_id not in attached]
    existing = (
        set(Citation.objects.filter(pk__in=others).values_list("pk", flat=True))
        if others
        else set()
    )
    errors = []
    for citation_id in cited:
        if citation_id in attached:
            continue
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


def unverified(citations: Iterable[Citation]) -> list[Citation]:
    return [citation for citation in citations if citation.state != CitationState.VERIFIED]


def blocking_message(citation: Citation) -> str:
    claim = ""
    if citation.role_change_id:
        move = citation.role_change
        claim = f" ({move.person.name}, {move.post.title})"
    return f"Citation {citation.pk}{claim} is {citation.get_state_display()}, not verified."


def story_citations(story: Story) -> list[Citation]:
    return list(
        story.citations.select_related(
            "role_change__person", "role_change__post", "role_change__organization"
        ).order_by("pk")
    )


# What blocks publication (rule 4) -------------------------------------------------------------


@dataclass(frozen=True)
class PublicationBlocker:
    """One thing that keeps a story from going out: what, and a link to where it is fixed."""

    message: str
    url: str
    link_text: str
    citation: Citation | None = None


class StoryNotPublishable(ValidationError):
    """Rule 4 stands in the way: ``blockers`` says what, each with its link; ``blocking``
    lists the citations among them."""

    def __init__(self, blockers: list[PublicationBlocker]) -> None:
        super().__init__([blocker.message for blocker in blockers])
        self.blockers = blockers
        self.blocking = [blocker.citation for blocker in blockers if blocker.citation]


def publication_blockers(
    story: Story, *, citations: list[Citation] | None = None
) -> list[PublicationBlocker]:
    """Everything that keeps ``story`` from publication; empty when it may go out.

    - each attached citation that is not verified (a pending one links to its row in the
      verification queue, a disputed or rejected one to its page, to decide again);
    - a body that cites no verified citation at all: every story rests on at least one;
    - a marker that names no attached citation, or text that tries to be a marker;
    - a claim the desk flagged (stories/claims.py) that no editor has marked checked.

    This is the one list of blockers: the editor's page shows it, ``story_publish`` refuses
    with it, and any further check adds its own here. ``citations``: the story's citations
    when the caller has read them already (with their moves' people, posts, organizations).
    """
    citations = story_citations(story) if citations is None else citations
    editor_url = reverse("stories:story-edit", args=[story.pk])
    blockers = [_citation_blocker(citation) for citation in unverified(citations)]
    cited = set(render_body(story.body).citation_ids)
    if not any(
        citation.pk in cited and citation.state == CitationState.VERIFIED for citation in citations
    ):
        blockers.append(
            PublicationBlocker(
                message=_(
                    "The story cites no verified citation: every story rests on at least one. "
                    "Attach the moves it reports and cite them in the body with their markers."
                ),
                url=f"{editor_url}#citations-heading",
                link_text=_("Attach and cite a citation"),
            )
        )
    blockers += [
        PublicationBlocker(
            message=message, url=f"{editor_url}#id_body", link_text=_("Fix the marker in the body")
        )
        for message in marker_errors(story.body, [citation.pk for citation in citations])
    ]
    blockers += [
        PublicationBlocker(
            message=_("A claim to check: %(message)s") % {"message": claim.flag.message},
            url=f"{editor_url}#claims-heading",
            link_text=_("Mark it checked, with a note"),
        )
        for claim in story_claims(story)
        if claim.is_open
    ]
    return blockers


def _citation_blocker(citation: Citation) -> PublicationBlocker:
    if citation.state == CitationState.PENDING:
        query = ""
        if citation.role_change_id:
            query = "?" + urlencode({"person": citation.role_change.person.slug})
        return PublicationBlocker(
            message=blocking_message(citation),
            url=f"{reverse('stories:verify-queue')}{query}#citation-{citation.pk}",
            link_text=_("citation %(number)s in the verification queue") % {"number": citation.pk},
            citation=citation,
        )
    return PublicationBlocker(
        message=blocking_message(citation),
        url=reverse("stories:citation-detail", args=[citation.pk]),
        link_text=_("decide again on citation %(number)s's page, or detach it")
        % {"number": citation.pk},
        citation=citation,
    )
