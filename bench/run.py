"""`make bench`: the synthetic desk served as in production, loaded endpoint by endpoint.

1. The PostgreSQL database named by DATABASE_URL (default newsroom_bench on 127.0.0.1) is
   created when missing and migrated; the desk is generated at BENCH_SCALE (default full),
   or reused when it is already there.
2. bench/prepare.py picks each endpoint's spread of paths, counts the queries one request
   issues, and times the leadership-on-a-date query.
3. A dry-run CSV import of BENCH_IMPORT_ROWS rows measures the import's rows per second.
4. gunicorn serves the site with newsroom/gunicorn_config.py and bench.settings (production's
   settings plus the bare ``baseline`` view); wrk, from its own process on loopback, loads
   each endpoint in turn at the same concurrency for the same time, after a warm-up (each
   path once, then a few seconds of load).
5. With the same server: the article pages again, each request carrying the ETag its page
   answered with (``304 Not Modified``: bench/conditional.lua); then the mixed run, readers
   loading every reader endpoint while bench/writer.py verifies one new move a second and
   publishes a story a minute through the desk's services.
6. A table is printed and bench/results.json written: the latest run at the top level, and
   each scale's latest run under ``scales`` (run once with BENCH_SCALE=small, once full).

Environment: DATABASE_URL, BENCH_SCALE (full, small), BENCH_DURATION (seconds per endpoint,
20), BENCH_CONNECTIONS (8), BENCH_PORT (8765), BENCH_IMPORT_ROWS (20000), REDIS_URL (default
redis://127.0.0.1:6379/1 when a Redis answers there; else the local-memory cache),
WEB_CONCURRENCY (gunicorn workers).
"""

# Every command here is built from constants and our own settings, never from outside input.
# ruff: noqa: S603

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WORK = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results.json"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench"
WARM_UP_SECONDS = 3
# The reader pages the mixed run loads together (their paths interleaved).
MIXED = ["article page", "person profile", "organization as_of", "/stories/", "people search"]
ENDPOINTS = [
    "baseline",
    "article page",
    "person profile",
    "organization as_of",
    "/stories/",
    "people search",
    "leadership API",
    "moves feed",
    "organization timeline (largest)",
    "timeline SVG (largest)",
]


def say(text: str) -> None:
    print(f"==> {text}", flush=True)


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    env["DEBUG"] = "0"
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    if "REDIS_URL" not in env and answers("127.0.0.1", 6379):
        env["REDIS_URL"] = "redis://127.0.0.1:6379/1"
    env.setdefault("CACHE_KEY_PREFIX", "bench")
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    server = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            say(f"Creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')


def ensure_wrk() -> str:
    if found := shutil.which("wrk"):
        return found
    say("Installing wrk from Debian's packages")
    as_root = [] if os.geteuid() == 0 else ["sudo"]
    apt = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*as_root, "apt-get", "update", "-qq"], check=True, env=apt)
    subprocess.run([*as_root, "apt-get", "install", "-y", "-qq", "wrk"], check=True, env=apt)
    return shutil.which("wrk") or "wrk"


def import_rate(env: dict[str, str]) -> float:
    """Rows per second of a dry-run import (checked and written, then rolled back)."""
    rows = int(os.environ.get("BENCH_IMPORT_ROWS", "20000"))
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as file:
        subprocess.run([PYTHON, "-m", "bench.csvs", str(rows)], cwd=ROOT, stdout=file, check=True)
    try:
        started = time.monotonic()
        manage(env, "import_moves", file.name, "--dry-run", "--verified-by", "synthetic-editor-01")
        return rows / (time.monotonic() - started)
    finally:
        os.unlink(file.name)


def serve(env: dict[str, str], port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "--config",
            "newsroom/gunicorn_config.py",
            "--bind",
            f"127.0.0.1:{port}",
            "newsroom.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/baseline/", timeout=2):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("gunicorn did not start; see its log above.") from None
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 seconds.")


def warm_up(port: int, paths: Path) -> None:
    """Each path once, as a running site's cache holds its working set."""
    for path in paths.read_text().split():
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
            response.read()


