"""The pro app's jobs, one module per area (procrastinate discovers ``<app>.jobs`` only)."""

from tenant_apps.pro.guidelines import jobs as guidelines_jobs  # noqa: F401
from tenant_apps.pro.rcp import jobs as rcp_jobs  # noqa: F401
