"""Sign-in throttling (django-axes) and signing out everywhere on a password change."""

from __future__ import annotations

import logging

from axes.helpers import get_cool_off
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from newsroom.client_ip import client_ip

logger = logging.getLogger("newsroom.security")


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The sign-in page again, with the lockout explained (429 Too Many Requests)."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    message = (
        f"Too many failed sign-ins ({settings.AXES_FAILURE_LIMIT}) for this account or from "
        "this address. "
        + (
            f"Sign-in is blocked for {minutes} minute{'s' if minutes != 1 else ''}; "
            "try again after that, or ask an editor to reset your password."
            if minutes
            else "Ask an administrator to unlock it."
        )
    )
    return render(
        request,
        "registration/login.html",
        {"form": AuthenticationForm(request), "locked_out": message},
        status=429,
    )


@receiver(user_locked_out)
def log_lockout(sender, request: HttpRequest, username: str | None, ip_address: str, **kwargs):
    logger.warning(
        "Sign-in locked out: username=%r address=%s after %s failures",
        username or "",
        ip_address or (client_ip(request) if request else ""),
        settings.AXES_FAILURE_LIMIT,
    )


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's password. Every other session of the account is signed out.

    Django keeps a hash of the password in each session and drops a session whose hash no
    longer matches; this session is given the new hash so it stays signed in.
    """
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        logger.info(
            "Password changed: username=%r address=%s", user.get_username(), client_ip(request)
        )
        messages.success(request, _("Password changed. You are signed out on every other device."))
        return redirect("home")
    return render(request, "registration/password_change_form.html", {"form": form})