def load(
    wrk: str, port: int, paths: Path, seconds: int, connections: int, script: str = "paths.lua"
) -> dict:
    command = [
        wrk,
        "--threads",
        "1",
        "--connections",
        str(connections),
        "--duration",
        f"{seconds}s",
        "--timeout",
        "10s",
        "--script",
        str(ROOT / "bench" / script),
        f"http://127.0.0.1:{port}",
    ]
    output = subprocess.run(
        command, env={**os.environ, "BENCH_PATHS": str(paths)}, capture_output=True, text=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    figures = json.loads(line.removeprefix("BENCH_JSON "))
    return {
        "rps": round(figures["requests"] / (figures["duration_us"] / 1e6), 1),
        "p50_ms": round(figures["p50_us"] / 1000, 2),
        "p99_ms": round(figures["p99_us"] / 1000, 2),
        "errors": figures["non_2xx"] + figures["socket_errors"],
    }


def paths_file(name: str) -> Path:
    return WORK / f"{name.replace('/', '_').replace(' ', '_')}.txt"


def conditional_run(wrk: str, port: int, seconds: int, connections: int) -> dict:
    """The article pages, each request with the ETag its page answered (304s)."""
    lines = []
    for path in paths_file("article page").read_text().split():
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
            if etag := response.headers.get("ETag"):
                lines.append(f"{path}\t{etag}")
    tagged = WORK / "conditional.txt"
    tagged.write_text("\n".join(lines) + "\n")
    load(wrk, port, tagged, WARM_UP_SECONDS, connections, "conditional.lua")
    return load(wrk, port, tagged, seconds, connections, "conditional.lua")


def mixed_run(env: dict[str, str], wrk: str, port: int, seconds: int, connections: int) -> dict:
    """Readers on every reader endpoint while the desk writes (bench/writer.py)."""
    lists = [paths_file(name).read_text().split() for name in MIXED]
    interleaved = [path for group in zip(*lists, strict=False) for path in group]
    mixed = WORK / "mixed.txt"
    mixed.write_text("\n".join(interleaved) + "\n")
    report = WORK / "writer.json"
    writer = subprocess.Popen(
        [PYTHON, "-m", "bench.writer", str(seconds + 1), str(report)], cwd=ROOT, env=env
    )
    try:
        figures = load(wrk, port, mixed, seconds, connections)
    finally:
        writer.wait(timeout=seconds + 120)
    figures["writer"] = json.loads(report.read_text()) if report.exists() else {}
    return figures


def record_results(results: dict, scale: str) -> None:
    """The latest run at the top level; each scale's latest under ``scales``."""
    try:
        scales = json.loads(RESULTS.read_text()).get("scales", {})
    except (OSError, ValueError):
        scales = {}
    scales[scale] = {key: value for key, value in results.items() if key != "scales"}
    results["scales"] = scales
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


def worker_rss_mb(master: int) -> float:
    """The largest resident memory of the gunicorn master's children (its workers)."""
    largest = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master):
            largest = max(largest, int(fields.get("VmRSS", "0 kB").split()[0]))
    return round(largest / 1024, 1)


