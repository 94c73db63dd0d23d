"""Reader pages: the story list and the article with its live leadership sidebar."""

from __future__ import annotations

from django.core.cache import cache
from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from newsroom.permissions import is_desk_member
from people.cache import data_version
from people.queries import leadership_sidebar
from stories.models import Story
from stories.structured_data import news_article

PAGE_SIZE = 20


@require_GET
def story_list(request: HttpRequest) -> HttpResponse:
    """Published stories, newest first."""
    stories = Story.objects.published().newest_first().prefetch_related("authors")
    # Counting every published story costs more than reading the page; the count is cached
    # on the data version (people/cache.py), which any write bumps, so it is never stale.
    count = cache.get_or_set(f"published-stories:{data_version()}", stories.count, 60 * 60)
    return render(
        request, "stories/story_list.html", {"page": _page(request, stories, count=count)}
    )


def _page(request: HttpRequest, stories, *, count: int | None = None) -> Page:
    """The requested page; a page that does not exist is a 404, never another page's list.

    Each list URL then means one thing: ``?page=abc`` or ``?page=99`` cannot show (and get
    indexed as) a copy of the first or last page. ``count``, when known, spares the paginator
    its count query.
    """
    paginator = Paginator(stories, PAGE_SIZE)
    if count is not None:
        paginator.count = count
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page of stories.") from None


def _visible_story(request: HttpRequest, slug: str, *related: str) -> Story:
    """Readers see published stories only; drafts, reviews and withdrawals are 404 to them.

    ``related`` names what the page shows of the story, prefetched.
    """
    story = get_object_or_404(Story.objects.prefetch_related(*related), slug=slug)
    if not story.is_public and not is_desk_member(request.user):
        raise Http404("No such story.")
    return story


def _sidebar_context(request: HttpRequest, story: Story) -> dict:
    """What the sidebar needs; the data itself is read lazily, inside the fragment cache.

    The cache key carries the data version, which every write to desk data bumps
    (people/cache.py), so a move recorded, verified or disputed since the last request is
    shown at once; and the reader's language, in which the sidebar's dates are written.
    """
    today = timezone.localdate()
    published_on = (
        timezone.localdate(story.first_published_at) if story.first_published_at else today
    )
    as_published = request.GET.get("sidebar") == "published"
    as_of = published_on if as_published else today
    organizations = list(story.organizations.all())

    def sidebar() -> list:
        return leadership_sidebar(organizations, as_of=as_of, changes_since=published_on)

    return {
        "sidebar": sidebar,
        "sidebar_as_of": as_of,
        "sidebar_as_published": as_published,
        "published_on": published_on,
        "sidebar_cache_key": (
            f"{story.pk}:{as_of.isoformat()}:{published_on.isoformat()}:"
            f"{','.join(str(o.pk) for o in organizations)}:{get_language()}:{data_version()}"
        ),
    }


@require_GET
def story_detail(request: HttpRequest, slug: str) -> HttpResponse:
    story = _visible_story(request, slug, "authors", "corrections", "organizations")
    by_id = {citation.pk: citation for citation in story.citations.for_display()}
    sources = [
        (number, by_id[citation_id])
        for number, citation_id in enumerate(story.cited_ids, start=1)
        if citation_id in by_id
    ]
    authors = list(story.authors.all())
    corrections = list(story.corrections.all())
    context = {
        "story": story,
        "sources": sources,
        "authors": authors,
        "corrections": corrections,
        "structured_data": news_article(
            story, request=request, authors=authors, sources=sources, corrections=corrections
        ),
        **_sidebar_context(request, story),
    }
    return render(request, "stories/story_detail.html", context)


@require_GET
@vary_on_headers("HX-Request")
def story_sidebar(request: HttpRequest, slug: str) -> HttpResponse:
    """The sidebar alone: what the open article page polls every minute."""
    story = _visible_story(request, slug, "organizations")
    response = render(
        request,
        "stories/story_detail.html#leadership-sidebar",
        {"story": story, **_sidebar_context(request, story)},
    )
    response["Cache-Control"] = "no-cache"
    return response
