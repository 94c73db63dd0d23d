"""A source's archived copy, for readers: the text we kept of its page, with the capture date.

Linked from the Sources lists when a source's page is dead or has changed. It shows the
text extracted when the page was captured, escaped as text: never the page itself, so
nothing of someone else's page runs on our origin. Only sources with a verified citation are
shown (public facts are verified facts); which capture: the latest one that answered 2xx and
still held every verified quote of the source, else the latest one that answered 2xx.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from stories.models import CitationState, Source, SourceSnapshot
from stories.snapshots import locate_quote

CANDIDATES = 20  # captures looked at, newest first


@require_GET
def source_archived(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    quotes = list(
        source.citations.filter(state=CitationState.VERIFIED, statement__isnull=False)
        .values_list("statement__quote", flat=True)
        .distinct()
    )
    if not quotes and not source.citations.filter(state=CitationState.VERIFIED).exists():
        raise Http404("No verified citation of this source.")
    captures = list(
        SourceSnapshot.objects.filter(source=source, status__gte=200, status__lt=300)
        .exclude(text="")
        .order_by("-taken_at", "-pk")[:CANDIDATES]
    )
    chosen = next(
        (
            capture
            for capture in captures
            if all(locate_quote(capture.text, quote) for quote in quotes)
        ),
        captures[0] if captures else None,
    )
    parts = None
    if chosen is not None and quotes and (match := locate_quote(chosen.text, quotes[0])):
        parts = (
            chosen.text[: match.start],
            chosen.text[match.start : match.end],
            chosen.text[match.end :],
        )
    response = render(
        request,
        "stories/source_archived.html",
        {"source": source, "capture": chosen, "parts": parts},
    )
    response["X-Robots-Tag"] = "noindex"
    return response
