"""The source fetcher: pages served by a local HTTP server, and the SSRF guards.

Nothing here reaches the internet: pages come from a ThreadingHTTPServer on 127.0.0.1
(so those fetches pass allow_loopback=True), and names that should resolve elsewhere
go through a monkeypatched socket.getaddrinfo.
"""

import dataclasses
import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from stories import fetching
from stories.fetching import (
    FetchRefused,
    FetchResult,
    fetch,
    page_text,
    quote_found,
    resolve_host,
    vet_address,
)

# Typographic characters, spelled out so that they are not mistaken for ASCII ones.
LDQUO, RDQUO, RSQUO, NDASH, MDASH = "\u201c", "\u201d", "\u2019", "\u2013", "\u2014"
QUOTE = f"We're building the future of news {MDASH} together,"
PAGE = f"""<!doctype html>
<html><head><title>Acme press release</title>
<style>p {{ color: red }}</style>
<script>var hidden = "We{RSQUO}re building the future of news";</script></head>
<body><p>Acme&nbsp;Corp announced today:</p>
<blockquote>&ldquo;We&rsquo;re   building the <em>future</em>
of news &mdash; together,&rdquo; said Jane&nbsp;Doe &amp; co.</blockquote>
</body></html>"""
LATIN1_PAGE = '<html><head><meta charset="iso-8859-1"></head><p>Déjà vu</p></html>'
HUGE = 2_100_000


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def send(self, status: int, body: bytes = b"", content_type: str = "text/html", **headers):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send(status, Location=location)

    def do_GET(self) -> None:
        port = self.server.server_address[1]
        match self.path:
            case "/page":
                self.send(200, PAGE.encode(), "text/html; charset=utf-8")
            case "/missing":
                self.send(404, b"<p>Not found</p>")
            case "/hop1":
                self.redirect("/hop2", 301)  # relative
            case "/hop2":
                self.redirect(f"http://127.0.0.1:{port}/page", 307)  # absolute
            case "/loop":
                self.redirect("/loop")
            case "/to-private":
                self.redirect("http://10.0.0.1/")
            case "/to-metadata":
                self.redirect("http://169.254.169.254/latest/meta-data")
            case "/huge":  # no Content-Length: read until the connection closes
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"x" * HUGE)
            case "/slow":
                time.sleep(2)
                self.send(200, b"too late")
            case "/host":
                self.send(200, self.headers["Host"].encode(), "text/plain")
            case "/latin1-header":
                self.send(200, "Déjà vu".encode("latin-1"), "text/plain; charset=iso-8859-1")
            case "/latin1-meta":
                self.send(200, LATIN1_PAGE.encode("latin-1"))
            case "/gzip":
                self.send(200, b"\x1f\x8b not really", Content_Encoding="gzip")
            case "/headers":
                text = f"{self.headers['User-Agent']}\n{self.headers['Accept']}"
                self.send(200, text.encode(), "text/plain")
            case _:
                self.send(404)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the client hanging up on /huge and /slow is expected


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every address the fetcher opens a connection to."""
    opened: list[tuple[str, int]] = []
    real = socket.create_connection

    def spy(address: tuple[str, int], *args, **kwargs) -> socket.socket:
        opened.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", spy)
    return opened


def fake_dns(monkeypatch: pytest.MonkeyPatch, names: dict[str, list[str]]) -> list[str]:
    """Resolve the given names to the given addresses; others as usual. Returns the log."""
    looked_up: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in names:
            return real(host, port, *args, **kwargs)
        looked_up.append(host)
        family = {4: socket.AF_INET, 6: socket.AF_INET6}
        return [
            (family[ipaddress.ip_address(ip).version], socket.SOCK_STREAM, 6, "", (ip, port))
            for ip in names[host]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return looked_up


# Fetching pages


def test_fetches_a_page(server: str) -> None:
    result = fetch(f"{server}/page", allow_loopback=True)
    assert result.body == PAGE.encode()
    assert ("Content-Type", "text/html; charset=utf-8") in result.headers
    assert dataclasses.replace(result, body=b"", reason="", headers=()) == FetchResult(
        url=f"{server}/page",
        final_url=f"{server}/page",
        status=200,
        ok=True,
        text=PAGE,
        content_type="text/html",
        error="",
        fetched=True,
    )
    assert quote_found(result.text, QUOTE)


def test_the_result_is_frozen(server: str) -> None:
    result = fetch(f"{server}/page", allow_loopback=True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.ok = False  # type: ignore[misc]


def test_sends_a_descriptive_user_agent(server: str) -> None:
    result = fetch(f"{server}/headers", allow_loopback=True)
    assert result.text == f"{fetching.USER_AGENT}\ntext/html,*/*;q=0.8"


def test_404_is_fetched_but_not_ok(server: str) -> None:
    result = fetch(f"{server}/missing", allow_loopback=True)
    assert (result.ok, result.fetched, result.status, result.error) == (
        False,
        True,
        404,
        "HTTP 404",
    )


def test_follows_redirects(server: str) -> None:
    result = fetch(f"{server}/hop1", allow_loopback=True)
    assert result.ok
    assert result.url == f"{server}/hop1"
    assert result.final_url == f"{server}/page"
    assert quote_found(result.text, QUOTE)


def test_too_many_redirects(server: str) -> None:
    result = fetch(f"{server}/hop1", allow_loopback=True, max_redirects=1)
    assert not result.ok
    assert result.error == "too many redirects (more than 1)"
    assert result.final_url == f"{server}/hop2"


def test_redirect_loop(server: str) -> None:
    result = fetch(f"{server}/loop", allow_loopback=True)
    assert (result.ok, result.fetched, result.status) == (False, True, 302)
    assert result.error == "too many redirects (more than 5)"


def test_redirect_to_a_private_address_is_refused_without_connecting(
    server: str, connections: list[tuple[str, int]]
) -> None:
    result = fetch(f"{server}/to-private", allow_loopback=True)
    assert (result.ok, result.fetched, result.status) == (False, False, None)
    assert result.final_url == "http://10.0.0.1/"
    assert result.error == "refused: 10.0.0.1 is a private address"
    assert {host for host, _ in connections} == {"127.0.0.1"}


def test_redirect_to_the_metadata_service_is_refused(
    server: str, connections: list[tuple[str, int]]
) -> None:
    result = fetch(f"{server}/to-metadata", allow_loopback=True)
    assert (result.ok, result.fetched) == (False, False)
    assert result.error == "refused: 169.254.169.254 is the cloud metadata address"
    assert {host for host, _ in connections} == {"127.0.0.1"}


def test_a_body_over_max_bytes_is_cut_and_not_ok(server: str) -> None:
    result = fetch(f"{server}/huge", allow_loopback=True, max_bytes=50_000)
    assert (result.ok, result.fetched, result.status) == (False, True, 200)
    assert result.error == "the response is larger than 50 kB"
    assert result.text == "x" * 50_000


def test_the_default_limit_is_2_mb(server: str) -> None:
    result = fetch(f"{server}/huge", allow_loopback=True)
    assert result.error == "the response is larger than 2 MB"
    assert len(result.text) == 2_000_000
    assert fetch(f"{server}/huge", allow_loopback=True, max_bytes=HUGE).ok


def test_a_slow_server_times_out(server: str) -> None:
    started = time.monotonic()
    result = fetch(f"{server}/slow", allow_loopback=True, timeout=0.5)
    assert time.monotonic() - started < 1.5
    assert (result.ok, result.fetched, result.status) == (False, False, None)
    assert result.error == "timed out after 0.5 s"


def test_connection_refused() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = fetch(f"http://127.0.0.1:{port}/", allow_loopback=True)
    assert (result.ok, result.fetched, result.error) == (False, False, "connection refused")


def test_dns_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def getaddrinfo(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    result = fetch("https://no-such-host.example/")
    assert (result.ok, result.fetched) == (False, False)
    assert result.error == "could not resolve the host name (Name or service not known)"


def test_tls_errors_are_reported(server: str) -> None:
    result = fetch(server.replace("http:", "https:") + "/page", allow_loopback=True)
    assert (result.ok, result.fetched) == (False, False)
    assert result.error.startswith("TLS error: ")


def test_invalid_urls_are_reported() -> None:
    assert fetch("http://example.com:99999/").error.startswith("invalid URL: ")
    assert fetch("http:///no-host").error == "invalid URL: no host name"


def test_decodes_with_the_header_charset(server: str) -> None:
    assert fetch(f"{server}/latin1-header", allow_loopback=True).text == "Déjà vu"


def test_decodes_with_the_meta_charset(server: str) -> None:
    result = fetch(f"{server}/latin1-meta", allow_loopback=True)
    assert quote_found(result.text, "déjà vu")


def test_a_compressed_body_we_did_not_ask_for_is_not_ok(server: str) -> None:
    result = fetch(f"{server}/gzip", allow_loopback=True)
    assert (result.ok, result.fetched, result.status) == (False, True, 200)
    assert result.error == "unsupported Content-Encoding 'gzip' (we asked for identity)"


# Loopback, names and schemes


def test_loopback_is_refused_by_default(server: str) -> None:
    result = fetch(f"{server}/page", allow_loopback=False)
    assert (result.ok, result.fetched, result.status) == (False, False, None)
    assert result.error == "refused: 127.0.0.1 is a loopback address"


def test_allow_loopback_follows_the_setting(server: str, settings) -> None:
    assert not fetch(f"{server}/page").ok
    settings.SOURCE_CHECK_ALLOW_LOOPBACK = True
    assert fetch(f"{server}/page").ok
    assert not fetch(f"{server}/page", allow_loopback=False).ok


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://localhost/", "127.0.0.1"),
        ("http://[::1]/", "::1"),
        ("http://127.1/", "127.0.0.1"),
        ("http://2130706433/", "127.0.0.1"),
        ("http://0.0.0.0/", "0.0.0.0"),  # noqa: S104 (an address we refuse)
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1"),
        ("https://10.1.2.3/", "10.1.2.3"),
    ],
)
def test_local_hosts_are_refused(url: str, address: str, connections: list) -> None:
    result = fetch(url)
    assert (result.ok, result.fetched) == (False, False)
    assert result.error.startswith(f"refused: {address} is ")
    assert connections == []


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "file:///etc/passwd",
        "gopher://example.com/",
        "javascript:alert(1)",
        "data:text/html,hello",
        "example.com/page",
    ],
)
def test_other_schemes_are_refused(url: str, connections: list) -> None:
    result = fetch(url)
    assert (result.ok, result.fetched) == (False, False)
    assert result.error.startswith("refused: only http and https URLs are fetched")
    assert connections == []


def test_a_name_resolving_to_a_private_address_is_refused(
    monkeypatch: pytest.MonkeyPatch, connections: list
) -> None:
    fake_dns(monkeypatch, {"intranet.example": ["10.20.30.40"]})
    result = fetch("https://intranet.example/wiki")
    assert (result.ok, result.fetched) == (False, False)
    assert result.error == (
        "refused: 10.20.30.40 is a private address (intranet.example resolves to it)"
    )
    assert connections == []


def test_one_bad_address_refuses_the_name(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"mixed.example": ["93.184.216.34", "fd00::1"]})
    with pytest.raises(FetchRefused, match="fd00::1 is a private address"):
        resolve_host("mixed.example", 443)


def test_public_addresses_resolve(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"news.example": ["93.184.216.34", "2606:2800:220:1::1"]})
    assert [str(ip) for ip in resolve_host("news.example", 443)] == [
        "93.184.216.34",
        "2606:2800:220:1::1",
    ]


def test_connects_to_the_vetted_address_with_the_original_host_header(
    server: str, monkeypatch: pytest.MonkeyPatch, connections: list[tuple[str, int]]
) -> None:
    """DNS rebinding: a second lookup would answer 10.0.0.1, but there is no second lookup."""
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])
    looked_up: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host != "rebind.example":
            return real(host, port, *args, **kwargs)
        looked_up.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in next(answers)]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    port = server.rsplit(":", 1)[1]
    result = fetch(f"http://rebind.example:{port}/host", allow_loopback=True, timeout=2)
    assert result.ok
    assert result.text == f"rebind.example:{port}"
    assert looked_up == ["rebind.example"]
    assert connections == [("127.0.0.1", int(port))]


# Vetting addresses

REFUSED = [
    "127.0.0.1",
    "127.255.255.254",
    "::1",
    "0.0.0.0",  # noqa: S104 (an address we refuse)
    "0.1.2.3",
    "::",
    "10.0.0.5",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "169.254.1.1",
    "fe80::1",
    "100.64.0.1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::a00:1",  # NAT64 for 10.0.0.1
    "::7f00:1",  # IPv4-compatible ::127.0.0.1
    "fd00::1",
    "fc00::1",
    "fd00:ec2::254",
    "224.0.0.1",
    "ff02::1",
    "240.0.0.1",
    "255.255.255.255",
    "192.0.2.1",
    "198.18.0.1",
    "2001:db8::1",
    "2002:a00:1::1",  # 6to4 for 10.0.0.1
]


@pytest.mark.parametrize("ip", REFUSED)
def test_non_public_addresses_are_refused(ip: str) -> None:
    with pytest.raises(FetchRefused, match=f"^{ip} (is|is not) "):
        vet_address(ip)


@pytest.mark.parametrize(
    ("ip", "reason"),
    [
        ("10.0.0.5", "10.0.0.5 is a private address"),
        ("127.0.0.1", "127.0.0.1 is a loopback address"),
        ("169.254.1.1", "169.254.1.1 is a link-local address"),
        ("169.254.169.254", "169.254.169.254 is the cloud metadata address"),
        ("100.64.0.1", "100.64.0.1 is in the shared address space 100.64.0.0/10"),
        ("0.1.2.3", "0.1.2.3 is in 0.0.0.0/8 (“this network”)"),
        ("::ffff:127.0.0.1", "::ffff:127.0.0.1 is a loopback address"),
    ],
)
def test_refusals_say_why(ip: str, reason: str) -> None:
    with pytest.raises(FetchRefused) as refused:
        vet_address(ip)
    assert str(refused.value) == reason


@pytest.mark.parametrize(
    "ip", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]
)
def test_public_addresses_are_allowed(ip: str) -> None:
    vet_address(ip)


@pytest.mark.parametrize("ip", ["127.0.0.1", "127.0.0.53", "::1", "::ffff:127.0.0.1"])
def test_allow_loopback_allows_loopback(ip: str) -> None:
    vet_address(ip, allow_loopback=True)


@pytest.mark.parametrize("ip", ["10.0.0.1", "169.254.169.254", "0.0.0.0", "::", "fd00::1"])  # noqa: S104
def test_allow_loopback_allows_nothing_else(ip: str) -> None:
    with pytest.raises(FetchRefused):
        vet_address(ip, allow_loopback=True)


# Page text and quotes


def test_page_text() -> None:
    assert page_text(PAGE) == (
        f"Acme press release Acme Corp announced today: {LDQUO}We{RSQUO}re building the future"
        f" of news {MDASH} together,{RDQUO} said Jane Doe & co."
    )


def test_page_text_separates_blocks_but_not_inline_elements() -> None:
    html = "<ul><li>one</li><li>two</li></ul><p>wo<b>rd</b><br>next</p>"
    assert page_text(html) == "one two word next"


@pytest.mark.parametrize(
    "quote",
    [
        QUOTE,
        f"We{RSQUO}re building the future of news {NDASH} together,",
        "we're building the FUTURE of news - together",
        f"{LDQUO}We{RSQUO}re building\n the future",
        "\"We're building the future",
        "said Jane Doe & co.",
        "Acme Corp announced",
    ],
)
def test_quote_found(quote: str) -> None:
    assert quote_found(PAGE, quote)


@pytest.mark.parametrize(
    "quote",
    [
        "We're building the past of news",
        "We are building the future",
        "color: red",  # in <style>
        'var hidden = "',  # in <script>
        "",
        "   \n ",
    ],
)
def test_quote_not_found(quote: str) -> None:
    assert not quote_found(PAGE, quote)


def test_quote_found_normalises_unicode() -> None:
    # The "fi" ligature, full-width letters, a soft hyphen and a capital sharp s.
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in "REPORT")
    page = f"<p>The \ufb01nal {fullwidth} is ready; news&shy;room STRA\u1e9eE</p>"
    assert quote_found(page, "the final report is ready")
    assert quote_found(page, "newsroom strasse")


def test_quote_found_reads_plain_text() -> None:
    assert quote_found("Le conseil a voté « oui » hier.", "a voté « oui »")
