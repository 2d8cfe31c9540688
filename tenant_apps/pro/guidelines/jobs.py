"""The guidelines' periodic job: past its validity date, a guideline is "being revised"."""

from procrastinate.contrib.django import app

from core.jobs import defer_for_every_network, tenant_job
from tenant_apps.pro.guidelines import services


@tenant_job()
def guidelines_expire() -> None:
    """Put the network's guidelines past their validity date "being revised"; safe to run twice."""
    services.guidelines_expire()


@app.periodic(cron="37 1 * * *")
@app.task(name="pro.guidelines.expire_sweep", queue="default")
def expire_sweep(timestamp: int) -> None:
    """Every night: one expiry job per active network."""
    defer_for_every_network(guidelines_expire)
