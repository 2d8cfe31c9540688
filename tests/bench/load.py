"""Load and faults: gunicorn (deploy/gunicorn.conf.py, DEBUG off) and the job worker (``manage.py
worker``) through PgBouncer (deploy/pgbouncer.ini) on a PostgreSQL cluster of the benchmark's
own, 50 networks with signed-in members.

1. Load: a pool of client threads (the standard library's http.client, one keep-alive
   connection each) reads topics, searches and posts across the 50 networks for --seconds;
   reports requests/s, p50/p95/p99 per kind and errors.
2. Fault: a posting load, with ``pg_ctl restart -m fast`` of the cluster in the middle. Every
   reply the server acknowledged (302 after the POST) must be in the database afterwards
   (lost = 0); the site must answer again within --recovery-limit seconds without a restart
   of gunicorn or the worker; a job deferred before the restart runs once.

``--no-pgbouncer`` connects gunicorn and the worker straight to PostgreSQL.

Run: ``.venv/bin/python tests/bench/load.py [--networks 50] [--seconds 60]``. Not part of
``make test``: it takes a few minutes. Results in .data/bench/load.json and on stdout's last
line; docs/load-and-faults.md has the figures measured on the project's machine.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import pwd
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psycopg

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))  # the repository first: tests/bench/provisioning.py
from benchdb import REPO, django_setup, log, write_results  # noqa: E402

from tests.deploy.stack import pgbouncer_config, spawn_pgbouncer  # noqa: E402

MEMBERS_PER_NETWORK = 4
SEARCH_WORDS = ["fatigue", "traitement", "immunothérapie", "sommeil", "alimentation", "marche"]


# --- The benchmark's own PostgreSQL cluster ----------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    return str(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))[-1])


class Cluster:
    """initdb in a temporary folder, run as ``postgres`` when we are root (initdb refuses
    root), on 127.0.0.1 and a free port."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="entraide-load-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.run_as: dict = {}
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            self.run_as = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        self.env["LC_MESSAGES"] = "C"

    def _pg(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - PostgreSQL's own binaries
            [_pg_bin(args[0]), *args[1:]], check=True, capture_output=True, text=True,
            cwd="/", env=self.env, start_new_session=True, **self.run_as,
        )  # fmt: skip

    def start(self) -> None:
        self._pg("initdb", "-D", str(self.data), "--auth=trust", "--username=postgres",
                 "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        settings = {
            "port": self.port,
            "listen_addresses": "127.0.0.1",
            "unix_socket_directories": str(self.root),
            "max_connections": 200,
            # pg_dump of 50 networks and the clone of the template lock many tables at once.
            "max_locks_per_transaction": 256,
            "shared_buffers": "256MB",
        }
        with (self.data / "postgresql.conf").open("a") as conf:
            for key, value in settings.items():
                conf.write(f"{key} = '{value}'\n")
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w",
                 "start")  # fmt: skip

    def restart(self) -> float:
        """``pg_ctl restart -m fast``; returns how long pg_ctl took."""
        started = time.monotonic()
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-m",
                 "fast", "-w", "restart")  # fmt: skip
        return time.monotonic() - started

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


