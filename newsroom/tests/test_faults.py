"""The database unreachable at a request: a friendly 503 page, never a traceback or a secret.

The connection is refused the way the database driver refuses it (wrapped by Django, as
``connect()`` wraps it), on SQLite and PostgreSQL alike. The real outage, a PostgreSQL
server stopped and started under load behind gunicorn, is test_database_restart.py.
"""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError, connections
from django.test import Client

from newsroom.errors import RETRY_AFTER_SECONDS, is_database_unavailable, server_error

SECRET = "hunter2-database-password"
REFUSAL = (
    'connection to server at "db.internal.example" (10.0.0.7), port 5432 failed: '
    f"Connection refused (password={SECRET})"
)


@pytest.fixture
def database_down(monkeypatch, settings):
    """Every attempt to reach the database fails as a refused connection does."""
    settings.DEBUG = False
    connection = connections["default"]

    def refuse() -> None:
        with connection.wrap_database_errors:
            raise connection.Database.OperationalError(REFUSAL)

    monkeypatch.setattr(connection, "ensure_connection", refuse)


def assert_friendly_503(response) -> None:
    page = response.content.decode()
    assert response.status_code == 503, page
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith("text/html")
    assert "Back in a moment" in page
    for leak in (SECRET, "db.internal.example", "Traceback", "OperationalError", "5432"):
        assert leak not in page


@pytest.mark.parametrize(
    "path",
    ["/", "/people/", "/organizations/", "/stories/", "/api/people?q=mira", "/feeds/moves/"],
)
def test_a_reader_page_answers_503_when_the_database_is_unreachable(database_down, path):
    client = Client(raise_request_exception=False)
    assert_friendly_503(client.get(path))


def test_a_signed_in_desk_page_answers_503_when_the_session_cannot_be_read(database_down):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a-session-that-cannot-be-looked-up"
    assert_friendly_503(client.get("/desk/"))


def test_a_write_answers_503_when_the_database_is_unreachable(database_down):
    client = Client(raise_request_exception=False)
    response = client.post("/accounts/login/", {"username": "chief", "password": SECRET})
    assert_friendly_503(response)


def test_the_503_page_keeps_the_security_headers(database_down):
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 503
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cache-Control"] == "no-store"


def test_any_other_error_is_still_a_500_without_retry_after(rf):
    try:
        raise ValueError("a bug, not an outage")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "a bug" not in response.content.decode()


def test_an_outage_wrapped_by_another_error_is_still_recognized():
    try:
        try:
            raise InterfaceError("connection already closed")
        except InterfaceError as lost:
            raise RuntimeError("while rendering") from lost
    except RuntimeError as wrapped:
        assert is_database_unavailable(wrapped)
    assert is_database_unavailable(OperationalError("the database system is shutting down"))
    assert not is_database_unavailable(ValueError("no"))
    assert not is_database_unavailable(None)
