"""What changed between two versions of a story's text, line by line: the revisions page
shows it, and the audit log keeps it for every change to published text."""

from __future__ import annotations

import difflib
from typing import Protocol


class StoryText(Protocol):
    title: str
    dek: str
    body: str


def _lines(text: StoryText) -> list[str]:
    return [f"# {text.title}", text.dek, "", *text.body.splitlines()]


def text_diff(older: StoryText, newer: StoryText) -> list[tuple[str, str]]:
    """(kind, line) pairs: "+" added, "-" removed, " " kept, "@" a hunk header."""
    diff = list(difflib.unified_diff(_lines(older), _lines(newer), lineterm=""))
    # Skip only the two file headers ("--- ", "+++ ") that open any non-empty diff: the page
    # names the revisions itself. A body line such as a Markdown rule "---" starts the same
    # way once marked removed ("----") or added ("+---"), and must be shown.
    diff = diff[2:]
    return [(line[:1] or " ", line[1:]) for line in diff]


def diff_text(older: StoryText, newer: StoryText) -> str:
    """The same difference as plain text, one line each (the audit log keeps this)."""
    return "\n".join(kind + line for kind, line in text_diff(older, newer))
