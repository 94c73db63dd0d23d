"""Snapshots of sources: keep what a page said, and find a quote in it again.

A snapshot is taken whenever a source's page is fetched (``stories.source_checks``: the
check that a job runs when a source is first cited, and the scheduled checks). It keeps the
final URL, the status, the headers that matter, the time, a SHA-256 of the body, the page's
main text (extracted by trafilatura) and the raw response, up to SOURCE_CHECK_MAX_BYTES, as
a gzipped WARC record (the format web archives use) under MEDIA_ROOT. The desk shows the
text, escaped, never the page itself: nothing of the page runs on our origin.

:func:`locate_quote` finds a quote in a snapshot's text: exactly first, then ignoring
differences of width (full-width ``ＡＩ`` and ``AI``, half-width ``ｶﾞ`` and ``ガ``), case,
whitespace and punctuation, so a quote retyped with other quotation marks or spaces, in
Japanese as in English, is still found, and shown where it is.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from dataclasses import dataclass
from datetime import datetime

import trafilatura
from django.core.files.base import ContentFile
from django.utils import timezone
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from stories.fetching import FetchResult, page_text
from stories.models import Citation, CitationState, Source, SourceSnapshot

# Kept on the snapshot row (all of them are in the WARC file).
KEPT_HEADERS = frozenset(
    {
        "content-type",
        "content-length",
        "content-language",
        "last-modified",
        "etag",
        "date",
        "server",
        "cache-control",
    }
)
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# http.client has already undone the chunking: the WARC record holds the body as received
# after it, so it must not claim to be chunked.
_DROPPED_FROM_WARC = frozenset({"transfer-encoding"})
EXCERPT = 400  # characters shown each side of a quote found


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def main_text(result: FetchResult) -> str:
    """The page's main text: trafilatura's extraction of an HTML page (the whole visible
    text when it finds no main part), the text of a text document, or "" for others."""
    if not result.text:
        return ""
    if result.content_type in _HTML_TYPES or not result.content_type:
        if "<" not in result.text:
            return " ".join(result.text.split())
        extracted = trafilatura.extract(
            result.text,
            include_comments=False,
            include_tables=True,
            favor_recall=True,
            deduplicate=False,
        )
        return extracted if extracted and extracted.strip() else page_text(result.text)
    if result.content_type.startswith("text/"):
        return result.text
    return ""


def warc_record(result: FetchResult, taken_at: datetime) -> bytes:
    """One gzipped WARC 1.0 ``response`` record: the status line, the headers, the body."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    headers = [(k, v) for k, v in result.headers if k.lower() not in _DROPPED_FROM_WARC]
    status_line = f"{result.status} {result.reason}".strip()
    http_headers = StatusAndHeaders(status_line, headers, protocol="HTTP/1.1")
    warc_headers = {"WARC-Date": datetime_to_iso_date(taken_at)}
    if result.truncated:
        warc_headers["WARC-Truncated"] = "length"
    record = writer.create_warc_record(
        result.final_url,
        "response",
        payload=io.BytesIO(result.body),
        length=len(result.body),
        http_headers=http_headers,
        warc_headers_dict=warc_headers,
    )
    writer.write_record(record)
    return buffer.getvalue()


def snapshot_record(
    *, source: Source, result: FetchResult, now: datetime | None = None
) -> SourceSnapshot | None:
    """Keep what the fetch of `source` received; None when no server answered.

    Idempotent: when the latest snapshot holds the same response (final URL, status, body),
    it is only marked as seen again, so a job run twice records one snapshot.
    """
    if not result.fetched:
        return None
    now = now or timezone.now()
    content_hash = _sha256(result.body)
    latest = source.snapshots.order_by("-taken_at", "-pk").first()
    if (
        latest is not None
        and latest.content_hash == content_hash
        and latest.final_url == result.final_url
        and latest.status == result.status
    ):
        latest.last_seen_at = now
        latest.save(update_fields=["last_seen_at"])
        return latest
    text = main_text(result)
    snapshot = SourceSnapshot(
        source=source,
        taken_at=now,
        last_seen_at=now,
        url=result.url[:2000],
        final_url=result.final_url[:2000],
        status=result.status,
        headers={k.lower(): v for k, v in result.headers if k.lower() in KEPT_HEADERS},
        content_type=result.content_type[:100],
        content_hash=content_hash,
        text_hash=_sha256(_folded(text)[0].encode()) if text else "",
        size=len(result.body),
        truncated=result.truncated,
        text=text,
    )
    name = f"{source.pk}/{now:%Y%m%dT%H%M%S}-{content_hash[:16]}.warc.gz"  # under snapshots/
    snapshot.warc.save(name, ContentFile(warc_record(result, now)), save=False)
    snapshot.save()
    return snapshot


