"""Error pages that must render without the database.

Django calls ``handler500`` for any exception no view or middleware handled, wherever it was
raised (a view, a middleware, a template, the session saved on the way out). When that
exception says the database cannot be reached, the reader gets a 503 page with
``Retry-After`` instead of a 500: the site is not broken, it is waiting for its database.
Neither page touches the database, shows the error, or runs a context processor.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

# Seconds a client is asked to wait: about as long as the pool takes to reconnect.
RETRY_AFTER_SECONDS = 10


def is_database_unavailable(error: BaseException | None) -> bool:
    """True for a lost or refused connection, also when wrapped by another exception.

    Django raises OperationalError for the transient failures too (a deadlock, a pool with
    no free connection in time): each of them is also worth trying again in a moment.
    """
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__
    return False


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: 503 with Retry-After when the database is unavailable, else the 500 page."""
    if is_database_unavailable(sys.exc_info()[1]):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))
