"""Tenant jobs in tests: what a write defers on commit, run as the worker would run it, inside
the test's transaction (which never commits)."""

from contextlib import AbstractContextManager

from django.db import connection
from django.test import TestCase
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob


def committed() -> AbstractContextManager:
    """What the block asks to do on commit (deferring jobs) is done at its end, as if its
    transaction had committed."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def last_job_id() -> int:
    """Jobs of tests that commit stay in the queue: a test runs only those after this one."""
    return ProcrastinateJob.objects.order_by("-id").values_list("id", flat=True).first() or 0


class JobQueue:
    """The jobs deferred since it was made; ``run()`` runs them, and those they defer."""

    def __init__(self) -> None:
        self.seen = last_job_id()

    def run(self, name_suffix: str = "") -> list[str]:
        """Run the waiting jobs of the current network, oldest first, once each (only those
        whose name ends with ``name_suffix``); the names of those run."""
        ran = []
        while True:
            job = (
                ProcrastinateJob.objects.filter(id__gt=self.seen, status="todo")
                .order_by("id")
                .first()
            )
            if job is None:
                return ran
            self.seen = job.id
            if not job.task_name.endswith(name_suffix):
                continue
            ids = dict(job.args)
            assert ids.pop("schema_name") == connection.schema_name
            # The job's own function, without the tenant switch and the connection closing
            # that core.jobs.tenant_job adds around it for the worker.
            with committed():
                app.tasks[job.task_name].func.__wrapped__(**ids)
            ran.append(job.task_name)

    def names(self) -> list[str]:
        """The names of the jobs deferred and not run yet."""
        return list(
            ProcrastinateJob.objects.filter(id__gt=self.seen, status="todo")
            .order_by("id")
            .values_list("task_name", flat=True)
        )
