"""The desk inbox: a person's notifications, newest first, and their e-mail choice."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from newsroom.models import Notification, NotificationPreference
from newsroom.notifications import email_wanted
from newsroom.permissions import is_desk_member

PAGE_SIZE = 50


def _desk_member(request: HttpRequest) -> None:
    if not is_desk_member(request.user):
        raise PermissionDenied(_("The desk is for journalists and editors."))


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    _desk_member(request)
    notifications = Notification.objects.filter(recipient=request.user).order_by(
        "-created_at", "-pk"
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "newsroom/inbox.html",
        {"page": page, "email_on": email_wanted(request.user)},
    )


@require_POST
@login_required
def inbox_mark_read(request: HttpRequest) -> HttpResponse:
    _desk_member(request)
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("inbox")


@require_POST
@login_required
def inbox_email(request: HttpRequest) -> HttpResponse:
    """Turn e-mail on or off for the signed-in person (``email`` is "on" or "off")."""
    _desk_member(request)
    choice = request.POST.get("email")
    if choice not in ("on", "off"):
        messages.error(request, _("Choose whether to receive e-mail: on or off."))
        return redirect("inbox")
    NotificationPreference.objects.update_or_create(
        user=request.user, defaults={"email": choice == "on"}
    )
    if choice == "on":
        messages.success(request, _("You will get these notifications by e-mail too."))
    else:
        messages.success(request, _("No more e-mail: notifications stay in this inbox."))
    return redirect("inbox")
