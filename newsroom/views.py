from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from people.models import Organization, RoleChange


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The front page: the latest confirmed moves and the organizations we cover."""
    latest_moves = RoleChange.objects.public().for_display().newest_first()[:10]
    organizations = Organization.objects.order_by("name")[:12]
    return render(
        request,
        "newsroom/home.html",
        {"latest_moves": latest_moves, "organizations": organizations},
    )
