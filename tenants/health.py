"""Endpoints answered before tenant resolution, whatever the host."""

from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse


def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def tls_ask(request: HttpRequest) -> HttpResponse:
    """Caddy's on-demand TLS question: may a certificate be issued for this host?

    Only hostnames of verified domains of serving tenants get a yes.
    """
    from tenants.models import Domain, Tenant

    hostname = request.GET.get("domain", "").strip().lower().rstrip(".")
    allowed = (
        bool(hostname)
        and Domain.objects.filter(
            domain=hostname,
            verified=True,
            tenant__status__in=[Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED],
        ).exists()
    )
    return HttpResponse(status=200 if allowed else 404)


HOST_INDEPENDENT_PATHS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": healthz,
    "/internal/tls-ask": tls_ask,
}
