"""Browser fixtures: Debian's Chromium (/usr/bin/chromium) driven by Playwright's sync API.

Without Chromium or the playwright package the browser tests are skipped, saying what is
missing; with ``REQUIRE_BROWSER=1`` (as .ci/run sets it) they fail instead, so CI cannot pass
without running them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.db import connections

from newsroom.tests.browser.support import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PLAYWRIGHT_MISSING,
    missing,
)


@pytest.fixture(scope="package")
def browser() -> Iterator:
    """One Chromium for all browser tests; each test opens its own contexts (cookie jars).

    While Playwright's sync API is running, the test thread has an asyncio event loop marked
    as running (Playwright drives its connection to the browser with it, switching greenlets
    inside each call). Django's ORM sees that loop and would refuse every query from the
    test thread — including the live_server fixture's own flush — with SynchronousOnlyOperation,
    although no coroutine ever runs at the same time as our code. DJANGO_ALLOW_ASYNC_UNSAFE
    turns that check off for exactly as long as Playwright runs, and is removed afterwards.

    The same running loop makes Django hand the test thread other connection objects (its
    connections are per thread, and per async context once a loop runs). They reach the same
    test database, but lack the snapshot taken after the migrations when the database was set
    up before this fixture (by earlier tests): it is copied over, so serialized rollback
    brings back the Journalists and Editors groups before each browser test.
    """
    if not CHROMIUM.exists():
        missing(
            f"Chromium is not installed at {CHROMIUM}: `apt-get install -y chromium` "
            "(the browser tests use Debian's Chromium, never `playwright install`)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing(PLAYWRIGHT_MISSING)
    serialized = _serialized_contents()
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _serialized_contents() -> dict[str, str]:
    return {
        connection.alias: connection._test_serialized_contents
        for connection in connections.all(initialized_only=True)
        if hasattr(connection, "_test_serialized_contents")
    }


@pytest.fixture
def new_page(browser, live_server, request) -> Iterator[Callable]:
    """Open a page in a fresh browser context (its own cookies: a separate person).

    Every page reports console errors, uncaught exceptions, server errors and missing static
    files; a Content Security Policy violation or a broken script shows itself this way, and
    the test fails on any.
    On failure a screenshot of each open page is left in test-artifacts/.
    """
    contexts = []
    problems: list[str] = []

    def open_page(*, name: str = "page"):
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        contexts.append((name, context))
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("console", lambda message: _console(name, message, problems))
        page.on("response", lambda response: _response(name, response, problems))
        page.on("pageerror", lambda error: problems.append(f"{name}: page error: {error}"))
        return page

    yield open_page

    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for name, context in contexts:
            for number, page in enumerate(context.pages):
                page.screenshot(path=ARTIFACTS / f"failed-{request.node.name}-{name}-{number}.png")
    for _, context in contexts:
        context.close()
    if problems and not failed:
        pytest.fail("The browser reported errors:\n" + "\n".join(problems), pytrace=False)


def _console(name: str, message, problems: list[str]) -> None:
    # "Failed to load resource" is logged for every 4xx answer, including the 422 and 409 that
    # htmx forms get on purpose; broken responses are caught by _response instead.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        problems.append(f"{name}: console error: {message.text} ({message.location['url']})")


def _response(name: str, response, problems: list[str]) -> None:
    if response.status >= 500 or (response.status == 404 and "/static/" in response.url):
        problems.append(f"{name}: {response.status} from {response.request.method} {response.url}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell that a test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
