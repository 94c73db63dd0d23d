"""Canonical source URLs: each rule and refusal by example, then the promises as properties."""

from __future__ import annotations

import string
from dataclasses import dataclass
from urllib.parse import unquote

import pytest
from django.core.validators import URLValidator
from hypothesis import given, settings
from hypothesis import strategies as st

from stories.canonical import MAX_LENGTH, InvalidSourceURL, canonical_url

STATUS = "https://x.com/barret_zoph/status/1839095143397515452"


def refusal(url: str) -> str:
    with pytest.raises(InvalidSourceURL) as caught:
        canonical_url(url)
    return str(caught.value)


# --- The reference case ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        f"{STATUS}?s=46&t=iTysI4vQLQqCNJjSmBODPw",
        "HTTPS://Twitter.com/barret_zoph/status/1839095143397515452#top",
        STATUS,
    ],
)
def test_reference_case(url):
    assert canonical_url(url) == STATUS


# --- Scheme, host and port ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://EXAMPLE.COM/Path", "http://example.com/Path"),
        ("hTTpS://News.Example.ORG/", "https://news.example.org/"),
        ("  https://example.com/a \n", "https://example.com/a"),
        ("https://example.com./a", "https://example.com/a"),
        ("https://Bücher.Example/", "https://xn--bcher-kva.example/"),
        ("https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/"),
        ("https://例え.テスト/", "https://xn--r8jz45g.xn--zckzah/"),
        ("http://example.com:80/", "http://example.com/"),
        ("https://example.com:443/", "https://example.com/"),
        ("https://example.com:/", "https://example.com/"),
        ("https://example.com:0443/", "https://example.com/"),
        ("http://example.com:443/", "http://example.com:443/"),
        ("https://example.com:8080/", "https://example.com:8080/"),
        ("http://127.0.0.1:8000/a", "http://127.0.0.1:8000/a"),
        ("http://[::1]/", "http://[::1]/"),
        ("http://[0:0:0:0:0:0:0:1]:80/", "http://[::1]/"),
        ("https://[2001:DB8::1]:8443/a", "https://[2001:db8::1]:8443/a"),
    ],
)
def test_scheme_host_and_port(url, expected):
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    "host", ["twitter.com", "www.twitter.com", "mobile.twitter.com", "www.x.com", "mobile.x.com"]
)
def test_twitter_spellings_become_x(host):
    assert canonical_url(f"https://{host.upper()}/sama/status/1") == "https://x.com/sama/status/1"


def test_other_twitter_like_hosts_are_left_alone():
    assert canonical_url("https://api.twitter.com/2/tweets") == "https://api.twitter.com/2/tweets"
    assert canonical_url("https://notx.com/a") == "https://notx.com/a"


# --- Path -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com", "https://example.com/"),
        ("https://example.com?a=1", "https://example.com/?a=1"),
        ("https://example.com/Press/Release.PDF", "https://example.com/Press/Release.PDF"),
        # Needlessly escaped unreserved characters are decoded.
        ("https://example.com/%7Esama/%41%62%2D%5F%2E", "https://example.com/~sama/Ab-_."),
        # Other escapes keep their meaning, with uppercase hex: %2F is not "/".
        ("https://example.com/a%2fb%3a", "https://example.com/a%2Fb%3A"),
        ("https://example.com/a/b:c@d!$&'()*+,;=", "https://example.com/a/b:c@d!$&'()*+,;="),
        # Non-ASCII and characters that may not appear as they are get UTF-8 escapes.
        ("https://example.com/café", "https://example.com/caf%C3%A9"),
        ("https://example.com/caf%c3%a9", "https://example.com/caf%C3%A9"),
        ('https://example.com/{a}|"b"<c>^`', "https://example.com/%7Ba%7D%7C%22b%22%3Cc%3E%5E%60"),
        ("https://example.com/100%", "https://example.com/100%25"),
        ("https://example.com/%zz%4", "https://example.com/%25zz%254"),
        # Dot segments are resolved, including escaped ones.
        ("https://example.com/a/./b/../c", "https://example.com/a/c"),
        ("https://example.com/a/b/..", "https://example.com/a/"),
        ("https://example.com/a/b/.", "https://example.com/a/b/"),
        ("https://example.com/../../a", "https://example.com/a"),
        ("https://example.com/a/%2e%2E/b", "https://example.com/b"),
        ("https://example.com/a//b/", "https://example.com/a//b/"),
    ],
)
def test_path(url, expected):
    assert canonical_url(url) == expected


