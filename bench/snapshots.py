"""The time from citing a new source to its snapshot being on the desk, and the worker's
memory (README, Performance). Run by bench.run: ``python -m bench.snapshots [N]``.

A page is served on 127.0.0.1 from a thread; one background worker (``run_worker``) runs
beside. N times, a new source is cited (``source_get_or_create``, committed: what the desk's
forms do) and the clock runs until its snapshot is in the database, which is when the
citation screen shows it. Prints JSON: the median and largest latency, and the worker's
resident memory once done.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = (
    "<!doctype html><html><head><title>Acme names a CTO</title></head><body><article>"
    "<h1>Acme names a CTO</h1><p>Acme said Jane Doe joins as chief technology officer.</p>"
    "<p>“We are building the future of news,” Doe said.</p></article></body></html>"
).encode()
LIMIT = 60.0


class Page(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    os.environ["SOURCE_CHECK_ALLOW_LOOPBACK"] = "1"
    import django

    django.setup()
    from django.db import transaction

    from newsroom.models import WorkerHeartbeat
    from stories.models import SourceSnapshot
    from stories.services import source_get_or_create

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "0.05"],
        cwd=ROOT,
        env={**os.environ, "JOBS_SCHEDULE_OFF": "1"},  # only the citations measured
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    latencies: list[float] = []
    try:
        # Measured from a running worker: its start (imports, first look) is not a citation's.
        started = time.monotonic()
        while not WorkerHeartbeat.objects.exists():
            if time.monotonic() - started > LIMIT:
                raise SystemExit("the worker did not start")
            time.sleep(0.05)
        time.sleep(1)
        stamp = time.time_ns()
        for run in range(runs):
            started = time.monotonic()
            with transaction.atomic():
                source, _ = source_get_or_create(url=f"{base}/bench/{stamp}/{run}")
            while not SourceSnapshot.objects.filter(source=source).exists():
                if time.monotonic() - started > LIMIT:
                    raise SystemExit(f"no snapshot of source {source.pk} after {LIMIT:g} s")
                time.sleep(0.01)
            latencies.append((time.monotonic() - started) * 1000)
        memory = rss_mb(worker.pid)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        server.shutdown()
    print(
        json.dumps(
            {
                "runs": runs,
                "cite_to_snapshot_median_ms": round(statistics.median(latencies), 1),
                "cite_to_snapshot_max_ms": round(max(latencies), 1),
                "job_worker_rss_mb": memory,
            }
        )
    )


if __name__ == "__main__":
    main()
