"""Production configuration (ASVS V14): Django's deployment checklist passes, a weak key is
refused at start-up, and every response carries the security headers."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from people.tests.factories import editor

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh interpreter with the given environment on top of ours."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE"}
        and not key.startswith(("PYTEST", "SECURE_HSTS", "CSRF_COOKIE"))
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own manage.py, arguments from the tests
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "news.example.org",
}


def test_the_deployment_checklist_passes_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_checklist_fails_when_https_is_turned_off():
    """The check above can fail: without the HTTPS redirect Django warns (security.W008)."""
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", SECURE_SSL_REDIRECT="0", **PRODUCTION
    )
    assert result.returncode != 0
    assert "security.W008" in result.stderr


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "SECRET_KEY is not set"),
        ("too-short-a-key", "SECRET_KEY is too weak for production"),
        ("a" * 60, "SECRET_KEY is too weak for production"),
        ("django-insecure-" + secrets.token_urlsafe(50), "SECRET_KEY is too weak for production"),
    ],
)
def test_a_missing_or_weak_secret_key_stops_start_up(key, message):
    result = manage("check", SECRET_KEY=key, ALLOWED_HOSTS="news.example.org")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_local_development_needs_no_key():
    """`make run` sets DEBUG=1 and no key."""
    result = manage("check", DEBUG="1", SECRET_KEY="")
    assert result.returncode == 0, result.stderr


def test_throttling_and_sessions_are_configured_from_the_environment():
    code = (
        "from django.conf import settings; "
        "print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME * 60, "
        "settings.SESSION_COOKIE_AGE, settings.SECURE_PROXY_SSL_HEADER, "
        "settings.TRUSTED_PROXY_COUNT)"
    )
    result = manage(
        "shell",
        "-c",
        code,
        AXES_FAILURE_LIMIT="7",
        AXES_COOLOFF_MINUTES="30",
        SESSION_COOKIE_AGE="3600",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        TRUSTED_PROXY_COUNT="1",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == "7 30.0 3600 ('HTTP_X_FORWARDED_PROTO', 'https') 1"


# Headers and cookies in the running site --------------------------------------------------------


def test_production_defaults_are_secure_without_any_setting():
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE, s.X_FRAME_OPTIONS)"
    )
    result = manage("shell", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == (
        "False True 31536000 True True True True True True Lax Lax DENY"
    )


def page_kinds() -> dict[str, str]:
    """One address of each kind of page the site serves, on a small desk."""
    from people.tests.factories import OrganizationFactory, PersonFactory, record
    from stories.tests.services.test_stories import published_citing, verified_citation

    mira, openai = PersonFactory(name="Mira Murati"), OrganizationFactory(name="OpenAI")
    record(mira, openai, "appointed", "Chief Technology Officer", "2022-05")
    story = published_citing(verified_citation())
    return {
        "home": reverse("home"),
        "article": story.get_absolute_url(),
        "story list": "/stories/",
        "profile": mira.get_absolute_url(),
        "organization": openai.get_absolute_url(),
        "people search": "/people/?q=mira",
        "feed": "/feeds/moves/",
        "api": f"/api/organizations/{openai.slug}/leadership",
        "sitemap": "/sitemap.xml",
        "sign-in": reverse("login"),
        "not found": "/people/nobody-at-all/",
        "desk (redirect)": reverse("stories:desk-home"),
    }


@pytest.mark.django_db
def test_every_kind_of_page_sends_the_security_headers(client):
    for kind, url in page_kinds().items():
        response = client.get(url)
        expected = {"not found": 404, "desk (redirect)": 302}.get(kind, 200)
        assert response.status_code == expected, (kind, url, response.status_code)
        assert response["X-Content-Type-Options"] == "nosniff", kind
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", kind
        assert "camera=()" in response["Permissions-Policy"], kind
        if response["Content-Type"].startswith("text/html"):
            assert response["X-Frame-Options"] == "DENY", kind
            assert "frame-ancestors 'none'" in response["Content-Security-Policy"], kind


@pytest.mark.django_db
def test_every_page_sends_the_security_headers(client):
    response = client.get(reverse("home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp  # files from our origin only, no nonce
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_and_https_gets_hsts(client, settings):
    settings.SECURE_SSL_REDIRECT = True  # the production default; the suite turns it off
    response = client.get(reverse("home"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"
    response = client.get(reverse("home"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.django_db
def test_behind_a_proxy_its_https_header_is_trusted(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get(reverse("home"), HTTP_X_FORWARDED_PROTO="https").status_code == 200
    assert client.get(reverse("home"), HTTP_X_FORWARDED_PROTO="http").status_code == 301


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_http_only_and_same_site(client, settings):
    # Production's values (the deployment check above fails without them); the suite
    # turns the Secure flag off for its plain-HTTP browser tests (root conftest.py).
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    editor(username="chief")
    page = client.get(reverse("login"))
    csrf = page.cookies["csrftoken"]
    assert (csrf["secure"], csrf["httponly"], csrf["samesite"]) == (True, True, "Lax")
    response = client.post(
        reverse("login"), {"username": "chief", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")
    assert session["max-age"] == 12 * 60 * 60
