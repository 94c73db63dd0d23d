"""Sign-in throttling, password rules and sessions (ASVS V2.2.1, V2.1, V3.3)."""

import datetime
import logging

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from people.tests.factories import editor, journalist

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
PASSWORD = "correct horse battery staple"
CHANGE = reverse("password_change")


def sign_in(client, username, password, address="198.51.100.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_repeated_failures_for_an_account_lock_it_out_with_a_message(client, settings, caplog):
    settings.AXES_FAILURE_LIMIT = 3
    editor(username="chief")
    for attempt in range(2):
        response = sign_in(client, "chief", "wrong", address=f"198.51.100.{attempt + 10}")
        assert response.status_code == 200  # the form again, with Django's error
    with caplog.at_level(logging.WARNING, logger="newsroom.security"):
        response = sign_in(client, "chief", "wrong", address="198.51.100.20")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-ins (3) for this account or from this address" in page
    assert "blocked for 15 minutes" in page
    assert '<form method="post" action="/accounts/login/"' in page
    assert any(
        "Sign-in locked out" in record.getMessage() and "chief" in record.getMessage()
        for record in caplog.records
    )
    # Even the right password, from a new address, is refused during the cool-off.
    response = sign_in(client, "chief", PASSWORD, address="203.0.113.99")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_repeated_failures_from_one_address_lock_it_out_for_every_account(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    editor(username="chief")
    for username in ("alice", "bob", "carol"):
        sign_in(client, username, "guess", address="192.0.2.50")
    assert sign_in(client, "chief", PASSWORD, address="192.0.2.50").status_code == 429
    assert sign_in(client, "chief", PASSWORD, address="192.0.2.51").status_code == 302


def test_after_the_cool_off_the_account_can_sign_in_again(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    editor(username="chief")
    for _ in range(2):
        sign_in(client, "chief", "wrong")
    assert sign_in(client, "chief", PASSWORD).status_code == 429
    earlier = timezone.now() - datetime.timedelta(minutes=16)
    AccessAttempt.objects.update(attempt_time=earlier)
    assert sign_in(client, "chief", PASSWORD).status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    editor(username="chief")
    sign_in(client, "chief", "wrong")
    sign_in(client, "chief", "wrong")
    assert sign_in(client, "chief", PASSWORD).status_code == 302
    client.logout()
    sign_in(client, "chief", "wrong")
    sign_in(client, "chief", "wrong")
    assert sign_in(client, "chief", PASSWORD).status_code == 302


# Passwords and sessions --------------------------------------------------------------------------


def change_password(client, old, new):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("eleven-char", "This password is too short. It must contain at least 12 characters"),
        ("password1234", "This password is too common"),
        ("4815162342108", "This password is entirely numeric"),
        ("chief-editor-x", "The password is too similar to the username"),
    ],
)
def test_weak_new_passwords_are_refused_by_djangos_validators(client, new, message):
    user = editor(username="chief-editor")
    client.force_login(user)
    response = change_password(client, PASSWORD, new)
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_changing_the_password_signs_out_every_other_session():
    user = journalist(username="writer")
    laptop, phone = Client(), Client()
    laptop.force_login(user)
    phone.force_login(user)
    assert phone.get(reverse("stories:desk-home")).status_code == 200
    response = change_password(laptop, PASSWORD, "a much longer new passphrase")
    assert response.status_code == 302
    assert laptop.get(reverse("stories:desk-home")).status_code == 200  # still signed in
    signed_out = phone.get(reverse("stories:desk-home"))
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith(LOGIN)


def test_a_password_change_is_logged_with_the_account_and_address(client, caplog):
    user = journalist(username="writer")
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="newsroom.security"):
        response = client.post(
            CHANGE,
            {
                "old_password": PASSWORD,
                "new_password1": "a much longer new passphrase",
                "new_password2": "a much longer new passphrase",
            },
            REMOTE_ADDR="198.51.100.42",
        )
    assert response.status_code == 302
    assert [
        record.getMessage() for record in caplog.records if record.name == "newsroom.security"
    ] == ["Password changed: username='writer' address=198.51.100.42"]


def test_the_password_change_page_needs_sign_in_and_the_old_password(client):
    assert client.get(CHANGE).status_code == 302
    user = journalist()
    client.force_login(user)
    response = change_password(client, "not my password", "a much longer new passphrase")
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()


def test_sessions_expire_after_the_configured_age(client, settings):
    user = editor(username="chief")
    sign_in(client, "chief", PASSWORD)
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    session = client.session  # as the clock leaves it 12 hours later:
    session.set_expiry(timezone.now() - datetime.timedelta(seconds=1))
    session.save()
    response = client.get(reverse("stories:desk-home"))
    assert response.status_code == 302
    assert user.pk  # the account is untouched; only the session ended


def age_session(client, **seconds_ago) -> None:
    """Move the session's clocks back, as if that many seconds had passed."""
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = session[key] - ago
    session.save()


def test_a_session_idle_for_half_an_hour_is_signed_out_with_a_message(client, settings):
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    editor(username="chief")
    sign_in(client, "chief", PASSWORD)
    assert client.get(reverse("stories:desk-home")).status_code == 200
    age_session(client, last_seen=30 * 60 + 5)
    response = client.get(reverse("stories:desk-home"), follow=True)
    assert response.redirect_chain[0][0].startswith(LOGIN)
    assert "signed out after 30 minutes without activity" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_session_in_use_stays_signed_in_and_its_idle_clock_moves(client):
    editor(username="chief")
    sign_in(client, "chief", PASSWORD)
    age_session(client, last_seen=29 * 60)
    assert client.get(reverse("stories:desk-home")).status_code == 200
    age_session(client, last_seen=29 * 60)  # 58 minutes since sign-in, never idle for 30
    assert client.get(reverse("stories:desk-home")).status_code == 200


def test_a_session_in_constant_use_still_ends_after_the_working_day(client, settings):
    editor(username="chief")
    sign_in(client, "chief", PASSWORD)
    age_session(client, signed_in_at=settings.SESSION_COOKIE_AGE + 5)
    response = client.get(reverse("stories:desk-home"), follow=True)
    assert response.redirect_chain[0][0].startswith(LOGIN)
    assert "signed out 12 hours after signing in" in response.content.decode()


def test_there_is_no_self_service_password_reset(client):
    """Resetting by mail would need outgoing mail the desk does not have; the page says whom
    to ask instead."""
    for path in ("/accounts/password_reset/", "/accounts/reset/done/"):
        assert client.get(path).status_code == 404
    assert "administrator can set a new one" in client.get(LOGIN).content.decode()


def test_signing_in_gives_a_new_session_key(client):
    """A session key planted before sign-in is worthless after it (session fixation)."""
    editor(username="chief")
    client.get(LOGIN)
    session = client.session
    session["planted"] = True
    session.save()
    before = session.session_key
    sign_in(client, "chief", PASSWORD)
    assert client.session.session_key != before


def test_signing_out_ends_the_session_on_the_server(client):
    editor(username="chief")
    sign_in(client, "chief", PASSWORD)
    stolen = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    thief = Client()
    thief.cookies["sessionid"] = stolen
    assert thief.get(reverse("stories:desk-home")).status_code == 302
