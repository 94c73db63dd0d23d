"""Nothing executable inline: every script is a file from our origin (script-src 'self', no
nonce, so a page can be cached whole), no inline event handler or style anywhere, htmx
configured not to need either (ASVS V14.4.3, V5.3.3).

Two checks: the template sources (every template, also ones no test renders), and the
pages as served, with their Content-Security-Policy header.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from people.models import Organization, Person
from people.tests.factories import editor
from stories.models import Story

TEMPLATES = sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))
INLINE_HANDLER = re.compile(r"<[^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


def test_the_scan_sees_the_templates():
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_no_template_has_inline_handlers_inline_scripts_or_inline_styles(path):
    source = path.read_text()
    assert not INLINE_HANDLER.search(source), INLINE_HANDLER.search(source).group(0)
    for tag in SCRIPT_TAG.findall(source):
        assert " src=" in tag and "nonce" not in tag, tag
    assert "javascript:" not in source.lower()
    assert not re.search(r"\sstyle\s*=", source), "inline style attribute"
    assert "<style" not in source.lower()


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline_script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        # Structured data (JSON-LD) is inert text for the browser, not a script it runs.
        self._in_script = tag == "script" and dict(attrs).get("type") != "application/ld+json"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_script_text.append(data)


@pytest.fixture
def demo_pages(db, client):
    call_command("load_demo_desk", verbosity=0)
    client.force_login(editor())
    story = Story.objects.published().first()
    person = Person.objects.order_by("pk").first()
    organization = Organization.objects.order_by("pk").first()
    return client, [
        reverse("home"),
        reverse("login"),
        reverse("stories:story-list"),
        reverse("stories:story-detail", args=[story.slug]),
        reverse("people:person-list") + "?q=a",
        reverse("people:person-detail", args=[person.slug]),
        reverse("people:organization-list"),
        reverse("people:organization-detail", args=[organization.slug]),
        reverse("stories:desk-home"),
        reverse("stories:verify-queue"),
        reverse("stories:review-queue"),
        reverse("stories:story-new"),
        reverse("stories:story-edit", args=[story.pk]),
        reverse("stories:move-record"),
        reverse("stories:audit-log"),
        reverse("data:moves-import"),
        reverse("password_change"),
    ]


@pytest.mark.lazy_queries_allowed
def test_served_pages_run_only_scripts_from_our_origin(demo_pages):
    client, urls = demo_pages
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "nonce" not in policy, url
        page = Tags()
        page.feed(response.content.decode())
        scripts = [attrs for tag, attrs in page.tags if tag == "script"]
        assert scripts, url  # htmx at least
        for attrs in scripts:
            assert attrs.get("src", "").startswith("/static/") or attrs.get("type") == (
                "application/ld+json"
            ), (url, attrs)
            assert "nonce" not in attrs, (url, attrs)
        assert page.inline_script_text == [], url
        for tag, attrs in page.tags:
            handlers = [name for name in attrs if name.startswith(("on", "hx-on"))]
            assert handlers == [], (url, tag, handlers)
            assert "style" not in attrs, (url, tag)
            for name in ("href", "src", "action", "formaction"):
                assert not (attrs.get(name) or "").strip().lower().startswith("javascript:")


@pytest.mark.django_db
def test_htmx_is_configured_for_the_policy(client):
    """htmx 2 would inject an indicator <style> and may eval hx-on/js: attributes; both off."""
    page = Tags()
    page.feed(client.get(reverse("home")).content.decode())
    [config] = [
        json.loads(attrs["content"])
        for tag, attrs in page.tags
        if tag == "meta" and attrs.get("name") == "htmx-config"
    ]
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False
    [htmx] = [
        attrs["src"] for tag, attrs in page.tags if tag == "script" and "htmx" in attrs["src"]
    ]
    assert htmx.startswith(settings.STATIC_URL)  # served by us, no CDN