def _folded(text: str) -> tuple[str, list[int]]:
    """`text` compatibility-decomposed and casefolded, without whitespace, punctuation or
    control characters; with, for each character kept, its index in `text`."""
    kept: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        for piece in unicodedata.normalize("NFKD", char).casefold():
            if unicodedata.category(piece)[0] in "PZC":
                continue
            kept.append(piece)
            positions.append(index)
    return "".join(kept), positions


@dataclass(frozen=True)
class QuoteMatch:
    start: int
    end: int
    exact: bool  # found as typed; else found once width, case, spaces and punctuation aside


def locate_quote(text: str, quote: str) -> QuoteMatch | None:
    """Where `quote` is in `text`, or None. A blank quote is never found: it proves nothing."""
    quote = quote.strip()
    if not quote or not text:
        return None
    if (start := text.find(quote)) >= 0:
        return QuoteMatch(start, start + len(quote), exact=True)
    needle, _ = _folded(quote)
    if not needle:
        return None
    haystack, positions = _folded(text)
    found = haystack.find(needle)
    while found >= 0:
        end = found + len(needle)
        # A match must not split a letter from its combining marks: ガイト is not in ガイド
        # (or ｶﾞｲﾄﾞ), whose ド folds to ト followed by a combining voiced mark.
        splits_first = unicodedata.category(haystack[found])[0] == "M"
        splits_last = end < len(haystack) and unicodedata.category(haystack[end])[0] == "M"
        if not (splits_first or splits_last):
            return QuoteMatch(positions[found], positions[end - 1] + 1, exact=False)
        found = haystack.find(needle, found + 1)
    return None


@dataclass(frozen=True)
class SnapshotReading:
    """What the verification screen says about a citation's source snapshot."""

    snapshot: SourceSnapshot | None
    match: QuoteMatch | None = None
    before: str = ""
    matched: str = ""
    after: str = ""
    # True or False once the citation is verified and a snapshot from before exists.
    changed_since_verified: bool | None = None


def snapshot_reading(citation: Citation) -> SnapshotReading:
    """The source's latest snapshot, the citation's quote found in it (or not), and whether
    the page changed since the citation was verified. Two queries at most."""
    snapshots = SourceSnapshot.objects.filter(source_id=citation.source_id)
    latest = snapshots.order_by("-taken_at", "-pk").first()
    if latest is None:
        return SnapshotReading(snapshot=None)
    changed = None
    if citation.state == CitationState.VERIFIED and citation.decided_at:
        verified_against = (
            snapshots.filter(taken_at__lte=citation.decided_at)
            .order_by("-taken_at", "-pk")
            .only("pk", "text_hash")
            .first()
        )
        if verified_against is not None:
            changed = verified_against.text_hash != latest.text_hash
    statement = citation.statement
    match = locate_quote(latest.text, statement.quote) if statement is not None else None
    if match is None:
        return SnapshotReading(snapshot=latest, changed_since_verified=changed)
    return SnapshotReading(
        snapshot=latest,
        match=match,
        before=latest.text[max(0, match.start - EXCERPT) : match.start],
        matched=latest.text[match.start : match.end],
        after=latest.text[match.end : match.end + EXCERPT],
        changed_since_verified=changed,
    )
