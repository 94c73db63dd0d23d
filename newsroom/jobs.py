"""Background jobs: Django's tasks framework on django-tasks-db, made safe to lose a worker.

django-tasks-db keeps each job as a row (``DBTaskResult``) that a worker claims and runs
once. This module adds what the desk needs on top of it, without forking it:

* **Retries with backoff.** When a job fails and has attempts left, its row goes back to
  READY with ``run_after`` pushed back: JOBS_BACKOFF_SECONDS, doubled at each failure, capped
  at JOBS_BACKOFF_MAX_SECONDS. The row keeps its traceback meanwhile, so the desk shows the
  last error of a job waiting to be tried again. A job that has used up its attempts stays
  FAILED, and the desk lists it with its error (``stories.views.jobs``).
* **Recovery of jobs cut short.** Each worker (``manage.py run_worker``) beats a heartbeat
  (``WorkerHeartbeat``) from a thread of its own. A job left RUNNING by a worker that has
  been silent for JOBS_WORKER_TIMEOUT_SECONDS (killed with SIGKILL, its machine gone) goes
  back to READY, or to FAILED if that was its last attempt: nothing is lost.

The attempts a job has had are its row's ``worker_ids`` (one per claim), so a job killed
twice and failed once has had three. Since a job may run again after doing part of its work,
every job must be idempotent: it reads the state it is to change, and does nothing when the
work is already done.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.tasks import Task, TaskResultStatus, task
from django.tasks.signals import task_finished
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from newsroom.models import ScheduledRun, WorkerHeartbeat

logger = logging.getLogger("newsroom.jobs")


class _QuietBatches(logging.Filter):
    """Our worker runs django-tasks-db's worker in batches, one per poll: the start and the
    end of each batch would fill the console (`make run`) with two lines a second. Jobs
    started, finished and failed are still logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(("Starting worker", "No more tasks to run"))


logging.getLogger("django_tasks_db").addFilter(_QuietBatches())

_MAX_ATTEMPTS: dict[str, int] = {}
# What a job does once it has failed for good: called with its arguments and the error.
_ON_GIVE_UP: dict[str, Callable[..., None]] = {}
WORKER_LOST = "newsroom.jobs.WorkerLost"


def job(
    *,
    max_attempts: int | None = None,
    priority: int = 0,
    queue_name: str = "default",
    on_give_up: Callable[..., None] | None = None,
) -> Callable[[Callable[..., Any]], Task]:
    """``@task`` with a retry policy: at most ``max_attempts`` runs (JOBS_MAX_ATTEMPTS).

    ``on_give_up(*args, error=..., **kwargs)`` runs once the job has failed for good (its
    last attempt raised, or its worker was lost on it), with the job's arguments and the
    error's last line, so what waits on the job (a page, a row) can say that it failed.
    """

    def decorate(function: Callable[..., Any]) -> Task:
        defined = task(priority=priority, queue_name=queue_name)(function)
        if max_attempts is not None:
            _MAX_ATTEMPTS[defined.module_path] = max_attempts
        if on_give_up is not None:
            _ON_GIVE_UP[defined.module_path] = on_give_up
        return defined

    return decorate


def max_attempts_for(task_path: str) -> int:
    """The attempts allowed to the job at `task_path` (importing it registers its policy)."""
    if task_path not in _MAX_ATTEMPTS:
        try:
            import_string(task_path)
        except ImportError:
            return 1  # the job's code is gone: trying again cannot help
    return _MAX_ATTEMPTS.get(task_path, settings.JOBS_MAX_ATTEMPTS)


def _give_up(task_path: str, args: list, kwargs: dict, error: str) -> None:
    """Tell the job's ``on_give_up`` (if it has one) that it failed for good."""
    max_attempts_for(task_path)  # imports the job, which registers its policy
    callback = _ON_GIVE_UP.get(task_path)
    if callback is None:
        return
    try:
        callback(*args, error=error, **kwargs)
    except Exception:
        logger.exception("The give-up of job %s failed", task_path)


def backoff_delay(attempts: int) -> timedelta:
    """How long to wait before the next try, after `attempts` failed ones (1, 2, ...)."""
    seconds = settings.JOBS_BACKOFF_SECONDS * 2 ** max(0, attempts - 1)
    return timedelta(seconds=min(seconds, settings.JOBS_BACKOFF_MAX_SECONDS))


