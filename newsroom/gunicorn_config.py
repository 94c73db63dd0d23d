"""gunicorn as production runs it, and as the benchmark measures it:

    gunicorn -c newsroom/gunicorn_config.py newsroom.wsgi

Sync workers, two per core (``WEB_CONCURRENCY`` overrides): a request spends part of its
time waiting on PostgreSQL, so a second worker per core keeps the core busy meanwhile. Each
worker keeps its own connection pool (settings: ``DATABASE_POOL_MIN``/``MAX``) and is
recycled after many requests, so a slow leak cannot grow without bound.

Cached fragments are only ever fresh when every process sees the same data version
(newsroom/cache.py), which takes a shared cache: ``REDIS_URL``. Without it each process would
keep its own cache, and a worker could go on serving what another worker's write made stale;
so without ``REDIS_URL`` this runs a single worker process with threads, which share one
local-memory cache.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
threads = 1
_single_process = not os.environ.get("REDIS_URL", "").strip() and workers > 1
if _single_process:
    worker_class = "gthread"
    threads, workers = workers, 1


def on_starting(server) -> None:
    if _single_process:
        server.log.warning(
            "REDIS_URL is not set: one worker process with %d threads, which share one "
            "cache. Set REDIS_URL to run %d worker processes.",
            threads,
            threads,
        )


# Loaded once in the master, then forked: workers share the code's memory pages.
preload_app = True
max_requests = 20_000
max_requests_jitter = 2_000
timeout = 30
graceful_timeout = 20
keepalive = 5
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
