"""The database restarted under load, behind gunicorn, as in production.

The test starts its own PostgreSQL (``initdb`` into a temporary folder, its own port on
127.0.0.1; the shared server is never touched), migrates it, and serves the site with
gunicorn and the production settings (DEBUG off, psycopg's pool with its checks). A bounded
load of readers and journalists starting drafts runs while PostgreSQL is stopped and started
again. What must hold:

- during the outage every request fails cleanly: the 503 page with Retry-After, never a 500,
  a traceback, or a dropped connection;
- once PostgreSQL is back, the site serves again by itself (the pool reconnects), without a
  restart of gunicorn;
- every draft whose creation got a success response is in the database.

Run it with ``make test ARGS="-m fault"`` and a PostgreSQL ``DATABASE_URL`` (see the README's
"Fault test"); .ci/run runs it in its PostgreSQL step.
"""

from __future__ import annotations

import contextlib
import glob
import http.cookiejar
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

pytestmark = [pytest.mark.fault, pytest.mark.postgres_only]

READERS_AND_WRITERS = 6
PASSWORD = "load-test-password-not-a-secret"
# Bounds on each phase: a broken site fails the test instead of hanging it.
PHASE_LIMIT = 60.0
# "Serves again within seconds" of PostgreSQL's return, with no one restarting anything.
RECOVERY_LIMIT = 20.0
REQUEST_TIMEOUT = 30.0


def postgres_binaries() -> Path | None:
    """The newest PostgreSQL server's binaries (Debian keeps them off PATH)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(re.search(r"/(\d+)/bin/", path).group(1)),
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayPostgres:
    """A PostgreSQL instance of its own in ``root``: initdb, start, stop (fast), start."""

    def __init__(self, binaries: Path, root: Path) -> None:
        self.binaries = binaries
        self.root = root
        self.data = root / "data"
        self.port = free_port()
        # initdb refuses to run as root: the server then runs as the postgres account.
        self.as_user = (
            ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []  # type: ignore[attr-defined]
        )
        if self.as_user:
            account = pwd.getpwnam("postgres")
            os.chown(root, account.pw_uid, account.pw_gid)

    def run(self, program: str, *arguments: str) -> None:
        completed = subprocess.run(  # noqa: S603 - fixed programs, arguments from this class
            [*self.as_user, str(self.binaries / program), *arguments],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if completed.returncode:
            log = self.root / "postgres.log"
            raise AssertionError(
                f"{program} {' '.join(arguments)} failed ({completed.returncode}):\n"
                f"{completed.stdout}{completed.stderr}"
                + (log.read_text(errors="replace")[-3000:] if log.exists() else "")
            )

    def init(self) -> None:
        self.run(
            "initdb",
            "--pgdata",
            str(self.data),
            "--username=postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.root} -c max_connections=60"
        )
        self.run(
            "pg_ctl",
            "--pgdata",
            str(self.data),
            "--log",
            str(self.root / "postgres.log"),
            "--options",
            options,
            "--wait",
            "--timeout=60",
            "start",
        )

    def stop(self) -> None:
        self.run("pg_ctl", "--pgdata", str(self.data), "--mode=fast", "--wait", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str) -> psycopg.Connection:
        return psycopg.connect(self.url(database), autocommit=True)


@pytest.fixture
def postgres() -> Iterator[ThrowawayPostgres]:
    binaries = postgres_binaries()
    if binaries is None:
        message = "PostgreSQL's server binaries (initdb, pg_ctl) are not installed"
        if os.environ.get("REQUIRE_FAULT_TEST"):
            pytest.fail(message)
        pytest.skip(message)
    root = Path(tempfile.mkdtemp(prefix="newsroom-fault-"))
    server = ThrowawayPostgres(binaries, root)
    try:
        server.init()
        server.start()
        yield server
    finally:
        with contextlib.suppress(AssertionError):  # already stopped
            server.stop()
        shutil.rmtree(root, ignore_errors=True)


def site_environment(database_url: str, connections: str) -> dict[str, str]:
    """Production settings, on plain HTTP over loopback (no TLS in front of it here).

    ``connections``: "pool" (psycopg's pool, checked before use: the default) or
    "persistent" (DATABASE_POOL=0: one connection per thread, CONN_HEALTH_CHECKS).
    """
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        DATABASE_POOL="1" if connections == "pool" else "0",
        CONN_MAX_AGE="60",
        DATABASE_POOL_MIN="2",
        DATABASE_POOL_MAX="8",
        DATABASE_POOL_TIMEOUT="2",
        PYTHONUNBUFFERED="1",
    )
    return environment


def manage(environment: dict[str, str], *arguments: str) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env=environment,
        check=True,
        capture_output=True,
        timeout=300,
    )


CREATE_JOURNALIST = f"""
from django.contrib.auth.models import Group, User
user = User.objects.create_user("load-journalist", password={PASSWORD!r})
user.groups.add(Group.objects.get(name="Journalists"))
"""


@pytest.fixture(params=["pool", "persistent"])
def site(request, postgres: ThrowawayPostgres, tmp_path: Path) -> Iterator[str]:
    """The site under gunicorn on its own port, on the throwaway database."""
    with postgres.connect("postgres") as admin:
        admin.execute("CREATE DATABASE newsroom_fault")
    environment = site_environment(postgres.url("newsroom_fault"), request.param)
    environment["STATIC_ROOT"] = str(tmp_path / "static")
    manage(environment, "migrate", "--noinput")
    manage(environment, "collectstatic", "--noinput", "-v0")
    manage(environment, "shell", "--command", CREATE_JOURNALIST)
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "newsroom.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--threads=4",
            "--timeout=60",
            "--graceful-timeout=5",
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + PHASE_LIMIT
        while not answers(base + "/robots.txt"):
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


# The load ------------------------------------------------------------------------------------


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer itself: a draft was created


@dataclass
class Answer:
    kind: str  # "read" or "write"
    started: float
    status: int  # 0: no HTTP answer at all (connection refused, reset, timed out)
    body: str = ""
    retry_after: str | None = None
    title: str = ""
    location: str = ""
    finished: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == (302 if self.kind == "write" else 200)


@dataclass
class Desk:
    """One journalist's browser: signed in, reading pages and starting drafts."""

    base: str
    number: int
    answers: list[Answer] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects()
        )
        self.sent = 0

    def request(self, kind: str, path: str, data: dict | None = None, title: str = "") -> Answer:
        encoded = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=encoded)
        answer = Answer(kind=kind, started=time.monotonic(), status=0, title=title)
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                answer.status = response.status
                answer.body = response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            answer.status = error.code
            answer.body = error.read().decode(errors="replace")
            answer.retry_after = error.headers.get("Retry-After")
            answer.location = error.headers.get("Location") or ""
        except OSError as error:
            answer.body = f"no HTTP answer: {error!r}"
        answer.finished = time.monotonic()
        return answer

    def csrf_token(self) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def sign_in(self) -> None:
        assert self.request("read", "/accounts/login/").status == 200
        signed_in = self.request(
            "write",
            "/accounts/login/",
            {
                "username": "load-journalist",
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.csrf_token(),
            },
        )
        assert signed_in.status == 302, signed_in.body[:2000]

    def step(self) -> None:
        """One read, then one write: start a draft with a title no one else uses."""
        self.sent += 1
        path = ("/api/people?q=load", "/", "/desk/")[self.sent % 3]
        self.answers.append(self.request("read", path))
        title = f"Load draft {self.number}-{self.sent}"
        self.answers.append(
            self.request(
                "write",
                "/desk/stories/new/",
                {
                    "title": title,
                    "dek": "",
                    "body": f"Written under load by desk {self.number}.",
                    "language": "en",
                    "csrfmiddlewaretoken": self.csrf_token(),
                },
                title=title,
            )
        )


