"""Whole reader pages from cache, for readers who are not signed in.

A page is kept under what identifies it (scheme, host, path and query, the language, the
``HX-Request`` header, today's date) together with the versions of the *tags* it depends on
(newsroom/cache.py): ``all``, the lists it shows (``stories``, ``moves``, ``people``,
``organizations``) and the things it shows (``org:<slug>``, ``person:<slug>``,
``story:<slug>``). A view names them with :func:`depends_on` *before* it reads the data they
cover, so a write that commits meanwhile bumps a version the page was stored under and the
page is not served again. A cached page is served when every tag still has the version it
was built under: one round trip to the shared versions, no database.

Answers carry an ``ETag`` (a hash of the page) and ``Last-Modified`` (when it was built), so
a conditional request gets ``304 Not Modified``, and ``Cache-Control: public`` with a short
``max-age`` and ``stale-while-revalidate``, so a shared cache in front (README, Production:
nginx's ``proxy_cache``) keeps a page briefly and serves it stale while it asks again.

Never cached: anything for the signed in (a session cookie; their pages say so with
``Cache-Control: private``), a page with a message waiting, any answer but 200, an answer
that sets a cookie. The pages carry nothing per request: no CSP nonce (script-src 'self'),
no CSRF token for readers (templates/_base.html).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from newsroom.cache import ALL, CACHE_SECONDS, tag_versions, versioned_cache

# How long a shared cache may keep a page, and serve it stale while it revalidates.
MAX_AGE = getattr(settings, "PAGE_CACHE_MAX_AGE", 10)
STALE_WHILE_REVALIDATE = getattr(settings, "PAGE_CACHE_STALE_WHILE_REVALIDATE", 60)
VARY = ("Cookie", "HX-Request", "Accept-Language")


@dataclass(frozen=True)
class CachedPage:
    tags: dict[str, str]
    content: bytes
    content_type: str
    etag: str
    last_modified: int
    content_language: str = ""


def depends_on(request: HttpRequest, *tags: str) -> None:
    """The page shows what ``tags`` cover: read their versions now, before that data.

    Does nothing outside a cached page (a signed-in reader's)."""
    deps: dict[str, str] | None = getattr(request, "_page_tags", None)
    if deps is None:
        return
    new = [tag for tag in tags if tag not in deps]
    if new:
        deps.update(tag_versions(new))


def cacheable(request: HttpRequest) -> bool:
    """A reader who is not signed in, reading: no session, no message waiting."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def page_key(request: HttpRequest) -> str:
    parts = (
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        get_language() or "",
        "htmx" if request.headers.get("HX-Request") else "",
        # Pages read "today" (the leadership now, a timeline up to today).
        timezone.localdate().isoformat(),
    )
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def serve(request: HttpRequest, build: Callable[[], HttpResponse], *tags: str) -> HttpResponse:
    """The page ``build()`` makes, from the cache when nothing it depends on changed."""
    if not cacheable(request):
        response = build()
        if "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, VARY)
        return response
    key = page_key(request)
    store = versioned_cache()
    page = store.get(key)
    if page is not None and tag_versions(page.tags) == page.tags:
        return _answer(request, page)
    request._page_tags = tag_versions([ALL, *tags])
    try:
        response = build()
    finally:
        tags_read = request.__dict__.pop("_page_tags")
    if response.status_code != 200 or response.streaming or _sets_cookies(request, response):
        if "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_cache=True)
        return response
    content = response.content
    etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
    if page is not None and page.etag == etag:
        last_modified = page.last_modified  # rebuilt the same: not modified
    else:
        # Later than the copy it replaces, even within the same second, so a reader who
        # asks If-Modified-Since that copy's date never gets 304 for different content.
        last_modified = max(int(time.time()), page.last_modified + 1 if page else 0)
    page = CachedPage(
        tags=tags_read,
        content=content,
        content_type=response["Content-Type"],
        etag=etag,
        last_modified=last_modified,
        content_language=response.get("Content-Language", ""),
    )
    store.set(key, page, CACHE_SECONDS)
    return _answer(request, page)


def _sets_cookies(request: HttpRequest, response: HttpResponse) -> bool:
    """The answer sets a cookie, or the middleware will (a CSRF token, a session)."""
    session = getattr(request, "session", None)
    return bool(
        response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (session is not None and session.modified)
    )


def _answer(request: HttpRequest, page: CachedPage) -> HttpResponse:
    response = HttpResponse(page.content, content_type=page.content_type)
    response["ETag"] = page.etag
    response["Last-Modified"] = http_date(page.last_modified)
    if page.content_language:
        response["Content-Language"] = page.content_language
    patch_cache_control(
        response, public=True, max_age=MAX_AGE, stale_while_revalidate=STALE_WHILE_REVALIDATE
    )
    patch_vary_headers(response, VARY)
    return get_conditional_response(
        request, etag=page.etag, last_modified=page.last_modified, response=response
    )


def reader_page(*tags: str):
    """A view whose answer readers get from :func:`serve`; ``tags``: the lists it shows
    (the view adds the things it shows with :func:`depends_on`)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            return serve(request, lambda: view(request, *args, **kwargs), *tags)

        return wrapper

    return decorate
