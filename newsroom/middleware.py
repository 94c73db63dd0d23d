"""Security middleware Django does not ship: a Permissions-Policy header, NUL refused."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse


class PermissionsPolicyMiddleware:
    """Send ``settings.PERMISSIONS_POLICY``: browser features no page uses are turned off."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response


class RefuseNulInQueryMiddleware:
    """A query string with a NUL character gets 400 Bad Request, before any view.

    No search, filter or date contains NUL, and PostgreSQL refuses it in text, so a
    view passing it on to a query would fail with a 500. Forms refuse it in posted fields
    (Django's ProhibitNullCharactersValidator); the public API cleans its own parameters
    and answers in JSON, so it is left to do that.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/") and any(
            "\x00" in key or "\x00" in value
            for key, values in request.GET.lists()
            for value in values
        ):
            raise SuspiciousOperation(
                "The address has a NUL character in its query string; remove it and try again."
            )
        return self.get_response(request)
