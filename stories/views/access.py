"""Decorators for desk views: sign in first, then the permission of the design's table."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from newsroom.permissions import is_desk_member, is_editor


def _requires(check: Callable, message: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


desk_member_required = _requires(
    is_desk_member, "The desk is for journalists and editors; ask an editor for access."
)
editor_required = _requires(is_editor, "Only editors can do this.")
