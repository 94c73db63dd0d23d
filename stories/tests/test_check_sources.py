"""source_check() and the check_sources command, against pages from a local HTTP server.

Nothing here reaches the internet: pages come from a ThreadingHTTPServer on 127.0.0.1,
which the fetcher reaches only with SOURCE_CHECK_ALLOW_LOOPBACK on (the `loopback`
fixture), as in the tests of stories/fetching.py.
"""

import io
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from stories.models import LinkStatus, Source, Statement
from stories.source_checks import source_check

QUOTE = "We are building the future of news, together."
OTHER_QUOTE = "Our readers come first, always and everywhere in the world."
PAGES: dict[str, tuple[int, str, bytes]] = {
    "/live": (200, "text/html; charset=utf-8", f"<p>Jane said: “{QUOTE}”</p>".encode()),
    "/changed": (200, "text/html", b"<p>This press release has been updated.</p>"),
    "/plain": (200, "text/plain", QUOTE.encode()),
    "/report.pdf": (200, "application/pdf", b"%PDF-1.4 not really a PDF"),
    "/missing": (404, "text/html", b"<p>Not found</p>"),
    "/gone": (410, "text/html", b"<p>Gone</p>"),
    "/broken": (500, "text/html", b"<p>Oops</p>"),
}
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.requested.append(self.path)  # type: ignore[attr-defined]
        status, content_type, body = PAGES.get(self.path, (404, "text/html", b""))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    requested: list[str]


@pytest.fixture(scope="module")
def httpd() -> Iterator[QuietServer]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    httpd.requested = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server(httpd: QuietServer) -> str:
    """The server's base URL; its log of requested paths starts empty for each test."""
    httpd.requested.clear()
    return f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.fixture
def loopback(settings) -> None:
    settings.SOURCE_CHECK_ALLOW_LOOPBACK = True


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_source(url: str, *quotes: str, **fields) -> Source:
    source = Source.objects.create(canonical_url=url, url_as_entered=url, **fields)
    for quote in quotes:
        Statement.objects.create(source=source, quote=quote)
    return source


def reloaded(source: Source) -> Source:
    return Source.objects.get(pk=source.pk)


# source_check()


