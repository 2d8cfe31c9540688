"""Sign-up's job: create the network of a request, in the public schema.

Deferred on commit by ``services.request_create`` (a free plan) or once a paid plan's
payment is confirmed; safe to run twice (a request is created once, then left alone).
"""

from django.conf import settings
from django.db import connection
from procrastinate.contrib.django import app

from core.jobs import tenant_job
from provisioning import cloning
from provisioning import services as provisioning
from shared_apps.signup import services


@tenant_job(queue="default")
def network_create(*, request_id: int) -> None:
    """Create the network a representative asked for, and record it on the request."""
    services.request_provision(request_id=request_id)


@tenant_job(queue="default")
def spares_fill() -> int:
    """Clone the template ahead of the next sign-ups (``SIGNUP_SPARE_SCHEMAS`` spares), so
    that a creation renames a schema instead of building one; how many were made. On a
    Citus cluster each spare is distributed as it is made (provisioning.citus)."""
    if settings.SIGNUP_SPARE_SCHEMAS <= 0:
        return 0
    provisioning.template_ensure()
    return cloning.spares_fill(settings.TENANT_BASE_SCHEMA, settings.SIGNUP_SPARE_SCHEMAS)


@app.periodic(cron="* * * * *")
@app.task(name="signup.payments_sweep", queue="default")
def payments_sweep(timestamp: int) -> int:
    """Every minute, in the public schema: the requests whose payment billing has recorded
    since are queued for creation (the return page does it at once when it is reached)."""
    connection.set_schema_to_public()
    try:
        return services.payments_check()
    finally:
        connection.close()  # the worker's thread gives its connection back