def retry_if_attempts_left(sender: type, task_result: Any, **kwargs: Any) -> None:
    """task_finished: put a failed job of the database backend back in the queue, later."""
    if not (isinstance(sender, type) and issubclass(sender, DatabaseBackend)):
        return
    if task_result.status != TaskResultStatus.FAILED:
        return
    attempts = len(task_result.worker_ids)
    if attempts >= max_attempts_for(task_result.task.module_path):
        logger.error("Job %s failed for good after %d attempts", task_result.id, attempts)
        errors = task_result.errors
        error = errors[-1].traceback.strip().splitlines()[-1] if errors else ""
        _give_up(task_result.task.module_path, task_result.args, task_result.kwargs, error)
        return
    retry_at = timezone.now() + backoff_delay(attempts)
    DBTaskResult.objects.filter(pk=task_result.id, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=retry_at, finished_at=None
    )
    logger.warning("Job %s failed (attempt %d); retrying at %s", task_result.id, attempts, retry_at)


task_finished.connect(retry_if_attempts_left, dispatch_uid="newsroom-jobs-retry")


def jobs_requeue_stalled(*, now: datetime | None = None) -> int:
    """Run again the jobs left RUNNING by workers that stopped beating; return how many.

    A job is stalled when it started before the worker timeout and its last worker has not
    beaten since. Each row is updated only if it is still the claim we read, so two workers
    recovering at once, or the job finishing meanwhile, change nothing twice.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.JOBS_WORKER_TIMEOUT_SECONDS)
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True)
    )
    running = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
    recovered = 0
    for row in running.only("id", "worker_ids", "task_path", "started_at", "args_kwargs"):
        last_worker = row.worker_ids[-1] if row.worker_ids else ""
        if last_worker in alive:
            continue
        same_claim = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        )
        attempts = len(row.worker_ids)
        if attempts >= max_attempts_for(row.task_path):
            lost = same_claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=WORKER_LOST,
                traceback=(
                    f"The worker {last_worker} stopped while running this job "
                    f"(attempt {attempts}, the last allowed)."
                ),
            )
            if lost:
                arguments = row.args_kwargs or {}
                _give_up(
                    row.task_path,
                    arguments.get("args", []),
                    arguments.get("kwargs", {}),
                    f"The worker {last_worker} stopped while running this job.",
                )
        else:
            same_claim.update(status=TaskResultStatus.READY, run_after=now)
        recovered += 1
        logger.warning("Job %s was cut short (worker %s lost); recovered", row.pk, last_worker)
    return recovered


def last_due(at: str, now: datetime) -> datetime:
    """The latest moment at or before `now` when a daily job set for `at` ("HH:MM", in the
    site's TIME_ZONE) was due."""
    hour, minute = (int(part) for part in at.split(":"))
    local = timezone.localtime(now)
    due = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if due > local:
        due = (local - timedelta(days=1)).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return due


def jobs_enqueue_scheduled(*, now: datetime | None = None) -> list[str]:
    """Enqueue each job of settings.JOBS_SCHEDULE whose latest due moment has not had its
    run yet; return their names. Only the latest moment counts: a worker that was down for
    three nights runs the nightly check once, not three times."""
    now = now or timezone.now()
    enqueued = []
    for entry in settings.JOBS_SCHEDULE:
        due = last_due(entry["at"], now)
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=entry["name"], due_at=due)
                import_string(entry["task"]).enqueue(**entry.get("kwargs", {}))
        except IntegrityError:
            continue  # this moment's run was enqueued already, by us or another worker
        enqueued.append(entry["name"])
        logger.info("Scheduled job %s enqueued (due %s)", entry["name"], due)
    return enqueued


def build_worker(worker_id: str) -> Worker:
    """django-tasks-db's worker, on every queue, returning from run() when none is due."""
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def jobs_run_due(*, worker_id: str = "in-process") -> None:
    """Recover stalled jobs, then run every job that is due, here (tests, --once)."""
    jobs_requeue_stalled()
    build_worker(worker_id).run()


def new_worker_id() -> str:
    """Unique across machines (at most 64 characters, django-tasks-db's limit)."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"[:64]


class Heartbeat:
    """Keeps a worker's WorkerHeartbeat fresh from a daemon thread, while jobs run."""

    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def beat(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "seen_at": timezone.now(),
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
            },
        )

    def _run(self) -> None:
        while not self.stopped.wait(settings.JOBS_HEARTBEAT_SECONDS):
            try:
                self.beat()
            except Exception:  # the database is away: the next beat tries again
                logger.exception("Worker %s could not record its heartbeat", self.worker_id)
                close_old_connections()

    def start(self) -> None:
        self.beat()
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        with transaction.atomic():
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