@pytest.mark.usefixtures("db", "loopback")
class TestSourceCheck:
    def test_a_live_page_with_its_quote(self, server: str) -> None:
        source = make_source(f"{server}/live", QUOTE)
        before = timezone.now()
        check = source_check(source=source)
        assert (check.status, check.note) == ("live", "")
        source = reloaded(source)
        assert source.link_status == LinkStatus.LIVE
        assert source.last_check_note == ""
        assert source.last_fetched_at is not None and source.last_fetched_at >= before
        assert source.last_checked_at == source.last_fetched_at

    def test_one_fetch_and_one_update(self, server: str, django_assert_num_queries) -> None:
        source = make_source(f"{server}/live", QUOTE)
        # The statements, the UPDATE; then the snapshot: the latest one read, the new one
        # written (or, the page unchanged, the latest one marked as seen again).
        with django_assert_num_queries(4):
            source_check(source=source)
        with django_assert_num_queries(4):
            source_check(source=source)
        assert source.snapshots.count() == 1

    def test_a_check_is_not_an_edit(self, server: str) -> None:
        source = make_source(f"{server}/live", QUOTE)
        source_check(source=source)
        assert reloaded(source).updated_at == source.updated_at

    def test_a_quote_no_longer_on_the_page(self, server: str) -> None:
        source = make_source(f"{server}/changed", QUOTE)
        statement = Statement.objects.get(source=source)
        check = source_check(source=source)
        assert check.status == "changed"
        source = reloaded(source)
        assert source.link_status == LinkStatus.CHANGED
        assert source.last_fetched_at is not None
        assert source.last_check_note == (
            f"quote no longer found: statement {statement.pk} “We are building the future of…”"
        )

    def test_only_the_missing_quotes_are_named(self, server: str) -> None:
        source = make_source(f"{server}/live", QUOTE, OTHER_QUOTE)
        found, missing = Statement.objects.filter(source=source)
        source_check(source=source)
        note = reloaded(source).last_check_note
        assert f"statement {missing.pk} “Our readers come first, always and…”" in note
        assert f"statement {found.pk}" not in note

    def test_a_long_note_fits_the_field(self, server: str) -> None:
        quotes = [f"{OTHER_QUOTE} ({number})" for number in range(20)]  # one statement each
        source = make_source(f"{server}/changed", *quotes)
        source_check(source=source)
        note = reloaded(source).last_check_note
        assert len(note) == 300 and note.endswith("…")

    def test_quotes_are_checked_in_plain_text(self, server: str) -> None:
        source = make_source(f"{server}/plain", QUOTE)
        assert source_check(source=source).status == "live"

    def test_a_pdf_is_live_but_its_quotes_are_not_checked(self, server: str) -> None:
        source = make_source(f"{server}/report.pdf", QUOTE)
        check = source_check(source=source)
        assert check.status == "live"
        source = reloaded(source)
        assert source.link_status == LinkStatus.LIVE
        assert source.last_check_note == "quotes not checked: the document is application/pdf"

    def test_a_source_without_statements_is_live(self, server: str) -> None:
        source = make_source(f"{server}/changed")
        assert source_check(source=source).status == "live"
        assert reloaded(source).link_status == LinkStatus.LIVE

    @pytest.mark.parametrize(
        ("path", "note"), [("/missing", "HTTP 404"), ("/gone", "HTTP 410"), ("/broken", "HTTP 500")]
    )
    def test_an_http_error_is_dead(self, server: str, path: str, note: str) -> None:
        source = make_source(f"{server}{path}", QUOTE, link_status=LinkStatus.LIVE)
        check = source_check(source=source)
        assert (check.status, check.note) == ("dead", note)
        source = reloaded(source)
        assert (source.link_status, source.last_check_note) == (LinkStatus.DEAD, note)
        # The server answered, so we did hear from the page.
        assert source.last_fetched_at is not None

    def test_an_unreachable_page_keeps_its_status(self, closed_port: int) -> None:
        source = make_source(
            f"http://127.0.0.1:{closed_port}/",
            QUOTE,
            link_status=LinkStatus.LIVE,
            last_fetched_at=LONG_AGO,
        )
        check = source_check(source=source)
        assert check.status == "unreachable"
        source = reloaded(source)
        assert source.link_status == LinkStatus.LIVE
        assert source.last_fetched_at == LONG_AGO  # when we last heard from it: not now
        assert source.last_checked_at is not None
        assert source.last_check_note == "could not check the page: connection refused"

    def test_an_unreachable_unchecked_page_stays_unchecked(self, closed_port: int) -> None:
        source = make_source(f"http://127.0.0.1:{closed_port}/")
        source_check(source=source)
        source = reloaded(source)
        assert source.link_status == LinkStatus.UNCHECKED
        assert source.last_fetched_at is None
        assert source.last_checked_at is not None

    def test_a_short_timeout_is_passed_on(self, server: str) -> None:
        source = make_source(f"{server}/live", QUOTE)
        assert source_check(source=source, timeout=0.000_001).status == "unreachable"
        assert "timed out" in reloaded(source).last_check_note


@pytest.mark.django_db
def test_loopback_is_refused_when_the_setting_is_off(
    server: str, httpd: QuietServer, settings
) -> None:
    settings.SOURCE_CHECK_ALLOW_LOOPBACK = False
    source = make_source(f"{server}/live", QUOTE)
    check = source_check(source=source)
    assert check.status == "unreachable"
    source = reloaded(source)
    assert source.link_status == LinkStatus.UNCHECKED
    assert source.last_fetched_at is None
    assert source.last_checked_at is not None
    assert source.last_check_note.startswith("could not check the page: refused: 127.0.0.1")
    assert httpd.requested == []  # refused before connecting


# The check_sources command


def run(*args: str, stdout: io.StringIO | None = None) -> str:
    stdout = stdout or io.StringIO()
    call_command("check_sources", *args, stdout=stdout)
    return stdout.getvalue()


