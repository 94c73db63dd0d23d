"""Signed-in sessions end after an idle spell and after a working day, whatever happens.

Django's session expiry alone restarts with every write to the session, so a session in
use never ends. This middleware keeps two times in the session of a signed-in user (set at
sign-in) and signs the user out, before the view runs, when either is past its limit:

- ``last_seen``, updated at most once a minute: idle for ``SESSION_IDLE_TIMEOUT`` seconds;
- ``signed_in_at``: signed in for more than ``SESSION_COOKIE_AGE`` seconds.

Readers are anonymous and carry no session cookie, so their requests cost nothing here.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
TOUCH_EVERY = 60  # seconds: how stale last_seen may get before it is written again


@receiver(user_logged_in)
def start_the_clock(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN] = now


def session_ended(session, now: int) -> str:
    """Why this session has ended (a sentence for the sign-in page), or ``""``."""
    started = session.get(SIGNED_IN_AT)
    last_seen = session.get(LAST_SEEN, started)
    if started is None:  # a session from before this rule: its clock starts now
        return ""
    idle = settings.SESSION_IDLE_TIMEOUT
    if now - last_seen > idle:
        minutes = max(1, idle // 60)
        return (
            f"You were signed out after {minutes} minute{'s' if minutes != 1 else ''} "
            "without activity. Sign in again to continue."
        )
    if now - started > settings.SESSION_COOKIE_AGE:
        hours = max(1, settings.SESSION_COOKIE_AGE // 3600)
        return (
            f"You were signed out {hours} hour{'s' if hours != 1 else ''} after signing in. "
            "Sign in again to continue."
        )
    return ""


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            reason = session_ended(request.session, now)
            if reason:
                logout(request)
                messages.info(request, reason)
            else:
                if SIGNED_IN_AT not in request.session:
                    request.session[SIGNED_IN_AT] = now
                if now - request.session.get(LAST_SEEN, 0) >= TOUCH_EVERY:
                    request.session[LAST_SEEN] = now
        return self.get_response(request)