# --- Query and fragment ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "utm_source",
        "utm_medium",
        "UTM_Campaign",
        "utm_",
        "utm%5Fterm",
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "ref_src",
        "ref_url",
        "FBCLID",
    ],
)
def test_tracking_parameters_are_removed_everywhere(name):
    url = f"https://example.com/a?id=7&{name}=x&page=2"
    assert canonical_url(url) == "https://example.com/a?id=7&page=2"


def test_s_and_t_are_removed_on_x_only():
    assert canonical_url("https://x.com/a?s=20&lang=en&t=abc") == "https://x.com/a?lang=en"
    assert canonical_url("https://twitter.com/a?s=20") == "https://x.com/a"
    assert canonical_url("https://example.com/search?s=20&t=abc") == (
        "https://example.com/search?s=20&t=abc"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # Order is kept (it may matter), and so are blank values and repeated names.
        ("https://example.com/?b=2&a=1&b=1", "https://example.com/?b=2&a=1&b=1"),
        ("https://example.com/?a=&b&c=3", "https://example.com/?a=&b&c=3"),
        ("https://example.com/?a=1&&b=2&", "https://example.com/?a=1&b=2"),
        ("https://example.com/?", "https://example.com/"),
        ("https://example.com/?utm_source=x&fbclid=y", "https://example.com/"),
        ("https://example.com/?q=%7e%c3%a9+x&r=é", "https://example.com/?q=~%C3%A9+x&r=%C3%A9"),
        ("https://example.com/?next=/a/b?c=d:e", "https://example.com/?next=/a/b?c=d:e"),
        ("https://example.com/?q=a%26b%3Dc", "https://example.com/?q=a%26b%3Dc"),
        ("https://example.com/a#section-2", "https://example.com/a"),
        ("https://example.com/a?b=1#c?d=2", "https://example.com/a?b=1"),
        ("https://example.com#", "https://example.com/"),
    ],
)
def test_query_and_fragment(url, expected):
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        f"{STATUS}?s=46&t=iTysI4vQLQqCNJjSmBODPw",
        "HTTPS://Bücher.Example:443/a/./%7e/../caf%c3%a9?utm_source=x&b=&a=%zz#top",
        "http://[0::1]:8080",
    ],
)
def test_examples_are_idempotent(url):
    once = canonical_url(url)
    assert canonical_url(once) == once


def test_length_limit():
    at_limit = "https://example.com/" + "a" * (MAX_LENGTH - len("https://example.com/"))
    assert canonical_url(at_limit) == at_limit
    message = refusal(at_limit + "a")
    assert "2,001 characters long" in message
    assert "2,000" in message
    # Escaping can lengthen a link past the limit: it is refused too, so the result is always
    # short enough to be canonicalised again.
    message = refusal("https://example.com/" + "é" * 700)
    assert "characters long" in message


