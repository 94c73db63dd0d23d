"""Fixtures shared by every app's tests."""

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import FETCH_RAISE, query
from django.test import override_settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session", autouse=True)
def _own_versions(tmp_path_factory):
    """The page and fragment versions in this run's own folder: they are shared by every
    process using the folder (newsroom/cache.py), and another test run in the same checkout
    must not bump or clear this one's."""
    caches = {**settings.CACHES}
    if caches["versions"]["BACKEND"].endswith("FileBasedCache"):
        caches["versions"] = {**caches["versions"], "LOCATION": str(tmp_path_factory.mktemp("v"))}
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(scope="session", autouse=True)
def _plain_http():
    """The test client and live server speak plain HTTP, so the suite turns off what
    production turns on for HTTPS: the redirect, and cookies sent only over HTTPS (Chromium
    would drop them). And it serves static files unhashed, as ``collectstatic`` never ran.
    newsroom/tests/test_production_settings.py and test_static_files.py check production's.

    Session-wide and set before any server starts: SecurityMiddleware reads the setting
    once, when the live server builds its handler.
    """
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        # Production's hashed static names need `collectstatic` first; the suite serves the
        # files as they are (newsroom/tests/test_production_settings.py checks production's).
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A request under /ja/ leaves Japanese active in the thread; each test starts (and the
    next one starts) in English, so ``reverse()`` gives the unprefixed addresses."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_lazy_queries(request, monkeypatch):
    """N+1 guard: a related object or deferred field loaded lazily raises FieldFetchBlocked.

    Django 6.1's RAISE fetch mode for every queryset in the suite, so a page that queries in
    a loop fails its test instead of slowing down in production. Tests that exercise code
    outside our control (Django's admin) opt out with ``@pytest.mark.lazy_queries_allowed``.
    """
    if request.node.get_closest_marker("lazy_queries_allowed"):
        return
    monkeypatch.setattr(query, "DEFAULT_FETCH_MODE", FETCH_RAISE)


def pytest_sessionstart(session):
    """The Japanese pages need the compiled catalogue: build any .mo missing or older than
    its .po (``make test`` has done so already; this covers a bare ``pytest``)."""
    from newsroom.i18n import compile_catalogues

    try:
        compile_catalogues()
    except RuntimeError as missing:
        pytest.exit(str(missing), returncode=2)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many accounts; a slow password hash would only slow them down."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with no cached page or fragment and no version from an earlier test
    (whose rolled-back rows may have had the same slugs)."""
    from django.core.cache import caches

    for alias in ("versions", "versioned", "default", "progress"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _jobs_keep_the_test_connection(monkeypatch):
    """Jobs run in the test's process (newsroom.jobs.jobs_run_due) inside its transaction.

    django-tasks-db's worker closes "old" connections around each job, as a long-running
    process should; in a test that would close the connection holding the test's
    transaction (on PostgreSQL; SQLite's in-memory database is never closed), so it is a
    no-op here, as Django's test case makes it for requests.
    """
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
