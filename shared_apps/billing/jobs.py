"""Billing's periodic jobs, in the public schema: the nightly reconciliation with Stripe
and the hourly move of late organizations' networks (grace → read-only → suspended).
Both are safe to run twice."""

from django.db import connection
from procrastinate.contrib.django import app

from shared_apps.billing import services


@app.periodic(cron="13 4 * * *")
@app.task(name="billing.reconcile", queue="default")
def reconcile(timestamp: int) -> int:
    """Every night: every Stripe-backed subscription compared with Stripe and repaired."""
    connection.set_schema_to_public()
    try:
        return services.subscriptions_reconcile()
    finally:
        connection.close()  # the worker's thread gives its connection back


@app.periodic(cron="7 * * * *")
@app.task(name="billing.enforce", queue="default")
def enforce(timestamp: int) -> int:
    """Every hour: networks of late organizations whose grace or read-only period ended."""
    connection.set_schema_to_public()
    try:
        return services.subscriptions_enforce()
    finally:
        connection.close()
