"""Reader pages: the story list, the article with its live leadership sidebar, and the
tombstone of a withdrawn story."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from newsroom.cache import CACHE_SECONDS, cached, data_version, versioned_cache
from newsroom.page_cache import depends_on, reader_page
from newsroom.permissions import is_desk_member
from people.embeds import TimelineRequest, story_timelines
from people.models import Organization, RoleChange
from people.queries import leadership_sidebar
from stories.models import Citation, CitationState, Correction, CorrectionFlag, Story
from stories.rendering import replace_timelines, timeline_placeholders
from stories.structured_data import SITE_NAME, news_article

PAGE_SIZE = 20


@require_GET
@reader_page("stories")
def story_list(request: HttpRequest) -> HttpResponse:
    """Published stories, newest first.

    The count and the rendered list are cached on the data version, which any write bumps:
    a page of the list is read from the database only when something changed.
    """
    version = data_version()
    stories = Story.objects.published().newest_first().prefetch_related("authors")
    # Counting every published story costs more than reading the page.
    count = versioned_cache().get_or_set(
        f"published-stories:{version}", stories.count, CACHE_SECONDS
    )
    return render(
        request,
        "stories/story_list.html",
        {
            "page": _page(request, stories, count=count),
            # The cached list is keyed on the page alone: its links carry nothing else.
            "page_params": {},
            "data_version": version,
        },
    )


def _page(request: HttpRequest, stories, *, count: int | None = None) -> Page:
    """The requested page; a page that does not exist is a 404, never another page's list.

    Each list URL then means one thing: ``?page=abc`` or ``?page=99`` cannot show (and get
    indexed as) a copy of the first or last page. ``count``, when known, spares the paginator
    its count query; the page's stories are read only when the template iterates them.
    """
    paginator = Paginator(stories, PAGE_SIZE)
    if count is not None:
        paginator.count = count
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page of stories.") from None


@dataclass(frozen=True)
class Article:
    """What the article page shows of a story, rendered once per data version and audience.

    Everything here depends on the data alone (never on the request's CSP nonce or CSRF
    token), so it can be cached and shared by every reader of the same audience.
    """

    pk: int
    slug: str
    title: str
    language: str
    organization_ids: tuple[int, ...]
    organization_slugs: tuple[str, ...]
    first_published_at: datetime.datetime | None
    head_html: str  # meta and Open Graph tags
    main_html: str  # the <article> element (and, for the desk, the "not public" notice)
    structured_data: dict[str, Any]
    # The Sources list again, for the sidebar's poll to swap in (htmx out of band).
    sources_oob_html: str = ""


@dataclass(frozen=True)
class Tombstone:
    """What is left of a withdrawn story for everyone (410): the headline, the dates and
    the editors' notice; no text, no sources, no structured data."""

    pk: int
    title: str
    language: str
    first_published_at: datetime.datetime | None
    withdrawn_at: datetime.datetime | None
    notice: str


@dataclass(frozen=True)
class SourceEntry:
    """A numbered entry of the Sources list. A citation that stopped being verified after
    publication (rule 6) is marked for readers: since when, and the correction once there
    is one; it is never shown as support."""

    number: int
    citation: Citation
    under_review_since: datetime.datetime | None = None
    correction: Correction | None = None

    @property
    def under_review(self) -> bool:
        return self.citation.state != CitationState.VERIFIED


# A footnote reference as stories/rendering.py writes it, and the citation it points to.
FOOTNOTE_REF = re.compile(r'<sup class="footnote-ref" id="cite-(\d+)-')


