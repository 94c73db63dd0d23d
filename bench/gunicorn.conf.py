"""gunicorn as production runs it (and the benchmark measures it).

Sync workers, two per core: a request spends part of its time waiting on PostgreSQL, so a
second worker per core keeps the core busy meanwhile. Each worker keeps its own connection
pool (settings: DATABASE_POOL_MIN/MAX). Workers are recycled after many requests so a slow
leak cannot grow without bound.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
# Loaded once in the master, then forked: workers share the code's memory pages.
preload_app = True
max_requests = 20_000
max_requests_jitter = 2_000
timeout = 30
keepalive = 5
accesslog = None
errorlog = "-"
loglevel = "warning"
