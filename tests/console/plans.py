"""Billing's default plans, which a test that commits and flushes (a browser test) takes
out of the database along with the migration's other rows."""

import importlib

from django.apps import apps


def plans_ensure() -> None:
    """The plans of billing's data migration, made again if a flush removed them."""
    importlib.import_module("shared_apps.billing.migrations.0003_default_plans").seed(apps, None)