class PgBouncer:
    """deploy/pgbouncer.ini in front of the cluster, with the bench's port and paths."""

    PASSWORD = "load-bench-only-not-secret"  # noqa: S105 - a local, temporary pooler

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.port = _free_port()
        self.process = None

    def start(self) -> None:
        root = self.cluster.root
        users, config = root / "pgbouncer-users.txt", root / "pgbouncer.ini"
        users.write_text(f'"postgres" "{self.PASSWORD}"\n')
        config.write_text(
            pgbouncer_config(
                listen_port=self.port, server_host="127.0.0.1",
                server_port=str(self.cluster.port), auth_file=users, user="postgres",
            )
        )  # fmt: skip
        for path in (users, config):
            path.chmod(0o644)
        self.process = spawn_pgbouncer(config, root / "pgbouncer.log")
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(psycopg.OperationalError):
                psycopg.connect(self.url("postgres"), connect_timeout=2).close()
                return
            if time.monotonic() > deadline or self.process.popen.poll() is not None:
                raise RuntimeError(f"PgBouncer did not start:\n{self.process.tail()}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()

    def url(self, database: str) -> str:
        return f"postgres://postgres:{self.PASSWORD}@127.0.0.1:{self.port}/{database}"


# --- The platform: 50 networks, their members signed in ---------------------------------------


@dataclass
class Account:
    host: str
    schema: str
    cookies: str
    csrf: str
    topic_id: int


def build_networks(count: int) -> list[Account]:
    """``count`` networks, each with members signed in (sessions saved in the network's
    schema, as a sign-in leaves them) and a topic to read and answer."""
    from django.conf import settings
    from django.contrib.auth import login
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpRequest
    from django.middleware.csrf import _get_new_csrf_string
    from django_tenants.utils import tenant_context

    from provisioning import services
    from tenant_apps.forums import services as forums
    from tenant_apps.forums.models import Category
    from tenant_apps.members import services as members
    from tenant_apps.moderation.models import ModerationSettings
    from tenants.models import Domain

    accounts = []
    started = time.monotonic()
    for index in range(count):
        tenant = services.tenant_create(
            slug=f"charge{index:02d}", name=f"Réseau de charge {index}",
            organization_slug=f"asso-charge-{index:02d}",
            admin_email=f"admin@charge{index}.invalid", actor="bench",
        ).tenant  # fmt: skip
        host = Domain.objects.get(tenant=tenant, is_primary=True).domain
        with tenant_context(tenant):
            people = [
                members.member_create(
                    username=f"Membre{n}",
                    email=f"membre{n}@charge{index}.invalid",
                    password="bench-password-42x",
                )  # fmt: skip
                for n in range(MEMBERS_PER_NETWORK)
            ]
            # No premoderation of newcomers' first posts (an association's choice): held
            # posts are hidden from the other members, who would then read a 404.
            ModerationSettings.objects.update(premoderated_posts=0)
            category = Category.objects.filter(space__slug="patients", group=None).first()
            topic = forums.topic_create(
                author=people[0].member, category=category,
                title="La fatigue pendant le traitement",
                body="Comment gérez-vous la fatigue ? Le sommeil, la marche, l'alimentation…",
            )  # fmt: skip
            for person in people:
                request = HttpRequest()
                request.session = SessionStore()
                login(request, person, backend="django.contrib.auth.backends.ModelBackend")
                request.session.save()
                csrf = _get_new_csrf_string()
                cookies = (
                    f"{settings.SESSION_COOKIE_NAME}={request.session.session_key}; "
                    f"{settings.CSRF_COOKIE_NAME}={csrf}"
                )
                accounts.append(Account(host, tenant.schema_name, cookies, csrf, topic.pk))
        if (index + 1) % 10 == 0:
            log(f"  {index + 1} networks ({time.monotonic() - started:.1f} s)")
    return accounts


# --- gunicorn and the worker -------------------------------------------------------------------


def start_worker(env: dict[str, str], logs: Path, name: str = "worker") -> subprocess.Popen:
    """``manage.py worker``, as deploy/compose.yaml runs it."""
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "worker"],
        cwd=REPO, env=env, start_new_session=True,
        stdout=(logs / f"{name}.log").open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip


@contextlib.contextmanager
def serving(env: dict[str, str], port: int, logs: Path) -> Iterator[dict[str, subprocess.Popen]]:
    """gunicorn with deploy/gunicorn.conf.py and ``manage.py worker``."""
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    processes = {
        "web": subprocess.Popen(  # noqa: S603
            [gunicorn, "-c", "deploy/gunicorn.conf.py", "config.wsgi:application"],
            cwd=REPO, env={**env, "PORT": str(port)}, start_new_session=True,
            stdout=(logs / "gunicorn.log").open("w"), stderr=subprocess.STDOUT,
        ),
        "worker": start_worker(env, logs),
    }  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            if time.monotonic() > deadline or processes["web"].poll() is not None:
                raise RuntimeError(f"gunicorn did not answer: see {logs / 'gunicorn.log'}")
            time.sleep(0.3)
        yield processes
    finally:
        for process in processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


