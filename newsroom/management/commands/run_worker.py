"""run_worker: run background jobs until stopped (README, "Background jobs").

django-tasks-db's worker runs the jobs; around each pass over the queue this command also
enqueues the scheduled jobs that are due (settings.JOBS_SCHEDULE), recovers jobs cut short
by a lost worker, and beats this worker's heartbeat from a thread so
that other workers know it is alive while a long job runs. SIGTERM or Ctrl-C lets the
running job finish first (a second one stops it at once: it will run again elsewhere).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from newsroom.jobs import (
    Heartbeat,
    build_worker,
    jobs_enqueue_scheduled,
    jobs_requeue_stalled,
    new_worker_id,
)

logger = logging.getLogger("newsroom.jobs")


class Command(BaseCommand):
    help = "Run background jobs (retrying failed ones, recovering those of lost workers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when the queue is empty (default 1).",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run every job that is due, then stop (for cron, or a one-off).",
        )

    def handle(self, *args: Any, interval: float, once: bool, **options: Any) -> None:
        worker_id = new_worker_id()
        # Its run() returns once nothing is due; this loop carries on after a pause.
        worker = build_worker(worker_id)
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        worker.configure_signals()
        logger.info("Worker %s started", worker_id)
        try:
            while worker.running:
                jobs_requeue_stalled()
                jobs_enqueue_scheduled()
                worker.run()
                if once:
                    break
                time.sleep(max(interval, 0.05))
        finally:
            heartbeat.stop()
            logger.info("Worker %s stopped", worker_id)
