"""Story bodies: Markdown with citation markers, rendered once and sanitized.

Journalists cite with ``[^c12]`` (citation 12). Markers become numbered footnote references
in order of first appearance, pointing at the "Sources" list the article prints after the
body. Markdown is rendered by markdown-it-py with raw HTML turned off, then cleaned by nh3
against an allow-list, so no script, event handler or ``javascript:`` link survives whatever
the body holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

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


@dataclass
class RenderedBody:
    html: str
    citation_ids: list[int] = field(default_factory=list)
    """Cited ids in order of first appearance: footnote n cites ``citation_ids[n - 1]``."""
    malformed_markers: list[str] = field(default_factory=list)
    """Text that tries to be a marker and is not one (``[^C12]``), in order, each once."""


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
    return RenderedBody(
        html=clean,
        citation_ids=list(env.get("citation_ids", [])),
        malformed_markers=list(env.get("malformed_markers", [])),
    )


def cited_ids(body: str) -> list[int]:
    """Citation ids named by markers in ``body``, in order of first appearance."""
    return render_body(body).citation_ids
