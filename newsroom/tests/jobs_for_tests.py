"""Jobs that the tests of newsroom.jobs enqueue (a worker imports them by path).

Each keeps its state in files under `folder`, which a test and a worker process share.
"""

import time
from pathlib import Path

from newsroom.jobs import job


@job(max_attempts=3)
def fail_times(folder: str, failures: int) -> str:
    """Fail on the first `failures` attempts, then succeed."""
    tries = Path(folder) / "tries"
    with tries.open("a") as log:
        log.write("try\n")
    if len(tries.read_text().splitlines()) <= failures:
        raise RuntimeError("the source server answered 503")
    return "done"


@job()
def hold_until_released(folder: str) -> str:
    """Record the attempt, wait until the test creates `release`, then write `done` once.

    Idempotent as every job must be: a second run after the first finished changes nothing.
    """
    base = Path(folder)
    with (base / "attempts").open("a") as log:
        log.write("attempt\n")
    deadline = time.monotonic() + 120
    while not (base / "release").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    done = base / "done"
    if not done.exists():
        done.write_text("done")
    return "done"
