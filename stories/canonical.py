"""Canonical URLs for sources: one document, one address.

A source (a post on X, a press release, a filing) is stored once, under its canonical URL, so
the same document cited twice is one source. :func:`canonical_url` turns what a journalist
pasted into that one spelling, or refuses it with :class:`InvalidSourceURL`, whose message
says what is wrong and what to do.

The rules, and why:

- only ``http`` and ``https``: a source must be a web page anyone on the desk can open
  (``javascript:`` or ``data:`` links would also be unsafe to render);
- truncated links (``...`` or ``…``, as printed in articles) are refused: they point nowhere;
- credentials are refused: they must never be stored, and they are not part of the document;
- scheme and host are case-insensitive, so they are lowercased; international hosts become
  punycode (stdlib IDNA 2003 codec) so both spellings agree; the default port is dropped;
- twitter.com and its mobile or www spellings become x.com: they serve the same posts;
- the path keeps its case (servers may tell ``/A`` from ``/a``) but its percent-encoding is
  normalised as RFC 3986 section 6.2.2 says, and ``.`` and ``..`` segments are resolved;
- share-tracking parameters (``utm_*``, ``fbclid``, … and ``s``/``t`` on x.com) say who
  shared a link, not which document it is, so they are removed; other parameters keep their
  order, which may be meaningful;
- the fragment is dropped: it is a place in the page, not another document.

- the result must also pass Django's ``URLValidator`` (sources are stored in a ``URLField``):
  a site name without a domain (``http://intranet/``), a numeric or one-letter top-level
  domain, or an IPv4 address out of range is refused here, with the same kind of message as
  every other refusal, rather than later by the model far from the field.

The result is idempotent (``canonical_url(canonical_url(u)) == canonical_url(u)``) and ASCII.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

__all__ = ["MAX_LENGTH", "InvalidSourceURL", "canonical_url"]

MAX_LENGTH = 2000
"""Longer links are almost always search results or redirect chains, not a document."""

DEFAULT_PORTS = {"http": 80, "https": 443}

HOST_ALIASES = {
    "twitter.com": "x.com",
    "www.twitter.com": "x.com",
    "mobile.twitter.com": "x.com",
    "www.x.com": "x.com",
    "mobile.x.com": "x.com",
}

TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref_src", "ref_url"}
)
"""Removed on every host (compared case-insensitively), as is any ``utm_*`` parameter."""

X_TRACKING_PARAMETERS = frozenset({"s", "t"})
"""Removed on x.com only: elsewhere ``s`` or ``t`` may well choose the document."""

UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
RESERVED = frozenset(":/?#[]@!$&'()*+,;=")
HEX_DIGITS = frozenset("0123456789abcdefABCDEF")

SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
HOST_LABEL_RE = re.compile(r"(?=.{1,63}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?")
"""Letters, digits and inner hyphens (RFC 1123), as Django's URLValidator also demands."""
PORT_RE = re.compile(r"[0-9]+")

ADDRESS_BAR = "copy the full address from the browser’s address bar"

URL_FIELD_CHECK = URLValidator(schemes=list(DEFAULT_PORTS))
"""What ``Source.canonical_url`` (a URLField) accepts: every canonical URL must pass it."""


