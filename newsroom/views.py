from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from people.models import Organization, RoleChange
from stories.models import Story


@require_GET
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


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read every reader page; the desk and the admin are not for them."""
    lines = [
        "User-agent: *",
        "Disallow: /desk/",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
