"""The import's page in Chromium: an editor uploads a file, its page polls (htmx) and shows
the progress bar with rows done, speed and time left, then turns into the result without a
reload; a refused file shows every error with its line."""

from __future__ import annotations

import pytest

from bench.csvs import moves_csv
from exchange.models import MovesUpload, UploadState
from exchange.tests.support import row
from exchange.upload_jobs import _ProgressWriter
from newsroom.jobs import jobs_run_due
from newsroom.tests.browser.support import PLAYWRIGHT_MISSING, missing, sign_in
from people.models import RoleChange
from people.tests.factories import editor

try:
    from playwright.sync_api import expect
except ImportError:
    missing(PLAYWRIGHT_MISSING)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def run_jobs(page) -> None:
    """Run the queued jobs here while the page keeps polling.

    The test database is SQLite in memory, shared between this thread and the live server's
    in shared-cache mode, where a read waits on a table another connection is writing (a
    file database in WAL mode, as the site runs, never blocks readers). So the page's polls
    are held in the browser meanwhile: Playwright's sync API routes a request only when this
    thread calls into it, which it does not while the jobs run.
    """
    page.route("**/desk/import/*/", lambda route: route.continue_())
    jobs_run_due()


def upload_file(page, rows) -> MovesUpload:
    page.goto("/desk/import/")
    page.locator("#id_file").set_input_files(
        files=[{"name": "moves.csv", "mimeType": "text/csv", "buffer": moves_csv(rows).encode()}]
    )
    page.get_by_role("button", name="Import the file").click()
    expect(page.get_by_role("heading", name="Import of moves.csv")).to_be_visible()
    return MovesUpload.objects.get()


def test_the_progress_page_turns_into_the_result(new_page):
    page = new_page()
    sign_in(page, editor(username="chief"))
    rows = [row(person=f"Person {n}", source_url=f"https://example.com/n/{n}") for n in range(40)]
    upload = upload_file(page, rows)
    status = page.locator("#upload-status")
    expect(status).to_contain_text("Waiting for a worker")
    page.evaluate("window.notReloaded = true")

    # A worker partway through (as moves_upload_run writes it): the bar moves by itself.
    MovesUpload.objects.filter(pk=upload.pk).update(state=UploadState.RUNNING, rows_total=40)
    writer = _ProgressWriter(upload, 40)
    writer.start -= 2  # two seconds in
    writer.write(10, force=True)
    expect(status).to_contain_text("10 of 40 rows")
    expect(status).to_contain_text("rows/s")
    expect(status).to_contain_text("s left")
    expect(page.locator("#upload-status progress")).to_have_attribute("value", "10")

    MovesUpload.objects.filter(pk=upload.pk).update(state=UploadState.QUEUED)
    run_jobs(page)  # the worker runs the import
    expect(status).to_contain_text("40 rows imported: 40 new moves")
    expect(page.locator("#upload-status progress")).to_have_count(0)
    assert page.evaluate("window.notReloaded") is True  # swapped in place by htmx
    assert RoleChange.objects.count() == 40


def test_a_refused_file_shows_every_error_with_its_line(new_page):
    page = new_page()
    sign_in(page, editor(username="chief"))
    upload_file(page, [row(), row(date="2024-13"), row(change="sacked")])
    run_jobs(page)
    status = page.locator("#upload-status")
    expect(status).to_contain_text("2 errors: nothing was imported")
    lines = page.locator("#upload-status tbody th")
    expect(lines).to_have_text(["3", "4"])
    assert not RoleChange.objects.exists()
