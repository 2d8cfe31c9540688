"""Endpoints answered before tenant resolution, whatever the host."""

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse

from tenants.models import Domain, Tenant


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

    Only hostnames of verified domains of serving tenants get a yes, and only the proxy
    may ask: anyone else gets the same 404 as an unknown domain.
    """
    if not _from_the_proxy(request):
        return HttpResponse(status=404)
    hostname = request.GET.get("domain", "").strip().lower().rstrip(".")
    allowed = (
        bool(hostname)
        and Domain.objects.filter(
            domain=hostname,
            verified=True,
            # A read-only network (unpaid) still serves its pages, over HTTPS.
            tenant__status__in=[
                Tenant.Status.ACTIVE,
                Tenant.Status.READ_ONLY,
                Tenant.Status.SUSPENDED,
            ],
        ).exists()
    )
    return HttpResponse(status=200 if allowed else 404)


def _from_the_proxy(request: HttpRequest) -> bool:
    """Whether the request comes straight from an allowed address (Caddy's own call).

    What Caddy relays for a client carries X-Forwarded-For; its ask call does not.
    """
    if "HTTP_X_FORWARDED_FOR" in request.META:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network, strict=False)
        for network in settings.TLS_ASK_ALLOWED_NETWORKS
    )


HOST_INDEPENDENT_PATHS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": healthz,
    "/internal/tls-ask": tls_ask,
}