def _build_article(request: HttpRequest, slug: str, *, desk: bool) -> Article | Tombstone | None:
    """Read the story and render its pieces; ``None`` when this audience may not see it."""
    story = (
        Story.objects.prefetch_related("authors", "corrections", "organizations")
        .annotate(has_editions=_has_other_editions())
        .filter(slug=slug)
        .first()
    )
    if story is not None and story.is_withdrawn:
        return Tombstone(
            pk=story.pk,
            title=story.title,
            language=story.language,
            first_published_at=story.first_published_at,
            withdrawn_at=story.withdrawn_at,
            notice=story.withdrawal_note,
        )
    # Readers see published stories only; drafts and stories in review are 404 to them.
    if story is None or not (story.is_public or desk):
        return None
    corrections = list(story.corrections.all())
    sources = _sources(story, corrections)
    context = {
        "story": story,
        "body_html": _mark_footnotes(_with_timelines(request, story), sources),
        "sources": sources,
        "authors": list(story.authors.all()),
        "corrections": corrections,
        "editions": _other_editions(story),
        # Absolute and without the request's query string: one URL per story for search
        # engines and link previews, however the reader arrived (?utm_source=...).
        "canonical_url": request.build_absolute_uri(story.get_absolute_url()),
        "site_name": SITE_NAME,
    }
    context["sources_html"] = render_to_string("stories/_sources.html", context)
    return Article(
        pk=story.pk,
        slug=story.slug,
        title=story.title,
        language=story.language,
        organization_ids=tuple(organization.pk for organization in story.organizations.all()),
        # The organizations its sidebar shows, and those its body draws timelines of.
        organization_slugs=tuple(
            {o.slug for o in story.organizations.all()}
            | {marker.slug for marker in timeline_placeholders(story.body_html)}
        ),
        first_published_at=story.first_published_at,
        head_html=render_to_string("stories/_story_meta.html", context),
        main_html=render_to_string("stories/_article.html", context),
        sources_oob_html=render_to_string("stories/_sources.html", {**context, "oob": True}),
        structured_data=news_article(
            story,
            request=request,
            authors=context["authors"],
            # What supports the article: verified citations only.
            sources=[(entry.number, entry.citation) for entry in sources if not entry.under_review],
            corrections=corrections,
        ),
    )


def _has_other_editions() -> Exists:
    """Whether a story has a published version in another language: asked within the story's
    own query, so a story without one (most) costs nothing more."""
    original = Coalesce(OuterRef("translation_of_id"), OuterRef("pk"))
    return Exists(
        Story.objects.published()
        .filter(Q(pk=original) | Q(translation_of_id=original))
        .exclude(pk=OuterRef("pk"))
        .exclude(language=OuterRef("language"))
    )


def _other_editions(story: Story) -> list[Story]:
    """The story's published versions in other languages (its original, the original's other
    translations, or its own translations), each at its address in its language's edition."""
    if not story.has_editions:
        return []
    original = story.translation_of_id or story.pk
    others = list(
        Story.objects.published()
        .filter(Q(pk=original) | Q(translation_of_id=original))
        .exclude(pk=story.pk)
        .exclude(language=story.language)
        .only("slug", "title", "language")
        .order_by("language", "pk")
    )
    for other in others:
        with translation.override(other.language):
            other.edition_url = other.get_absolute_url()
    return others


def _sources(story: Story, corrections: list[Correction]) -> list[SourceEntry]:
    """The Sources list in footnote order, each under review since its citation stopped
    being verified, linked to the correction that resolved its flag (none while one is open)."""
    by_id = {citation.pk: citation for citation in story.citations.for_display()}
    cited = [
        (number, by_id[citation_id])
        for number, citation_id in enumerate(story.cited_ids, start=1)
        if citation_id in by_id
    ]
    retracted = [c.pk for _, c in cited if c.state != CitationState.VERIFIED]
    resolved_by: dict[int, int | None] = {}
    if retracted:
        flags = CorrectionFlag.objects.filter(story=story, citation_id__in=retracted)
        for citation_id, correction_id, resolved_at in flags.order_by(
            "created_at", "pk"
        ).values_list("citation_id", "correction_id", "resolved_at"):
            # The latest flag decides: still open, no correction yet.
            resolved_by[citation_id] = correction_id if resolved_at else None
    correction_by_id = {correction.pk: correction for correction in corrections}
    return [
        SourceEntry(
            number=number,
            citation=citation,
            under_review_since=citation.decided_at if citation.pk in retracted else None,
            correction=correction_by_id.get(resolved_by.get(citation.pk)),
        )
        for number, citation in cited
    ]


def _mark_footnotes(body_html: str, sources: list[SourceEntry]) -> str:
    """The stored body, with each reference to a source under review marked as such."""
    under_review = {entry.citation.pk for entry in sources if entry.under_review}
    if not under_review:
        return body_html
    title = escape(_("The editors are re-checking this source"))

    def mark(match: re.Match) -> str:
        if int(match.group(1)) not in under_review:
            return match.group(0)
        return f'<sup class="footnote-ref under-review" title="{title}" id="cite-{match.group(1)}-'

    return FOOTNOTE_REF.sub(mark, body_html)