class Load:
    """Desks working in threads until stopped; the test waits on conditions over answers."""

    def __init__(self, base: str) -> None:
        self.desks = [Desk(base, number) for number in range(READERS_AND_WRITERS)]
        for desk in self.desks:
            desk.sign_in()
        self.stopping = threading.Event()
        self.threads = [
            threading.Thread(target=self.work, args=(desk,), daemon=True) for desk in self.desks
        ]

    def work(self, desk: Desk) -> None:
        while not self.stopping.is_set():
            desk.step()
            time.sleep(0.02)

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=REQUEST_TIMEOUT * 2 + 5)

    def answers(self, since: float = 0.0) -> list[Answer]:
        return [
            answer
            for desk in self.desks
            for answer in list(desk.answers)
            if answer.started >= since
        ]

    def wait_for(self, what: str, condition, limit: float = PHASE_LIMIT) -> float:
        """Wait until ``condition()`` holds; the seconds it took."""
        began = time.monotonic()
        while not condition():
            assert time.monotonic() - began < limit, f"gave up waiting for {what}"
            time.sleep(0.1)
        return time.monotonic() - began


def test_the_site_survives_a_database_restart_under_load(postgres, site):
    with Load(site) as load:
        load.wait_for(
            "the first successful reads and writes",
            lambda: sum(answer.ok for answer in load.answers()) >= 20,
        )

        postgres.stop()
        stopped = time.monotonic()
        load.wait_for(
            "503 answers from every desk during the outage",
            lambda: all(
                any(answer.status == 503 for answer in desk.answers if answer.started > stopped + 1)
                for desk in load.desks
            ),
        )

        back = time.monotonic()
        postgres.start()
        restarted = time.monotonic()
        recovery = load.wait_for(
            "successful reads and writes after the restart",
            lambda: all(
                sum(answer.ok for answer in load.answers(since=restarted) if answer.kind == kind)
                >= READERS_AND_WRITERS
                for kind in ("read", "write")
            ),
            limit=RECOVERY_LIMIT,
        )

    every = load.answers()
    print(  # shown with -s: the figures the README quotes
        f"{len(every)} requests; {sum(a.status == 503 for a in every)} answered 503; "
        f"back {recovery:.1f} s after PostgreSQL was"
    )
    unclean = [answer for answer in every if not answer.ok and answer.status != 503]
    assert not unclean, [(answer.status, answer.body[:300]) for answer in unclean[:5]]
    for answer in every:
        if answer.status == 503:
            assert "Back in a moment" in answer.body
            assert answer.retry_after is not None
            assert "Traceback" not in answer.body and "psycopg" not in answer.body
    # Asked and answered while PostgreSQL was down (the first second: requests in flight).
    during_outage = [
        answer for answer in every if stopped + 1 < answer.started < answer.finished < back
    ]
    assert during_outage and all(answer.status == 503 for answer in during_outage), [
        (answer.kind, answer.status, answer.started - stopped, answer.body[:200])
        for answer in during_outage
        if answer.status != 503
    ]

    # No accepted write is lost: every draft answered with a redirect to it is stored.
    accepted = {
        answer.title: int(re.fullmatch(r"/desk/stories/(\d+)/", answer.location).group(1))
        for answer in every
        if answer.kind == "write" and answer.ok
    }
    with postgres.connect("newsroom_fault") as database:
        stored = dict(
            database.execute(
                "SELECT title, id FROM stories_story WHERE title = ANY(%s)", [list(accepted)]
            ).fetchall()
        )
    assert stored == accepted
