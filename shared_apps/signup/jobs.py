"""Sign-up's job: create the network of a request, in the public schema.

Deferred on commit by ``services.request_create`` (a free plan) or once a paid plan's
payment is confirmed; safe to run twice (a request is created once, then left alone).
"""

from django.db import connection
from procrastinate.contrib.django import app

from core.jobs import tenant_job
from shared_apps.signup import services


@tenant_job(queue="default")
def network_create(*, request_id: int) -> None:
    """Create the network a representative asked for, and record it on the request."""
    services.request_provision(request_id=request_id)


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
