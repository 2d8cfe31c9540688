"""The pro app's jobs, one module per area (procrastinate discovers ``<app>.jobs`` only)."""

from tenant_apps.pro.rcp import jobs as rcp_jobs  # noqa: F401
