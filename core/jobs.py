"""The job queue: procrastinate on PostgreSQL, and the one way tenant jobs are declared.

A tenant job takes ``schema_name`` plus primitive ids, enters that tenant before it runs,
and is deferred only once the transaction that asked for it commits.
"""

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django_tenants.utils import tenant_context
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from tenants.models import Tenant

logger = logging.getLogger(__name__)

DEFAULT_RETRY = RetryStrategy(max_attempts=5, exponential_wait=2)


def tenant_job(*, queue: str = "default", retry: RetryStrategy = DEFAULT_RETRY) -> Callable:
    """Declare a job that runs inside the tenant named by its ``schema_name`` argument."""

    def decorator(func: Callable[..., Any]) -> Any:
        @functools.wraps(func)
        def run(*, schema_name: str, **ids: Any) -> Any:
            connection.set_schema_to_public()
            try:
                tenant = Tenant.objects.filter(schema_name=schema_name).first()
                if tenant is None:
                    # Deleted since the job was deferred: nothing left to act on.
                    logger.info("job %s skipped: tenant %s is gone", func.__name__, schema_name)
                    return None
                with tenant_context(tenant):
                    return func(**ids)
            finally:
                # Jobs run in the worker's threads: give their connection back.
                connection.close()

        return app.task(name=f"{func.__module__}.{func.__name__}", queue=queue, retry=retry)(run)

    return decorator


def job_named(job: Any) -> Any:
    """A job given itself or by its name (``"tenant_apps.members.jobs.invitation_send"``).

    Services defer their jobs by name: a jobs module imports its services, so a service that
    imported it back would close an import circle. An unknown name fails here, in the
    request, rather than as a job no worker can run.
    """
    if isinstance(job, str):
        return app.tasks[job]
    return job


def defer_on_commit(job: Any, **ids: Any) -> None:
    """Defer a tenant job (or a job's name) for the current tenant once the current
    transaction commits."""
    task = job_named(job)
    schema_name = connection.schema_name
    transaction.on_commit(lambda: task.defer(schema_name=schema_name, **ids))


def defer_many_on_commit(job: Any, calls: list[dict[str, Any]]) -> None:
    """Defer one job per set of ids, in one insert, once the current transaction commits."""
    if not calls:
        return
    task = job_named(job)
    schema_name = connection.schema_name
    jobs = [{"schema_name": schema_name, **ids} for ids in calls]
    transaction.on_commit(lambda: task.batch_defer(*jobs))


def defer_for_every_network(job: Any, **ids: Any) -> int:
    """Defer a tenant job once per active network (what periodic sweeps do); how many."""
    connection.set_schema_to_public()
    schemas = Tenant.objects.filter(status=Tenant.Status.ACTIVE).exclude(schema_name="public")
    deferred = 0
    for schema_name in schemas.values_list("schema_name", flat=True):
        job.defer(schema_name=schema_name, **ids)
        deferred += 1
    return deferred