class InvalidSourceURL(ValueError):
    """A link that cannot be a source; the message is written for the journalist who typed it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def canonical_url(url: str) -> str:
    """Return the one spelling under which the document at ``url`` is stored.

    Raises :class:`InvalidSourceURL` when ``url`` is not a complete http(s) link.
    """
    url = url.strip()
    _check_text(url)
    scheme, rest = _split_scheme(url)
    rest = rest.partition("#")[0]  # the fragment is a place in the page, not a document
    authority_end = min((i for i in (rest.find("/"), rest.find("?")) if i >= 0), default=len(rest))
    authority, rest = rest[:authority_end], rest[authority_end:]
    path, _, query = rest.partition("?")

    host, port = _host_and_port(authority, scheme)
    host = HOST_ALIASES.get(host, host)
    netloc = host if port is None else f"{host}:{port}"
    path = _remove_dot_segments(_normalise_percent(path)) if path else "/"
    query = _clean_query(query, host)
    result = f"{scheme}://{netloc}{path}" + (f"?{query}" if query else "")

    # Decoding may reveal "..." (%2E%2E%2E) and escaping may lengthen the link: refusing such
    # results here keeps canonical_url idempotent.
    if "..." in result or "%E2%80%A6" in result:
        raise InvalidSourceURL(_truncated_message("..."))
    if len(result) > MAX_LENGTH:
        raise InvalidSourceURL(_too_long_message(len(result)))
    try:
        URL_FIELD_CHECK(result)
    except ValidationError:
        # Every other part has been checked above: what is left is a host that is not a
        # domain name (no dot, a top-level domain that is not letters) nor an IP address.
        raise InvalidSourceURL(
            f"The site name “{host[:100]}” is not a complete web address (a name such as "
            f"example.com, or an IP address): check it for typos, or {ADDRESS_BAR}."
        ) from None
    return result


def _check_text(url: str) -> None:
    """Refuse what no source address can contain, with the most specific message first."""
    if not url:
        raise InvalidSourceURL(
            "No link was given: paste the full address of the source, starting with https://."
        )
    if len(url) > MAX_LENGTH:
        raise InvalidSourceURL(_too_long_message(len(url)))
    for mark in ("...", "…"):
        if mark in url or (mark == "…" and "%e2%80%a6" in url.lower()):
            raise InvalidSourceURL(_truncated_message(mark))
    # The common case is checked at C speed: printable ASCII without a space has no line
    # break, control, format or surrogate character, so the loop below has nothing to find.
    plain = url.isascii() and url.isprintable() and " " not in url
    for char in "" if plain else url:
        category = unicodedata.category(char)
        if char.isspace() or category in ("Zs", "Zl", "Zp"):
            raise InvalidSourceURL(
                "This link contains a space or a line break: "
                f"{ADDRESS_BAR} and paste it as one line."
            )
        if category in ("Cc", "Cf", "Cs"):
            raise InvalidSourceURL(
                f"This link contains an invisible character (U+{ord(char):04X}): "
                f"{ADDRESS_BAR} and paste it again."
            )
    if "\\" in url:
        raise InvalidSourceURL(
            "This link contains a backslash (\\); web addresses use forward slashes (/): "
            f"{ADDRESS_BAR}."
        )


def _split_scheme(url: str) -> tuple[str, str]:
    """Return the lowercased scheme and what follows ``scheme://``, or refuse."""
    match = SCHEME_RE.match(url)
    rest = url[match.end() :] if match else ""
    # "x.com/a", "//x.com/a", "x.com:443/a" and "localhost:8000" have no scheme at all.
    if match is None or rest[:1].isdigit() or ("." in match.group(1) and not rest.startswith("//")):
        raise InvalidSourceURL(
            "This link does not start with https:// (or http://): "
            f"{ADDRESS_BAR}, or add https:// in front."
        )
    scheme = match.group(1).lower()
    if scheme not in DEFAULT_PORTS:
        raise InvalidSourceURL(
            "Only web links, starting with https:// or http://, can be sources; "
            f"this one starts with “{match.group(1)[:20]}:”. "
            "Open the document in the browser and copy the address from the address bar."
        )
    if not rest.startswith("//"):
        raise InvalidSourceURL(
            f"This link lacks the two slashes after “{scheme}:” (it should read "
            f"“{scheme}://example.com/…”): {ADDRESS_BAR}."
        )
    return scheme, rest[2:]


def _host_and_port(authority: str, scheme: str) -> tuple[str, int | None]:
    """Return the canonical host and the port, ``None`` when it is the scheme's default."""
    if "@" in authority:
        raise InvalidSourceURL(
            "This link contains a user name or password (the part before “@” in the site "
            "name): remove it, and never store passwords in a source."
        )
    if authority.startswith("["):
        literal, bracket, port_text = authority[1:].partition("]")
        if not bracket or (port_text and not port_text.startswith(":")):
            raise _invalid_host(authority)
        host = f"[{_ipv6(literal)}]"
        port_text = port_text[1:]
    else:
        host, _, port_text = authority.partition(":")
        host = _hostname(host)
    if port_text == "":
        return host, None
    if not PORT_RE.fullmatch(port_text):
        raise InvalidSourceURL(
            f"The port “{port_text[:20]}” after the site name must be a number: "
            "check the link for typos, or remove the “:” and what follows it."
        )
    port = int(port_text)
    if not 1 <= port <= 65535:
        raise InvalidSourceURL(
            f"The port {port_text[:20]} after the site name is out of range (1 to 65535): "
            "check the link for typos."
        )
    return host, None if port == DEFAULT_PORTS[scheme] else port


