"""Fetch a source URL safely, and look for a quote in what came back.

Sources are URLs typed by users, and the fetcher runs on our servers, so it must not
become a way to reach what only our servers can reach (server-side request forgery):
the intranet, services listening on loopback, the cloud metadata service at
169.254.169.254. So every hop, the first URL and each redirect alike, is vetted the
same way:

* only http and https;
* the host name is resolved once, and refused if *any* of its addresses is not a public
  unicast address (see vet_address);
* the connection goes to that vetted address itself, never to the name again, so a DNS
  answer that changes between the check and the connection (DNS rebinding) cannot send
  us elsewhere; the original name still goes in the Host header and in TLS (SNI and the
  certificate check).

Redirects are followed by hand, so that each one is vetted before we connect to it.

fetch() never raises for network problems: it returns a FetchResult with ok=False and an
error a person can read, so a command checking hundreds of sources carries on.

Limits: the whole fetch (every hop, and reading the body) has one deadline, `timeout`,
checked before each connection and each read; the DNS lookup itself cannot be
interrupted and is not covered by it.
"""

import http.client
import ipaddress
import re
import socket
import ssl
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import quote as percent_encode
from urllib.parse import urljoin, urlsplit

from django.conf import settings

type IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

USER_AGENT = "NewsroomSourceChecker/1.0 (+link checking for citations)"
# We ask for an uncompressed body rather than decompressing: simpler, and max_bytes then
# bounds what we hold in memory with no decompression bomb to worry about. A server that
# compresses anyway gets ok=False with an explicit error (see _read_response).
REQUEST_HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,*/*;q=0.8",
    "Accept-Encoding": "identity",
    "Connection": "close",
}
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchResult:
    """The outcome of fetch(url).

    When a fetch stops early, the fields describe the last hop attempted: after a redirect
    to a refused address, final_url is that address, status is None and fetched is False.
    """

    url: str  # the URL asked for
    final_url: str  # the URL of the last hop, after redirects
    status: int | None  # the last HTTP status received from final_url, if any
    ok: bool  # a 2xx response was received, and its body was read in full
    text: str  # the decoded body (at most max_bytes of it); "" when none
    content_type: str  # the media type, lower case without parameters ("text/html"); or ""
    error: str  # why it is not ok, for people ("HTTP 404", "timed out after 10 s"); or ""
    fetched: bool  # an HTTP response was received from final_url
    # What a snapshot keeps (stories.snapshots): the raw body as received (at most max_bytes),
    # whether it was cut there, and the response's status line and headers.
    body: bytes = b""
    truncated: bool = False
    reason: str = ""
    headers: tuple[tuple[str, str], ...] = ()


class FetchRefused(Exception):
    """We will not connect there: the scheme or the address is off limits."""


# Checked before ipaddress's own flags, which cover them too, to give a clearer reason.
_NAMED_RANGES: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...] = (
    (ipaddress.ip_network("169.254.169.254/32"), "the cloud metadata address"),
    (ipaddress.ip_network("fd00:ec2::254/128"), "the cloud metadata address"),
    (ipaddress.ip_network("0.0.0.0/8"), "in 0.0.0.0/8 (“this network”)"),
    (ipaddress.ip_network("100.64.0.0/10"), "in the shared address space 100.64.0.0/10"),
)
_FLAGS = (
    ("is_unspecified", "an unspecified"),
    ("is_loopback", "a loopback"),
    ("is_link_local", "a link-local"),
    ("is_multicast", "a multicast"),
    ("is_private", "a private"),
    ("is_reserved", "a reserved"),
)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def vet_address(ip: str | IPAddress, *, allow_loopback: bool = False) -> None:
    """Raise FetchRefused unless we may connect to `ip`: a globally routable unicast address.

    Loopback is allowed only with allow_loopback (tests and demos serve pages on
    127.0.0.1). An IPv6 address carrying an IPv4 one (IPv4-mapped ::ffff:a.b.c.d, NAT64
    64:ff9b::a.b.c.d) is judged by the IPv4 address, since that is where packets go.
    Raises ValueError if `ip` is not an IP address.
    """
    address = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
    target = address
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            target = address.ipv4_mapped
        elif address in _NAT64:
            target = ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF)
    if target.is_loopback and allow_loopback:
        return
    for network, label in _NAMED_RANGES:
        if target in network:
            raise FetchRefused(f"{address} is {label}")
    for flag, label in _FLAGS:
        if getattr(target, flag):
            raise FetchRefused(f"{address} is {label} address")
    if not target.is_global:
        raise FetchRefused(f"{address} is not a globally routable address")


def resolve_host(host: str, port: int, *, allow_loopback: bool = False) -> list[IPAddress]:
    """Resolve `host` and vet every address; return them in getaddrinfo's order.

    One bad address refuses the name: otherwise which address we reach would be up to
    chance, or to whoever controls the DNS. Raises FetchRefused, or socket.gaierror.
    """
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(
        dict.fromkeys(
            ipaddress.ip_address(sockaddr[0])
            for family, _, _, _, sockaddr in infos
            if family in (socket.AF_INET, socket.AF_INET6)
        )
    )
    if not addresses:
        raise socket.gaierror(socket.EAI_NONAME, f"{host} has no IP address")
    for address in addresses:
        try:
            vet_address(address, allow_loopback=allow_loopback)
        except FetchRefused as refused:
            if host == str(address):
                raise
            raise FetchRefused(f"{refused} ({host} resolves to it)") from None
    return addresses


def _open_socket(addresses: list[IPAddress], port: int, timeout: float) -> socket.socket:
    """Connect to the first vetted address that answers; never look the name up again."""
    error: OSError = OSError("no address to connect to")
    for address in addresses:
        try:
            return socket.create_connection((str(address), port), timeout)
        except OSError as exc:
            error = exc
    raise error


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection for `host` that goes to its already vetted addresses."""

    def __init__(self, host: str, port: int, addresses: list[IPAddress], timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses
        self.opened: socket.socket | None = None  # kept after http.client drops self.sock

    def connect(self) -> None:
        self.sock = self.opened = _open_socket(self.addresses, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection for `host`, to its vetted addresses; TLS still checks `host`."""

    def __init__(self, host: str, port: int, addresses: list[IPAddress], timeout: float):
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.addresses = addresses
        self.opened: socket.socket | None = None

    def connect(self) -> None:
        sock = _open_socket(self.addresses, self.port, self.timeout)
        try:
            self.sock = self.opened = self.tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


type _Connection = _PinnedHTTPConnection | _PinnedHTTPSConnection


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _request(url: str, deadline: float, allow_loopback: bool) -> _Connection:
    """Vet `url`, connect and send the GET; return the connection (to read from)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        found = f"this one is {scheme}:" if scheme else "this one has no scheme"
        raise FetchRefused(f"only http and https URLs are fetched ({found})")
    host = parts.hostname
    if not host:
        raise ValueError("no host name")
    if not host.isascii():
        host = host.encode("idna").decode("ascii")
    port = parts.port or (443 if scheme == "https" else 80)
    # Users paste URLs with spaces and accents; http.client only sends ASCII.
    target = percent_encode(parts.path or "/", safe="/%:@!$&'()*+,;=~")
    if parts.query:
        target += "?" + percent_encode(parts.query, safe="/?%:@!$&'()*+,;=~")
    addresses = resolve_host(host, port, allow_loopback=allow_loopback)
    kind = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = kind(host, port, addresses, _remaining(deadline))
    try:
        connection.request("GET", target, headers=REQUEST_HEADERS)
    except BaseException:
        connection.close()
        raise
    return connection


def _describe(exc: Exception, timeout: float) -> str:
    """A reason a person can read, for the errors a fetch can meet."""
    match exc:
        case FetchRefused():
            return f"refused: {exc}"
        case TimeoutError():
            return f"timed out after {timeout:g} s"
        case socket.gaierror():
            return f"could not resolve the host name ({exc.strerror})"
        case ssl.SSLCertVerificationError():
            return f"TLS certificate error: {exc.verify_message}"
        case ssl.SSLError():
            return f"TLS error: {exc.reason or exc}"
        case ConnectionRefusedError():
            return "connection refused"
        case http.client.RemoteDisconnected():
            return "the server closed the connection without answering"
        case http.client.InvalidURL():
            return f"invalid URL: {exc}"
        case http.client.IncompleteRead():
            return "the connection closed before the whole body arrived"
        case http.client.HTTPException():
            return f"invalid HTTP response ({type(exc).__name__})"
        case OSError():
            return f"connection failed: {exc.strerror or exc}"
        case _:
            return f"invalid URL: {exc}"


def _size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:g} MB"
    if n >= 1_000:
        return f"{n / 1_000:g} kB"
    return f"{n} bytes"


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def _decode(body: bytes, header_charset: str | None) -> str:
    """Decode with the Content-Type charset, else a <meta charset> near the top, else UTF-8.

    The <meta> look-up goes beyond "header or UTF-8" because many older European sites
    declare Latin-1 only there, and reading them as UTF-8 would lose every accent (and so
    every quote with one).
    """
    charset = header_charset
    if not charset and (match := _META_CHARSET.search(body[:4096])):
        charset = match.group(1).decode("ascii")
    try:
        return body.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def _read_response(
    url: str,
    final_url: str,
    response: http.client.HTTPResponse,
    sock: socket.socket | None,
    deadline: float,
    max_bytes: int,
    timeout: float,
) -> FetchResult:
    """Read at most max_bytes (+1, to tell a body of exactly max_bytes from a larger one)."""
    status = response.status
    content_type = response.headers.get_content_type() if response.getheader("Content-Type") else ""
    chunks: list[bytes] = []
    size = 0
    error = ""
    try:
        while size <= max_bytes and not response.isclosed():
            if sock is not None:
                sock.settimeout(_remaining(deadline))
            chunk = response.read1(min(_CHUNK, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except (OSError, http.client.HTTPException) as exc:
        error = _describe(exc, timeout)
    body = b"".join(chunks)[:max_bytes]
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if not 200 <= status < 300:
        error = f"HTTP {status}"
    elif not error and size > max_bytes:
        error = f"the response is larger than {_size(max_bytes)}"
    elif not error and encoding != "identity":
        error = f"unsupported Content-Encoding {encoding!r} (we asked for identity)"
    text = _decode(body, response.headers.get_content_charset()) if encoding == "identity" else ""
    return FetchResult(
        url,
        final_url,
        status,
        not error,
        text,
        content_type,
        error,
        True,
        body=body,
        truncated=size > max_bytes,
        reason=response.reason or "",
        headers=tuple(response.getheaders()),
    )


def fetch(
    url: str,
    *,
    timeout: float = 10.0,
    max_bytes: int = 2_000_000,
    max_redirects: int = 5,
    allow_loopback: bool | None = None,
) -> FetchResult:
    """GET `url`, following up to max_redirects redirects, each vetted like the first.

    Never raises for network problems or bad URLs: see FetchResult.ok and .error.
    allow_loopback=None reads settings.SOURCE_CHECK_ALLOW_LOOPBACK (default False).
    """
    if allow_loopback is None:
        allow_loopback = bool(getattr(settings, "SOURCE_CHECK_ALLOW_LOOPBACK", False))
    deadline = time.monotonic() + timeout
    current = url
    redirects = 0
    while True:
        try:
            connection = _request(current, deadline, allow_loopback)
        except (FetchRefused, OSError, http.client.HTTPException, ValueError) as exc:
            return FetchResult(url, current, None, False, "", "", _describe(exc, timeout), False)
        try:
            try:
                response = connection.getresponse()
            except (OSError, http.client.HTTPException) as exc:
                error = _describe(exc, timeout)
                return FetchResult(url, current, None, False, "", "", error, False)
            location = response.getheader("Location")
            if response.status not in REDIRECT_STATUSES or not location:
                return _read_response(
                    url, current, response, connection.opened, deadline, max_bytes, timeout
                )
            if redirects >= max_redirects:
                error = f"too many redirects (more than {max_redirects})"
                return FetchResult(url, current, response.status, False, "", "", error, True)
            redirects += 1
            current = urljoin(current, location.strip())
        finally:
            connection.close()


_HIDDEN_TAGS = frozenset({"script", "style", "template"})
# Elements that separate words on screen; inline ones (<b>, <a>, <span>) must not, or
# "wo<b>rd</b>" would read "wo rd".
# fmt: off
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "option", "p", "pre", "section", "table", "tbody", "td",
    "tfoot", "th", "thead", "title", "tr", "ul",
})
# fmt: on


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # unescapes &amp; &rsquo; &#8217; ...
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def page_text(html: str) -> str:
    """The text a reader sees: no tags, scripts or styles, entities decoded, spaces collapsed."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


# Typographic quotes and dashes as typed on a keyboard; invisible characters (soft
# hyphen, zero-width spaces, BOM) removed, since pages sprinkle them inside words.
_PLAIN = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff"),
    }
)


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(_PLAIN).casefold().split())


@lru_cache(maxsize=8)
def _normalised_page(page: str) -> str:
    # Cached: a command checks every quote of a source against the same page.
    return _normalise(page_text(page))


def quote_found(page: str, quote: str) -> bool:
    """Whether `quote` appears in the visible text of `page` (HTML, or plain text).

    Both sides are compared after NFKC, casefolding, collapsing whitespace and reading
    typographic quotes and dashes as ASCII, so retyping a quote does not count as a change.
    An empty (or blank) quote is never found: it proves nothing, and answering True would
    report a source as unchanged on no evidence.
    """
    needle = _normalise(quote)
    return bool(needle) and needle in _normalised_page(page)