# --- Refusals: each message says what is wrong ----------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", "No link was given"),
        ("   \n", "No link was given"),
        ("https://x.com/sama/status/183...", "cut short (it contains “...”)"),
        ("https://x.com/sama/status/183…", "cut short (it contains “…”)"),
        ("https://x.com/sama/status/183%E2%80%A6", "cut short"),
        ("https://example.com/a#more...", "cut short"),
        ("https://example.com/%2E%2E%2E", "cut short"),
        ("https://example.com/a b", "contains a space"),
        ("https://example.com/a\tb", "space or a line break"),
        ("https://example.com/a\nb", "line break"),
        ("https://example.com/a\u00a0b", "contains a space"),
        ("https://example.com/a\x00b", "invisible character (U+0000)"),
        ("https://example.com/a\u200bb", "invisible character (U+200B)"),
        ("https://example.com/\ud800", "invisible character (U+D800)"),
        ("https:\\\\example.com\\a", "backslash"),
        ("x.com/sama", "does not start with https://"),
        ("www.example.com", "add https:// in front"),
        ("//example.com/a", "add https:// in front"),
        ("example.com:443/a", "add https:// in front"),
        ("localhost:8000", "add https:// in front"),
        ("javascript:alert(1)", "this one starts with “javascript:”"),
        ("data:text/html,<b>hi</b>", "starts with “data:”"),
        ("ftp://example.com/file", "starts with “ftp:”"),
        ("mailto:desk@example.com", "starts with “mailto:”"),
        ("file:///etc/passwd", "starts with “file:”"),
        ("https:example.com/a", "lacks the two slashes after “https:”"),
        ("http:/example.com/a", "lacks the two slashes after “http:”"),
        ("https://", "no site name"),
        ("https:///a", "no site name"),
        ("https://?a=1", "no site name"),
        ("https://:443/", "no site name"),
        ("https://user:secret@example.com/", "user name or password"),
        ("https://user@example.com/", "user name or password"),
        ("https://a..b/", "“a..b” is not a valid web address"),
        ("https://.example.com/", "is not a valid web address"),
        ("https://example.com../", "is not a valid web address"),
        ("https://exa%6Dple.com/", "is not a valid web address"),
        ("https://exa!mple.com/", "is not a valid web address"),
        ("https://local_host.example/", "is not a valid web address"),
        ("https://-news.example/", "is not a valid web address"),
        ("https://news-.example/", "is not a valid web address"),
        ("https://" + "a" * 64 + ".com/", "is not a valid web address"),
        ("https://xn--zz.com/", "is not a valid web address"),
        ("https://a／b.com/", "is not a valid web address"),
        ("https://" + "ü" * 70 + ".de/", "cannot be in a web address"),
        ("http://intranet/news", "“intranet” is not a complete web address"),
        ("https://Wiki:8080/a", "“wiki” is not a complete web address"),
        ("https://example.123/", "“example.123” is not a complete web address"),
        ("https://news.example.c/", "is not a complete web address"),
        ("http://999.1.1.1/", "“999.1.1.1” is not a complete web address"),
        ("http://1.2.3/", "is not a complete web address"),
        ("https://[::g]/", "“[::g]” is not a valid web address"),
        ("https://[::1/", "is not a valid web address"),
        ("https://[::1]x/", "is not a valid web address"),
        ("https://[fe80::1%25eth0]/", "is not a valid web address"),
        ("https://example.com:https/", "port “https” after the site name must be a number"),
        ("https://example.com:-1/", "must be a number"),
        ("https://example.com:٨٠/", "must be a number"),
        ("https://example.com:0/", "port 0 after the site name is out of range"),
        ("https://example.com:65536/", "out of range (1 to 65535)"),
        ("https://[::1]:99999/", "out of range"),
    ],
)
def test_refusals_say_what_is_wrong(url, expected):
    message = refusal(url)
    assert expected in message
    assert ":" in message and message.endswith(".")  # what is wrong: what to do.


def test_refusal_is_a_value_error_with_the_message():
    with pytest.raises(ValueError, match="cut short") as caught:
        canonical_url("https://x.com/sama/status/183...")
    assert caught.value.message == str(caught.value)


# --- Properties -----------------------------------------------------------------------------

TRACKING = ["utm_source", "utm_medium", "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid"]
TRACKING += ["igshid", "ref_src", "ref_url"]
ALIASES = ["twitter.com", "www.twitter.com", "mobile.twitter.com", "www.x.com", "mobile.x.com"]
PATH_CHARS = string.ascii_letters + string.digits + "-._~!$&'()*+,;=:@[]{}|^\"<>`éß中"
QUERY_CHARS = PATH_CHARS.replace("&", "").replace("=", "") + "/?"


def percent_escapes() -> st.SearchStrategy[str]:
    """Escapes in either case, except "." (three escaped dots would read as a truncation)."""
    return st.builds(
        lambda byte, upper: f"%{byte:02X}" if upper else f"%{byte:02x}",
        st.integers(0, 255).filter(lambda byte: byte != 0x2E),
        st.booleans(),
    )


def url_text(chars: str, max_size: int = 4) -> st.SearchStrategy[str]:
    pieces = st.one_of(
        st.text(chars, min_size=1, max_size=3), percent_escapes(), st.sampled_from(["%", "%z"])
    )
    return st.lists(pieces, max_size=max_size).map("".join)


ascii_labels = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
idn_labels = st.text("abcdeäöüéèçñåø", min_size=1, max_size=8)
hosts = st.one_of(
    st.builds(
        lambda labels, tld: ".".join([*labels, tld]),
        st.lists(st.one_of(ascii_labels, idn_labels), min_size=1, max_size=3),
        st.sampled_from(["com", "org", "de", "io", "example"]),
    ),
    st.sampled_from(["x.com", "example.com", "127.0.0.1", "[::1]", "[2001:db8::42]"]),
)
path_segments = st.one_of(url_text(PATH_CHARS), st.sampled_from([".", "..", ""]))
paths = st.lists(path_segments, max_size=5).map(lambda segs: "".join(f"/{s}" for s in segs))
parameters = st.tuples(
    url_text(QUERY_CHARS).filter(bool), st.one_of(st.none(), url_text(QUERY_CHARS + "="))
)
fragments = st.text(string.ascii_letters + string.digits + "-_/?#:=&%é", max_size=10)


