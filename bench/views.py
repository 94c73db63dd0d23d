"""The benchmark's ceiling: a bare view behind the site's whole middleware stack."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def baseline(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!doctype html><title>baseline</title><p>baseline</p>")
