"""The address a request came from: one rule for sign-in throttling and the audit log."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """``REMOTE_ADDR``, or behind ``TRUSTED_PROXY_COUNT`` proxies the address they saw.

    Each proxy appends the address it received the request from to ``X-Forwarded-For``, so
    the entry ``TRUSTED_PROXY_COUNT`` places from the right is the client as seen by the
    outermost trusted proxy; anything to its left was written by the client and is ignored.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
