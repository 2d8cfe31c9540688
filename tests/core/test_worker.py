"""``manage.py worker`` carries on across a PostgreSQL restart, in the same process.

The worker runs as a subprocess against a PostgreSQL cluster of the test's own (initdb on a
free port, run as ``postgres`` when the tests run as root), holding only procrastinate's
tables: ``pg_ctl restart -m fast`` of the machine's server would cut everyone else's tests.
The jobs are procrastinate's own ``remove_old_jobs`` (it needs no table of ours), on a queue
of the test's own, so that the periodic jobs the worker defers stay out of the way.
"""

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import procrastinate
import psycopg
import psycopg_pool
import pytest
from procrastinate.exceptions import ConnectorException
from procrastinate.jobs import Job
from procrastinate.schema import SchemaManager

from core.worker import database_error, describe
from provisioning.pgtools import pg_tool

REPO = Path(__file__).resolve().parents[2]
QUEUE = "restart-test"
TASK = "builtin:procrastinate.builtin_tasks.remove_old_jobs"


class Cluster:
    def __init__(self) -> None:
        # Not under pytest's tmp_path: that folder is root's alone and the server runs as
        # postgres.
        self.root = Path(tempfile.mkdtemp(prefix="entraide-worker-cluster-"))
        self.data = self.root / "data"
        self.run_as: dict = {}
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            self.run_as = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
            os.chown(self.root, user.pw_uid, user.pw_gid)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        self.env["LC_MESSAGES"] = "C"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(  # noqa: S603 - PostgreSQL's own binary
            [pg_tool("pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
             "-w", "-o", options, *args],
            check=True, capture_output=True, cwd="/", env=self.env, **self.run_as,
        )  # fmt: skip

    def start(self) -> None:
        subprocess.run(  # noqa: S603 - PostgreSQL's own binary
            [pg_tool("initdb"), "-D", str(self.data), "--auth=trust", "--username=postgres",
             "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
            check=True, capture_output=True, cwd="/", env=self.env, **self.run_as,
        )  # fmt: skip
        self.pg_ctl("start")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self.pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    running = Cluster()
    try:
        running.start()
        with psycopg.connect(running.url, autocommit=True) as conn:
            conn.execute(SchemaManager.get_schema())
        yield running
    finally:
        running.stop()


@pytest.fixture
def start_worker(cluster):
    """Starts ``manage.py worker`` on the cluster; its log is in ``process.log_path``."""
    processes = []

    def start() -> subprocess.Popen:
        log_path = cluster.root / "worker.log"
        env = {
            **os.environ,
            "DATABASE_URL": cluster.url,
            "SECRET_KEY": "worker-test-only",
            "LOG_FORMAT": "plain",
            "LOG_LEVEL": "INFO",
        }
        with log_path.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
                [sys.executable, "manage.py", "worker", "--queues", QUEUE],
                cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        process.log_path = log_path  # type: ignore[attr-defined]
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def _log(worker) -> str:
    return worker.log_path.read_text(errors="replace")


def _query(cluster: Cluster, query: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(cluster.url, autocommit=True) as conn:
        cursor = conn.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def _defer(cluster: Cluster) -> int:
    job = Job(
        queue=QUEUE, lock=None, queueing_lock=None, task_name=TASK, task_kwargs={"max_hours": 24}
    )
    app = procrastinate.App(connector=procrastinate.SyncPsycopgConnector(conninfo=cluster.url))
    with app.open():
        return app.job_manager.defer_job(job).id


def _wait_until_done(cluster: Cluster, worker, job_id: int, timeout: float = 15) -> str:
    deadline = time.monotonic() + timeout
    status = "?"
    while time.monotonic() < deadline:
        assert worker.poll() is None, f"the worker exited ({worker.returncode}):\n{_log(worker)}"
        with contextlib.suppress(psycopg.OperationalError):
            [(status,)] = _query(
                cluster, "SELECT status::text FROM procrastinate_jobs WHERE id = %s", (job_id,)
            )
            if status in {"succeeded", "failed"}:
                return status
        time.sleep(0.1)
    return status


def _started_events(cluster: Cluster, job_id: int) -> int:
    [(count,)] = _query(
        cluster,
        "SELECT count(*) FROM procrastinate_events WHERE job_id = %s AND type = 'started'",
        (job_id,),
    )
    return count


def _workers(cluster: Cluster) -> list[tuple]:
    return _query(cluster, "SELECT id FROM procrastinate_workers")


def test_the_worker_carries_on_across_a_database_restart(cluster, start_worker):
    # A job a worker left in 'doing' when it died (no heartbeat for an hour): the worker
    # that starts hands it back to 'todo', then runs it.
    [(dead,)] = _query(
        cluster,
        "INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now() - interval '1 hour')"
        " RETURNING id",
    )
    interrupted = _defer(cluster)
    _query(
        cluster,
        "UPDATE procrastinate_jobs SET status = 'doing', worker_id = %s WHERE id = %s",
        (dead, interrupted),
    )
    before = _defer(cluster)
    worker = start_worker()
    assert _wait_until_done(cluster, worker, interrupted) == "succeeded", _log(worker)
    assert _wait_until_done(cluster, worker, before) == "succeeded", _log(worker)

    cluster.pg_ctl("-m", "fast", "restart")
    after = _defer(cluster)

    assert _wait_until_done(cluster, worker, after) == "succeeded", _log(worker)
    # The same process ran both, once each, and is still running.
    assert worker.poll() is None
    assert (_started_events(cluster, before), _started_events(cluster, after)) == (1, 1)
    # The interrupted job: its 'started' when it was taken, and one run since.
    assert _started_events(cluster, interrupted) == 2
    log = _log(worker)
    assert "stopped after a database failure" in log, log
    assert f"job {interrupted} ({TASK}) was interrupted in 'doing': retried" in log, log
    # One registered worker: the one before the restart was unregistered, the dead one too.
    assert len(_workers(cluster)) == 1
    # SIGTERM still stops it, once its job is done, with code 0.
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(15) == 0, _log(worker)
    assert _workers(cluster) == []


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        # What a connection cut under PgBouncer raised once, wrapped by procrastinate.
        (psycopg.InternalError("received 2 results from command 'COMMIT'"), True),
        (psycopg.OperationalError("the database system is shutting down"), True),
        (psycopg_pool.PoolTimeout("couldn't get a connection after 30.00 sec"), True),
        (ConnectionRefusedError(), True),
        (ValueError("a bug"), False),
    ],
)
def test_which_errors_the_worker_waits_out(error, retried):
    try:
        try:
            raise error
        except Exception as cause:
            raise ConnectorException() from cause
    except ConnectorException as wrapped:
        assert (database_error(wrapped) is not None) is retried
        # Logged by its class, not its message.
        assert describe(wrapped) == (type(error).__name__ if retried else "ConnectorException")
