"""Story bodies: citation markers become footnotes; nothing executable survives."""

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stories.rendering import render_body


def test_markers_become_numbered_footnotes_in_order_of_first_appearance():
    rendered = render_body("First [^c12], then [^c3], then [^c12] again.")
    assert rendered.citation_ids == [12, 3]
    assert rendered.html.count('href="#source-1"') == 2
    assert rendered.html.count('href="#source-2"') == 1
    assert 'id="cite-12-1"' in rendered.html and 'id="cite-12-2"' in rendered.html


def test_markers_in_code_are_left_as_text():
    rendered = render_body("Write `[^c7]` to cite.\n\n    [^c8]\n")
    assert rendered.citation_ids == []
    assert "[^c7]" in rendered.html


@pytest.mark.parametrize(
    "attempt",
    ["[^C12]", "[^c]", "[^c 12]", "[^ c12]", "[^c1234567890123]", "[^12]", "[^c-12]", "[^C]"],
)
def test_a_malformed_marker_is_reported_and_cites_nothing(attempt):
    rendered = render_body(f"Murati left.{attempt} Then {attempt} again.")
    assert rendered.malformed_markers == [attempt]
    assert rendered.citation_ids == []
    assert attempt in rendered.html


def test_valid_markers_code_and_ordinary_text_are_not_malformed_markers():
    rendered = render_body("Cited [^c12]. Write `[^C12]` never. A [^caveat] and [^note].")
    assert rendered.malformed_markers == []
    assert rendered.citation_ids == [12]


def test_markdown_is_rendered():
    html = render_body("## Heading\n\n*em* **strong** [link](https://example.com)\n\n- item").html
    assert "<h2>Heading</h2>" in html
    assert "<em>em</em>" in html and "<strong>strong</strong>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer">link</a>' in html
    assert "<li>item</li>" in html


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src=https://evil.example></iframe>",
        '<svg onload="alert(1)">',
        "![x](javascript:alert(1))",
        "<style>body{display:none}</style>",
        '<div style="background:url(javascript:alert(1))">x</div>',
    ],
)
def test_nothing_executable_survives(body):
    html = render_body(body).html
    assert not executable(html), html


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.elements.append((tag, attrs))


DANGEROUS_TAGS = {"script", "iframe", "style", "svg", "object", "embed", "img", "form", "base"}
SAFE_SCHEMES = {"http", "https", "mailto"}
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)


def loads_something_unsafe(url: str) -> bool:
    """Whether a link would run or load something: any scheme but http(s) and mailto.

    Browsers drop whitespace and control characters inside a URL before reading its scheme,
    so they are dropped here too; a relative or empty link stays on this site.
    """
    compact = "".join(ch for ch in url if ch > " " and ch != "\x7f")
    scheme = SCHEME.match(compact)
    return bool(scheme) and scheme.group(1).lower() not in SAFE_SCHEMES


def executable(html: str) -> bool:
    """Whether the HTML, as a browser parses it, holds anything that can run or load."""
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.elements:
        if tag in DANGEROUS_TAGS:
            return True
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                return True
            if name in {"href", "src"} and loads_something_unsafe(value or ""):
                return True
    return False


PIECES = [*"<>\"'=/:;() []!*`-_#&\n", "script", "javascript", "onerror", "img", "a href"]
PIECES += ["[^c1]", "iframe", "svg", "data:", "](", "<", "&#106;", "&#x6A;avascript:"]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_no_generated_body_renders_anything_executable(body):
    assert not executable(render_body(body).html)


@given(st.text(max_size=300))
def test_any_text_renders_without_error(body):
    rendered = render_body(body)
    assert isinstance(rendered.html, str)
    assert all(isinstance(citation_id, int) for citation_id in rendered.citation_ids)
