"""Check one source: is its page still there, and does it still say what we quote?

What a check concludes, and why:

* A 2xx response whose body we read: the link is LIVE, unless a quote of one of the
  source's statements is no longer on the page, which makes it CHANGED (the note names
  the statements). Quotes are looked for only in HTML and text; for a PDF or an image
  the link is LIVE and the note says the quotes were not checked.
* An HTTP error response (4xx or 5xx, after any redirects): DEAD. The server answered,
  and what it said is that the page is not there.
* No usable answer: DNS or connection failure, timeout, an address we refuse to fetch,
  or a response we could not read (too large, compressed, a redirect loop). This proves
  nothing about the page: the fault may be ours (network, the SSRF guard) or passing.
  So link_status is left as it was (an unchecked source stays UNCHECKED) and only the
  note records the error. The check reports these as "unreachable".

A check also keeps a snapshot of what the server sent (stories.snapshots), whenever one
answered. Every check sets last_checked_at. last_fetched_at is set only when a server actually
answered (FetchResult.fetched), so it says when we last heard from the page, never when
we last tried. The Source is saved once, with update_fields, leaving updated_at alone:
that one records edits by people, and a nightly check is not an edit.
"""

from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.utils import timezone

from stories.fetching import FetchResult, fetch, quote_found
from stories.models import LinkStatus, Source, Statement
from stories.snapshots import snapshot_record

type CheckStatus = Literal["live", "dead", "changed", "unreachable"]

_TEXT_TYPES = frozenset({"application/xhtml+xml", "application/xml"})
_QUOTE_WORDS = 6  # how much of a missing quote the note shows
_NOTE_LENGTH = Source._meta.get_field("last_check_note").max_length or 300


@dataclass(frozen=True)
class SourceCheck:
    """The outcome of one check. `status` is what this check found, "unreachable" included;
    source.link_status is what the source now says (unchanged when unreachable)."""

    source: Source
    status: CheckStatus
    note: str


def _is_text(content_type: str) -> bool:
    return content_type.startswith("text/") or content_type in _TEXT_TYPES


def _first_words(quote: str) -> str:
    words = quote.split()
    return " ".join(words[:_QUOTE_WORDS]) + ("…" if len(words) > _QUOTE_WORDS else "")


def _clip(note: str) -> str:
    return note if len(note) <= _NOTE_LENGTH else note[: _NOTE_LENGTH - 1] + "…"


def _judge(source: Source, result: FetchResult) -> tuple[CheckStatus, str, str]:
    """(status, new link_status, note) for what the fetch of `source` returned."""
    if result.ok:
        if not _is_text(result.content_type):
            kind = result.content_type or "of no stated type"
            return "live", LinkStatus.LIVE, f"quotes not checked: the document is {kind}"
        statements: list[Statement] = list(source.statements.all())  # prefetched, or 1 query
        missing = [s for s in statements if not quote_found(result.text, s.quote)]
        if not missing:
            return "live", LinkStatus.LIVE, ""
        named = "; ".join(f"statement {s.pk} “{_first_words(s.quote)}”" for s in missing)
        return "changed", LinkStatus.CHANGED, f"quote no longer found: {named}"
    if result.status is not None and result.status >= 400:
        return "dead", LinkStatus.DEAD, result.error
    return "unreachable", source.link_status, f"could not check the page: {result.error}"


def source_check(
    *,
    source: Source,
    timeout: float | None = None,
    max_bytes: int | None = None,
    allow_loopback: bool | None = None,
) -> SourceCheck:
    """Fetch source.canonical_url, judge the answer and save it on the source (one UPDATE).

    Never raises for network problems. None for timeout and max_bytes means the settings
    SOURCE_CHECK_TIMEOUT and SOURCE_CHECK_MAX_BYTES; for allow_loopback, fetch() reads
    SOURCE_CHECK_ALLOW_LOOPBACK. Prefetch "statements" when checking many sources.
    """
    result = fetch(
        source.canonical_url,
        timeout=settings.SOURCE_CHECK_TIMEOUT if timeout is None else timeout,
        max_bytes=settings.SOURCE_CHECK_MAX_BYTES if max_bytes is None else max_bytes,
        allow_loopback=allow_loopback,
    )
    status, link_status, note = _judge(source, result)
    now = timezone.now()
    source.link_status = link_status
    source.last_check_note = _clip(note)
    source.last_checked_at = now
    fields = ["link_status", "last_check_note", "last_checked_at"]
    if result.fetched:
        source.last_fetched_at = now
        fields.append("last_fetched_at")
    source.save(update_fields=fields)
    snapshot_record(source=source, result=result, now=now)
    return SourceCheck(source=source, status=status, note=source.last_check_note)