@dataclass(frozen=True)
class Parts:
    scheme: str
    host: str
    port: int | None
    path: str
    params: list[tuple[str, str | None]]

    def render(self, *, host: str | None = None, scheme: str | None = None) -> str:
        netloc = host or self.host
        if self.port is not None:
            netloc += f":{self.port}"
        query = "&".join(
            name if value is None else f"{name}={value}" for name, value in self.params
        )
        return f"{scheme or self.scheme}://{netloc}{self.path}" + (f"?{query}" if query else "")


def readable(url: str) -> bool:
    """Whether a generated URL is one that must be accepted (no truncation mark once decoded)."""
    decoded = unquote(url)
    return "..." not in decoded and "…" not in decoded


url_parts = st.builds(
    Parts,
    scheme=st.sampled_from(["http", "https", "HTTP", "Https"]),
    host=hosts,
    port=st.one_of(st.none(), st.integers(1, 65535)),
    path=paths,
    params=st.lists(parameters, max_size=4),
).filter(lambda parts: readable(parts.render()))


@given(url_parts)
def test_generated_urls_are_accepted_and_idempotent(parts):
    once = canonical_url(parts.render())
    assert once.startswith(f"{parts.scheme.lower()}://")
    assert once.isascii()
    assert canonical_url(once) == once
    URLValidator()(once)  # IDN hosts included: the URLField stores what is accepted


@given(url_parts, st.data())
def test_tracking_parameters_and_fragments_never_change_the_result(parts, data):
    tracking_names = st.one_of(
        st.sampled_from(TRACKING),
        st.text(string.ascii_letters + "_", max_size=6).map(lambda rest: f"utm_{rest}"),
    ).map(lambda name: data.draw(st.sampled_from([name, name.upper(), name.title()])))
    params = list(parts.params)
    for name in data.draw(st.lists(tracking_names, min_size=1, max_size=3)):
        value = data.draw(st.one_of(st.none(), url_text(QUERY_CHARS + "=").filter(readable)))
        params.insert(data.draw(st.integers(0, len(params))), (name, value))
    fragment = data.draw(fragments.filter(readable))
    tracked = Parts(parts.scheme, parts.host, parts.port, parts.path, params)
    assert canonical_url(f"{tracked.render()}#{fragment}") == canonical_url(parts.render())


@given(url_parts, st.data())
def test_scheme_and_host_case_never_change_the_result(parts, data):
    def recase(text: str) -> str:
        flips = data.draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
        return "".join(
            c.upper() if flip else c.lower() for c, flip in zip(text, flips, strict=True)
        )

    recased = parts.render(scheme=recase(parts.scheme), host=recase(parts.host))
    assert canonical_url(recased) == canonical_url(parts.render())


@given(url_parts, st.sampled_from(ALIASES), st.data())
def test_twitter_and_x_spellings_agree(parts, alias, data):
    alias = data.draw(st.sampled_from([alias, alias.upper(), alias.capitalize()]))
    on_x = canonical_url(parts.render(host="x.com"))
    assert canonical_url(parts.render(host=alias)) == on_x
    assert on_x.startswith(f"{parts.scheme.lower()}://x.com")


def check_contract(text: str) -> None:
    """Any string is either refused with InvalidSourceURL or gives a canonical http(s) URL."""
    try:
        result = canonical_url(text)
    except InvalidSourceURL as refusal:
        assert str(refusal)
        return
    assert isinstance(result, str)
    assert result.startswith(("http://", "https://"))
    assert result.isascii() and len(result) <= MAX_LENGTH
    assert canonical_url(result) == result
    URLValidator()(result)  # what the source's URLField would store, never refuse


@settings(max_examples=500)
@given(st.text())
def test_any_text_is_refused_or_canonical(text):
    check_contract(text)


@settings(max_examples=500)
@given(st.sampled_from(["http://", "https://", "HTTPS://x.com", "https://example.com/"]), st.text())
def test_any_text_after_a_scheme_is_refused_or_canonical(prefix, text):
    check_contract(prefix + text)
