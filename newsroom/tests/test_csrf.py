"""Every write needs the CSRF token, htmx requests included (ASVS V4.2.2, V13.2.3).

The walk covers every URL pattern of the site except the admin (Django's own, with its
own CSRF protection) and the read-only public API under /api/.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from people.tests.factories import editor

pytestmark = pytest.mark.django_db

SKIPPED_PREFIXES = ("admin/", "api/")
SAMPLE = {"int": "1", "slug": "some-slug", "str": "person", "path": "x"}


def walk(patterns, prefix="", name_prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            yield from walk(pattern.url_patterns, route, name_prefix + namespace)
        elif isinstance(pattern, URLPattern):
            url = "/" + re.sub(
                r"<(?:(\w+):)?\w+>", lambda match: SAMPLE[match.group(1) or "str"], route
            )
            yield name_prefix + (pattern.name or route), url, pattern.callback


ROUTES = sorted(walk(get_resolver().url_patterns), key=lambda route: route[:2])
WRITES = {
    "stories:citation-decide",
    "stories:edit-decide",
    "stories:story-workflow",
    "stories:story-new",
    "stories:story-edit",
    "stories:story-attach",
    "stories:story-detach",
    "stories:move-record",
    "stories:source-edit",
    "stories:statement-edit",
    "data:moves-import",
    "login",
    "logout",
    "password_change",
}


def test_the_walk_reaches_every_write_and_no_view_is_exempt():
    names = {name for name, _, _ in ROUTES}
    assert names >= WRITES
    exempt = [name for name, _, callback in ROUTES if getattr(callback, "csrf_exempt", False)]
    assert exempt == []


@pytest.fixture
def strict_client():
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor())
    return client


@pytest.mark.parametrize(("name", "url"), [(name, url) for name, url, _ in ROUTES])
@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_a_post_without_the_token_is_refused(strict_client, name, url, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = strict_client.post(url, {"title": "x", "decision": "verified"}, headers=headers)
    assert response.status_code == 403, f"{name} {url}"
    assert "CSRF" in response.content.decode()


def test_a_wrong_token_in_the_htmx_header_is_refused_and_the_right_one_accepted(strict_client):
    """The header that <body hx-headers> sends is what lets htmx requests through."""
    url = reverse("stories:story-new")
    strict_client.get(url)  # sets the CSRF cookie, as the page does
    token = strict_client.cookies["csrftoken"].value
    wrong = strict_client.post(
        url, {"title": ""}, headers={"HX-Request": "true", "X-CSRFToken": "x" * 32}
    )
    assert wrong.status_code == 403
    right = strict_client.post(
        url, {"title": ""}, headers={"HX-Request": "true", "X-CSRFToken": token}
    )
    assert right.status_code != 403
