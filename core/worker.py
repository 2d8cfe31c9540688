"""The procrastinate worker, carried on across a database restart in the same process.

procrastinate's worker stops itself as soon as one of its side tasks fails (the ``LISTEN``
listener, the heartbeat): when PostgreSQL restarts, "Side task listener failed … stopping
worker", and ``manage.py procrastinate worker`` exits. ``ResilientWorker`` runs the same worker in
a loop instead: when it stops without having been asked to, it waits for the database
(a bounded backoff), reopens the connection pool and runs a new worker.

Jobs are not run twice by this loop: a worker takes a job by moving it from ``todo`` to
``doing`` in one statement, and a worker that stops waits for its running jobs first. A job
the restart interrupted is either saved as failed and retried by its task's retry strategy,
or, when saving its outcome failed too (the database was down at that moment), left in
``doing``; the loop then hands it back to ``todo`` (procrastinate's own ``retry_job``) before
the next worker starts, as procrastinate's documentation does for stalled jobs. The same
happens at start for jobs of workers that died without a word (their heartbeat is old).
docs/load-and-faults.md tells what was measured.

Logs name the error's class and SQLSTATE, never its message (which may quote values).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from dataclasses import dataclass, field
from typing import Any

import psycopg
import psycopg_pool
from procrastinate import App, exceptions, worker

logger = logging.getLogger(__name__)

# Between two attempts to reach the database: doubled each time, never longer than the last.
FIRST_DELAY = 0.5
LONGEST_DELAY = 15.0
# Connecting to a server that does not answer (a dropped network rather than a refusal).
CONNECT_TIMEOUT = 5


def database_error(error: BaseException) -> BaseException | None:
    """The error (or one of its causes) that came from the database or the way to it.

    Any psycopg error counts: a connection cut by a restart, through PgBouncer, does not always
    say so (psycopg has raised "InternalError: received 2 results from command 'COMMIT'").
    A persistent one (a missing table) is retried after a pause that grows to
    ``LONGEST_DELAY``, with a warning each time. Other errors (a bug) stop the command."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, psycopg.Error | psycopg_pool.PoolTimeout | ConnectionError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def describe(error: BaseException) -> str:
    """The error's class and SQLSTATE, without its message (it may quote values)."""
    found = database_error(error) or error
    sqlstate = getattr(found, "sqlstate", None)
    return f"{type(found).__name__}{f' ({sqlstate})' if sqlstate else ''}"


