"""What the browser tests share: where Chromium and axe-core are, skipping, signing in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PLAYWRIGHT_MISSING = "the playwright package is not installed: `make venv` installs it"
PASSWORD = "correct horse battery staple"  # people.tests.factories.UserFactory's


def browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER", "") == "1"


def missing(what: str) -> None:
    """Skip, or fail under REQUIRE_BROWSER=1: something the browser tests need is absent."""
    if browser_required():
        pytest.fail(f"{what} (REQUIRE_BROWSER=1 makes this a failure)", pytrace=False)
    pytest.skip(what, allow_module_level=True)


def sign_in(page, user) -> None:
    """Sign in through the form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name=f"Sign out ({user.username})").wait_for()