def _hostname(host: str) -> str:
    """Lowercase, punycode and validate a registered name (or IPv4 address)."""
    if not host:
        raise InvalidSourceURL(f"This link has no site name after the “//”: {ADDRESS_BAR}.")
    if "" in host.removesuffix(".").split("."):
        raise _invalid_host(host)
    try:
        # The stdlib codec (IDNA 2003) lowercases only non-ASCII labels, so lowercase first;
        # ASCII hosts skip it so that "a..b" is reported as invalid, not as foreign characters.
        lowered = host.lower()
        ascii_host = lowered if lowered.isascii() else lowered.encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        raise InvalidSourceURL(
            f"The site name “{host[:100]}” contains characters that cannot be in a web "
            f"address: check it for typos, or {ADDRESS_BAR}."
        ) from None
    if ascii_host.endswith("."):
        ascii_host = ascii_host[:-1]  # "x.com." is the fully qualified spelling of "x.com"
    labels = ascii_host.split(".")
    if len(ascii_host) > 253 or not all(HOST_LABEL_RE.fullmatch(label) for label in labels):
        raise _invalid_host(host)
    for label in labels:
        if label.startswith("xn--"):
            try:
                label.encode("ascii").decode("idna")
            except (UnicodeError, ValueError):
                raise _invalid_host(host) from None
    return ascii_host


def _ipv6(literal: str) -> str:
    """Return the compressed spelling of an IPv6 address, so every spelling agrees."""
    if "%" in literal:  # zone identifiers name a network interface of the reader's machine
        raise _invalid_host(f"[{literal}]")
    try:
        return ipaddress.IPv6Address(literal).compressed
    except ValueError:
        raise _invalid_host(f"[{literal}]") from None


def _normalise_percent(text: str) -> str:
    """Normalise percent-encoding so that two spellings of the same bytes give one string.

    Escaped unreserved characters are decoded, other escapes get uppercase hex, a ``%`` that
    starts no escape becomes ``%25``, and every character that may not appear as is (non-ASCII,
    ``"``, ``<``, ``{``, …) is UTF-8 percent-encoded. Reserved characters
    keep their spelling: ``/`` and ``%2F`` may mean different things to the server.
    """
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "%" and text[i + 1 : i + 2] in HEX_DIGITS and text[i + 2 : i + 3] in HEX_DIGITS:
            decoded = chr(int(text[i + 1 : i + 3], 16))
            out.append(decoded if decoded in UNRESERVED else text[i : i + 3].upper())
            i += 3
            continue
        if char in UNRESERVED or char in RESERVED:
            out.append(char)
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8"))
        i += 1
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    """Resolve ``.`` and ``..`` segments (RFC 3986 section 5.2.4) of an absolute path."""
    segments = path.split("/")[1:]
    out: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "..":
            if out:
                out.pop()
        elif segment != ".":
            out.append(segment)
            continue
        if last:
            out.append("")  # "/a/b/.." is the folder "/a/", not the document "/a"
    return "/" + "/".join(out)


def _clean_query(query: str, host: str) -> str:
    """Drop tracking and empty parameters; keep the others, in order, with normalised escapes."""
    kept: list[str] = []
    for parameter in query.split("&"):
        if not parameter:
            continue
        name, equals, value = parameter.partition("=")
        name, value = _normalise_percent(name), _normalise_percent(value)
        key = name.lower()
        if (
            key.startswith("utm_")
            or key in TRACKING_PARAMETERS
            or (host == "x.com" and key in X_TRACKING_PARAMETERS)
        ):
            continue
        kept.append(f"{name}{equals}{value}")
    return "&".join(kept)


def _invalid_host(host: str) -> InvalidSourceURL:
    return InvalidSourceURL(
        f"The site name “{host[:100]}” is not a valid web address: check it for typos, "
        f"or {ADDRESS_BAR}."
    )


def _truncated_message(mark: str) -> str:
    return f"This link is cut short (it contains “{mark}”): {ADDRESS_BAR}."


def _too_long_message(length: int) -> str:
    return (
        f"This link is {length:,} characters long, more than the {MAX_LENGTH:,} allowed: "
        "copy the address of the document itself, not of a search or a redirect."
    )