@dataclass
class ResilientWorker:
    """Run with ``await ResilientWorker(app, …).run()``; SIGTERM or SIGINT stops it once the
    running jobs have finished (a second one stops it at once, as procrastinate's does)."""

    app: App
    connect_kwargs: dict[str, Any]
    worker_options: dict[str, Any] = field(default_factory=dict)
    # How long to wait for the database after a failure before giving up (exit code 1, for
    # the supervisor to see); None waits for ever.
    max_wait: float | None = 600.0
    first_delay: float = FIRST_DELAY
    longest_delay: float = LONGEST_DELAY
    # A worker that stops by itself sooner than this after its start (a failure that is not
    # the database's) is started again after a growing pause, not at once.
    short_run: float = 60.0

    def __post_init__(self) -> None:
        self.stopping = asyncio.Event()
        self.current: worker.Worker | None = None
        self.restarts = 0

    # --- signals ------------------------------------------------------------------------------

    def request_stop(self) -> None:
        if self.stopping.is_set():
            return
        logger.info("worker: stop requested, finishing the running jobs")
        self.stopping.set()
        # A second signal falls through to the default handler: stops at once.
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        if self.current is not None:
            self.current.stop()

    @contextlib.contextmanager
    def _signal_handlers(self):
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self.request_stop)
        try:
            yield
        finally:
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(signum)

    # --- the loop -----------------------------------------------------------------------------

    async def run(self) -> int:
        """0 once stopped by a signal (or by ``wait=False`` having run every job); 1 when the
        database stayed out of reach longer than ``max_wait``."""
        with self._signal_handlers():
            previous_worker_id: int | None = None
            pause = 0.0
            while not self.stopping.is_set():
                if pause:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self.stopping.wait(), timeout=pause)
                    if self.stopping.is_set():
                        break
                started = time.monotonic()
                if not await self._wait_for_database():
                    return 0 if self.stopping.is_set() else 1
                if self.stopping.is_set():
                    break
                try:
                    async with self.app.open_async():
                        await self._retry_interrupted_jobs(previous_worker_id)
                        previous_worker_id = None
                        stopped_by_itself = await self._run_one_worker()
                except Exception as error:
                    if database_error(error) is None:
                        raise
                    logger.warning("worker: database error, %s", describe(error))
                    stopped_by_itself = True
                if self.current is not None:
                    # Still set when the worker could not unregister (the database was down):
                    # its jobs left in ``doing`` are handed back on the next round.
                    previous_worker_id = self.current.worker_id or previous_worker_id
                    self.current = None
                if (
                    self.stopping.is_set()
                    or not stopped_by_itself
                    or not self.worker_options.get("wait", True)
                ):
                    break
                self.restarts += 1
                ran_briefly = time.monotonic() - started < self.short_run
                pause = (
                    min(max(pause * 2, self.first_delay), self.longest_delay) if ran_briefly else 0
                )
                logger.warning(
                    "worker: stopped after a database failure; waiting for the database "
                    "(restart %d)",
                    self.restarts,
                )
        logger.info("worker: stopped")
        return 0

    async def _run_one_worker(self) -> bool:
        """Run a procrastinate worker until it stops; whether it stopped by itself."""
        self.current = worker.Worker(
            app=self.app,
            **{**self.app.worker_defaults, **self.worker_options},
            install_signal_handlers=False,
        )
        await self.current.run()
        return not self.stopping.is_set()

    async def _wait_for_database(self) -> bool:
        """Until a connection answers: True; False when asked to stop or past ``max_wait``."""
        started = time.monotonic()
        delay = self.first_delay
        attempts = 0
        while not self.stopping.is_set():
            attempts += 1
            try:
                connection = await psycopg.AsyncConnection.connect(
                    **{"connect_timeout": CONNECT_TIMEOUT, **self.connect_kwargs},
                    autocommit=True,
                )
                async with connection:
                    await connection.execute("SELECT 1")
            except (psycopg.Error, OSError) as error:
                waited = time.monotonic() - started
                if self.max_wait is not None and waited >= self.max_wait:
                    logger.error(
                        "worker: database unreachable for %.0f s (%s), giving up",
                        waited,
                        describe(error),
                    )
                    return False
                logger.warning(
                    "worker: database unreachable (%s), attempt %d, next in %.1f s",
                    describe(error),
                    attempts,
                    delay,
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stopping.wait(), timeout=delay)
                delay = min(delay * 2, self.longest_delay)
                continue
            if attempts > 1:
                logger.warning(
                    "worker: database reachable again after %.1f s",
                    time.monotonic() - started,
                )
            return True
        return False

    async def _retry_interrupted_jobs(self, previous_worker_id: int | None) -> None:
        """Back to ``todo``: jobs the previous worker of this process left in ``doing`` (it
        has stopped, so none of them still runs), and jobs of workers whose heartbeat is
        older than ``stalled_worker_timeout`` (killed, or gone without unregistering)."""
        manager = self.app.job_manager
        timeout = {**self.app.worker_defaults, **self.worker_options}.get(
            "stalled_worker_timeout", 30.0
        )
        interrupted = {job.id: job for job in await manager.get_stalled_jobs(
            seconds_since_heartbeat=timeout
        )}  # fmt: skip
        if previous_worker_id is not None:
            own = await manager.list_jobs_async(status="doing", worker_id=previous_worker_id)
            interrupted.update({job.id: job for job in own})
            await manager.unregister_worker(previous_worker_id)
        for job in interrupted.values():
            try:
                await manager.retry_job(job)
            except exceptions.ConnectorException as error:
                if database_error(error) is not None:
                    raise
                # Finished or retried by someone else meanwhile: nothing left to do.
                continue
            logger.warning(
                "worker: job %s (%s) was interrupted in 'doing': retried",
                job.id,
                job.task_name,
            )
