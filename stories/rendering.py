"""Story bodies: Markdown with citation markers, rendered once and sanitized.

Journalists cite with ``[^c12]`` (citation 12). Markers become numbered footnote references
in order of first appearance, pointing at the "Sources" list the article prints after the
body. Markdown is rendered by markdown-it-py with raw HTML turned off, then cleaned by nh3
against an allow-list, so no script, event handler or ``javascript:`` link survives whatever
the body holds.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass, field

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from newsroom.dates import InvalidPartialDate, parse_iso_day

MARKER = re.compile(r"\[\^c([0-9]{1,12})\]")
# What looks like an attempt at a marker but is not one: a capital C, a space, a missing or
# too long number, a bare number ("[^C12]", "[^c]", "[^c 12]", "[^12]", 13+ digits). Kept
# narrow so an ordinary "[^caveat]" is left alone; the desk reports these as errors.
MARKER_ATTEMPT = re.compile(r"\[\^[ \t]*(?:[cC][ \t#:._-]*(?=[0-9\]])|(?=[0-9]))[0-9]*[ \t]*\]?")

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "h2", "h3", "h4", "h5", "h6", "a", "sup", "table", "thead", "tbody", "tr", "th", "td",
    "del", "s",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id", "class"},
    "sup": {"class", "id"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}

# A timeline of an organization's leadership (people/embeds.py), on a line of its own:
# "[timeline:openai]" or "[timeline:openai 2023-11-06..2023-12-04]". Matched in the rendered
# HTML, where it is a paragraph of its own (never inside `code`).
TIMELINE_MARKER = re.compile(
    r"<p>\[timeline:[ \t]*(?P<slug>[^\s\]<]*)"
    r"(?:[ \t]+(?P<first>[^\s.\]<]*)\.\.(?P<last>[^\s\]<]*))?[ \t]*\]</p>"
)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TIMELINE_PLACEHOLDER = re.compile(
    r'<div class="story-timeline-marker" data-organization="(?P<slug>[a-z0-9-]+)" '
    r'data-from="(?P<first>[0-9-]*)" data-to="(?P<last>[0-9-]*)"></div>'
)


@dataclass(frozen=True)
class TimelineMarker:
    """``[timeline:slug first..last]``: the organization's slug and the range, if any."""

    text: str
    slug: str
    first: datetime.date | None = None
    last: datetime.date | None = None


@dataclass
class RenderedBody:
    html: str
    citation_ids: list[int] = field(default_factory=list)
    """Cited ids in order of first appearance: footnote n cites ``citation_ids[n - 1]``."""
    malformed_markers: list[str] = field(default_factory=list)
    """Text that tries to be a marker and is not one (``[^C12]``), in order, each once."""
    timelines: list[TimelineMarker] = field(default_factory=list)
    """Timeline markers, in order; each is a placeholder in ``html`` (see
    :func:`timeline_placeholders`)."""
    malformed_timelines: list[tuple[str, str]] = field(default_factory=list)
    """Timeline markers that cannot be drawn, each with what is wrong with it."""


def _citation_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[^", state.pos):
        return False
    match = MARKER.match(state.src, state.pos)
    if match is None:
        # Left as text, and noted so the desk refuses it. Found here rather than by searching
        # the raw body, so a marker written inside `code` is not mistaken for an attempt.
        attempt = MARKER_ATTEMPT.match(state.src, state.pos)
        if attempt is not None and not silent:
            malformed: list[str] = state.env.setdefault("malformed_markers", [])
            if attempt.group() not in malformed:
                malformed.append(attempt.group())
        return False
    if not silent:
        token = state.push("citation_ref", "", 0)
        token.meta = {"citation_id": int(match.group(1))}
    state.pos = match.end()
    return True


def _render_citation_ref(self, tokens, index, options, env) -> str:
    citation_id = tokens[index].meta["citation_id"]
    order: list[int] = env.setdefault("citation_ids", [])
    if citation_id not in order:
        order.append(citation_id)
    number = order.index(citation_id) + 1
    seen = env.setdefault("citation_seen", {})
    seen[citation_id] = seen.get(citation_id, 0) + 1
    return (
        f'<sup class="footnote-ref" id="cite-{citation_id}-{seen[citation_id]}">'
        f'<a href="#source-{number}" class="footnote-link">{number}</a></sup>'
    )


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table").enable("strikethrough")
    md.inline.ruler.before("link", "citation_ref", _citation_rule)
    md.add_render_rule("citation_ref", _render_citation_ref)
    return md


_MD = _markdown()


def render_body(body: str) -> RenderedBody:
    """Render Markdown to safe HTML and list the citations it cites, in order."""
    env: dict = {}
    html = _MD.render(body or "", env)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    rendered = RenderedBody(
        html=clean,
        citation_ids=list(env.get("citation_ids", [])),
        malformed_markers=list(env.get("malformed_markers", [])),
    )
    rendered.html = TIMELINE_MARKER.sub(lambda match: _timeline(match, rendered), clean)
    return rendered


def _timeline(match: re.Match, rendered: RenderedBody) -> str:
    """The placeholder for one timeline marker (kept as text, and reported, when wrong)."""
    text = html.unescape(match.group(0)[3:-4])
    slug = match["slug"]
    problem = ""
    if not SLUG.match(slug):
        problem = "name the organization by the end of its page's address, like [timeline:openai]"
    days = []
    for raw in (match["first"], match["last"]):
        if raw is None or problem:
            days.append(None)
            continue
        try:
            days.append(parse_iso_day(raw, what="date in the timeline's range"))
        except InvalidPartialDate as invalid:
            problem = str(invalid)
    if not problem and days[0] and days[1] and days[1] < days[0]:
        problem = "its range ends before it starts: write the earlier day first"
    if problem:
        rendered.malformed_timelines.append((text, problem))
        return match.group(0)
    rendered.timelines.append(TimelineMarker(text, slug, days[0], days[1]))
    return (
        f'<div class="story-timeline-marker" data-organization="{slug}" '
        f'data-from="{days[0].isoformat() if days[0] else ""}" '
        f'data-to="{days[1].isoformat() if days[1] else ""}"></div>'
    )


def timeline_placeholders(body_html: str) -> list[TimelineMarker]:
    """The timelines a stored body asks for, in order (see :func:`render_body`)."""
    return [
        TimelineMarker(
            match.group(0),
            match["slug"],
            datetime.date.fromisoformat(match["first"]) if match["first"] else None,
            datetime.date.fromisoformat(match["last"]) if match["last"] else None,
        )
        for match in TIMELINE_PLACEHOLDER.finditer(body_html)
    ]


def replace_timelines(body_html: str, figures: list[str]) -> str:
    """``body_html`` with its timeline placeholders replaced, in order, by ``figures``."""
    figures = iter(figures)
    return TIMELINE_PLACEHOLDER.sub(lambda match: next(figures, ""), body_html)


def cited_ids(body: str) -> list[int]:
    """Citation ids named by markers in ``body``, in order of first appearance."""
    return render_body(body).citation_ids