@pytest.mark.usefixtures("db", "loopback")
class TestCommand:
    def test_summary_and_problems(self, server: str, closed_port: int) -> None:
        live = make_source(f"{server}/live", QUOTE)
        make_source(f"{server}/plain", QUOTE)
        make_source(f"{server}/report.pdf")
        dead = make_source(f"{server}/missing", QUOTE)
        changed = make_source(f"{server}/changed", QUOTE)
        away = make_source(f"http://127.0.0.1:{closed_port}/", QUOTE)
        lines = run().splitlines()
        assert lines[0] == "Checked 6 sources: 3 live, 1 dead, 1 changed, 1 unreachable."
        assert lines[1] == f"DEAD        #{dead.pk} {server}/missing: HTTP 404"
        assert lines[2].startswith(f"CHANGED     #{changed.pk} {server}/changed: quote no longer")
        assert lines[3] == (
            f"UNREACHABLE #{away.pk} http://127.0.0.1:{closed_port}/: "
            "could not check the page: connection refused"
        )
        assert len(lines) == 4
        assert reloaded(live).link_status == LinkStatus.LIVE

    def test_no_sources(self) -> None:
        assert run() == "No sources to check.\n"

    def test_one_source(self, server: str) -> None:
        make_source(f"{server}/live", QUOTE)
        assert run() == "Checked 1 source: 1 live, 0 dead, 0 changed, 0 unreachable.\n"

    def test_oldest_check_first(self, server: str, httpd: QuietServer) -> None:
        now = timezone.now()
        make_source(f"{server}/live", last_checked_at=now - timedelta(days=1))
        make_source(f"{server}/plain")  # never checked: first
        make_source(f"{server}/changed", last_checked_at=now - timedelta(days=9))
        run()
        assert httpd.requested == ["/plain", "/changed", "/live"]

    def test_only_the_given_sources(self, server: str, httpd: QuietServer) -> None:
        first = make_source(f"{server}/live")
        make_source(f"{server}/plain")
        third = make_source(f"{server}/changed")
        output = run("--source", str(first.pk), "--source", str(third.pk))
        assert output.startswith("Checked 2 sources:")
        assert sorted(httpd.requested) == ["/changed", "/live"]

    def test_an_unknown_source_is_an_error(self, server: str, httpd: QuietServer) -> None:
        known = make_source(f"{server}/live")
        with pytest.raises(CommandError, match=r"^No source with id 999998, 999999: nothing was"):
            run("--source", str(known.pk), "999999", "999998")
        assert httpd.requested == []

    def test_stale_days(self, server: str, httpd: QuietServer) -> None:
        now = timezone.now()
        make_source(f"{server}/live", last_checked_at=now - timedelta(days=1))
        make_source(f"{server}/plain")
        make_source(f"{server}/changed", last_checked_at=now - timedelta(days=9))
        assert run("--stale-days", "7").startswith("Checked 2 sources:")
        assert httpd.requested == ["/plain", "/changed"]

    def test_nothing_stale(self, server: str) -> None:
        make_source(f"{server}/live", last_checked_at=timezone.now())
        assert run("--stale-days", "7") == "No sources to check.\n"

    def test_timeout(self, server: str) -> None:
        make_source(f"{server}/live")
        assert "0 live, 0 dead, 0 changed, 1 unreachable" in run("--timeout", "0.000001")

    @pytest.mark.parametrize(
        "args", [["--timeout", "0"], ["--stale-days", "-1"], ["--source", "x"]]
    )
    def test_bad_arguments(self, args: list[str]) -> None:
        with pytest.raises(CommandError):
            run(*args)

    def test_progress_on_a_terminal(self, server: str) -> None:
        class Terminal(io.StringIO):
            def isatty(self) -> bool:
                return True

        make_source(f"{server}/live", QUOTE)
        make_source(f"{server}/missing")
        output = run(stdout=Terminal())
        assert output.startswith("\rChecking sources:   0%")
        assert "| 2/2 [" in output
        assert "sources/s]\nChecked 2 sources: 1 live, 1 dead" in output

    def test_no_progress_bar_elsewhere(self, server: str) -> None:
        make_source(f"{server}/live", QUOTE)
        assert "\r" not in run()