# --- The client pool ---------------------------------------------------------------------------


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    acknowledged: list[tuple[str, str]] = field(default_factory=list)  # (schema, marker)
    attempted: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Client:
    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, account: Account, body: str | None = None):
        headers = {
            "Host": account.host,
            "Cookie": account.cookies,
            # What Caddy sets in front of gunicorn; the CSRF check then wants the origin.
            "X-Forwarded-Proto": "https",
            "Accept-Language": "fr",
        }
        if body is not None:
            headers["Origin"] = f"https://{account.host}"
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return response.status


def one_request(client: Client, account: Account, kind: str, results: Results) -> None:
    marker = ""
    if kind == "read":
        method, path, body = "GET", f"/forums/sujet/{account.topic_id}/", None
    elif kind == "search":
        query = urlencode({"q": random.choice(SEARCH_WORDS)})  # noqa: S311
        method, path, body = "GET", f"/recherche/?{query}", None
    else:
        marker = f"charge-{uuid.uuid4().hex}"
        method, path = "POST", f"/forums/sujet/{account.topic_id}/repondre/"
        body = urlencode(
            {
                "csrfmiddlewaretoken": account.csrf,
                "body": f"Merci pour vos conseils, la marche m'aide aussi. {marker}",
            }
        )
    started = time.perf_counter()
    try:
        status = client.request(method, path, account, body)
    except (OSError, http.client.HTTPException) as error:
        with results.lock:
            results.errors[type(error).__name__] += 1
            results.attempted += kind == "post"
        return
    elapsed = time.perf_counter() - started
    ok = status == 302 if kind == "post" else status == 200
    with results.lock:
        results.attempted += kind == "post"
        results.statuses[f"{kind} {status}"] += 1
        if ok:
            results.latencies[kind].append(elapsed)
            if marker:
                results.acknowledged.append((account.schema, marker))
        else:
            results.errors[f"{kind} {status}"] += 1


def drive(
    port: int, accounts: list[Account], *, seconds: float, users: int, mix: dict[str, float]
) -> tuple[Results, float]:
    """``users`` threads, each a member of a random network per request, for ``seconds``."""
    results = Results()
    stop = threading.Event()
    kinds, weights = list(mix), list(mix.values())

    def user(seed: int) -> None:
        rng = random.Random(seed)  # noqa: S311 - a load mix, not a secret
        client = Client(port)
        while not stop.is_set():
            one_request(client, rng.choice(accounts), rng.choices(kinds, weights)[0], results)

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(users)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    stop.wait(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    return results, time.monotonic() - started


def percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"n": 0}
    ordered = sorted(samples)

    def rank(p: float) -> float:
        return round(ordered[max(0, int(p * len(ordered) + 0.5) - 1)] * 1000, 1)

    return {"n": len(ordered), "p50_ms": rank(0.50), "p95_ms": rank(0.95), "p99_ms": rank(0.99)}


def report(results: Results, elapsed: float) -> dict[str, object]:
    done = sum(results.statuses.values()) + sum(
        n for kind, n in results.errors.items() if " " not in kind
    )
    all_ok = [x for samples in results.latencies.values() for x in samples]
    return {
        "seconds": round(elapsed, 1),
        "requests": done,
        "requests_per_s": round(done / elapsed, 1),
        "all": percentiles(all_ok),
        **{kind: percentiles(samples) for kind, samples in sorted(results.latencies.items())},
        "errors": dict(results.errors),
        "statuses": dict(results.statuses),
    }


# --- The fault ---------------------------------------------------------------------------------


def probe_until_answered(port: int, account: Account, since: float, limit: float) -> float | None:
    """Seconds from ``since`` until a topic page answers 200 again, or None past ``limit``."""
    client = Client(port)
    while time.monotonic() - since < limit:
        with contextlib.suppress(OSError, http.client.HTTPException):
            if client.request("GET", f"/forums/sujet/{account.topic_id}/", account) == 200:
                return time.monotonic() - since
        time.sleep(0.05)
    return None


