"""The public record of what the editors changed: every correction and withdrawal."""

from __future__ import annotations

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from newsroom.page_cache import reader_page
from stories.models import Correction
from stories.public_record import record_entries

PAGE_SIZE = 50


@require_GET
@reader_page("stories")
def correction_list(request: HttpRequest) -> HttpResponse:
    """Every correction and withdrawal, newest first, with the date, the story and the text."""
    paginator = Paginator(Correction.objects.public_record(), PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page of corrections.") from None
    return render(
        request,
        "stories/correction_list.html",
        {"page": page, "entries": record_entries(page.object_list)},
    )
