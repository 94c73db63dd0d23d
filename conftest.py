"""Fixtures shared by every app's tests."""

import pytest
from django.db import connection
from django.db.models import FETCH_RAISE, query


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """The test client and live server speak plain HTTP; production redirects it to HTTPS."""
    settings.SECURE_SSL_REDIRECT = False


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


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many accounts; a slow password hash would only slow them down."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
