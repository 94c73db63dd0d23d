"""Recording editorial actions in the audit log (``newsroom.models.AuditEntry``).

Services call :func:`audit_record` inside their transaction, so an action that is rolled
back leaves no entry. Who acted and from which address come from the request being served
(:class:`AuditContextMiddleware`), or from the service's own ``editor`` argument; a
management command has no address and records none.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.http import HttpRequest, HttpResponse

from newsroom.client_ip import client_ip
from newsroom.models import AuditAction, AuditEntry

_current_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


class AuditContextMiddleware:
    """Make the request (its user and address) known to services while it is served."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def audit_record(
    *,
    action: AuditAction,
    obj: models.Model | None = None,
    detail: str = "",
    actor: AbstractBaseUser | None = None,
    diff: str = "",
) -> AuditEntry:
    """Add one entry: ``action`` on ``obj`` by ``actor`` (default: the signed-in user);
    ``diff`` is what changed in full, for a change to published text."""
    request = _current_request.get()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor.get_username() if actor is not None else "",
        action=action,
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=_short(str(obj), 200) if obj is not None else "",
        detail=_short(detail, 500),
        diff=diff,
        ip_address=_address(request),
    )


def _address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
