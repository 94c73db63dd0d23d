"""The front page: it shows stories and moves, so it lives with the app that knows both."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from newsroom.page_cache import reader_page
from people.models import Organization, RoleChange
from stories.models import Story


@require_GET
@reader_page("stories", "moves", "organizations")
def home(request: HttpRequest) -> HttpResponse:
    """The front page: the latest stories and confirmed moves, the organizations we cover."""
    latest_stories = Story.objects.published().newest_first().prefetch_related("authors")[:5]
    latest_moves = RoleChange.objects.public().moves().for_display().newest_first()[:10]
    organizations = Organization.objects.public().order_by("name")[:12]
    return render(
        request,
        "newsroom/home.html",
        {
            "latest_stories": latest_stories,
            "latest_moves": latest_moves,
            "organizations": organizations,
        },
    )
