"""Source snapshots: taken by the job a first citation enqueues, kept as text and WARC, and
read on the verification screen with the quote found (Japanese included) or plainly missing.
Pages come from a local test server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.tasks import TaskResultStatus
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from warcio.archiveiterator import ArchiveIterator

from newsroom.jobs import jobs_run_due
from people.tests.factories import editor, journalist
from stories.jobs import check_source
from stories.models import LinkStatus, Source, SourceSnapshot
from stories.services import citation_decide, source_get_or_create
from stories.snapshots import locate_quote
from stories.tests.factories import pending_citation, published_story

JAPANESE_PAGE = """<!doctype html><html lang="ja"><head><meta charset="utf-8">
<title>人事のお知らせ</title><script>var x = 1;</script></head><body>
<nav>ホーム ニュース</nav>
<article><h1>新しい最高技術責任者について</h1>
<p>株式会社サンプルは本日、新しい最高技術責任者の就任を発表しました。</p>
<p>山田氏は「ＡＩの安全性が、私たちの最優先事項です。」と述べました。</p>
<p>同氏は以前、別の研究所で研究部門を率いていました。就任は来月一日付です。</p>
</article></body></html>"""
JAPANESE_QUOTE = "AIの安全性が私たちの最優先事項です"  # half-width AI, no comma, no full stop

ENGLISH_PAGE = """<!doctype html><html><head><title>Acme names a new CTO</title></head><body>
<article><h1>Acme names a new CTO</h1>
<p>Acme said on Monday that Jane Doe would join as chief technology officer.</p>
<p>“We’re building the future of news,” Doe said in a statement.</p>
<p>She previously led research at another laboratory for many years.</p></article>
</body></html>"""
CHANGED_PAGE = ENGLISH_PAGE.replace("We’re building the future of news", "No comment")
ENGLISH_QUOTE = "We're building the future of news"

PAGES: dict[str, str] = {}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        page = PAGES.get(self.path)
        if page is None:
            self.send_error(404)
            return
        body = page.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", f'"{hash(page)}"')
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def _loopback(settings):
    settings.SOURCE_CHECK_ALLOW_LOOPBACK = True
    PAGES.clear()


def _cite(url: str, quote: str):
    source, created = source_get_or_create(url=url)
    assert created
    return pending_citation(source=source, quote=quote)


def _detail(client, citation) -> str:
    response = client.get(reverse("stories:citation-detail", args=[citation.pk]))
    assert response.status_code == 200
    return response.content.decode()


# Finding a quote


@pytest.mark.parametrize(
    ("text", "quote", "exact"),
    [
        ("He said: we are ready. Then left.", "we are ready", True),
        ("He said: “We’re   READY!” Then left.", "we're ready", False),
        ("山田氏は「ＡＩの安全性が、最優先です。」と", "AIの安全性が最優先です", False),
        ("ｶﾞｲﾄﾞを公開", "ガイド", False),  # half-width katakana with its voiced mark
    ],
)
def test_quote_is_found_despite_width_case_space_and_punctuation(text, quote, exact):
    match = locate_quote(text, quote)
    assert match is not None and match.exact is exact
    found = text[match.start : match.end]
    assert locate_quote(found, quote) is not None  # the span shown holds the whole quote


@pytest.mark.parametrize("quote", ["we are not ready", "", "   ", "ガイト"])
def test_quote_that_is_not_there_is_not_found(quote):
    assert locate_quote("He said: we are ready. ｶﾞｲﾄﾞを公開", quote) is None


# Snapshots taken by the job


@pytest.mark.django_db
def test_first_citation_enqueues_a_check_that_keeps_a_snapshot(server):
    PAGES["/ja"] = JAPANESE_PAGE
    citation = _cite(f"{server}/ja", JAPANESE_QUOTE)
    queued = DBTaskResult.objects.get(task_path="stories.jobs.check_source")
    assert queued.args_kwargs["args"] == [citation.source_id]

    jobs_run_due()

    assert DBTaskResult.objects.get(pk=queued.pk).status == TaskResultStatus.SUCCESSFUL
    snapshot = SourceSnapshot.objects.get(source=citation.source)
    assert snapshot.status == 200
    assert snapshot.final_url == f"{server}/ja"
    assert snapshot.headers["content-type"] == "text/html; charset=utf-8"
    assert "etag" in snapshot.headers
    assert "ＡＩの安全性" in snapshot.text
    assert "var x" not in snapshot.text
    assert len(snapshot.content_hash) == 64
    assert snapshot.warc.name.startswith(f"snapshots/{citation.source_id}/")
    assert snapshot.warc.name.endswith(".warc.gz")
    with snapshot.warc.open("rb") as archive:
        records = list(ArchiveIterator(archive))
    # ArchiveIterator reads each record's body lazily: only its headers are checked here.
    assert [r.rec_type for r in records] == ["response"]
    assert records[0].rec_headers.get_header("WARC-Target-URI") == f"{server}/ja"
    assert records[0].http_headers.get_statuscode() == "200"


@pytest.mark.django_db
def test_the_warc_record_holds_the_page_as_received(server):
    PAGES["/ja"] = JAPANESE_PAGE
    citation = _cite(f"{server}/ja", JAPANESE_QUOTE)
    jobs_run_due()
    snapshot = SourceSnapshot.objects.get(source=citation.source)
    with snapshot.warc.open("rb") as archive:
        bodies = [record.content_stream().read() for record in ArchiveIterator(archive)]
    assert bodies == [JAPANESE_PAGE.encode()]


@pytest.mark.django_db
def test_an_unchanged_page_adds_no_snapshot(server):
    PAGES["/en"] = ENGLISH_PAGE
    citation = _cite(f"{server}/en", ENGLISH_QUOTE)
    jobs_run_due()
    check_source.enqueue(citation.source_id)
    jobs_run_due()
    assert SourceSnapshot.objects.filter(source=citation.source).count() == 1


@pytest.mark.django_db
def test_unreachable_source_is_retried_later(settings):
    settings.SOURCE_CHECK_TIMEOUT = 2
    source, _ = source_get_or_create(url="http://127.0.0.1:9/nothing-listens-here")
    jobs_run_due()
    job = DBTaskResult.objects.get(task_path="stories.jobs.check_source")
    assert job.status == TaskResultStatus.READY  # waiting for its next attempt
    assert "SourceUnreachable" in job.traceback
    assert not SourceSnapshot.objects.filter(source=source).exists()


# The verification screen


@pytest.mark.django_db
def test_verification_screen_highlights_the_quote_in_a_japanese_page(client, server):
    PAGES["/ja"] = JAPANESE_PAGE
    citation = _cite(f"{server}/ja", JAPANESE_QUOTE)
    jobs_run_due()
    client.force_login(editor())
    page = _detail(client, citation)
    assert "<mark>ＡＩの安全性が、私たちの最優先事項です</mark>" in page
    assert "with differences of width, case, spacing or punctuation" in page
    assert "Taken " in page


@pytest.mark.django_db
def test_verification_screen_says_when_the_page_changed_and_the_quote_is_gone(client, server):
    PAGES["/en"] = ENGLISH_PAGE
    citation = _cite(f"{server}/en", ENGLISH_QUOTE)
    jobs_run_due()
    chief = editor()
    citation = citation_decide(citation=citation, editor=chief, decision="verified")
    client.force_login(chief)
    page = _detail(client, citation)
    assert "<mark>We’re building the future of news</mark>" in page
    assert "The page is unchanged since this citation was verified." in page

    PAGES["/en"] = CHANGED_PAGE  # the page is edited after the verification
    check_source.enqueue(citation.source_id)
    jobs_run_due()
    source = Source.objects.get(pk=citation.source_id)
    assert source.snapshots.count() == 2
    assert source.link_status == LinkStatus.CHANGED
    page = _detail(client, citation)
    assert "The quote is not in the snapshot." in page
    assert "The page has changed since this citation was verified." in page
    assert "<mark>We’re building the future of news</mark>" not in page


@pytest.mark.django_db
def test_verification_screen_without_a_snapshot_says_so(client):
    citation = pending_citation()
    client.force_login(editor())
    assert "No snapshot of this source yet" in _detail(client, citation)


# Readers' archived copy


@pytest.mark.django_db
def test_readers_get_the_archived_copy_of_a_changed_page(client, server):
    PAGES["/en"] = ENGLISH_PAGE
    citation = _cite(f"{server}/en", ENGLISH_QUOTE)
    jobs_run_due()
    chief = editor()
    citation = citation_decide(citation=citation, editor=chief, decision="verified")
    story = published_story(author=journalist(), publisher=chief, citations=[citation])
    article = reverse("stories:story-detail", args=[story.slug])
    archived = reverse("stories:source-archived", args=[citation.source_id])
    assert archived not in client.get(article).content.decode()  # the live page is fine

    PAGES["/en"] = CHANGED_PAGE
    check_source.enqueue(citation.source_id)
    jobs_run_due()
    assert archived in client.get(article).content.decode()
    response = client.get(archived)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    page = response.content.decode()
    assert "<mark>We’re building the future of news</mark>" in page  # the capture before
    assert "The page has changed since." in page
    assert "as we captured it on" in page


@pytest.mark.django_db
def test_no_archived_copy_of_an_unverified_source(client, server):
    PAGES["/en"] = ENGLISH_PAGE
    citation = _cite(f"{server}/en", ENGLISH_QUOTE)
    jobs_run_due()
    response = client.get(reverse("stories:source-archived", args=[citation.source_id]))
    assert response.status_code == 404