def table(results: dict, warm_queries: dict[str, int]) -> str:
    """``queries``: on a first visit (nothing cached), then once cached."""
    rows = [("endpoint", "req/s", "p50 ms", "p99 ms", "queries", "ratio")]
    base = results["baseline"]
    rows.append(
        (
            "baseline",
            f"{base['rps']:.0f}",
            f"{base['p50_ms']:.1f}",
            f"{base['p99_ms']:.1f}",
            "0 / 0",
            "1.00",
        )
    )
    for endpoint in results["endpoints"]:
        rows.append(
            (
                endpoint["name"],
                f"{endpoint['rps']:.0f}",
                f"{endpoint['p50_ms']:.1f}",
                f"{endpoint['p99_ms']:.1f}",
                f"{endpoint['queries']} / {warm_queries[endpoint['name']]}",
                f"{endpoint['ratio']:.2f}",
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("| " + " | ".join(cells) + " |")
        if index == 0:
            lines.append("| " + " | ".join("-" * width for width in widths) + " |")
    return "\n".join(lines)


def summarize(prepared: dict, measured: dict, rows_per_second: float, rss: float) -> dict:
    """What bench/results.json holds for one run."""
    baseline = measured["baseline"]
    results = {
        "scale": prepared["scale"],
        "baseline": {key: baseline[key] for key in ("rps", "p50_ms", "p99_ms")},
        "endpoints": [
            {
                "name": name,
                "path": prepared["paths"][name],
                "rps": measured[name]["rps"],
                "p50_ms": measured[name]["p50_ms"],
                "p99_ms": measured[name]["p99_ms"],
                "queries": prepared["queries"][name],
                "ratio": round(measured[name]["rps"] / baseline["rps"], 3),
            }
            for name in ENDPOINTS[1:]
        ],
        "conditional_304": {
            **{key: measured["304 article page"][key] for key in ("rps", "p50_ms", "p99_ms")},
            "ratio": round(measured["304 article page"]["rps"] / baseline["rps"], 3),
        },
        "mixed": {
            "endpoints": MIXED,
            **{key: measured["mixed"][key] for key in ("rps", "p50_ms", "p99_ms", "errors")},
            "ratio": round(measured["mixed"]["rps"] / baseline["rps"], 3),
            "writer": measured["mixed"]["writer"],
        },
        "as_of_query_ms": prepared["as_of"]["median_ms"],
        "import_rows_per_s": round(rows_per_second, 1),
        "worker_rss_mb": rss,
    }
    return results


def print_report(results: dict, prepared: dict, rss: float) -> None:
    print()
    print(table(results, prepared["warm_queries"]))
    conditional, mixed = results["conditional_304"], results["mixed"]
    print(
        f"\n304 article page: {conditional['rps']:.0f} req/s ({conditional['ratio']:.2f}), "
        f"p99 {conditional['p99_ms']} ms; mixed run: {mixed['rps']:.0f} req/s "
        f"({mixed['ratio']:.2f}), p99 {mixed['p99_ms']} ms, writer {mixed['writer']}"
    )
    print(
        f"\nleadership on a date: {results['as_of_query_ms']} ms median; "
        f"import: {results['import_rows_per_s']:,.0f} rows/s; "
        f"largest worker: {rss} MB."
    )
    snapshots = results["snapshots"]
    print(
        f"citing a source to its snapshot on the desk: "
        f"{snapshots['cite_to_snapshot_median_ms']} ms median, "
        f"{snapshots['cite_to_snapshot_max_ms']} ms at most; background worker: "
        f"{snapshots['job_worker_rss_mb']} MB. Written to {RESULTS.relative_to(ROOT)}; "
        f"the query plan to {(WORK / 'as_of_plan.txt').relative_to(ROOT)}."
    )


def snapshot_figures(env: dict[str, str]) -> dict:
    """bench/snapshots.py: citing a source to its snapshot on the desk; the worker's memory."""
    say("From citing a new source to its snapshot on the desk (one background worker)")
    runs = os.environ.get("BENCH_SNAPSHOTS", "20")
    measured = subprocess.run(
        [PYTHON, "-m", "bench.snapshots", runs],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(measured.stdout)


def main() -> None:
    env = environment()
    scale = os.environ.get("BENCH_SCALE", "full")
    seconds = int(os.environ.get("BENCH_DURATION", "20"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "8"))
    port = int(os.environ.get("BENCH_PORT", "8765"))
    say(f"Database {urlparse(env['DATABASE_URL']).path.lstrip('/')}, scale {scale}")
    ensure_database(env["DATABASE_URL"])
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "generate_desk", "--scale", scale, "--reuse")
    manage(env, "collectstatic", "--noinput", "-v0")  # production serves hashed names
    wrk = ensure_wrk()
    say(f"Cache: {'Redis ' + env['REDIS_URL'] if env.get('REDIS_URL') else 'local memory'}")
    subprocess.run(
        [
            PYTHON,
            "-c",
            "import django; django.setup(); from django.core.cache import cache; cache.clear()",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    say("Paths, queries per request, the leadership-on-a-date query")
    subprocess.run([PYTHON, "-m", "bench.prepare", str(WORK)], cwd=ROOT, env=env, check=True)
    prepared = json.loads((WORK / "prepare.json").read_text())
    say("Import rate (a dry-run CSV import)")
    rows_per_second = import_rate(env)
    snapshots = snapshot_figures(env)
    say(f"gunicorn on 127.0.0.1:{port}; wrk: {connections} connections, {seconds} s per endpoint")
    server = serve(env, port)
    measured: dict[str, dict] = {}
    try:
        for name in ENDPOINTS:
            paths = paths_file(name)
            warm_up(port, paths)
            load(wrk, port, paths, WARM_UP_SECONDS, connections)
            measured[name] = load(wrk, port, paths, seconds, connections)
            figures = measured[name]
            print(f"  {name}: {figures['rps']} req/s, p99 {figures['p99_ms']} ms", flush=True)
            if figures["errors"]:
                print(f"  ! {figures['errors']} requests failed or were not 2xx", flush=True)
        measured["304 article page"] = conditional_run(wrk, port, seconds, connections)
        say("Mixed run: readers while the desk verifies a move a second, a story a minute")
        measured["mixed"] = mixed_run(env, wrk, port, seconds, connections)
        rss = worker_rss_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    results = summarize(prepared, measured, rows_per_second, rss)
    results["snapshots"] = snapshots
    # The live preview's claim checks (issue 14), in process: median, worst, queries.
    results["claims_preview_ms"] = prepared.get("claims", {})
    record_results(results, scale)
    (WORK / "as_of_plan.txt").write_text(prepared["as_of"]["plan"])
    print_report(results, prepared, rss)


if __name__ == "__main__":
    main()
