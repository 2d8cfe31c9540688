"""The platform's own periodic jobs on the public schema (procrastinate finds this module)."""

import logging

from django.db import connection
from procrastinate.contrib.django import app

from tenants import domains

logger = logging.getLogger(__name__)


@app.periodic(cron="23 * * * *")
@app.task(name="tenants.domains_recheck", queue="default")
def domains_recheck(timestamp: int) -> dict[str, int]:
    """Every hour, in the public schema: every custom domain's proof looked up again
    (``tenants.domains.domains_recheck``); safe to run twice."""
    connection.set_schema_to_public()
    try:
        counts = domains.domains_recheck()
        logger.info("custom domains rechecked: %s", counts)
        return counts
    finally:
        connection.close()  # the worker's thread gives its connection back