def stored_markers(acknowledged: list[tuple[str, str]]) -> set[str]:
    from django.db import connection
    from psycopg import sql

    by_schema: dict[str, list[str]] = defaultdict(list)
    for schema, marker in acknowledged:
        by_schema[schema].append(marker)
    found: set[str] = set()
    with connection.cursor() as cursor:
        for schema, markers in by_schema.items():
            cursor.execute(
                sql.SQL(
                    "SELECT substring(body FROM 'charge-[0-9a-f]{{32}}') FROM {}.forums_post"
                    " WHERE body LIKE '%%charge-%%'"
                ).format(sql.Identifier(schema))
            )
            found |= {row[0] for row in cursor.fetchall()} & set(markers)
    return found


def job_runs(job_id: int, restarted_at: float | None = None) -> dict[str, object]:
    """The job's status, attempts and 'started' events; with ``restarted_at`` (the server's
    epoch once it was back), whether it started after the restart."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT status, attempts FROM procrastinate_jobs WHERE id = %s", [job_id])
        status, attempts = cursor.fetchone()
        cursor.execute(
            "SELECT count(*), extract(epoch FROM min(at)) FROM procrastinate_events"
            " WHERE job_id = %s AND type = 'started'",
            [job_id],
        )
        started, first_start = cursor.fetchone()
    runs: dict[str, object] = {"status": status, "attempts": attempts, "started_events": started}
    if restarted_at is not None and first_start is not None:
        runs["started_after_restart"] = float(first_start) >= restarted_at
    return runs


def jobs_left_doing() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing'")
        return cursor.fetchone()[0]


def defer_scheduled_job(account: Account, delay: int) -> int:
    """A real post_announce for a real reply, deferred now to run ``delay`` s later."""
    from django_tenants.utils import tenant_context

    from tenant_apps.forums import jobs
    from tenant_apps.forums.models import Post
    from tenants.models import Tenant

    tenant = Tenant.objects.get(schema_name=account.schema)
    with tenant_context(tenant):
        post_id = Post.objects.filter(topic_id=account.topic_id).order_by("pk").first().pk
    return jobs.post_announce.configure(schedule_in={"seconds": delay}).defer(
        post_id=post_id, schema_name=account.schema
    )


def fault(
    cluster: Cluster,
    port: int,
    accounts: list[Account],
    args: argparse.Namespace,
    processes: dict[str, subprocess.Popen],
    env: dict[str, str],
    logs: Path,
) -> dict[str, object]:
    web_pid = processes["web"].pid
    results = Results()
    outcome: dict[str, object] = {}

    def restart_in_the_middle() -> None:
        time.sleep(args.restart_after)
        log("  restarting PostgreSQL (pg_ctl restart -m fast) …")
        outcome["restart_started_s"] = round(time.monotonic() - started, 2)
        # Deferred just before the restart, to run 2 s later: when the server is going down
        # or just back, so the worker has to carry on across the restart to run it.
        outcome["job_id"] = defer_scheduled_job(accounts[0], delay=2)
        outcome["pg_ctl_restart_s"] = round(cluster.restart(), 2)
        back = time.monotonic()
        with psycopg.connect(cluster.url("postgres"), autocommit=True) as conn:
            outcome["server_back_epoch"] = conn.execute(
                "SELECT extract(epoch FROM now())"
            ).fetchone()[0]
        answered = probe_until_answered(port, accounts[1], back, args.recovery_limit)
        from django.db import connection

        connection.close()  # this thread's, which deferred the job before the restart
        outcome["answered_after_restart_s"] = None if answered is None else round(answered, 2)

    # As before a planned restart, a CHECKPOINT first, so that the shutdown's own checkpoint
    # has little to write (without it, 30 s on this loaded machine). Before the posting load
    # and its clock: once it took 57 s here, and the restart came after the load had ended.
    checkpoint = time.monotonic()
    with psycopg.connect(cluster.url("postgres"), autocommit=True) as conn:
        conn.execute("CHECKPOINT")
    outcome["checkpoint_s"] = round(time.monotonic() - checkpoint, 2)
    restarter = threading.Thread(target=restart_in_the_middle)
    started = time.monotonic()
    restarter.start()
    results, elapsed = drive(
        port, accounts, seconds=args.fault_seconds, users=args.users, mix={"post": 1.0}
    )
    restarter.join()
    outcome["restart_during_load"] = (
        outcome["restart_started_s"] + outcome["pg_ctl_restart_s"] < elapsed
    )
    from django.db import connection

    connection.close()  # the benchmark's own connection died with the restart
    job_id = outcome.pop("job_id")
    restarted_at = float(outcome.pop("server_back_epoch"))
    # ``manage.py worker`` carries on in the same process. Should it exit all the same, do
    # what deploy/compose.yaml's supervisor does (restart: unless-stopped), and report it.
    worker_exit = None
    deadline = time.monotonic() + 90
    runs = job_runs(job_id, restarted_at)
    while runs["status"] in ("todo", "doing") and time.monotonic() < deadline:
        code = processes["worker"].poll()
        if code is not None and worker_exit is None:
            worker_exit = code
            log(f"  the worker exited (code {code}) after the restart: starting it again")
            processes["worker"] = start_worker(env, logs, name="worker-after-restart")
        time.sleep(1)
        runs = job_runs(job_id, restarted_at)
    if worker_exit is None and processes["worker"].poll() is not None:
        worker_exit = processes["worker"].poll()
    acknowledged = {marker for _schema, marker in results.acknowledged}
    found = stored_markers(results.acknowledged)
    # Jobs the restart interrupted are retried, not left in 'doing' (give the worker's
    # graceful stop, which waits for them, time to end).
    deadline = time.monotonic() + 60
    while (left_doing := jobs_left_doing()) and time.monotonic() < deadline:
        time.sleep(1)
    worker_log = (logs / "worker.log").read_text(errors="replace")
    return {
        **report(results, elapsed),
        **outcome,
        "posts_attempted": results.attempted,
        "posts_acknowledged": len(acknowledged),
        "acknowledged_lost": len(acknowledged - found),
        "job_deferred_before_restart": runs,
        "jobs_left_doing": left_doing,
        "worker_exited_with_restart": worker_exit is not None,
        "worker_exit_code": worker_exit,
        # How many times ``manage.py worker`` started procrastinate's worker again, in process.
        "worker_restarts_in_process": worker_log.count("stopped after a database failure"),
        "worker_retried_interrupted_jobs": worker_log.count("was interrupted in 'doing'"),
        "gunicorn_master_same_pid": processes["web"].pid == web_pid
        and processes["web"].poll() is None,
    }


# --- Main --------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--networks", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60, help="length of the mixed load")
    parser.add_argument("--users", type=int, default=16, help="client threads")
    parser.add_argument("--warmup", type=float, default=15, help="seconds of load not counted")
    parser.add_argument("--fault-seconds", type=float, default=40)
    parser.add_argument("--restart-after", type=float, default=8)
    parser.add_argument("--recovery-limit", type=float, default=15)
    parser.add_argument(
        "--no-pgbouncer", dest="pgbouncer", action="store_false",
        help="gunicorn and the worker straight to PostgreSQL, not through PgBouncer",
    )  # fmt: skip
    args = parser.parse_args()

    cluster = Cluster()
    logs = Path(tempfile.mkdtemp(prefix="entraide-load-logs-"))
    log(f"Starting the benchmark's PostgreSQL cluster in {cluster.root} …")
    cluster.start()
    try:
        subprocess.run(  # noqa: S603
            [_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",
             "entraide_load"], check=True, capture_output=True,
        )  # fmt: skip
        pgbouncer = PgBouncer(cluster)
        if args.pgbouncer:
            log(f"Starting PgBouncer (deploy/pgbouncer.ini) on 127.0.0.1:{pgbouncer.port} …")
            pgbouncer.start()
        env = {
            **os.environ,
            # As deploy/compose.yaml: web and worker through PgBouncer, in session mode.
            "DATABASE_URL": (pgbouncer if args.pgbouncer else cluster).url("entraide_load"),
            "DEBUG": "false",
            "SECRET_KEY": "load-bench-only-not-secret",
            # As deploy/compose.yaml: one cache in the database, shared by every process.
            "CACHE_URL": "dbcache://entraide_cache",
            # The per-member posting limit (10/min) would answer 429 to a load that posts
            # this fast from 200 members; the limit is measured elsewhere (tests/core).
            "THROTTLE_POSTS": "100000/min",
            "GUNICORN_LOG_LEVEL": "warning",
            "LOG_LEVEL": "WARNING",
        }
        os.environ.update({k: env[k] for k in ("DEBUG", "SECRET_KEY", "CACHE_URL")})
        os.environ["THROTTLE_POSTS"] = env["THROTTLE_POSTS"]
        # The benchmark's own connection (building, checking) goes straight to the cluster.
        django_setup(cluster.url("entraide_load"))
        from django.core.management import call_command

        call_command("createcachetable", verbosity=0)
        log(f"Creating {args.networks} networks with {MEMBERS_PER_NETWORK} members each …")
        build_started = time.monotonic()
        accounts = build_networks(args.networks)
        build_seconds = time.monotonic() - build_started
        from django.db import connections

        connections.close_all()

        port = _free_port()
        log(f"Starting gunicorn on 127.0.0.1:{port} and the worker (logs in {logs}) …")
        with serving(env, port, logs) as processes:
            # One request per network first, so that the measure is not the first sight of
            # each network by each gunicorn worker.
            warm = Client(port)
            for account in accounts[::MEMBERS_PER_NETWORK]:
                warm.request("GET", f"/forums/sujet/{account.topic_id}/", account)
            log(f"Warming up: {args.users} clients for {args.warmup:.0f} s (not counted) …")
            drive(port, accounts, seconds=args.warmup, users=args.users,
                  mix={"read": 0.6, "search": 0.2, "post": 0.2})  # fmt: skip
            log(f"Mixed load: {args.users} clients for {args.seconds:.0f} s …")
            mixed, elapsed = drive(
                port, accounts, seconds=args.seconds, users=args.users,
                mix={"read": 0.6, "search": 0.2, "post": 0.2},
            )  # fmt: skip
            load = report(mixed, elapsed)
            log(f"  {load['requests_per_s']} requests/s, all {load['all']}, "
                f"errors {load['errors']}")  # fmt: skip
            log(f"Fault: posting for {args.fault_seconds:.0f} s, PostgreSQL restarted at "
                f"{args.restart_after:.0f} s …")  # fmt: skip
            faulted = fault(cluster, port, accounts, args, processes, env, logs)
            alive = {name: process.poll() is None for name, process in processes.items()}
        payload = {
            "benchmark": "load",
            "client": "threads with http.client (keep-alive), on the same machine",
            "cpus": os.cpu_count(),
            "networks": args.networks,
            "through_pgbouncer": args.pgbouncer,
            "members_signed_in": len(accounts),
            "build_networks_s": round(build_seconds, 1),
            "users": args.users,
            "load": load,
            "fault": faulted,
            "alive_at_the_end": alive,
        }
        runs = faulted["job_deferred_before_restart"]
        checks = {
            # Otherwise the load had ended before the restart: nothing was tested under it.
            "restart_during_load": bool(faulted["restart_during_load"]),
            "acknowledged_lost_0": faulted["acknowledged_lost"] == 0,
            "answered_again_within_limit": faulted.get("answered_after_restart_s") is not None,
            "gunicorn_not_restarted": bool(faulted["gunicorn_master_same_pid"]),
            "worker_survived_restart": not faulted["worker_exited_with_restart"],
            "job_ran_once": runs["status"] == "succeeded" and runs["started_events"] == 1,
            "job_ran_after_restart": bool(runs.get("started_after_restart")),
            "no_job_left_doing": faulted["jobs_left_doing"] == 0,
        }
        payload["checks"] = checks
        write_results("load", payload)
        for name, passed in checks.items():
            log(f"  {'ok  ' if passed else 'FAIL'} {name}")
        ok = all(checks.values())
        log("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        with contextlib.suppress(Exception):
            pgbouncer.stop()
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
