"""Background jobs: retried with backoff, failed for good on the desk, recovered when a
worker dies mid-job (a real worker process, killed with SIGKILL)."""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsroom.jobs import WORKER_LOST, backoff_delay, jobs_requeue_stalled, jobs_run_due
from newsroom.models import WorkerHeartbeat
from newsroom.tests.jobs_for_tests import fail_times, hold_until_released

ROOT = Path(settings.BASE_DIR)
LIMIT = 90.0  # seconds a subprocess step may take before the test fails instead of hanging


def _row(result_id: str) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=result_id)


def _make_due(result_id: str) -> None:
    DBTaskResult.objects.filter(pk=result_id).update(run_after=timezone.now())


def test_backoff_doubles_and_is_capped(settings):
    settings.JOBS_BACKOFF_SECONDS = 30
    settings.JOBS_BACKOFF_MAX_SECONDS = 100
    assert [backoff_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 100, 100]


@pytest.mark.django_db
def test_failed_job_waits_with_its_error_then_is_retried_and_succeeds(tmp_path):
    result = fail_times.enqueue(str(tmp_path), 2)
    before = timezone.now()
    jobs_run_due()
    row = _row(result.id)
    assert row.status == TaskResultStatus.READY  # back in the queue, not failed
    assert "the source server answered 503" in row.traceback  # the last error is kept
    assert row.run_after >= before + timedelta(seconds=settings.JOBS_BACKOFF_SECONDS)
    jobs_run_due()  # not due yet: nothing runs
    assert len((tmp_path / "tries").read_text().splitlines()) == 1
    _make_due(result.id)
    jobs_run_due()
    row = _row(result.id)
    assert row.status == TaskResultStatus.READY
    assert row.run_after >= timezone.now() + timedelta(seconds=settings.JOBS_BACKOFF_SECONDS)
    _make_due(result.id)
    jobs_run_due()
    row = _row(result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == "done"
    assert len(row.worker_ids) == 3
    assert row.traceback == ""


@pytest.mark.django_db
def test_job_fails_for_good_after_its_last_attempt(tmp_path):
    result = fail_times.enqueue(str(tmp_path), 10)
    for _ in range(3):
        _make_due(result.id)
        jobs_run_due()
    row = _row(result.id)
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "builtins.RuntimeError"
    _make_due(result.id)
    jobs_run_due()
    assert len((tmp_path / "tries").read_text().splitlines()) == 3


@pytest.mark.django_db
def test_job_of_a_silent_worker_is_requeued_and_of_a_live_one_left_alone(tmp_path):
    long_ago = timezone.now() - timedelta(hours=1)
    lost = hold_until_released.enqueue(str(tmp_path))
    busy = hold_until_released.enqueue(str(tmp_path))
    WorkerHeartbeat.objects.create(worker_id="alive", seen_at=timezone.now())
    WorkerHeartbeat.objects.create(worker_id="silent", seen_at=long_ago)
    for result, worker in ((lost, "silent"), (busy, "alive")):
        DBTaskResult.objects.filter(pk=result.id).update(
            status=TaskResultStatus.RUNNING, started_at=long_ago, worker_ids=[worker]
        )
    assert jobs_requeue_stalled() == 1
    assert _row(lost.id).status == TaskResultStatus.READY
    assert _row(busy.id).status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_job_cut_short_on_its_last_attempt_fails_with_the_reason(tmp_path):
    result = fail_times.enqueue(str(tmp_path), 0)  # 3 attempts allowed
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(hours=1),
        worker_ids=["a", "b", "c"],
    )
    jobs_requeue_stalled()
    row = _row(result.id)
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == WORKER_LOST
    assert "stopped while running this job" in row.traceback


def _manage(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - this interpreter, our manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + LIMIT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.1)


def _status(database: Path, result_id: str) -> str | None:
    with sqlite3.connect(database) as connection:
        found = connection.execute(
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?",
            (result_id.replace("-", ""),),
        ).fetchone()
    return found[0] if found else None


def test_worker_killed_mid_job_and_the_job_completes_on_another_worker(tmp_path):
    """Two real worker processes on one SQLite database; the first is SIGKILLed mid-job."""
    database = tmp_path / "jobs.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "test-only-not-a-secret-key-for-the-jobs-test-0123456789",
        "DEBUG": "0",
        "JOBS_HEARTBEAT_SECONDS": "0.2",
        "JOBS_WORKER_TIMEOUT_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    assert _manage(env, "migrate", "--noinput").wait(timeout=LIMIT * 2) == 0
    folder = tmp_path / "job"
    folder.mkdir()
    code = (
        "from newsroom.tests.jobs_for_tests import hold_until_released as job;"
        f"print(job.enqueue({str(folder)!r}).id)"
    )
    enqueue = subprocess.run(  # noqa: S603 - this interpreter, our manage.py
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=LIMIT,
        check=True,
    )
    result_id = enqueue.stdout.strip().splitlines()[-1]

    first = _manage(env, "run_worker", "--interval", "0.1")
    try:
        _wait_for(lambda: (folder / "attempts").exists(), "the first worker to start the job")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=LIMIT)
    finally:
        first.kill()
    assert _status(database, result_id) == "RUNNING"  # the job died with its worker
    (folder / "release").touch()

    second = _manage(env, "run_worker", "--interval", "0.1")
    try:
        _wait_for(lambda: _status(database, result_id) == "SUCCESSFUL", "the job to complete")
    finally:
        second.terminate()
        second.wait(timeout=LIMIT)
    assert (folder / "done").read_text() == "done"
    assert len((folder / "attempts").read_text().splitlines()) == 2


@pytest.mark.django_db
def test_a_worker_polling_an_empty_queue_logs_nothing(caplog):
    """`make run`'s console is not filled with a line per poll; a job run is still logged."""
    with caplog.at_level(logging.DEBUG, logger="django_tasks_db"):
        jobs_run_due()
        jobs_run_due()
    assert [record.getMessage() for record in caplog.records] == []
    with caplog.at_level(logging.DEBUG, logger="django_tasks_db"):
        fail_times.enqueue("/nonexistent-folder", 0)
        jobs_run_due()
    assert any("fail_times" in record.getMessage() for record in caplog.records)
