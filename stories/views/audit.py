"""The audit log on the desk: who did what, when, from where. Editors only."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from newsroom.models import AuditAction, AuditEntry
from stories.views.access import editor_required

PAGE_SIZE = 50


@require_GET
@editor_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """Newest first; filtered by action and by the username of who acted."""
    entries = AuditEntry.objects.order_by("-at", "-pk")
    action = request.GET.get("action", "")
    if action not in AuditAction.values:
        action = ""
    if action:
        entries = entries.filter(action=action)
    user = request.GET.get("user", "").strip()[:150]
    if user:
        entries = entries.filter(actor_name=user)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    chosen = {"action": action, "user": user}
    filters = urlencode({key: value for key, value in chosen.items() if value})
    return render(
        request,
        "desk/audit_log.html",
        {
            "page": page,
            "action": action,
            "user_filter": user,
            "actions": AuditAction.choices,
            "filters": filters,
        },
    )
