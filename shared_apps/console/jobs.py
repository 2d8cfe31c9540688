"""The console's jobs: each network's usage counted every night, and a network's export.

The sweep runs in the public schema and defers one ``usage_snapshot`` per network; each of
those enters its own network (``core.jobs.tenant_job``), so no query ever spans two schemas.
"""

import logging

from django.db import connection
from procrastinate.contrib.django import app

from core.jobs import tenant_job
from provisioning import services as provisioning
from shared_apps.console import services
from tenants.models import Tenant

logger = logging.getLogger(__name__)

# Networks whose members and files still exist (a network being created has none yet).
COUNTED = (Tenant.Status.ACTIVE, Tenant.Status.READ_ONLY, Tenant.Status.SUSPENDED)


@tenant_job()
def usage_snapshot() -> None:
    """Today's counts of the current network; safe to run twice (the day's row is replaced)."""
    services.usage_take()


def usage_sweep_defer() -> int:
    """One ``usage_snapshot`` per network, in one insert; how many."""
    connection.set_schema_to_public()
    schemas = list(
        Tenant.objects.filter(status__in=COUNTED)
        .exclude(schema_name="public")
        .values_list("schema_name", flat=True)
    )
    if schemas:
        usage_snapshot.batch_defer(*({"schema_name": schema} for schema in schemas))
    return len(schemas)


@app.periodic(cron="31 1 * * *")
@app.task(name="console.usage_sweep", queue="default")
def usage_sweep(timestamp: int) -> int:
    """Every night: each network's usage, counted from inside it."""
    try:
        return usage_sweep_defer()
    finally:
        connection.close()  # the worker's thread gives its connection back


@tenant_job()
def network_export(*, slug: str, actor: str) -> None:
    """An archive of a network asked for from the console (deferred with schema "public")."""
    try:
        provisioning.tenant_export(slug=slug, actor=actor)
    except provisioning.ProvisioningError:
        logger.info("export of %s skipped: the network is gone", slug)