def _with_timelines(request: HttpRequest, story: Story) -> str:
    """The stored body with each timeline marker drawn as of the publication date
    (people/embeds.py); today's date for a draft previewed on the desk."""
    markers = timeline_placeholders(story.body_html)
    if not markers:
        return story.body_html
    today = timezone.localdate()
    published_on = (
        timezone.localdate(story.first_published_at) if story.first_published_at else today
    )
    embedded = story_timelines(
        [TimelineRequest(marker.slug, marker.first, marker.last) for marker in markers],
        published_on=published_on,
        today=today,
    )
    figures = [
        render_to_string(
            "people/_timeline_embed.html",
            {
                "embedded": one,
                "figure_id": f"story-timeline-{index}",
                "published_on": published_on,
                "page_url": request.build_absolute_uri(one.organization_url)
                if one.organization_url
                else "",
            },
        )
        for index, one in enumerate(embedded, start=1)
    ]
    return replace_timelines(story.body_html, figures)


def _article(request: HttpRequest, slug: str, *, version: int) -> Article | Tombstone:
    """The article for this reader, from the cache when the data has not changed since."""
    desk = is_desk_member(request.user)
    # Today's date too: a timeline in the body lists the moves since publication up to today.
    key = (
        f"article:{slug}:{'desk' if desk else 'public'}:{get_language()}:"
        f"{request.scheme}://{request.get_host()}:{timezone.localdate()}:{version}"
    )
    article = cached(key, lambda: _build_article(request, slug, desk=desk))
    if article is None:
        raise Http404("No such story.")
    return article


def _tombstone(request: HttpRequest, tombstone: Tombstone) -> HttpResponse:
    """410 Gone, with the editors' notice: a reader who followed a link learns why."""
    return render(
        request,
        "stories/story_withdrawn.html",
        {"tombstone": tombstone, "desk": is_desk_member(request.user)},
        status=410,
    )


def _sidebar_context(request: HttpRequest, article: Article, *, version: int) -> dict:
    """What the sidebar needs; the data itself is read lazily, inside the fragment cache.

    The cache key carries the data version, which every write to desk data bumps
    (newsroom/cache.py), so a move recorded, verified or disputed since the last request is
    shown at once; and the reader's language, in which the sidebar's dates are written.
    """
    today = timezone.localdate()
    published_on = (
        timezone.localdate(article.first_published_at) if article.first_published_at else today
    )
    as_published = request.GET.get("sidebar") == "published"
    as_of = published_on if as_published else today

    def sidebar() -> list:
        organizations = Organization.objects.filter(pk__in=article.organization_ids).order_by(
            "name", "pk"
        )
        return leadership_sidebar(
            list(organizations),
            as_of=as_of,
            changes_since=published_on,
            # What the story reports is not news since it was published (a subquery).
            reported=RoleChange.objects.filter(stories=article.pk).values("pk"),
        )

    return {
        "sidebar": sidebar,
        "sidebar_as_of": as_of,
        "sidebar_as_published": as_published,
        "published_on": published_on,
        "sidebar_cache_key": (
            f"{article.pk}:{as_of.isoformat()}:{published_on.isoformat()}:"
            f"{','.join(map(str, article.organization_ids))}:{get_language()}:{version}"
        ),
    }


@require_GET
@reader_page()
def story_detail(request: HttpRequest, slug: str) -> HttpResponse:
    depends_on(request, f"story:{slug}")
    version = data_version()
    article = _article(request, slug, version=version)
    if isinstance(article, Tombstone):
        return _tombstone(request, article)
    # The sidebar: the leadership of the story's organizations.
    depends_on(request, *(f"org:{slug}" for slug in article.organization_slugs))
    return render(
        request,
        "stories/story_detail.html",
        {"article": article, **_sidebar_context(request, article, version=version)},
    )


@require_GET
@vary_on_headers("HX-Request")
def story_sidebar(request: HttpRequest, slug: str) -> HttpResponse:
    """The sidebar alone: what the open article page polls every minute (with htmx, the
    Sources list comes along, swapped in out of band)."""
    version = data_version()
    article = _article(request, slug, version=version)
    if isinstance(article, Tombstone):
        return _tombstone(request, article)
    response = render(
        request,
        "stories/story_detail.html#leadership-sidebar",
        {"article": article, **_sidebar_context(request, article, version=version)},
    )
    if request.htmx:
        # The open article's Sources too (rule 6: a source the editors are re-checking is
        # marked for readers at once, without a reload).
        response.content += article.sources_oob_html.encode()
    response["Cache-Control"] = "no-cache"
    return response
